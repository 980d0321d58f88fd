"""Demonstration observations, 2019–2024 for the country and every region, continuing the
decree's baselines towards the targets, so that every chart has data; and the figures of
the 2024 demonstration reports. Marked provisional and named as demonstration data; never
loaded on a production database.

A baseline the decree dates only «на сегодня» is taken, for the demonstration alone, as the
value of 2019, the year the plan began.
"""

from __future__ import annotations

import json
import zlib
from decimal import Decimal
from typing import Any

from django.db import transaction

from tendik.core.audit import acting_as
from tendik.core.bulk import create_audited
from tendik.core.models import Region
from tendik.indicators.models import Indicator, Observation, ReportedValue
from tendik.indicators.reporting import asked_in, publish_figures, region_of
from tendik.indicators.services import DATA_DIR, final_target, refresh_computed, total_series
from tendik.plan.models import ExecutorReport

YEARS = range(2019, 2025)
SOURCE = "демонстрационные данные Teńdik"


def wobble(*parts: object) -> float:
    """A repeatable number in [-1, 1) from its inputs."""
    return (zlib.crc32("|".join(map(str, parts)).encode()) % 2000) / 1000 - 1


def undated_baselines() -> dict[str, dict[str, Any]]:
    document = json.loads((DATA_DIR / "indicators.json").read_text(encoding="utf-8"))
    return {item["code"]: baseline for item in document["indicators"]
            for baseline in item["baselines"][:1]
            if baseline.get("year") is None and baseline.get("value") is not None}


@transaction.atomic
def load_demo() -> str:
    if Observation.objects.filter(source=SOURCE).exists():
        return "indicator demo: already there"
    regions = list(Region.objects.all())
    undated = undated_baselines()
    created = 0
    with acting_as(label="load_demo"):
        for indicator in Indicator.objects.filter(kind__in=[Indicator.Kind.RATE,
                                                            Indicator.Kind.PERCENT,
                                                            Indicator.Kind.COUNT]):
            path = share_path(indicator, undated.get(indicator.code))
            if not path:
                continue
            if indicator.is_computed:
                created += write_components(indicator, path, regions,
                                            undated.get(indicator.code))
            elif not Indicator.objects.filter(numerator_code=indicator.code).exists() \
                    and not Indicator.objects.filter(denominator_code=indicator.code).exists():
                created += write_series(indicator, path, regions)
        refresh_computed(Indicator.objects.exclude(numerator_code="")
                         .values_list("numerator_code", flat=True))
        figures = report_figures()
    return f"indicator demo: {created} observations for 2019–2024, {figures} report figures"


def share_path(indicator: Indicator, undated: dict[str, Any] | None) -> dict[int, float]:
    """The national values of the demonstration years, part of the way to the goal."""
    series = total_series(indicator)
    target = final_target(indicator)
    start = series[-1] if series else None
    if start is not None:
        first_year, first_value = start.year, start.value
    elif undated is not None:
        first_year, first_value = YEARS.start, float(undated["value"])
    elif target is not None:
        first_year, first_value = YEARS.start - 1, float(target.value) * 0.6
    else:  # the decree gives neither: a plausible start, so that the chart has data
        first_year = YEARS.start
        starts: dict[str, float] = {Indicator.Unit.PERCENT: 40.0,
                                    Indicator.Unit.PER_10000: 10.0}
        first_value = starts.get(indicator.unit, 100.0) * (1 + 0.2 * wobble(indicator.code))
    goal = float(target.value) if target else first_value * (1.15 if indicator.rising
                                                             else 0.9)
    path = {}
    for year in YEARS:
        if any(p.year == year for p in series):
            continue
        if year == first_year:
            path[year] = first_value
            continue
        share = min(1.0, (year - first_year) / max(1, 2025 - first_year))
        # Part of the way to the goal, as real series go: not all of it.
        value = first_value + (goal - first_value) * share * 0.7
        path[year] = value * (1 + 0.02 * wobble(indicator.code, year))
    return path


