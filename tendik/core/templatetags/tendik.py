from __future__ import annotations

from typing import Any

from django import forms, template
from django.conf import settings
from django.forms import BoundField
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from tendik.core import workspaces
from tendik.core.forms import field_errors
from tendik.core.models import localized

register = template.Library()


@register.simple_tag
def widget(field: BoundField) -> SafeString:
    """The field's input, tied to its hint and error for screen readers."""
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}-hint")
    if field.errors:
        described_by.append(f"{field.auto_id}-error")
    attrs: dict[str, Any] = {}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if field.errors:
        attrs["aria-invalid"] = "true"
    widget = field.field.widget
    if isinstance(widget, forms.NumberInput):
        # GOV.UK's advice: numbers in a text box with a numeric keyboard, as browsers'
        # number boxes change the value on a scroll and read badly in screen readers.
        # The limits stay in the server's check and its message.
        text = forms.TextInput(attrs={key: value for key, value in widget.attrs.items()
                                      if key not in ("min", "max", "step")})
        attrs["inputmode"] = ("decimal" if isinstance(field.field, forms.DecimalField)
                              else "numeric")
        attrs.setdefault("autocomplete", "off")
        return field.as_widget(widget=text, attrs=attrs)
    return field.as_widget(attrs=attrs)


@register.filter
def local(obj: object, field: str) -> str:
    """{{ region|local:"centre" }} — the field in the active language."""
    return localized(obj, field)


@register.filter
def may_open(user: object, url_name: str) -> bool:
    """{% if user|may_open:"cases:tasks" %} — show a link only to those who can follow it."""
    return workspaces.may_open(user, url_name)


@register.filter
def errors_for(field: BoundField) -> list[str]:
    """The field's errors, with Django's bare «This field is required» said as what to do."""
    return field_errors(field)


@register.simple_tag
def lang_of(obj: object, field: str) -> SafeString:
    """` lang="ru"` when the field shown in the page's language is in fact the Russian
    fallback (`localized`), so that screen readers switch to Russian for it; else nothing.

    {% lang_of facility "name" %} inside the element's tag."""
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    shown: object = getattr(obj, f"{field}_{language}", None)
    if language == "ru" or shown:
        return SafeString("")
    return SafeString(' lang="ru"')


@register.simple_tag
def form_key() -> SafeString:
    """The hidden one-time key of a create-form (tendik.core.once.created_once)."""
    from django.utils.html import format_html

    from tendik.core.once import FORM_KEY, new_form_key

    return format_html('<input type="hidden" name="{}" value="{}">', FORM_KEY, new_form_key())
