"""Reading an indicator's series and its progress against the target."""

from __future__ import annotations

from dataclasses import dataclass

from tendik.core.models import Region
from tendik.indicators.models import Indicator, Observation, ProgressOverride, Target
from tendik.indicators.progress import Assessment, Point, Progress, assess


def total_series(indicator: Indicator, region: Region | None = None) -> list[Point]:
    """The totals (no breakdown) of an indicator, for a region or the country, by year."""
    observations = Observation.objects.filter(indicator=indicator, region=region,
                                              disability_group="", sex="", age_band="",
                                              settlement="").order_by("year")
    return [Point(o.year, float(o.value)) for o in observations]


def final_target(indicator: Indicator, region: Region | None = None) -> Target | None:
    """The region's own last target, or else the national one."""
    targets = Target.objects.filter(indicator=indicator).order_by("-year")
    return (targets.filter(region=region).first() if region else None) \
        or targets.filter(region__isnull=True).first()


@dataclass(frozen=True)
class Standing:
    computed: Assessment
    override: ProgressOverride | None

    @property
    def status(self) -> Progress:
        return Progress(self.override.status) if self.override else self.computed.status


def standing(indicator: Indicator, region: Region | None = None,
             year: int | None = None) -> Standing:
    """Where the indicator stands in `year` (default: its latest observation)."""
    points = total_series(indicator, region)
    if year is not None:
        points = [p for p in points if p.year <= year]
    target = final_target(indicator, region)
    computed = assess(points, rising=indicator.rising,
                      target=Point(target.year, float(target.value)) if target else None)
    latest_year = computed.latest.year if computed.latest else year
    override = ProgressOverride.objects.filter(indicator=indicator, region=region,
                                               year=latest_year).first() \
        if latest_year else None
    return Standing(computed, override)
