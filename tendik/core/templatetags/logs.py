"""The audit and access logs in words: record types and fields by their names, values as
people write them (dates dd.mm.yyyy, yes/no, the label of a choice), purposes translated.

What the logs store stays as stored (the auditor's evidence); only its display changes.
A value that has no reading for people (a text, a number) is shown as recorded."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django import template
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import is_aware, localtime
from django.utils.translation import gettext, gettext_noop

register = template.Library()

# The purposes the platform records views of personal data for (tendik/*/views.py).
PURPOSES = {text: text for text in (
    gettext_noop("case"), gettext_noop("case list"), gettext_noop("referrals"),
    gettext_noop("tasks"), gettext_noop("social work: assignment"),
    gettext_noop("social work: caseload"), gettext_noop("social work: volunteers"),
    gettext_noop("social work: family assistants"),
    gettext_noop("social work: family assistant"),
    gettext_noop("special social services: placements"),
    gettext_noop("special social services: ending a placement"),
    gettext_noop("special social services: monthly bill"),
    gettext_noop("organisation staff list"), gettext_noop("search"), gettext_noop("order"),
    gettext_noop("recipient card"),
)}


def _model(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


@register.filter
def record_type(label: str) -> str:
    """«core.user» → «user», in the page's language."""
    model = _model(label)
    return str(model._meta.verbose_name) if model is not None else label


@register.filter
def purpose(text: str) -> str:
    return gettext(text) if text in PURPOSES else text


@register.filter
def who(entry: Any) -> str:
    """The person by name, an organisation's system by its token, or the platform."""
    if entry.actor_id is not None:
        return str(entry.actor)
    if entry.api_token_id is not None:
        return gettext("an organisation's system (API token)")
    return gettext("the platform itself")


def _reading(field: models.Field[Any, Any] | None, value: Any) -> str:
    if value is None or value == "":
        return "∅"
    if isinstance(value, bool) or isinstance(field, models.BooleanField):
        return gettext("yes") if value else gettext("no")
    if field is not None and field.choices and not isinstance(value, list | dict):
        labels = {str(key): label for key, label in field.flatchoices}
        if str(value) in labels:
            return str(labels[str(value)])
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-":
        moment = parse_datetime(value) if "T" in value else None
        if moment is not None:
            return date_format(localtime(moment) if is_aware(moment) else moment,
                               "d.m.Y H:i")
        day = parse_date(value[:10]) if len(value) == 10 else None
        if isinstance(day, dt.date):
            return date_format(day, "d.m.Y")
    if isinstance(value, dict) and {"ru", "kk", "en"} & set(value):
        from django.utils.translation import get_language

        return str(value.get(get_language() or "ru") or value.get("ru") or "")
    if isinstance(value, list) and all(not isinstance(item, list | dict) for item in value):
        return format_html_join(", ", "{}", ((_reading(None, item),) for item in value))
    if isinstance(value, list | dict):  # a structure as stored: the evidence, verbatim
        return format_html("<code>{}</code>", json.dumps(value, ensure_ascii=False))
    # a text as someone wrote it: the evidence, not to be translated or reworded
    return format_html('<span class="recorded" translate="no">{}</span>', value)


def _language(name: str) -> str:
    """The language of a field named `…_ru`, `…_kk` or `…_en`, or ''."""
    suffix = name.rsplit("_", 1)[-1]
    return suffix if suffix in ("ru", "kk", "en") else ""


@register.filter
def changes(event: Any) -> list[tuple[str, str, str, str]]:
    """(field, before, after, language of the values) for each change of an audit event,
    in words; the language is that of a trilingual field (`name_en`), else ''."""
    model = _model(event.model)
    rows = []
    for name, values in (event.changes or {}).items():
        field: Any = None
        if model is not None:
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                field = next((f for f in model._meta.concrete_fields if f.attname == name),
                             None)
        named = field is not None and field.verbose_name != field.name.replace("_", " ")
        # a field nobody gave a name to is shown by its identifier, as code
        label = str(field.verbose_name) if named else format_html("<code>{}</code>", name)
        before, after = [*values, None, None][:2] if isinstance(values, list) \
            else (None, values)
        rows.append((label, _reading(field, before), _reading(field, after),
                     _language(name)))
    return rows
