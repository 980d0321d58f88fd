"""The registry of social workers: who they are, their certification by independent
assessment, the recipients who chose them, the visits they made; "one plus two"
volunteers; family members paid as a recipient's individual assistant.

The invariants that span rows (a certificate valid on the day, caseload within capacity,
at most two volunteers, the yearly cap of assistant hours) are checked by
tendik.workforce.services under a row lock; the ones a single row can state are
constraints here.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, ClassVar, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tendik.core.audit import AuditedModel
from tendik.core.models import Organisation, Region
from tendik.core.scoping import Scope, ScopedQuerySet
from tendik.people.models import FamilyMember, Person

QS = TypeVar("QS", bound=models.QuerySet[Any])
TENGE = Decimal("1")
EMPLOYER_KINDS = (Organisation.Kind.SERVICE_PROVIDER, Organisation.Kind.NGO,
                  Organisation.Kind.AKIMAT)
MAX_VOLUNTEERS = 2  # "one plus two": a worker and at most two volunteers
PERSONAL_ASSISTANT = "SE-02"  # the classifier's code of the personal assistant service


class Service(models.TextChoices):
    HOME_CARE = "home_care", _("care at home")
    SOCIAL_REHABILITATION = "social_rehabilitation", _("social rehabilitation")
    SIGN_LANGUAGE = "sign_language", _("sign language interpreting")
    PSYCHOLOGICAL = "psychological", _("psychological support")
    LEGAL = "legal", _("legal advice")
    HOUSEHOLD = "household", _("help with the household")
    ESCORT = "escort", _("escort outside the home")


class Language(models.TextChoices):
    KAZAKH = "kk", _("Kazakh")
    RUSSIAN = "ru", _("Russian")
    ENGLISH = "en", _("English")
    SIGN = "sign", _("Kazakh-Russian sign language")


class Qualification(models.TextChoices):
    HIGHER = "higher", _("higher education")
    VOCATIONAL = "vocational", _("technical and vocational education")
    NONE = "none", _("no professional education")


class Category(models.TextChoices):
    HIGHEST = "highest", _("highest category")
    FIRST = "first", _("first category")
    SECOND = "second", _("second category")
    NONE = "none", _("no category")


def to_tenge(amount: Decimal) -> Decimal:
    return amount.quantize(TENGE, rounding=ROUND_HALF_UP)


def open_on(day: dt.date, start: str = "start", end: str = "end") -> models.Q:
    """Rows whose period [start, end] (end empty: open-ended) covers the day."""
    return models.Q(**{f"{start}__lte": day}) & (
        models.Q(**{f"{end}__isnull": True}) | models.Q(**{f"{end}__gte": day}))


def check_choices(values: Any, choices: type[models.TextChoices], message: Any) -> None:
    if not isinstance(values, list) or set(values) - set(choices.values):
        raise ValidationError(message)


def filter_json_list(queryset: QS, field: str, value: str) -> QS:
    """Rows whose JSON list `field` holds `value`, on PostgreSQL and SQLite alike (SQLite
    has no JSON containment: the quoted code is looked for in the text)."""
    if connection.features.supports_json_field_contains:
        return queryset.filter(**{f"{field}__contains": [value]})
    return queryset.filter(**{f"{field}__icontains": f'"{value}"'})


class SocialWorkerQuerySet(ScopedQuerySet["SocialWorker"]):
    def certified_on(self, day: dt.date) -> SocialWorkerQuerySet:
        return self.filter(models.Exists(Certificate.objects.filter(
            worker=models.OuterRef("pk"), issued_on__lte=day, expires_on__gte=day)))

    def with_figures(self, day: dt.date | None = None) -> SocialWorkerQuerySet:
        """Annotate what the search shows: the caseload on the day, the mean rating and
        its count, whether a certificate is valid on the day."""
        day = day or timezone.localdate()
        caseload = Assignment.objects.filter(open_on(day), worker=models.OuterRef("pk")) \
            .order_by().values("worker").annotate(n=models.Count("pk")).values("n")
        ratings = WorkerRating.objects.filter(worker=models.OuterRef("pk")).order_by() \
            .values("worker")
        return self.annotate(
            caseload=Coalesce(models.Subquery(caseload), 0),
            rating_mean=models.Subquery(ratings.annotate(m=models.Avg("stars")).values("m")),
            rating_count=Coalesce(models.Subquery(
                ratings.annotate(n=models.Count("pk")).values("n")), 0),
            certified=models.Exists(Certificate.objects.filter(
                worker=models.OuterRef("pk"), issued_on__lte=day, expires_on__gte=day)),
        )


class SocialWorker(AuditedModel):
    """A social worker of an organisation (a provider, an NGO, an akimat) whom recipients
    may choose. Name, employer, qualification, services, languages and rating are public;
    the account and who the worker serves are not."""

    account = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("account"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="social_worker")
    employer = models.ForeignKey(
        Organisation, verbose_name=_("employer"), on_delete=models.PROTECT,
        related_name="social_workers", limit_choices_to={"kind__in": EMPLOYER_KINDS})
    last_name = models.CharField(_("last name"), max_length=100)
    first_name = models.CharField(_("first name"), max_length=100)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    qualification = models.CharField(_("qualification"), max_length=12,
                                     choices=Qualification.choices)
    category = models.CharField(_("category"), max_length=8, choices=Category.choices,
                                default=Category.NONE)
    services = models.JSONField(_("services offered"), default=list)
    languages = models.JSONField(_("languages"), default=list)
    regions = models.ManyToManyField(Region, verbose_name=_("regions served"),
                                     related_name="social_workers")
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("How many recipients the worker serves at most at one time."))
    active = models.BooleanField(_("active"), default=True)

    objects = SocialWorkerQuerySet.as_manager()
    scope = Scope(region="employer__region", organisation="employer")

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        verbose_name = _("social worker")
        verbose_name_plural = _("social workers")
        constraints = [models.CheckConstraint(condition=models.Q(capacity__gte=1),
                                              name="workforce_worker_capacity_positive")]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)

    def service_labels(self) -> list[str]:
        return [str(Service(s).label) for s in self.services if s in Service.values]

    def language_labels(self) -> list[str]:
        return [str(Language(c).label) for c in self.languages if c in Language.values]

    def certificate_on(self, day: dt.date) -> Certificate | None:
        return self.certificates.filter(issued_on__lte=day, expires_on__gte=day) \
            .order_by("-expires_on").first()

    def caseload_on(self, day: dt.date) -> int:
        return self.assignments.filter(open_on(day)).count()

    @property
    def free_places(self) -> int:
        """Places left today (from the annotation of `with_figures` when there is one)."""
        caseload = getattr(self, "caseload", None)
        if caseload is None:
            caseload = self.caseload_on(timezone.localdate())
        return max(self.capacity - caseload, 0)

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.employer_id and self.employer.kind not in EMPLOYER_KINDS:
            errors["employer"] = _("Social workers are employed by social service providers, "
                                   "NGOs or akimats.")
        account = self.account if self.account_id else None
        if account is not None:
            if account.role != "social_worker":
                errors["account"] = _("The account must have the social worker role.")
            elif account.organisation_id != self.employer_id:
                errors["account"] = _("The account belongs to another organisation than the "
                                      "employer.")
        try:
            check_choices(self.services, Service, _("Choose services from the list."))
        except ValidationError as error:
            errors["services"] = error.messages
        try:
            check_choices(self.languages, Language, _("Choose languages from the list."))
        except ValidationError as error:
            errors["languages"] = error.messages
        if not self.services:
            errors.setdefault("services", _("Choose at least one service."))
        if not self.languages:
            errors.setdefault("languages", _("Choose at least one language."))
        if errors:
            raise ValidationError(errors)


class Certificate(AuditedModel):
    """The result of the independent assessment of a worker's qualification: only a worker
    whose certificate is valid on the day can be assigned."""

    worker = models.ForeignKey(SocialWorker, verbose_name=_("social worker"),
                               on_delete=models.CASCADE, related_name="certificates")
    number = models.CharField(_("certificate number"), max_length=50, unique=True)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("valid until"))
    assessor = models.CharField(_("assessing organisation"), max_length=300)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                      null=True, blank=True, related_name="+")

    objects = ScopedQuerySet.as_manager()
    scope = Scope(region="worker__employer__region", organisation="worker__employer")

    class Meta:
        ordering = ["worker", "-expires_on"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [models.CheckConstraint(
            condition=models.Q(expires_on__gt=models.F("issued_on")),
            name="workforce_certificate_expires_after_issue")]

    def __str__(self) -> str:
        return self.number

    def valid_on(self, day: dt.date) -> bool:
        return self.issued_on <= day <= self.expires_on

    def clean(self) -> None:
        if self.issued_on and self.expires_on and self.expires_on <= self.issued_on:
            raise ValidationError({"expires_on": _("A certificate expires after it is "
                                                   "issued.")})


class Assignment(AuditedModel):
    """A recipient's choice of a social worker, from a day until a day (or until further
    notice)."""

    worker = models.ForeignKey(SocialWorker, verbose_name=_("social worker"),
                               on_delete=models.PROTECT, related_name="assignments")
    person = models.ForeignKey(Person, verbose_name=_("recipient"), on_delete=models.PROTECT,
                               related_name="social_worker_assignments")
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True,
                           help_text=_("Empty: until further notice."))
    end_reason = models.CharField(_("why it ended"), max_length=300, blank=True)
    chosen_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("chosen by"),
                                  on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+")

    objects = ScopedQuerySet.as_manager()
    scope = Scope(region="person__region", organisation="worker__employer")

    class Meta:
        ordering = ["-start", "pk"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="workforce_assignment_end_after_start"),
            # The database's own guard against choosing the same worker twice.
            models.UniqueConstraint(fields=["worker", "person"],
                                    condition=models.Q(end__isnull=True),
                                    name="workforce_assignment_one_open"),
        ]

    def __str__(self) -> str:
        return f"{self.worker_id} → {self.person_id} from {self.start}"

    def is_open_on(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    @property
    def is_open(self) -> bool:
        return self.is_open_on(timezone.localdate())


class Visit(AuditedModel):
    """A visit the worker logs; the recipient (or their representative) confirms it."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE,
                                   related_name="visits")
    date = models.DateField(_("date"))
    minutes = models.PositiveSmallIntegerField(
        _("duration, minutes"), validators=[MinValueValidator(5), MaxValueValidator(720)])
    services = models.JSONField(_("services"), default=list)
    note = models.CharField(_("note"), max_length=500, blank=True)
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="+")
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("confirmed by"),
                                     on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")

    objects = ScopedQuerySet.as_manager()
    scope = Scope(region="assignment__person__region", organisation="assignment__worker__employer")

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        constraints = [models.CheckConstraint(
            condition=models.Q(minutes__gte=5, minutes__lte=720),
            name="workforce_visit_minutes_5_720")]

    def __str__(self) -> str:
        return f"{self.assignment_id} {self.date}: {self.minutes} min"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    def service_labels(self) -> list[str]:
        return [str(Service(s).label) for s in self.services if s in Service.values]

    def clean(self) -> None:
        try:
            check_choices(self.services, Service, _("Choose services from the list."))
        except ValidationError as error:
            raise ValidationError({"services": error.messages}) from None
        if not self.services:
            raise ValidationError({"services": _("Choose at least one service.")})


