"""Every write of special social services: one transaction each, a permission check first,
audit events from the models.

    who                                           may
    akimat official of the provider's region      register providers and places, place
                                                  recipients, set the region's rates,
                                                  compute and approve bills
    МТСЗН analyst (and administrators)            register providers, set any rate
    the provider's social workers, case managers  compute its draft bills, report spending
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tendik.care.models import (
    BillLine,
    Capacity,
    CareForm,
    MonthlyBill,
    Placement,
    Provider,
    Rate,
    Spending,
    SpendingCategory,
    month_bounds,
)
from tendik.core.audit import acting_as
from tendik.core.models import Organisation, Region, Role, User
from tendik.people.models import Person

# A provider spending less than this share of what it receives is flagged on the dashboard.
UNDERSPENDING_RATIO = Decimal("0.80")
PROVIDER_STAFF_ROLES = (Role.SOCIAL_WORKER, Role.CASE_MANAGER)


# --- Who may do what ----------------------------------------------------------------------

def is_national(user: User) -> bool:
    return bool(user.is_authenticated and (user.role == Role.ANALYST or user.is_superuser))


def is_akimat_of(user: User, region_id: int | None) -> bool:
    organisation = user.organisation if user.is_authenticated else None
    return bool(region_id is not None and user.role == Role.AKIMAT_OFFICIAL
                and organisation is not None and organisation.kind == Organisation.Kind.AKIMAT
                and organisation.region_id == region_id)


def is_staff_of(user: User, provider: Provider) -> bool:
    return bool(user.is_authenticated and user.role in PROVIDER_STAFF_ROLES
                and user.organisation_id == provider.organisation_id)


def may_place(user: User, provider: Provider) -> bool:
    return is_akimat_of(user, provider.organisation.region_id)


def may_set_rate(user: User, region: Region) -> bool:
    return is_national(user) or is_akimat_of(user, region.pk)


def may_compute(user: User, provider: Provider) -> bool:
    return is_akimat_of(user, provider.organisation.region_id) or is_staff_of(user, provider)


def may_approve(user: User, provider: Provider) -> bool:
    return is_akimat_of(user, provider.organisation.region_id)


def may_report_spending(user: User, provider: Provider) -> bool:
    return is_staff_of(user, provider)


def may_register(user: User, organisation: Organisation) -> bool:
    return is_national(user) or is_akimat_of(user, organisation.region_id)


def check_period(year: int, month: int) -> None:
    if not 1 <= month <= 12 or not 2019 <= year <= 2100:
        raise ValidationError(_("Choose a month between 2019 and 2100."))


# --- Providers and placements --------------------------------------------------------------

@transaction.atomic
def register_provider(organisation: Organisation, *, by: User, ownership: str,
                      capacities: dict[str, int], address: str = "", licence_number: str = "",
                      licence_date: dt.date | None = None) -> Provider:
    """Record the organisation as a provider with the places it offers in each form."""
    if not may_register(by, organisation):
        raise PermissionDenied
    provider = Provider.objects.filter(organisation=organisation).first() or \
        Provider(organisation=organisation)
    provider.ownership, provider.address = ownership, address
    provider.licence_number, provider.licence_date = licence_number, licence_date
    provider.full_clean()
    with acting_as(user=by):
        provider.save()
        for form, places in capacities.items():
            set_places(provider, form, places)
    return provider


def set_places(provider: Provider, form: str, places: int) -> Capacity:
    """Called inside a transaction of this module: the places of one form."""
    capacity = provider.capacities.filter(form=form).first() or Capacity(
        provider=provider, form=form)
    capacity.places = places
    capacity.full_clean()
    if capacity.pk:
        taken = provider.placements.filter(form=form).on(timezone.localdate()).count()
        if taken > places:
            raise ValidationError({"places": _(
                "%(taken)s recipients are placed in this form today: keep at least as many "
                "places.") % {"taken": taken}})
    capacity.save()
    return capacity


@transaction.atomic
def place(person: Person, provider: Provider, *, by: User, form: str, start: dt.date,
          basis: str, end: dt.date | None = None) -> Placement:
    if not may_place(by, provider):
        raise PermissionDenied
    # Lock the provider row so that two officials cannot both take its last place.
    Provider.objects.select_for_update().filter(pk=provider.pk).first()
    placement = Placement(person=person, provider=provider, form=form, start=start, end=end,
                          basis=basis, region_id=person.region_id)
    placement.full_clean()
    with acting_as(user=by):
        placement.save()
    return placement


@transaction.atomic
def end_placement(placement: Placement, *, by: User, end: dt.date,
                  reason: str) -> Placement:
    """Set the last day of the services, with the reason: the recipient's file keeps
    it, as the audit log does."""
    if not may_place(by, placement.provider):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the services end: the recipient's "
                                           "file keeps it.")})
    # Approved bills are final: the new end may not change the days they counted.
    changed = Placement(start=placement.start, end=end)
    for line in placement.bill_lines.filter(
            bill__state=MonthlyBill.State.APPROVED).select_related("bill"):
        if changed.days_in(line.bill.year, line.bill.month) != line.days_served:
            raise ValidationError({"end": _(
                "The approved bill for %(month)s counts days after this date: the placement "
                "cannot end earlier.") % {"month": f"{line.bill.month:02d}.{line.bill.year}"}})
    placement.end, placement.end_reason = end, reason[:300]
    placement.full_clean()
    with acting_as(user=by, reason=reason[:300]):
        placement.save(update_fields=["end", "end_reason"])
    return placement


def occupancy(providers: models.QuerySet[Provider], day: dt.date) -> dict[tuple[int, str], int]:
    """Recipients present on `day`, by (provider id, form)."""
    rows = Placement.objects.filter(provider__in=providers).on(day).values(
        "provider_id", "form").annotate(count=models.Count("id"))
    return {(row["provider_id"], row["form"]): row["count"] for row in rows}


# --- Rates -------------------------------------------------------------------------------

@transaction.atomic
def set_rate(*, by: User, form: str, region: Region, year: int, amount: Decimal,
             legal_act: str) -> Rate:
    """Set the guaranteed sum of a form in a region for a year; a new act replaces the old
    figure, while bills already approved keep the rate they were computed with."""
    if not may_set_rate(by, region):
        raise PermissionDenied
    rate = Rate.objects.filter(form=form, region=region, year=year).first() or Rate(
        form=form, region=region, year=year)
    rate.amount, rate.legal_act = amount, legal_act
    rate.full_clean()
    with acting_as(user=by):
        rate.save()
    return rate


# --- Monthly bills ----------------------------------------------------------------------

@transaction.atomic
def compute_bill(provider: Provider, year: int, month: int, *, by: User) -> MonthlyBill:
    """The provider's bill for the month from its placements and the rates in force; a
    draft is recomputed from scratch, an approved bill is left alone."""
    if not may_compute(by, provider):
        raise PermissionDenied
    with acting_as(user=by):
        return build_bill(provider, year, month)


def build_bill(provider: Provider, year: int, month: int) -> MonthlyBill:
    """The computation itself, inside the caller's transaction and actor."""
    check_period(year, month)
    if dt.date(year, month, 1) > timezone.localdate():
        raise ValidationError(_("A bill is computed for a month that has begun."))
    region = provider.organisation.region
    if region is None:
        raise ValidationError(_("The provider has no region, so no rate applies."))
    bill = MonthlyBill.objects.select_for_update().filter(
        provider=provider, year=year, month=month).first()
    if bill is not None and bill.is_locked:
        raise ValidationError(_("The bill for this month is approved and can no longer "
                                "change."))
    first, last = month_bounds(year, month)
    placements = list(provider.placements.overlapping(first, last).select_related("person"))
    rates = {r.form: r for r in Rate.objects.filter(region=region, year=year)}
    missing = sorted({p.form for p in placements} - set(rates))
    if missing:
        labels = ", ".join(str(CareForm(form).label) for form in missing)
        raise ValidationError(_("No per-capita rate is set for %(forms)s in %(region)s for "
                                "%(year)s: set it on the rates page first.")
                              % {"forms": labels, "region": region.name, "year": year})
    if bill is None:
        bill = MonthlyBill.objects.create(provider=provider, year=year, month=month)
    else:
        bill.lines.all().delete()
    days_in_month = last.day
    total = Decimal(0)
    for placement in placements:
        days = placement.days_in(year, month)
        rate = rates[placement.form].amount
        line = BillLine.objects.create(
            bill=bill, placement=placement, days_served=days, days_in_month=days_in_month,
            rate=rate, amount=BillLine.amount_for(rate, days, days_in_month))
        total += line.amount
    bill.total, bill.computed_at = total, timezone.now()
    bill.save(update_fields=["total", "computed_at"])
    return bill


