"""A supplier's own claims and payments: what its page and its API read. Every query
starts from the supplier's organisation, so another supplier's claims never come in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.db.models.functions import TruncMonth
from django.utils import timezone

from tendik.core.models import Organisation
from tendik.portal.models import Payment, Reimbursement

Stage = Reimbursement.State


def of_supplier(supplier: Organisation, *, state: str = "", year: int | None = None,
                number: str = "") -> models.QuerySet[Reimbursement]:
    """The supplier's claims, newest first: by state, by the year they were checked, or
    the one of an order number (ТСР-0000012 or 12)."""
    claims = Reimbursement.objects.filter(supplier=supplier)
    if state in Stage.values:
        claims = claims.filter(state=state)
    if year is not None:
        start = timezone.make_aware(dt.datetime(year, 1, 1))
        claims = claims.filter(checked_at__gte=start,
                               checked_at__lt=timezone.make_aware(dt.datetime(year + 1, 1, 1)))
    digits = number.strip().upper().removeprefix("ТСР-")
    if digits.isdigit():
        claims = claims.filter(order_id=int(digits))
    return (claims.select_related("order__item", "payment", "accountant", "head",
                                  "rejected_by__organisation")
            .prefetch_related("checks").order_by("-checked_at", "-pk"))


@dataclass
class Month:
    month: dt.date
    claims: int = 0
    claimed: Decimal = Decimal(0)
    approved: Decimal = Decimal(0)  # what the claims not rejected are to be paid
    rejected: int = 0
    paid: Decimal = Decimal(0)  # payments made in the month, whenever their claim came
    payments: int = 0


@dataclass
class Year:
    year: int
    months: list[Month] = field(default_factory=list)

    @property
    def total(self) -> Month:
        total = Month(dt.date(self.year, 1, 1))
        for month in self.months:
            total.claims += month.claims
            total.claimed += month.claimed
            total.approved += month.approved
            total.rejected += month.rejected
            total.paid += month.paid
            total.payments += month.payments
        return total


def by_month(supplier: Organisation, year: int) -> Year:
    """The supplier's claims by the month they were checked, and its payments by the
    month they were made: the months with either, in order."""
    start = timezone.make_aware(dt.datetime(year, 1, 1))
    end = timezone.make_aware(dt.datetime(year + 1, 1, 1))
    months: dict[dt.date, Month] = {}

    def month_of(moment: dt.datetime | dt.date) -> Month:
        day = moment.date() if isinstance(moment, dt.datetime) else moment
        key = day.replace(day=1)
        return months.setdefault(key, Month(key))

    claims = (Reimbursement.objects.filter(supplier=supplier, checked_at__gte=start,
                                           checked_at__lt=end)
              .annotate(month=TruncMonth("checked_at")).values("month")
              .annotate(count=models.Count("pk"), claimed=models.Sum("claimed"),
                        approved=models.Sum("approved_amount",
                                            filter=~models.Q(state=Stage.REJECTED)),
                        rejected=models.Count("pk", filter=models.Q(state=Stage.REJECTED))))
    for row in claims:
        month = month_of(row["month"])
        month.claims, month.rejected = row["count"], row["rejected"]
        month.claimed = row["claimed"] or Decimal(0)
        month.approved = row["approved"] or Decimal(0)
    payments = (Payment.objects.filter(reimbursement__supplier=supplier, paid_at__gte=start,
                                       paid_at__lt=end)
                .annotate(month=TruncMonth("paid_at")).values("month")
                .annotate(count=models.Count("pk"), paid=models.Sum("amount")))
    for paid in payments:
        month = month_of(paid["month"])
        month.paid, month.payments = paid["paid"] or Decimal(0), paid["count"]
    return Year(year, [months[key] for key in sorted(months)])


def years_of(supplier: Organisation) -> list[int]:
    """The years the supplier has claims in, and this one; newest first."""
    dates = Reimbursement.objects.filter(supplier=supplier).dates("checked_at", "year")
    return sorted({d.year for d in dates} | {timezone.localdate().year}, reverse=True)