class WorkerRating(AuditedModel):
    """A recipient's rating of a worker who served them (one per recipient and worker;
    rating again replaces it)."""

    worker = models.ForeignKey(SocialWorker, verbose_name=_("social worker"),
                               on_delete=models.CASCADE, related_name="ratings")
    person = models.ForeignKey(Person, verbose_name=_("recipient"), on_delete=models.CASCADE,
                               related_name="social_worker_ratings")
    stars = models.PositiveSmallIntegerField(
        _("stars"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    rated_at = models.DateTimeField(_("rated"), default=timezone.now)
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                 null=True, blank=True, related_name="+")

    objects = ScopedQuerySet.as_manager()
    scope = Scope(region="person__region", organisation="worker__employer")

    class Meta:
        ordering = ["-rated_at"]
        verbose_name = _("rating of a social worker")
        verbose_name_plural = _("ratings of social workers")
        constraints = [
            models.UniqueConstraint(fields=["worker", "person"],
                                    name="workforce_rating_once"),
            models.CheckConstraint(condition=models.Q(stars__gte=1, stars__lte=5),
                                   name="workforce_rating_stars_1_5"),
        ]

    def __str__(self) -> str:
        return f"{self.worker_id} ← {self.person_id}: {self.stars}"


# --- One plus two -------------------------------------------------------------------------

class Volunteer(AuditedModel):
    """A trained volunteer who may help a social worker ("one plus two")."""

    last_name = models.CharField(_("last name"), max_length=100)
    first_name = models.CharField(_("first name"), max_length=100)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT,
                               related_name="+")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="volunteers",
        help_text=_("The NGO or provider that sends the volunteer, if any."))
    training = models.CharField(_("training course"), max_length=300)
    trained_on = models.DateField(_("trained on"))
    account = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("account"),
                                   on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="volunteer")

    objects = ScopedQuerySet.as_manager()
    scope = Scope(region="region", organisation="organisation")

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)