@transaction.atomic
def approve_bill(bill: MonthlyBill, *, by: User) -> MonthlyBill:
    if not may_approve(by, bill.provider):
        raise PermissionDenied
    # The row lock makes two officials approving at once approve it once.
    bill = MonthlyBill.objects.select_for_update().get(pk=bill.pk)
    if bill.is_locked:
        raise ValidationError(_("The bill is already approved."))
    bill.state, bill.approved_at, bill.approved_by = (MonthlyBill.State.APPROVED,
                                                      timezone.now(), by)
    with acting_as(user=by):
        bill.save(update_fields=["state", "approved_at", "approved_by"])
    return bill


# --- Spending and the comparison --------------------------------------------------------

@transaction.atomic
def report_spending(provider: Provider, year: int, month: int, *, by: User,
                    amounts: dict[str, Decimal]) -> list[Spending]:
    """The provider's spending of a month by category; a category reported again is
    corrected, one left out is not touched."""
    if not may_report_spending(by, provider):
        raise PermissionDenied
    check_period(year, month)
    if dt.date(year, month, 1) > timezone.localdate():
        raise ValidationError(_("Spending is reported for a month that has begun."))
    rows = []
    with acting_as(user=by):
        for category, amount in amounts.items():
            SpendingCategory(category)
            row = Spending.objects.filter(provider=provider, year=year, month=month,
                                          category=category).first() or Spending(
                provider=provider, year=year, month=month, category=category)
            row.amount = amount
            row.full_clean()
            row.save()
            rows.append(row)
    return rows


