"""Provision of ИПР entitlements: the share met, and met on time, by region and kind, with
waiting times. The decree's «57.8 % in 2018» is this share; `publish` writes it to the
indicator «technical-aids-provision-ipr»."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models, transaction

from tendik.core.audit import acting_as
from tendik.core.models import Region, User
from tendik.portal.models import AidGroup, Entitlement, Order

INDICATOR = "technical-aids-provision-ipr"
# The term in which an aid is due, counted from the start of the ИПР: the figure the
# akimats' service standard sets for issuing technical aids.
PROVISION_TERM_DAYS = 60


@dataclass
class Row:
    entitlements: int = 0
    met: int = 0
    on_time: int = 0
    waits: list[int] = field(default_factory=list)

    def add(self, met: bool, wait: int | None) -> None:
        self.entitlements += 1
        if met:
            self.met += 1
            if wait is not None:
                self.waits.append(wait)
                if wait <= PROVISION_TERM_DAYS:
                    self.on_time += 1

    @property
    def share_met(self) -> float | None:
        return 100 * self.met / self.entitlements if self.entitlements else None

    @property
    def share_on_time(self) -> float | None:
        return 100 * self.on_time / self.entitlements if self.entitlements else None

    @property
    def median_wait(self) -> float | None:
        return statistics.median(self.waits) if self.waits else None


@dataclass
class Provision:
    year: int
    total: Row
    by_region: dict[Region, Row]
    by_group: dict[AidGroup, Row]


def provision(year: int, region: Region | None = None) -> Provision:
    """Entitlements of ИПР that started in `year`: met when the delivered quantity
    reaches what was granted; the wait runs from the ИПР's start to the last receipt."""
    received = models.Q(orders__state__in=Order.DELIVERED_STATES)
    rows = (Entitlement.objects.filter(ipr__valid_from__year=year)
            .values("pk", "ipr__person__region_id", "item__group_id", "quantity",
                    "ipr__valid_from")
            .annotate(delivered=models.Sum("orders__quantity", filter=received),
                      last=models.Max("orders__received_at", filter=received)))
    if region is not None:
        rows = rows.filter(ipr__person__region=region)
    regions = {r.pk: r for r in Region.objects.all()}
    groups = {g.pk: g for g in AidGroup.objects.all()}
    total = Row()
    by_region: dict[Region, Row] = defaultdict(Row)
    by_group: dict[AidGroup, Row] = defaultdict(Row)
    for row in rows.iterator():
        met = (row["delivered"] or 0) >= row["quantity"]
        last: dt.datetime | None = row["last"]
        wait = (last.date() - row["ipr__valid_from"]).days if met and last else None
        for target in (total, by_region[regions[row["ipr__person__region_id"]]],
                       by_group[groups[row["item__group_id"]]]):
            target.add(met, wait)
    return Provision(year, total, dict(sorted(by_region.items(), key=lambda i: i[0].name)),
                     dict(sorted(by_group.items(), key=lambda i: i[0].code)))


@transaction.atomic
def publish(year: int, *, by: User, final: bool) -> int:
    """Write the year's shares to the indicator, for the country and each region."""
    from tendik.indicators.models import Indicator, Observation
    from tendik.indicators.services import refresh_computed

    indicator = Indicator.objects.get(code=INDICATOR)
    result = provision(year)
    status = Observation.Status.FINAL if final else Observation.Status.PROVISIONAL
    written = 0
    with acting_as(user=by, reason="provision of ИПР entitlements"):
        cells: list[tuple[Region | None, Row]] = [(None, result.total),
                                                  *result.by_region.items()]
        for region, row in cells:
            if not row.entitlements:
                continue
            Observation.objects.update_or_create(
                indicator=indicator, year=year, region=region, disability_group="",
                sex="", age_band="", settlement="",
                defaults={"value": Decimal(f"{row.share_met:.3f}"),
                          "numerator": row.met, "denominator": row.entitlements,
                          "status": status,
                          "source": "Teńdik: entitlements of ИПР started in the year "
                                    "and met by deliveries"})
            written += 1
    refresh_computed([INDICATOR])
    return written
