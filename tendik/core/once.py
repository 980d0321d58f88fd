"""Forms that create a record do it once, however often they are sent: a double click,
a reload, two tabs, two requests at the same instant. As orders do (tendik/portal/
journey.place_order), the form carries a one-time key made when the page is drawn; the
record is stored with it under a unique constraint, and a repeat with the same key gets
the record the first one made.

    class ProblemForm(SentOnce): ...                       # adds the hidden `key`
    idempotency_key = once.key_field()                     # on the model
    return once.create(ProblemReport, key, make, owner=lambda p: p.author_id == by.pk)

The template draws form.hidden_fields (the key) apart from form.visible_fields.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _

KEY_LENGTH = 64
M = TypeVar("M", bound=models.Model)


class SentOnce(forms.Form):
    """A form whose sending creates one record. A form drawn without the key (a page
    kept from before) still works, without the protection."""

    key = forms.CharField(widget=forms.HiddenInput, max_length=KEY_LENGTH, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)

    @property
    def sent_key(self) -> str:
        return str(self.cleaned_data.get("key") or "").strip()


def key_field() -> Any:
    """The model's `idempotency_key`: empty (NULL) for records made without a form."""
    return models.CharField(
        _("request key"), max_length=KEY_LENGTH, unique=True, null=True, blank=True,
        editable=False, help_text=_("Sent with the form; the same form sent again gives "
                                    "this record back instead of a second one."))


def create(model: type[M], key: str, make: Callable[[str | None], M], *,
           owner: Callable[[M], bool]) -> M:
    """The record `make(key)` creates, or the one a request with the same key already
    created (its owner only: anyone else is refused). Called inside the service's
    transaction; the insert runs in a savepoint, so that when a parallel request wins the
    unique constraint, its record is returned and this one's writes (its audit events,
    its e-mails waiting for the commit) are undone."""
    key = key.strip()[:KEY_LENGTH]
    if not key:
        return make(None)
    manager = model._default_manager
    existing = manager.filter(idempotency_key=key).first()
    if existing is None:
        try:
            with transaction.atomic():
                return make(key)
        except IntegrityError:
            # The same form arrived twice at once: the other request made the record.
            existing = manager.filter(idempotency_key=key).first()
            if existing is None:
                raise
    if not owner(existing):
        raise PermissionDenied
    return existing


# --- Any create-form, without a key column of its own -----------------------------------
#
# A view decorated with @created_once and a form drawn with {% form_key %} make their
# record once: the sending claims the form's key (core.FormSending, unique per person)
# in the same transaction as the view's writes. A sending that ends on a page of errors
# gives the key back (its transaction is undone; nothing was written); one that ends in
# a redirect keeps it, with where it led. A repeat, or a second sending at the same
# instant (it waits on the key until the first commits), is sent there too.

FORM_KEY = "form_key"


class _NotDone(Exception):
    def __init__(self, response: Any) -> None:
        self.response = response


def new_form_key() -> str:
    return uuid.uuid4().hex


def created_once(view: Callable[..., Any]) -> Callable[..., Any]:
    from functools import wraps

    from django.shortcuts import redirect

    @wraps(view)
    def wrapped(request: Any, *args: Any, **kwargs: Any) -> Any:
        # Looked up, not imported: the models of every app import this module.
        FormSending = apps.get_model("core", "FormSending")

        key = str(request.POST.get(FORM_KEY, "")).strip()[:KEY_LENGTH] \
            if request.method == "POST" else ""
        if not key or not request.user.is_authenticated:
            return view(request, *args, **kwargs)
        sendings = FormSending.objects.filter(user=request.user, key=key)
        done = sendings.exclude(led_to="").first()
        if done is not None:
            return redirect(done.led_to)
        try:
            with transaction.atomic():
                FormSending.objects.create(user=request.user, key=key,
                                           path=request.path[:300])
                response = view(request, *args, **kwargs)
                if response.status_code not in (301, 302, 303):
                    raise _NotDone(response)
                sendings.update(led_to=response["Location"][:500])
                return response
        except _NotDone as not_done:
            return not_done.response
        except IntegrityError:
            # The same form at the same instant: the other sending has made the record.
            done = sendings.exclude(led_to="").first()
            if done is None:
                raise
            return redirect(done.led_to)

    return wrapped