@dataclass(frozen=True)
class Comparison:
    provider: Provider
    income: Decimal
    spending: Decimal

    @property
    def difference(self) -> Decimal:
        return self.income - self.spending

    @property
    def ratio(self) -> Decimal | None:
        """Spending as a share of income; None without income."""
        if not self.income:
            return None
        return (self.spending / self.income).quantize(Decimal("0.01"))

    @property
    def underspends(self) -> bool:
        ratio = self.ratio
        return ratio is not None and ratio < UNDERSPENDING_RATIO


def spending_vs_income(year: int, *, providers: models.QuerySet[Provider] | None = None,
                       region: Region | None = None,
                       provider: Provider | None = None) -> list[Comparison]:
    """Per provider: the per-capita income of the year (its approved bills), what it
    reports spending, their difference and ratio. Providers with neither are left out."""
    chosen = providers if providers is not None else Provider.objects.all()
    if region is not None:
        chosen = chosen.filter(organisation__region=region)
    if provider is not None:
        chosen = chosen.filter(pk=provider.pk)
    income: dict[int, Decimal] = defaultdict(Decimal)
    for row in MonthlyBill.objects.filter(
            provider__in=chosen, year=year, state=MonthlyBill.State.APPROVED).values(
            "provider_id").annotate(total=Sum("total")):
        income[row["provider_id"]] = row["total"] or Decimal(0)
    spent: dict[int, Decimal] = defaultdict(Decimal)
    for row in Spending.objects.filter(provider__in=chosen, year=year).values(
            "provider_id").annotate(total=Sum("amount")):
        spent[row["provider_id"]] = row["total"] or Decimal(0)
    ids = set(income) | set(spent)
    return [Comparison(p, income[p.pk], spent[p.pk])
            for p in chosen.filter(pk__in=ids).select_related("organisation__region")]


def totals(rows: list[Comparison]) -> dict[str, Any]:
    income = sum((r.income for r in rows), Decimal(0))
    spending = sum((r.spending for r in rows), Decimal(0))
    return {"income": income, "spending": spending, "difference": income - spending,
            "ratio": (spending / income).quantize(Decimal("0.01")) if income else None}