class VolunteerLink(AuditedModel):
    """A volunteer helping a worker, from a day until a day."""

    worker = models.ForeignKey(SocialWorker, verbose_name=_("social worker"),
                               on_delete=models.CASCADE, related_name="volunteer_links")
    volunteer = models.ForeignKey(Volunteer, verbose_name=_("volunteer"),
                                  on_delete=models.CASCADE, related_name="links")
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(region="worker__employer__region", organisation="worker__employer")

    class Meta:
        ordering = ["worker", "start", "pk"]
        verbose_name = _("volunteer of a social worker")
        verbose_name_plural = _("volunteers of social workers")
        constraints = [
            models.UniqueConstraint(fields=["worker", "volunteer"],
                                    condition=models.Q(end__isnull=True),
                                    name="workforce_volunteer_link_one_open"),
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="workforce_volunteer_link_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.worker_id} + {self.volunteer_id}"


class VolunteerHours(AuditedModel):
    volunteer = models.ForeignKey(Volunteer, verbose_name=_("volunteer"),
                                  on_delete=models.CASCADE, related_name="hours")
    worker = models.ForeignKey(SocialWorker, verbose_name=_("social worker"),
                               on_delete=models.CASCADE, related_name="volunteer_hours")
    date = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1,
                                validators=[MinValueValidator(Decimal("0.5")),
                                            MaxValueValidator(Decimal(24))])
    activity = models.CharField(_("what was done"), max_length=300)
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="+")

    objects = ScopedQuerySet.as_manager()
    scope = Scope(region="worker__employer__region", organisation="worker__employer")

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("volunteer hours")
        verbose_name_plural = _("volunteer hours")
        constraints = [models.CheckConstraint(condition=models.Q(hours__gt=0, hours__lte=24),
                                              name="workforce_volunteer_hours_0_24")]

    def __str__(self) -> str:
        return f"{self.volunteer_id} {self.date}: {self.hours} h"


