"""Reading an indicator's series and its progress against the target."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from tendik.core.audit import acting_as
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
    target: Target | None

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
    return Standing(computed, override, target)


DATA_DIR = Path(__file__).resolve().parent / "data"


@transaction.atomic
def load_plan_indicators(path: Path | None = None) -> Counter[str]:
    """Load the plan's indicators from their data file (each target and baseline with the
    decree's words and line). Indicators already loaded are kept as analysts left them."""
    from tendik.plan.models import Direction, Measure, Plan
    from tendik.plan.services import NATIONAL_PLAN_CODE

    document = json.loads((path or DATA_DIR / "indicators.json").read_text(encoding="utf-8"))
    plan = Plan.objects.get(code=NATIONAL_PLAN_CODE)
    decree = plan.approved_by
    counts: Counter[str] = Counter()
    with acting_as(label="load_indicators"):
        for item in document["indicators"]:
            if Indicator.objects.filter(code=item["code"]).exists():
                counts["indicators kept"] += 1
                continue
            notes = [item.get("note") or ""]
            if item.get("direction") not in ("up", "down"):
                notes.append("Направление прогресса в постановлении не указано; принято: рост.")
            undated = [b for b in item["baselines"] if b.get("year") is None]
            for baseline in undated:
                notes.append(f"Базовое значение без года (строка {baseline['source_line']}): "
                             f"«{baseline['source_text']}».")
            indicator = Indicator.objects.create(
                code=item["code"], name_ru=item["name_ru"], name_en=item.get("name_en", ""),
                unit=item["unit"], kind=item["kind"],
                desired=item["direction"] if item.get("direction") in ("up", "down") else "up",
                source=f"{document['source']}; строка {item.get('source_line')}",
                note="\n".join(n for n in notes if n))
            if item.get("plan_direction"):
                indicator.directions.set(Direction.objects.filter(
                    plan=plan, number=item["plan_direction"]))
            if item.get("measures"):
                indicator.measures.set(Measure.objects.filter(plan=plan,
                                                              number__in=item["measures"]))
            for target in item["targets"]:
                year = target.get("year") or plan.end_year
                text = target["source_text"]
                if target.get("year") is None:
                    text += f" (год не указан: принят последний год плана, {plan.end_year})"
                Target.objects.create(indicator=indicator, year=year,
                                      value=Decimal(str(target["value"])), legal_act=decree,
                                      source_text=f"{text} — строка {target['source_line']}")
                counts["targets"] += 1
            for baseline in item["baselines"]:
                if baseline.get("year") is None or baseline.get("value") is None:
                    continue
                Observation.objects.create(
                    indicator=indicator, year=baseline["year"],
                    value=Decimal(str(baseline["value"])),
                    numerator=_decimal(baseline.get("numerator")),
                    denominator=_decimal(baseline.get("denominator")),
                    source=f"{baseline['source_text']} — строка {baseline['source_line']}",
                    status=Observation.Status.FINAL)
                counts["baselines"] += 1
            counts["indicators created"] += 1
    return counts


def _decimal(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value))
