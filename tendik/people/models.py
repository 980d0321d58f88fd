"""The registry of persons with disabilities: who they are, who acts for them, their
families, their disability records and what they consented to. Personal data: pages that
show it record every read (tendik.core.audit.record_access)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tendik.core.audit import AuditedModel
from tendik.core.models import Region
from tendik.core.scoping import Scope, ScopedQuerySet
from tendik.people.iin import parse_iin


class CommunicationNeed(models.TextChoices):
    SIGN_LANGUAGE = "sign_language", _("sign language")
    BRAILLE = "braille", _("Braille")
    LARGE_PRINT = "large_print", _("large print")
    EASY_READ = "easy_read", _("easy-to-read")


class Person(AuditedModel):
    class Sex(models.TextChoices):
        MALE = "male", _("male")
        FEMALE = "female", _("female")

    iin = models.CharField(_("IIN"), max_length=12, unique=True)
    last_name = models.CharField(_("last name"), max_length=100)
    first_name = models.CharField(_("first name"), max_length=100)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    birth_date = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT,
                               related_name="persons")
    kato = models.CharField(_("KATO code of the locality"), max_length=9, blank=True)
    address = models.CharField(_("address"), max_length=300)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(_("language of communication"), max_length=2,
                                choices=settings.LANGUAGES, default="kk")
    communication_needs = models.JSONField(
        _("communication needs"), default=list, blank=True,
        help_text=_("Any of: sign language, Braille, large print, easy-to-read."))
    account = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("account"),
                                   on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="person")

    objects = ScopedQuerySet.as_manager()
    scope = Scope(region="region")

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        constraints = [models.CheckConstraint(condition=models.Q(iin__regex=r"^[0-9]{12}$"),
                                              name="person_iin_twelve_digits")]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)

    @property
    def masked_iin(self) -> str:
        """What lists show: enough to tell people apart, not enough to use."""
        return f"{self.iin[:2]}••••••••{self.iin[-2:]}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        try:
            info = parse_iin(self.iin or "")
        except ValidationError as invalid:
            errors["iin"] = invalid.messages
        else:
            if self.birth_date and info.birth_date != self.birth_date:
                errors["birth_date"] = _("The date of birth differs from the IIN's.")
            if self.sex and info.sex != self.sex:
                errors["sex"] = _("The sex differs from the IIN's.")
        unknown = set(self.communication_needs or []) - set(CommunicationNeed.values)
        if unknown:
            errors["communication_needs"] = _("Unknown communication need.")
        if errors:
            raise ValidationError(errors)


class Representative(AuditedModel):
    """Someone who acts for the person: a parent, a guardian, a trustee by power of
    attorney; with the document that gives them the right, for a period."""

    class Basis(models.TextChoices):
        PARENT = "parent", _("parent of a minor")
        GUARDIAN = "guardian", _("guardian appointed by the guardianship authority")
        TRUSTEE = "trustee", _("trustee")
        ATTORNEY = "attorney", _("power of attorney")

    person = models.ForeignKey(Person, on_delete=models.CASCADE,
                               related_name="representatives")
    account = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("account"),
                                on_delete=models.PROTECT, related_name="represented")
    basis = models.CharField(_("basis"), max_length=10, choices=Basis.choices)
    document = models.CharField(_("document"), max_length=200)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    scope = Scope(region="person__region")

    class Meta:
        ordering = ["person", "valid_from"]
        verbose_name = _("legal representative")
        verbose_name_plural = _("legal representatives")

    def __str__(self) -> str:
        return f"{self.account_id} → {self.person_id}"

    def is_valid_on(self, day: Any) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class Family(AuditedModel):
    """The digital family card: who lives together and how they are related."""

    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("family")
        verbose_name_plural = _("families")

    def __str__(self) -> str:
        return self.name


class FamilyMember(AuditedModel):
    class Role(models.TextChoices):
        HEAD = "head", _("head of the family")
        SPOUSE = "spouse", _("spouse")
        CHILD = "child", _("child")
        PARENT = "parent", _("parent")
        OTHER = "other", _("other relative")

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="families")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)

    class Meta:
        verbose_name = _("family member")
        verbose_name_plural = _("family members")
        constraints = [models.UniqueConstraint(fields=["family", "person"],
                                               name="family_member_once")]

    def __str__(self) -> str:
        return f"{self.family_id}: {self.person_id} ({self.role})"


class DisabilityRecord(AuditedModel):
    """A decision of medical and social expertise (МСЭ): the group, its cause and term."""

    class Group(models.TextChoices):
        GROUP_1 = "1", _("group I")
        GROUP_2 = "2", _("group II")
        GROUP_3 = "3", _("group III")
        CHILD = "child", _("child with a disability under 18")

    class Cause(models.TextChoices):
        GENERAL = "general", _("general illness")
        CHILDHOOD = "childhood", _("since childhood")
        WORK_INJURY = "work_injury", _("work injury")
        OCCUPATIONAL = "occupational", _("occupational disease")
        MILITARY = "military", _("military service")
        OTHER = "other", _("other")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="disabilities")
    group = models.CharField(_("group"), max_length=5, choices=Group.choices)
    cause = models.CharField(_("cause"), max_length=15, choices=Cause.choices)
    start = models.DateField(_("established on"))
    end = models.DateField(_("until"), null=True, blank=True,
                           help_text=_("Empty: indefinitely."))
    reexamination = models.DateField(_("re-examination"), null=True, blank=True,
                                     db_index=True)
    decision_number = models.CharField(_("МСЭ decision number"), max_length=50)
    decision_date = models.DateField(_("МСЭ decision date"))

    scope = Scope(region="person__region")

    class Meta:
        ordering = ["person", "-start"]
        verbose_name = _("disability record")
        verbose_name_plural = _("disability records")

    def __str__(self) -> str:
        return f"{self.person_id}: {self.group} from {self.start}"

    def clean(self) -> None:
        if self.end is not None and self.start and self.end < self.start:
            raise ValidationError({"end": _("The end comes after the start.")})
        if self.reexamination is not None and self.start and self.reexamination < self.start:
            raise ValidationError({"reexamination": _("Re-examination comes after the "
                                                      "start.")})

    def is_current(self, day: Any = None) -> bool:
        day = day or timezone.localdate()
        return self.start <= day and (self.end is None or day <= self.end)


class Consent(AuditedModel):
    class Purpose(models.TextChoices):
        PERSONAL_DATA = "personal_data", _("collection and processing of personal data")
        SHARE_SUPPLIERS = "share_suppliers", _("sharing with chosen suppliers")
        SHARE_PROVIDERS = "share_providers", _("sharing with social service providers")
        NOTIFICATIONS = "notifications", _("notifications by SMS and e-mail")
        SHARE_AGENCIES = "share_agencies", _("sharing with the agencies of a case's team")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("scope"), max_length=20, choices=Purpose.choices)
    given_at = models.DateTimeField(_("given"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    scope = Scope(region="person__region")

    class Meta:
        ordering = ["person", "-given_at"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.person_id}: {self.purpose}"

    def is_active(self, now: Any = None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or now < self.expires_at)


def active_consent(person: Person, purpose: str) -> Consent | None:
    now = timezone.now()
    return (person.consents.filter(purpose=purpose, revoked_at__isnull=True)
            .filter(models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now))
            .order_by("-given_at").first())