# --- Family members as paid individual assistants -----------------------------------------

class FamilyAssistant(AuditedModel):
    """A family member registered as the paid individual assistant of a recipient whose
    ИПР grants a personal assistant (SE-02)."""

    assistant = models.ForeignKey(Person, verbose_name=_("assistant"),
                                  on_delete=models.PROTECT, related_name="assistant_of")
    recipient = models.ForeignKey(Person, verbose_name=_("recipient"),
                                  on_delete=models.PROTECT, related_name="family_assistants")
    relationship = models.CharField(_("relationship"), max_length=10,
                                    choices=FamilyMember.Role.choices,
                                    help_text=_("The assistant's role in the family card."))
    registered_on = models.DateField(_("registered on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    hourly_rate = models.DecimalField(_("hourly rate, tenge"), max_digits=10,
                                      decimal_places=2,
                                      validators=[MinValueValidator(Decimal(1))])
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                      null=True, blank=True, related_name="+")

    objects = ScopedQuerySet.as_manager()
    scope = Scope(region="recipient__region")

    class Meta:
        ordering = ["recipient__last_name", "pk"]
        verbose_name = _("family assistant")
        verbose_name_plural = _("family assistants")
        constraints = [
            models.CheckConstraint(condition=~models.Q(assistant=models.F("recipient")),
                                   name="workforce_assistant_not_the_recipient"),
            models.UniqueConstraint(fields=["assistant", "recipient"],
                                    condition=models.Q(ended_on__isnull=True),
                                    name="workforce_assistant_one_open"),
            models.CheckConstraint(condition=models.Q(hourly_rate__gt=0),
                                   name="workforce_assistant_rate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.assistant_id} → {self.recipient_id}"

    def covers(self, day: dt.date) -> bool:
        return self.registered_on <= day and (self.ended_on is None or day <= self.ended_on)


class AssistantHours(AuditedModel):
    """One day's hours of a family assistant; the recipient (or their representative)
    confirms them, and only confirmed hours are paid."""

    assistant = models.ForeignKey(FamilyAssistant, on_delete=models.CASCADE,
                                  related_name="hours")
    date = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1,
                                validators=[MinValueValidator(Decimal("0.5")),
                                            MaxValueValidator(Decimal(24))])
    note = models.CharField(_("note"), max_length=300, blank=True)
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="+")
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("confirmed by"),
                                     on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")

    objects = ScopedQuerySet.as_manager()
    scope = Scope(region="assistant__recipient__region")

    class Meta:
        ordering = ["-date"]
        verbose_name = _("assistant hours")
        verbose_name_plural = _("assistant hours")
        constraints = [
            models.UniqueConstraint(fields=["assistant", "date"],
                                    name="workforce_assistant_hours_once_a_day"),
            models.CheckConstraint(condition=models.Q(hours__gt=0, hours__lte=24),
                                   name="workforce_assistant_hours_0_24"),
        ]

    def __str__(self) -> str:
        return f"{self.assistant_id} {self.date}: {self.hours} h"


