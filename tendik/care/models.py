"""Special social services (специальные социальные услуги): providers and the places
they offer, placements of recipients, the per-capita rates the state guarantees, monthly
bills computed from both, and what each provider spends.

Money is in tenge, as Decimal. A placement is billed for the days of a month it covers:
rate × days served / days in the month, rounded to the tenge.
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tendik.core.audit import AuditedModel
from tendik.core.models import Organisation, Region
from tendik.core.scoping import Scope, ScopedQuerySet
from tendik.people.models import Person

TENGE = Decimal("1")
PROVIDER_KINDS = (Organisation.Kind.SERVICE_PROVIDER, Organisation.Kind.NGO)
FIRST_YEAR, LAST_YEAR = 2019, 2100  # the plan starts in 2019


class CareForm(models.TextChoices):
    HOME = "home", _("home care")
    DAY_CARE = "day_care", _("day care")
    RESIDENTIAL = "residential", _("inpatient")
    TEMPORARY = "temporary", _("temporary stay")


class Ownership(models.TextChoices):
    STATE = "state", _("state")
    NGO = "ngo", _("non-governmental organisation")
    PRIVATE = "private", _("private")


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def to_tenge(amount: Decimal) -> Decimal:
    return amount.quantize(TENGE, rounding=ROUND_HALF_UP)


year_validators = [MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
month_validators = [MinValueValidator(1), MaxValueValidator(12)]
money_validators = [MinValueValidator(Decimal(0))]


class Provider(AuditedModel):
    """What the care register knows about an organisation that provides the services."""

    organisation = models.OneToOneField(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT,
        related_name="care_provider", limit_choices_to={"kind__in": PROVIDER_KINDS})
    ownership = models.CharField(_("ownership"), max_length=8, choices=Ownership.choices)
    address = models.CharField(_("address"), max_length=300, blank=True)
    licence_number = models.CharField(_("licence number"), max_length=50, blank=True)
    licence_date = models.DateField(_("licence date"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(region="organisation__region", organisation="organisation")

    class Meta:
        ordering = ["organisation__name_ru"]
        verbose_name = _("special social services provider")
        verbose_name_plural = _("special social services providers")

    def __str__(self) -> str:
        return self.organisation.name

    @property
    def region(self) -> Region | None:
        return self.organisation.region

    def clean(self) -> None:
        if not self.organisation_id:
            return
        if self.organisation.kind not in PROVIDER_KINDS:
            raise ValidationError({"organisation": _(
                "Only social service providers and NGOs provide special social services.")})
        if self.organisation.region_id is None:
            raise ValidationError({"organisation": _(
                "Give the organisation's region first: rates and approvals depend on it.")})


class Capacity(AuditedModel):
    """A form of care the provider offers and how many recipients it can take at once."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE,
                                 related_name="capacities")
    form = models.CharField(_("form of care"), max_length=12, choices=CareForm.choices)
    places = models.PositiveIntegerField(_("places"), validators=[MinValueValidator(1)])

    objects = ScopedQuerySet.as_manager()
    scope = Scope(region="provider__organisation__region",
                  organisation="provider__organisation")

    class Meta:
        ordering = ["provider", "form"]
        verbose_name = _("capacity")
        verbose_name_plural = _("capacities")
        constraints = [
            models.UniqueConstraint(fields=["provider", "form"], name="care_capacity_once"),
            models.CheckConstraint(condition=models.Q(places__gte=1),
                                   name="care_capacity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.provider_id} · {self.form}: {self.places}"


class PlacementQuerySet(ScopedQuerySet["Placement"]):
    def on(self, day: dt.date) -> PlacementQuerySet:
        return self.filter(models.Q(end__isnull=True) | models.Q(end__gte=day), start__lte=day)

    def overlapping(self, first: dt.date, last: dt.date | None) -> PlacementQuerySet:
        """Placements that share at least one day with [first, last] (None: open-ended)."""
        rows = self.filter(models.Q(end__isnull=True) | models.Q(end__gte=first))
        return rows if last is None else rows.filter(start__lte=last)


class Placement(AuditedModel):
    """A recipient receives one form of care from a provider, from a date until a date (or
    until further notice), on a decision of the akimat."""

    person = models.ForeignKey(Person, verbose_name=_("recipient"), on_delete=models.PROTECT,
                               related_name="care_placements")
    provider = models.ForeignKey(Provider, verbose_name=_("provider"),
                                 on_delete=models.PROTECT, related_name="placements")
    form = models.CharField(_("form of care"), max_length=12, choices=CareForm.choices)
    # The person's region when placed: a later move does not move the placement's budget.
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT,
                               related_name="+")
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True,
                           help_text=_("Empty: until further notice."))
    basis = models.CharField(_("decision number"), max_length=100,
                             help_text=_("The akimat's decision to provide the services."))
    end_reason = models.CharField(_("why the services end"), max_length=300, blank=True,
                                  help_text=_("Given when the akimat sets the end."))

    objects = PlacementQuerySet.as_manager()
    scope = Scope(region="region", organisation="provider__organisation")

    class Meta:
        ordering = ["-start", "pk"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="care_placement_end_after_start"),
            # The database's own guard against two open placements in one form.
            models.UniqueConstraint(fields=["person", "form"],
                                    condition=models.Q(end__isnull=True),
                                    name="care_placement_one_open_per_form"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} · {self.provider_id} · {self.form} from {self.start}"

    @property
    def is_open(self) -> bool:
        return self.end is None or self.end >= timezone.localdate()

    def days_in(self, year: int, month: int) -> int:
        """How many days of the month this placement covers."""
        first, last = month_bounds(year, month)
        start, end = max(first, self.start), min(last, self.end or last)
        return max((end - start).days + 1, 0)

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("The end comes after the start.")
        if self.provider_id and self.form and not self.provider.capacities.filter(
                form=self.form).exists():
            errors["form"] = _("This provider does not offer this form of care.")
        if self.provider_id and self.person_id and \
                self.provider.organisation.region_id != self.person.region_id:
            errors["provider"] = _("The provider works in another region than the "
                                   "recipient's: choose a provider of the recipient's region.")
        if errors:
            raise ValidationError(errors)
        if self.person_id and self.form and self.start:
            self.check_no_overlap()
        if self.provider_id and self.form and self.start:
            self.check_capacity()

    def others(self) -> PlacementQuerySet:
        rows = Placement.objects.exclude(pk=self.pk) if self.pk else Placement.objects.all()
        return rows.overlapping(self.start, self.end)

    def check_no_overlap(self) -> None:
        if self.others().filter(person_id=self.person_id, form=self.form).exists():
            raise ValidationError({"start": _(
                "The recipient already has a placement in this form of care for these dates: "
                "end it first.")})

    def check_capacity(self) -> None:
        """The most recipients present on any one day of the period stays within the
        places. Occupancy only grows on a start date, so those days are enough to check."""
        places = self.provider.capacities.filter(form=self.form).values_list(
            "places", flat=True).first() or 0
        others = list(self.others().filter(provider_id=self.provider_id, form=self.form))
        days = {self.start} | {p.start for p in others if p.start > self.start}
        for day in days:
            present = sum(1 for p in others if p.start <= day and (p.end is None or
                                                                   p.end >= day))
            if present + 1 > places:
                raise ValidationError({"provider": _(
                    "The provider has no free place in this form of care on %(day)s "
                    "(%(places)s places).") % {"day": day.strftime("%d.%m.%Y"),
                                                "places": places}})


