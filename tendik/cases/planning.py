"""Planning from needs: what the proactive rules detected and what was met, by region,
rule and month; and next year's demand and budget, which the decree says is not forecast.

The forecast, plainly:
  technical aids and services  entitlements of ИПР that started in each of the last two
      full years, by group of the classifier; next year = last year × the year-on-year
      change (held between ×0.5 and ×2 so that one odd year does not run away); the
      budget = that count × the mean national cap in force of the group's items ordered;
  special social services  placements open today by form and region × the per-capita
      monthly rate of next year (or the latest year with a rate) × 12.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models

from tendik.cases.models import Hit, ProactiveOffer, Rule, Task
from tendik.core.models import Region
from tendik.portal.models import AidGroup, Entitlement, PriceCap

GROWTH_BOUNDS = (Decimal("0.5"), Decimal("2"))


@dataclass
class Detected:
    rules: list[Rule]
    by_region: list[tuple[Region, dict[int, tuple[int, int]]]]
    by_month: list[tuple[int, int, int]]
    total: tuple[int, int]


def _met() -> models.Q:
    """A need is met when its task is done or the person accepted the offer."""
    return (models.Q(task__state=Task.State.DONE)
            | models.Q(offer__state=ProactiveOffer.State.ACCEPTED)
            | models.Q(resolved_at__isnull=False))


def detected(year: int) -> Detected:
    hits = Hit.objects.filter(found_at__year=year)
    rules = list(Rule.objects.order_by("code"))
    cells: dict[int, dict[int, tuple[int, int]]] = defaultdict(dict)
    for region_id, rule_id, found, met in (
            hits.values_list("region_id", "rule_id")
            .annotate(found=models.Count("pk"), met=models.Count("pk", filter=_met()))):
        cells[region_id][rule_id] = (found, met)
    regions = [(r, cells[r.pk]) for r in Region.objects.all() if r.pk in cells]
    months = {m.month: (n, k) for m, n, k in hits.annotate(
        month=models.functions.TruncMonth("found_at")).values_list("month").annotate(
        n=models.Count("pk"), k=models.Count("pk", filter=_met())).values_list(
        "month", "n", "k")}
    total = hits.aggregate(n=models.Count("pk"), k=models.Count("pk", filter=_met()))
    return Detected(rules, regions,
                    [(m, *months.get(m, (0, 0))) for m in range(1, 13)],
                    (total["n"], total["k"]))


@dataclass
class ForecastRow:
    label: str
    previous: int
    last: int
    growth: Decimal
    expected: int
    unit_cost: Decimal
    budget: Decimal


@dataclass
class Forecast:
    year: int
    aids: list[ForecastRow] = field(default_factory=list)
    care: list[ForecastRow] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((r.budget for r in self.aids + self.care), Decimal(0))


def forecast(year: int) -> Forecast:
    result = Forecast(year)
    last, previous = year - 1, year - 2
    started = (Entitlement.objects.filter(ipr__valid_from__year__in=(previous, last))
               .values_list("item__group_id", "ipr__valid_from__year")
               .annotate(n=models.Sum("quantity")))
    counts: dict[int, dict[int, int]] = defaultdict(dict)
    for group_id, started_year, n in started:
        counts[group_id][started_year] = n or 0
    day = dt.date(year, 1, 1)
    for group in AidGroup.objects.filter(pk__in=counts):
        before, recent = counts[group.pk].get(previous, 0), counts[group.pk].get(last, 0)
        growth = Decimal(recent) / Decimal(before) if before else Decimal(1)
        growth = min(max(growth, GROWTH_BOUNDS[0]), GROWTH_BOUNDS[1])
        expected = int((Decimal(recent) * growth).to_integral_value())
        caps = PriceCap.objects.in_force(day).filter(region__isnull=True,
                                                     item__group=group)
        unit = caps.aggregate(m=models.Avg("amount"))["m"] or Decimal(0)
        unit = Decimal(unit).quantize(Decimal(1))
        result.aids.append(ForecastRow(group.name, before, recent, growth.quantize(
            Decimal("0.01")), expected, unit, unit * expected))
    result.care = _care_forecast(year)
    return result


def _care_forecast(year: int) -> list[ForecastRow]:
    from tendik.care.models import CareForm, Placement, Rate

    today = dt.date.today()
    open_now = (Placement.objects.on(today).values_list("form", "region_id")
                .annotate(n=models.Count("pk")))
    rows: dict[str, ForecastRow] = {}
    for form, region_id, n in open_now:
        rate = (Rate.objects.filter(form=form, region_id=region_id, year__lte=year)
                .order_by("-year").first())
        monthly = rate.amount if rate else Decimal(0)
        row = rows.setdefault(form, ForecastRow(str(CareForm(form).label), 0, 0, Decimal(1),
                                                0, Decimal(0), Decimal(0)))
        row.last += n
        row.expected += n
        row.budget += monthly * 12 * n
    for row in rows.values():
        row.unit_cost = (row.budget / row.expected).quantize(Decimal(1)) if row.expected \
            else Decimal(0)
    return sorted(rows.values(), key=lambda r: r.label)