class AssistantPayment(AuditedModel):
    """What a family assistant is paid for a month: confirmed hours × rate, within what
    the recipient's ИПР grants for the year."""

    assistant = models.ForeignKey(FamilyAssistant, on_delete=models.PROTECT,
                                  related_name="payments")
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2019), MaxValueValidator(2100)])
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    hours_confirmed = models.DecimalField(_("hours confirmed"), max_digits=6,
                                          decimal_places=1)
    hours_paid = models.DecimalField(_("hours paid"), max_digits=6, decimal_places=1)
    hourly_rate = models.DecimalField(_("hourly rate, tenge"), max_digits=10,
                                      decimal_places=2)
    amount = models.DecimalField(_("amount, tenge"), max_digits=12, decimal_places=2)
    computed_at = models.DateTimeField(_("computed"), default=timezone.now)
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")

    objects = ScopedQuerySet.as_manager()
    scope = Scope(region="assistant__recipient__region")
    audit_exclude: ClassVar[frozenset[str]] = frozenset({"computed_at"})

    class Meta:
        ordering = ["-year", "-month", "assistant"]
        verbose_name = _("assistant payment")
        verbose_name_plural = _("assistant payments")
        constraints = [
            models.UniqueConstraint(fields=["assistant", "year", "month"],
                                    name="workforce_assistant_payment_once_a_month"),
            models.CheckConstraint(condition=models.Q(month__gte=1, month__lte=12),
                                   name="workforce_assistant_payment_month_1_12"),
        ]

    def __str__(self) -> str:
        return f"{self.assistant_id} {self.year}-{self.month:02d}: {self.amount}"

    @property
    def period(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def capped(self) -> bool:
        return self.hours_paid < self.hours_confirmed