class RateQuerySet(ScopedQuerySet["Rate"]):
    def in_force(self, form: str, region: Region | int, year: int) -> Rate | None:
        return self.filter(form=form, region=region, year=year).first()


class Rate(AuditedModel):
    """The guaranteed sum: what the state pays per recipient per month in one form of care,
    in one region, for one year."""

    form = models.CharField(_("form of care"), max_length=12, choices=CareForm.choices)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT,
                               related_name="care_rates")
    year = models.PositiveSmallIntegerField(_("year"), validators=year_validators)
    amount = models.DecimalField(_("per person per month, tenge"), max_digits=12,
                                 decimal_places=2, validators=money_validators)
    legal_act = models.CharField(_("legal act"), max_length=300,
                                 help_text=_("The order or decision that sets the rate."))

    objects = RateQuerySet.as_manager()
    scope = Scope(region="region")

    class Meta:
        ordering = ["-year", "region__name_ru", "form"]
        verbose_name = _("per-capita rate")
        verbose_name_plural = _("per-capita rates")
        constraints = [
            models.UniqueConstraint(fields=["form", "region", "year"],
                                    name="care_rate_once_per_form_region_year"),
            models.CheckConstraint(condition=models.Q(amount__gte=0),
                                   name="care_rate_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.form} · {self.region_id} · {self.year}: {self.amount}"


class MonthlyBill(AuditedModel):
    """What a provider is owed for a month: computed from its placements and the rates,
    approved by the akimat of its region. An approved bill no longer changes."""

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        APPROVED = "approved", _("approved")

    provider = models.ForeignKey(Provider, verbose_name=_("provider"),
                                 on_delete=models.PROTECT, related_name="bills")
    year = models.PositiveSmallIntegerField(_("year"), validators=year_validators)
    month = models.PositiveSmallIntegerField(_("month"), validators=month_validators)
    state = models.CharField(_("state"), max_length=8, choices=State.choices,
                             default=State.DRAFT)
    total = models.DecimalField(_("total, tenge"), max_digits=14, decimal_places=2,
                                default=Decimal(0))
    computed_at = models.DateTimeField(_("computed"), default=timezone.now)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"),
                                    on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")

    objects = ScopedQuerySet.as_manager()
    scope = Scope(region="provider__organisation__region",
                  organisation="provider__organisation")

    class Meta:
        ordering = ["-year", "-month", "provider"]
        verbose_name = _("monthly bill")
        verbose_name_plural = _("monthly bills")
        constraints = [
            models.UniqueConstraint(fields=["provider", "year", "month"],
                                    name="care_bill_once_a_month"),
            models.CheckConstraint(condition=models.Q(month__gte=1, month__lte=12),
                                   name="care_bill_month_1_12"),
        ]

    def __str__(self) -> str:
        return f"{self.provider_id} {self.year}-{self.month:02d}"

    @property
    def is_locked(self) -> bool:
        return self.state == self.State.APPROVED

    @property
    def period(self) -> dt.date:
        return dt.date(self.year, self.month, 1)


class BillLine(AuditedModel):
    """One placement's share of a monthly bill, with the rate it was computed from."""

    bill = models.ForeignKey(MonthlyBill, on_delete=models.CASCADE, related_name="lines")
    placement = models.ForeignKey(Placement, verbose_name=_("placement"),
                                  on_delete=models.PROTECT, related_name="bill_lines")
    days_served = models.PositiveSmallIntegerField(_("days served"))
    days_in_month = models.PositiveSmallIntegerField(_("days in the month"))
    rate = models.DecimalField(_("rate per month, tenge"), max_digits=12, decimal_places=2)
    amount = models.DecimalField(_("amount, tenge"), max_digits=14, decimal_places=2)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(region="bill__provider__organisation__region",
                  organisation="bill__provider__organisation")

    class Meta:
        ordering = ["bill", "placement__person__last_name", "pk"]
        verbose_name = _("bill line")
        verbose_name_plural = _("bill lines")
        constraints = [models.UniqueConstraint(fields=["bill", "placement"],
                                               name="care_bill_line_once")]

    def __str__(self) -> str:
        return f"{self.bill} · {self.placement_id}: {self.amount}"

    @staticmethod
    def amount_for(rate: Decimal, days_served: int, days_in_month: int) -> Decimal:
        return to_tenge(rate * days_served / days_in_month)


class SpendingCategory(models.TextChoices):
    STAFF = "staff", _("staff")
    FOOD = "food", _("food")
    MEDICINE = "medicine", _("medicine and hygiene")
    UTILITIES = "utilities", _("utilities and upkeep")
    OTHER = "other", _("other")


class Spending(AuditedModel):
    """What a provider spent in a month on one category, as it reports it."""

    provider = models.ForeignKey(Provider, verbose_name=_("provider"),
                                 on_delete=models.PROTECT, related_name="spending")
    year = models.PositiveSmallIntegerField(_("year"), validators=year_validators)
    month = models.PositiveSmallIntegerField(_("month"), validators=month_validators)
    category = models.CharField(_("category"), max_length=10,
                                choices=SpendingCategory.choices)
    amount = models.DecimalField(_("amount, tenge"), max_digits=14, decimal_places=2,
                                 validators=money_validators)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(region="provider__organisation__region",
                  organisation="provider__organisation")

    class Meta:
        ordering = ["-year", "-month", "provider", "category"]
        verbose_name = _("spending")
        verbose_name_plural = _("spending")
        constraints = [
            models.UniqueConstraint(fields=["provider", "year", "month", "category"],
                                    name="care_spending_once"),
            models.CheckConstraint(condition=models.Q(amount__gte=0),
                                   name="care_spending_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.provider_id} {self.year}-{self.month:02d} {self.category}: {self.amount}"
