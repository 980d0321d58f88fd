"""Demonstration observations, 2019–2024 for the country and every region, continuing the
decree's baselines towards the targets, so that every chart has data. Marked provisional
and named as demonstration data; never loaded on a production database."""

from __future__ import annotations

import zlib

from django.db import transaction

from tendik.core.audit import acting_as
from tendik.core.models import Region
from tendik.indicators.models import Indicator, Observation
from tendik.indicators.services import final_target, total_series

YEARS = range(2019, 2025)
SOURCE = "демонстрационные данные Teńdik"


def wobble(*parts: object) -> float:
    """A repeatable number in [-1, 1) from its inputs."""
    return (zlib.crc32("|".join(map(str, parts)).encode()) % 2000) / 1000 - 1


@transaction.atomic
def load_demo() -> str:
    if Observation.objects.filter(source=SOURCE).exists():
        return "indicator demo: already there"
    regions = list(Region.objects.all())
    created = 0
    with acting_as(label="load_demo"):
        for indicator in Indicator.objects.all():
            series = total_series(indicator)
            target = final_target(indicator)
            start = series[-1] if series else None
            if start is None and target is None:
                continue
            first_value = start.value if start else float(target.value) * 0.6  # type: ignore[union-attr]
            goal = float(target.value) if target else first_value * (
                1.15 if indicator.rising else 0.9)
            first_year = start.year if start else YEARS.start - 1
            for year in YEARS:
                if any(p.year == year for p in series):
                    continue
                share = min(1.0, (year - first_year) / max(1, 2025 - first_year))
                # Part of the way to the goal, as real series go: not all of it.
                national = first_value + (goal - first_value) * share * 0.7
                national *= 1 + 0.02 * wobble(indicator.code, year)
                Observation.objects.create(indicator=indicator, year=year,
                                           value=round(national, 2), source=SOURCE,
                                           status=Observation.Status.PROVISIONAL)
                created += 1
                for region in regions:
                    factor = 1 + 0.15 * wobble(indicator.code, region.kato)
                    value = national * factor
                    if indicator.unit == Indicator.Unit.PERCENT:
                        value = min(value, 100.0)
                    Observation.objects.create(
                        indicator=indicator, year=year, region=region,
                        value=round(value, 2), source=SOURCE,
                        status=Observation.Status.PROVISIONAL)
                    created += 1
    return f"indicator demo: {created} observations for 2019–2024"
