"""The audit trail: every create, update and delete of domain data, and every read of
personal data.

Domain models inherit `AuditedModel`; saving or deleting one writes an `AuditEvent` in
the same transaction, whoever does it (a service, the back office, a management
command). Who and from where come from the `actor` context, which the middleware sets
for each request and API call and which commands set for themselves.

The log models (AuditEvent, AccessRecord) live here too, so that the rest of core
depends on the audit trail and never the other way round.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import decimal
import uuid
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.fields.files import FieldFile
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from tendik.core.models import ApiToken, User


@dataclass(frozen=True)
class Actor:
    user: User | None = None
    api_token: ApiToken | None = None
    ip_address: str | None = None
    label: str = ""
    reason: str = ""

    def describe(self) -> str:
        if self.user is not None and self.user.is_authenticated:
            return self.user.get_username()
        if self.api_token is not None:
            # The log is read by people: the token's organisation says who acted.
            return f"token:{self.api_token.key_prefix} ({self.api_token.organisation.code})"
        return self.label or "system"


# An Actor is immutable (a frozen dataclass), so one shared default is safe.
_actor: contextvars.ContextVar[Actor] = contextvars.ContextVar(
    "tendik_actor", default=Actor()  # noqa: B039
)


def current_actor() -> Actor:
    return _actor.get()


@contextmanager
def acting_as(actor: Actor | None = None, **changes: Any) -> Iterator[Actor]:
    """Attribute the writes inside the block to `actor` (or the current one, changed)."""
    new = replace(actor or _actor.get(), **changes)
    token = _actor.set(new)
    try:
        yield new
    finally:
        _actor.reset(token)


def attribute_rest_of_request(**changes: Any) -> None:
    """Change the actor until the request ends (the middleware then restores the old one).

    Used once a request's credentials are known only deep inside it, as with API tokens.
    """
    _actor.set(replace(_actor.get(), **changes))


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, FieldFile):
        return value.name
    return value


class AuditedModel(models.Model):
    """A model whose every write leaves an AuditEvent with the fields that changed."""

    audit_exclude: ClassVar[frozenset[str]] = frozenset()
    _audit_snapshot: dict[str, Any]
    _audit_loaded: dict[str, Any]

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db: str | None, field_names: Collection[str], values: Collection[Any],
                **kwargs: Any) -> Any:
        instance = super().from_db(db, field_names, values, **kwargs)
        # The values as loaded, made plain only if the row is ever saved or deleted:
        # most rows a page loads are only read (a tenth of a signed-in page's time).
        instance._audit_loaded = dict(zip(field_names, values, strict=True))
        return instance

    @classmethod
    def _audited_attnames(cls) -> frozenset[str]:
        names = cls.__dict__.get("_audit_attnames_cache")
        if names is None:
            names = frozenset(
                field.attname for field in cls._meta.concrete_fields
                if field.attname not in cls.audit_exclude
                and field.name not in cls.audit_exclude)
            cls._audit_attnames_cache = names  # type: ignore[attr-defined]
        return names

    def audit_before(self) -> dict[str, Any]:
        """The audited fields as they were loaded or last saved."""
        snapshot = getattr(self, "_audit_snapshot", None)
        if snapshot is None:
            loaded: dict[str, Any] = getattr(self, "_audit_loaded", {})
            audited = self._audited_attnames()
            snapshot = {key: _plain(value) for key, value in loaded.items() if key in audited}
            self._audit_snapshot = snapshot
        return snapshot

    def audit_state(self) -> dict[str, Any]:
        # Deferred fields (.only(), .defer()) are left out: reading one would query it.
        deferred = self.get_deferred_fields()
        return {
            field.attname: _plain(getattr(self, field.attname))
            for field in self._meta.concrete_fields
            if field.attname not in self.audit_exclude and field.name not in self.audit_exclude
            and field.attname not in deferred
        }

    def audit_changes(self) -> dict[str, list[Any]]:
        before = self.audit_before()
        after = self.audit_state()
        return {
            key: [before.get(key), value]
            for key, value in after.items()
            if key not in before or before[key] != value
        }


class Attributed(models.Model):
    """A log row: when, by whom (a person or an organisation's token), from which address."""

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )
    actor_repr = models.CharField(_("who (as recorded)"), max_length=200, blank=True)
    api_token = models.ForeignKey(
        "core.ApiToken", verbose_name=_("API token"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        abstract = True


class AuditEvent(Attributed):
    """One create, update or delete of domain data: who, when, from where, what changed."""

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("updated")
        DELETE = "delete", _("deleted")
        LOGIN = "login", _("signed in")
        LOGIN_FAILED = "login_failed", _("sign-in failed")
        LOGOUT = "logout", _("signed out")
        OTP_ENROLLED = "otp_enrolled", _("second factor enrolled")
        ACCESS_REFUSED = "access_refused", _("access to personal data refused")
        DEMO_CODE_SHOWN = "demo_code_shown", _("demo account's sign-in code shown")
        BACKUP = "backup", _("backup made")
        RESTORE = "restore", _("restored from a backup")

    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    model = models.CharField(_("record type"), max_length=100, db_index=True)
    object_id = models.CharField(_("record"), max_length=64, blank=True)
    object_repr = models.CharField(_("record (as recorded)"), max_length=300, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["model", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_repr} {self.action} {self.model}"


class AccessRecord(Attributed):
    """One view of personal data: which person's data, by whom, through which page."""

    path = models.CharField(_("page or endpoint"), max_length=500)
    model = models.CharField(_("record type"), max_length=100, db_index=True)
    object_ids = models.JSONField(_("records"), default=list)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_repr} {self.path}"


def model_label(model: type[models.Model] | models.Model) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def attribution() -> dict[str, Any]:
    """The who-and-where fields of a log row, from the current actor."""
    actor = current_actor()
    user = actor.user if actor.user is not None and actor.user.is_authenticated else None
    return {"actor": user, "actor_repr": actor.describe()[:200], "api_token": actor.api_token,
            "ip_address": actor.ip_address}


def record_event(action: str, instance: models.Model | None = None, *, model: str = "",
                 object_id: str = "", object_repr: str = "",
                 changes: dict[str, Any] | None = None) -> None:
    AuditEvent.objects.create(
        **attribution(),
        action=action,
        model=model or (model_label(instance) if instance is not None else ""),
        object_id=object_id or (str(instance.pk) if instance is not None else ""),
        object_repr=(object_repr or (str(instance) if instance is not None else ""))[:300],
        changes=changes or {},
        reason=current_actor().reason[:300],
    )


def record_access(path: str, model: type[models.Model], object_ids: Iterable[Any],
                  purpose: str = "") -> None:
    """Log that the current actor was shown personal data of these records."""
    ids = [str(pk) for pk in object_ids]
    if not ids:
        return
    AccessRecord.objects.create(
        **attribution(),
        path=path[:500],
        model=model_label(model),
        object_ids=ids,
        purpose=purpose[:200],
    )


@receiver(post_save)
def _audit_save(sender: type[models.Model], instance: models.Model, created: bool,
                raw: bool = False, **kwargs: Any) -> None:
    if not isinstance(instance, AuditedModel) or raw:
        return
    changes = instance.audit_changes()
    if created:
        record_event("create", instance, changes=changes)
    elif changes:
        record_event("update", instance, changes=changes)
    instance._audit_snapshot = instance.audit_state()


@receiver(post_delete)
def _audit_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if isinstance(instance, AuditedModel):
        snapshot = instance.audit_before() or instance.audit_state()
        record_event("delete", instance, changes={k: [v, None] for k, v in snapshot.items()})


class AppendOnly(models.Model):
    """A log row: written once, never changed, never deleted."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValidationError(_("Log entries are never changed."))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValidationError(_("Log entries are never deleted."))
