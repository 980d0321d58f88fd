"""Reference data (regions, organisations), users with roles, API tokens and the audit trail."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tendik.core.audit import AccessRecord, AuditedModel, AuditEvent, model_label
from tendik.core.jobs import WorkerBeat
from tendik.core.scoping import Scope, ScopedQuerySet


class TrilingualName(models.Model):
    """A name kept in Russian, Kazakh and English; `name` follows the active language."""

    name_ru = models.CharField(_("name (Russian)"), max_length=300)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")


def localized(obj: object, field: str) -> str:
    """The value of `field_<lang>` for the active language, falling back to Russian."""
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return getattr(obj, f"{field}_{language}", "") or getattr(obj, f"{field}_ru")


class RegionQuerySet(ScopedQuerySet["Region"]):
    pass


class Region(AuditedModel, TrilingualName):
    """A first-level administrative unit: an oblast or a city of republican significance."""

    class Kind(models.TextChoices):
        OBLAST = "oblast", _("region (oblast)")
        CITY = "city", _("city of republican significance")

    kato = models.CharField(_("KATO code"), max_length=9, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    centre_ru = models.CharField(_("administrative centre (Russian)"), max_length=100)
    centre_kk = models.CharField(_("administrative centre (Kazakh)"), max_length=100)
    centre_en = models.CharField(_("administrative centre (English)"), max_length=100)
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5)

    objects = RegionQuerySet.as_manager()
    scope = Scope(region="")

    class Meta:
        ordering = ["name_ru"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kato__regex=r"^[0-9]{9}$"), name="region_kato_nine_digits"
            ),
        ]

    @property
    def centre(self) -> str:
        return localized(self, "centre")


class OrganisationQuerySet(ScopedQuerySet["Organisation"]):
    def executors(self) -> OrganisationQuerySet:
        return self.filter(kind__in=Organisation.EXECUTOR_KINDS)


class Organisation(AuditedModel, TrilingualName):
    """A body that takes part in the plan: a ministry, an akimat, a commission, a provider."""

    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("ministry")
        AKIMAT = "akimat", _("akimat (local executive body)")
        COMMISSION = "commission", _("interagency commission")
        SUPPLIER = "supplier", _("supplier of aids or services")
        SERVICE_PROVIDER = "provider", _("social service provider")
        NGO = "ngo", _("non-governmental organisation")

    EXECUTOR_KINDS: ClassVar[tuple[str, ...]] = (Kind.MINISTRY, Kind.AKIMAT, Kind.COMMISSION)

    code = models.CharField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("Abbreviation used in the plan (МТСЗН, МЗ, …) or AKIMAT-<KATO> for akimats."),
    )
    abbreviation_ru = models.CharField(_("abbreviation (Russian)"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
    )
    bin = models.CharField(_("BIN"), max_length=12, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = OrganisationQuerySet.as_manager()
    scope = Scope(region="region", organisation="")

    class Meta:
        ordering = ["kind", "name_ru"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="akimat") | models.Q(region__isnull=False),
                name="organisation_akimat_has_region",
            ),
        ]

    def clean(self) -> None:
        if self.kind == self.Kind.AKIMAT and self.region_id is None:
            raise ValidationError({"region": _("An akimat belongs to a region.")})


class Role(models.TextChoices):
    REGISTERED = "registered", _("registered user")
    RECIPIENT = "recipient", _("recipient or legal representative")
    SUPPLIER = "supplier", _("supplier")
    SOCIAL_WORKER = "social_worker", _("social worker")
    CASE_MANAGER = "case_manager", _("case manager")
    AKIMAT_OFFICIAL = "akimat_official", _("akimat official")
    AGENCY_EXECUTOR = "agency_executor", _("agency executor")
    ANALYST = "analyst", _("МТСЗН analyst")
    AUDITOR = "auditor", _("auditor")
    ADMINISTRATOR = "administrator", _("administrator")


# Roles that work on behalf of an organisation and must use a second factor.
STAFF_ROLES = frozenset(
    {
        Role.SUPPLIER,
        Role.SOCIAL_WORKER,
        Role.CASE_MANAGER,
        Role.AKIMAT_OFFICIAL,
        Role.AGENCY_EXECUTOR,
        Role.ANALYST,
        Role.AUDITOR,
        Role.ADMINISTRATOR,
    }
)
# Roles whose scope is the whole country.
NATIONAL_ROLES = frozenset({Role.ANALYST, Role.AUDITOR, Role.ADMINISTRATOR})
# The organisation kind each organisation-bound role requires.
ROLE_ORGANISATION_KINDS: dict[str, tuple[str, ...]] = {
    Role.AKIMAT_OFFICIAL: (Organisation.Kind.AKIMAT,),
    Role.AGENCY_EXECUTOR: (Organisation.Kind.MINISTRY, Organisation.Kind.COMMISSION),
    Role.ANALYST: (Organisation.Kind.MINISTRY,),
    Role.SUPPLIER: (Organisation.Kind.SUPPLIER,),
    Role.SOCIAL_WORKER: (
        Organisation.Kind.SERVICE_PROVIDER,
        Organisation.Kind.AKIMAT,
        Organisation.Kind.NGO,
    ),
    Role.CASE_MANAGER: (Organisation.Kind.SERVICE_PROVIDER, Organisation.Kind.AKIMAT),
}
ANALYST_ORGANISATION = "МТСЗН"
ANALYST_GROUP = "МТСЗН analysts"


class UserQuerySet(ScopedQuerySet["User"]):
    pass


class TendikUserManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    pass


class User(AuditedModel, AbstractUser):
    """A person who signs in. Staff roles act for one organisation and are scoped by it."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices,
                            default=Role.REGISTERED)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
    )
    preferred_language = models.CharField(
        _("interface language"), max_length=2, choices=settings.LANGUAGES, default="ru"
    )
    display_preferences = models.JSONField(_("display preferences"), default=dict, blank=True)

    objects: ClassVar[TendikUserManager] = TendikUserManager()
    audit_exclude: ClassVar[frozenset[str]] = frozenset({"password", "last_login"})
    scope = Scope(region="organisation__region", organisation="organisation")

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        """What people read wherever a user is named (lists, selects, the audit trail): the
        full name, with the organisation the user acts for; the login only when no name is
        known."""
        name = self.get_full_name() or self.email or self.username
        organisation = self.organisation if self.organisation_id else None
        if organisation is None:
            return name
        return f"{name} ({organisation.abbreviation_ru or organisation.name})"

    @property
    def is_staff_role(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def has_national_scope(self) -> bool:
        return self.role in NATIONAL_ROLES or self.is_superuser

    @property
    def has_region_scope(self) -> bool:
        """An akimat official sees the rows of the akimat's whole region."""
        return self.role == Role.AKIMAT_OFFICIAL

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The Django back office is open to administrators and МТСЗН analysts only.
        if self.role == Role.ADMINISTRATOR:
            self.is_superuser = True
        self.is_staff = self.is_superuser or self.role == Role.ANALYST
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "is_staff", "is_superuser"}
        super().save(*args, **kwargs)
        if self.role == Role.ANALYST:
            from django.contrib.auth.models import Group

            group, _created = Group.objects.get_or_create(name=ANALYST_GROUP)
            self.groups.add(group)

    def clean(self) -> None:
        super().clean()
        kinds = ROLE_ORGANISATION_KINDS.get(self.role)
        if kinds is None:
            return
        if self.organisation is None:
            raise ValidationError({"organisation": _("This role acts for an organisation.")})
        if self.organisation.kind not in kinds:
            raise ValidationError(
                {"organisation": _("This role cannot belong to an organisation of this kind.")}
            )
        if self.role == Role.ANALYST and self.organisation.code != ANALYST_ORGANISATION:
            raise ValidationError({"organisation": _("Analysts work at the МТСЗН.")})


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(ScopedQuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiToken(AuditedModel):
    """A machine credential of one organisation. Only its SHA-256 hash is stored."""

    PREFIX = "tdk_"

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100)
    key_prefix = models.CharField(_("key prefix"), max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()
    audit_exclude: ClassVar[frozenset[str]] = frozenset({"key_hash", "last_used_at"})
    scope = Scope(region="organisation__region", organisation="organisation")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        # Held by an organisation's administrator: tokens of that organisation only
        # (tendik.core.services.may_issue_tokens).
        permissions = [("issue_own_tokens",
                        _("Issue and revoke the API tokens of one's own organisation"))]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @classmethod
    def generate_key(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    def set_key(self, raw: str) -> None:
        self.key_prefix = raw[:10]
        self.key_hash = hash_token(raw)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class LoadRecord(models.Model):
    """What `manage.py prepare` last loaded in one step, and the fingerprint of the data and
    code it loaded from: a later start whose fingerprint is the same skips the step.

    Bookkeeping of the platform itself, like the audit trail: not audited."""

    step = models.CharField(_("step"), max_length=50, unique=True)
    fingerprint = models.CharField(_("fingerprint of the source"), max_length=64)
    rows = models.PositiveIntegerField(_("rows written"), default=0)
    seconds = models.FloatField(_("duration in seconds"), default=0)
    loaded_at = models.DateTimeField(_("loaded at"), default=timezone.now)

    class Meta:
        ordering = ["step"]
        verbose_name = _("load record")
        verbose_name_plural = _("load records")

    def __str__(self) -> str:
        return f"{self.step} {self.fingerprint[:12]}"


__all__: list[Any] = [
    "AccessRecord", "ApiToken", "AuditEvent", "LoadRecord", "Organisation", "Region", "Role",
    "User", "WorkerBeat", "model_label",
]


class FormSending(models.Model):
    """A create-form's one-time key, claimed by the first sending of that form (see
    tendik.core.once.created_once). A repeat of the form, however soon, is sent where the
    first sending led, instead of creating a second record."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    key = models.CharField(max_length=64)
    path = models.CharField(max_length=300)
    led_to = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"],
                                               name="form_sending_once_per_user")]

    def __str__(self) -> str:
        return self.path
