"""Progress of an indicator towards its target: computed, never typed in.

The method is the one Open SDG uses, taken from the ESCAP methodology for measuring
progress towards the SDGs. With a base observation x₀ in year t₀, the latest observation
x in year t, and a target T for year t_T:

* target achieved when x already meets T (x ≥ T when the indicator should rise,
  x ≤ T when it should fall);
* otherwise the actual growth rate CRₐ = (x / x₀)^(1 / (t − t₀)) − 1 is compared with the
  rate needed to reach the target, CRᵣ = (T / x₀)^(1 / (t_T − t₀)) − 1, as the ratio
  CRₐ / CRᵣ: ≥ 0.95 substantial progress, ≥ 0.5 moderate, ≥ 0 limited, < 0 deterioration;
* without a target, CRₐ alone (with its sign turned for indicators that should fall):
  > 1 % a year substantial, > 0.5 % moderate, ≥ 0 limited, < 0 deterioration;
* growth rates need positive values: when x₀ ≤ 0 (a share that starts at zero, say) the
  yearly change (x − x₀) / (t − t₀) replaces them, against (T − x₀) / (t_T − t₀);
* fewer than two observations, or the latest year not after the base year: not available.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum


class Progress(StrEnum):
    TARGET_ACHIEVED = "target_achieved"
    SUBSTANTIAL = "substantial"
    MODERATE = "moderate"
    LIMITED = "limited"
    DETERIORATION = "deterioration"
    NOT_AVAILABLE = "not_available"


ON_TRACK_RATIO = 0.95
MODERATE_RATIO = 0.5
SUBSTANTIAL_GROWTH = 0.01
MODERATE_GROWTH = 0.005


@dataclass(frozen=True)
class Point:
    year: int
    value: float


@dataclass(frozen=True)
class Assessment:
    status: Progress
    ratio: float | None = None  # CRₐ / CRᵣ with a target, CRₐ without
    base: Point | None = None
    latest: Point | None = None


def growth(start: Point, end: Point) -> float | None:
    """Compound yearly growth between two positive observations."""
    years = end.year - start.year
    if years <= 0 or start.value <= 0 or end.value < 0:
        return None
    if end.value == 0:
        return -1.0
    return math.pow(end.value / start.value, 1 / years) - 1


def linear(start: Point, end: Point) -> float:
    return (end.value - start.value) / (end.year - start.year)


def assess(points: list[Point], *, rising: bool = True, target: Point | None = None,
           base_year: int | None = None) -> Assessment:
    """The progress status of a series, from `base_year` (or its first year) to its last."""
    series = sorted((p for p in points if base_year is None or p.year >= base_year),
                    key=lambda p: p.year)
    if len(series) < 2 or series[-1].year <= series[0].year:
        return Assessment(Progress.NOT_AVAILABLE)
    base, latest = series[0], series[-1]
    sign = 1 if rising else -1
    if target is not None:
        if sign * (latest.value - target.value) >= 0:
            return Assessment(Progress.TARGET_ACHIEVED, base=base, latest=latest)
        if target.year <= base.year:
            return Assessment(Progress.NOT_AVAILABLE, base=base, latest=latest)
        actual, needed = growth(base, latest), growth(base, target)
        if actual is None or needed is None or needed == 0:
            actual, needed = linear(base, latest), linear(base, target)
        if needed == 0:
            return Assessment(Progress.NOT_AVAILABLE, base=base, latest=latest)
        ratio = actual / needed
        if ratio >= ON_TRACK_RATIO:
            status = Progress.SUBSTANTIAL
        elif ratio >= MODERATE_RATIO:
            status = Progress.MODERATE
        elif ratio >= 0:
            status = Progress.LIMITED
        else:
            status = Progress.DETERIORATION
        return Assessment(status, ratio=ratio, base=base, latest=latest)
    rate = growth(base, latest)
    if rate is None:
        rate = linear(base, latest) / abs(base.value) if base.value else None
    if rate is None:
        return Assessment(Progress.NOT_AVAILABLE, base=base, latest=latest)
    rate *= sign
    if rate > SUBSTANTIAL_GROWTH:
        status = Progress.SUBSTANTIAL
    elif rate > MODERATE_GROWTH:
        status = Progress.MODERATE
    elif rate >= 0:
        status = Progress.LIMITED
    else:
        status = Progress.DETERIORATION
    return Assessment(status, ratio=rate, base=base, latest=latest)