def regional(indicator: Indicator, national: float, region: Region) -> float:
    value = national * (1 + 0.15 * wobble(indicator.code, region.kato))
    return min(value, 100.0) if indicator.unit == Indicator.Unit.PERCENT else value


def write_series(indicator: Indicator, path: dict[int, float], regions: list[Region]) -> int:
    rows = []
    for year, national in path.items():
        rows.append(Observation(indicator=indicator, year=year,
                                value=Decimal(str(round(national, 2))), source=SOURCE,
                                status=Observation.Status.PROVISIONAL))
        for region in regions:
            rows.append(Observation(
                indicator=indicator, year=year, region=region,
                value=Decimal(str(round(regional(indicator, national, region), 2))),
                source=SOURCE, status=Observation.Status.PROVISIONAL))
    return len(create_audited(rows))


def write_components(indicator: Indicator, path: dict[int, float], regions: list[Region],
                     undated: dict[str, Any] | None) -> int:
    """Counts for each region (what akimats report), the country's being their sum; the
    ratio itself is then computed like any other."""
    numerator = Indicator.objects.get(code=indicator.numerator_code)
    denominator = Indicator.objects.get(code=indicator.denominator_code)
    known = {o.year: float(o.value) for o in denominator.observations.filter(region=None)}
    base = float(undated["denominator"]) if undated and undated.get("denominator") \
        else next(iter(known.values()), 1000.0)
    weights = {r.kato: 1 + 0.5 * wobble(denominator.code, r.kato) for r in regions}
    total_weight = sum(weights.values())
    created = 0
    rows: list[Observation] = []
    for year, national in path.items():
        whole = known.get(year, base * (1 + 0.005 * (year - YEARS.start)))
        bottoms = {r.kato: round(whole * weights[r.kato] / total_weight) for r in regions}
        raw = {r.kato: bottoms[r.kato] * regional(indicator, national, r) / indicator.scale
               for r in regions}
        # Scaled so that the regions add up to the country's share of the path.
        factor = sum(bottoms.values()) * national / indicator.scale / (sum(raw.values()) or 1)
        sums = [Decimal(0), Decimal(0)]
        for region in regions:
            bottom = Decimal(bottoms[region.kato])
            top = min(bottom, Decimal(round(raw[region.kato] * factor)))
            for series, value in ((numerator, top), (denominator, bottom)):
                rows.append(Observation(indicator=series, year=year, region=region,
                                        value=value, source=SOURCE,
                                        status=Observation.Status.PROVISIONAL))
            sums[0] += top
            sums[1] += bottom
        for series, value in ((numerator, sums[0]), (denominator, sums[1])):
            Observation.objects.update_or_create(
                indicator=series, year=year, region=None, disability_group="", sex="",
                age_band="", settlement="",
                defaults={"value": value, "source": SOURCE,
                          "status": Observation.Status.PROVISIONAL})
            created += 1
    return created + len(create_audited(rows))


def report_figures() -> int:
    """Executors of the 2024 demonstration reports give the figures the observations
    hold; the accepted reports' figures become final observations."""
    given = 0
    reports = (ExecutorReport.objects
               .filter(cycle__year=YEARS[-1], measure__indicators__isnull=False)
               .exclude(state=ExecutorReport.State.DRAFT)
               .select_related("organisation", "cycle", "measure").distinct())
    figures: list[ReportedValue] = []
    accepted = []
    for report in reports:
        region = region_of(report)
        for indicator in asked_in(report):
            observation = Observation.objects.filter(
                indicator=indicator, year=report.cycle.year, region=region,
                disability_group="", sex="", age_band="", settlement="").first()
            if observation is None:
                continue
            figures.append(ReportedValue(report=report, indicator=indicator, region=region,
                                         value=observation.value,
                                         numerator=observation.numerator,
                                         denominator=observation.denominator))
            given += 1
        if report.state == ExecutorReport.State.ACCEPTED:
            accepted.append(report)
    # Written at once; publishing a report's figures gives its observations the values
    # they already hold, so the later reports' figures are the same either way.
    create_audited(figures)
    for report in accepted:
        publish_figures(report)
    return given
