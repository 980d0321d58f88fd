"""Workload and quality of social work, by organisation and by region: aggregates only,
so the dashboard is public (no recipient, visit or volunteer can be picked out of it)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models

from tendik.workforce.models import (
    Assignment,
    Certificate,
    SocialWorker,
    Visit,
    VolunteerHours,
    WorkerRating,
    open_on,
)


@dataclass
class Row:
    key: Any
    label: str
    workers: int = 0
    certified: int = 0
    capacity: int = 0
    caseload: int = 0
    visits: int = 0
    confirmed: int = 0
    minutes: int = 0
    volunteer_hours: Decimal = field(default_factory=Decimal)
    rating_sum: int = 0
    ratings: int = 0

    @property
    def load(self) -> int | None:
        """The caseload as a percentage of capacity."""
        return round(100 * self.caseload / self.capacity) if self.capacity else None

    @property
    def visit_hours(self) -> Decimal:
        return (Decimal(self.minutes) / 60).quantize(Decimal("0.1"))

    @property
    def confirmed_share(self) -> int | None:
        return round(100 * self.confirmed / self.visits) if self.visits else None

    @property
    def rating(self) -> Decimal | None:
        return (Decimal(self.rating_sum) / self.ratings).quantize(Decimal("0.1")) \
            if self.ratings else None

    def add(self, other: Row) -> None:
        for name in ("workers", "certified", "capacity", "caseload", "visits", "confirmed",
                     "minutes", "volunteer_hours", "rating_sum", "ratings"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def by_organisation(day: dt.date, first: dt.date, last: dt.date,
                    workers: models.QuerySet[SocialWorker] | None = None) -> list[Row]:
    """One row per employer: its active workers, how many are certified on `day`, their
    capacity and caseload on `day`, the visits of [first, last] and their hours, the share
    the recipients confirmed, the volunteers' hours and the ratings."""
    chosen = (workers if workers is not None else SocialWorker.objects.all()).filter(
        active=True)
    rows: dict[int, Row] = {}
    for worker in chosen.values("employer_id").annotate(
            n=models.Count("pk"), places=models.Sum("capacity")).order_by():
        rows[worker["employer_id"]] = Row(key=worker["employer_id"], label="",
                                          workers=worker["n"], capacity=worker["places"] or 0)

    def per_employer(queryset: models.QuerySet[Any], path: str,
                     **aggregates: Any) -> dict[int, dict[str, Any]]:
        return {r[path]: r for r in queryset.values(path).annotate(**aggregates).order_by()}

    certified = per_employer(
        Certificate.objects.filter(worker__in=chosen, issued_on__lte=day, expires_on__gte=day),
        "worker__employer_id", n=models.Count("worker", distinct=True))
    caseload = per_employer(Assignment.objects.filter(open_on(day), worker__in=chosen),
                            "worker__employer_id", n=models.Count("pk"))
    visits = per_employer(
        Visit.objects.filter(assignment__worker__in=chosen, date__range=(first, last)),
        "assignment__worker__employer_id", n=models.Count("pk"),
        confirmed=models.Count("pk", filter=models.Q(confirmed_at__isnull=False)),
        minutes=models.Sum("minutes"))
    hours = per_employer(VolunteerHours.objects.filter(worker__in=chosen,
                                                       date__range=(first, last)),
                         "worker__employer_id", total=models.Sum("hours"))
    ratings = per_employer(WorkerRating.objects.filter(worker__in=chosen),
                           "worker__employer_id", n=models.Count("pk"),
                           total=models.Sum("stars"))
    for pk, row in rows.items():
        row.certified = certified.get(pk, {}).get("n", 0)
        row.caseload = caseload.get(pk, {}).get("n", 0)
        found = visits.get(pk, {})
        row.visits, row.confirmed = found.get("n", 0), found.get("confirmed", 0)
        row.minutes = found.get("minutes") or 0
        row.volunteer_hours = hours.get(pk, {}).get("total") or Decimal(0)
        row.ratings = ratings.get(pk, {}).get("n", 0)
        row.rating_sum = ratings.get(pk, {}).get("total") or 0
    return list(rows.values())


def by_region(rows: list[Row], regions: dict[int, Any], employer_regions: dict[int, int | None]
              ) -> list[Row]:
    """The organisations' rows summed by the employer's region."""
    summed: dict[int | None, Row] = defaultdict(lambda: Row(key=None, label=""))
    for row in rows:
        region_id = employer_regions.get(row.key)
        target = summed[region_id]
        target.key = region_id
        target.add(row)
    for region_id, row in summed.items():
        region = regions.get(region_id) if region_id is not None else None
        row.label = region.name if region is not None else ""
    return sorted(summed.values(), key=lambda r: r.label)


def total(rows: list[Row]) -> Row:
    result = Row(key=None, label="")
    for row in rows:
        result.add(row)
    return result
