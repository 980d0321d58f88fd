"""Reading an indicator's series and its progress against the target."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import models, transaction

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
    if target is None:  # progress is towards a target: without one there is no status
        computed = replace(computed, status=Progress.NOT_AVAILABLE, ratio=None)
    latest_year = computed.latest.year if computed.latest else year
    override = ProgressOverride.objects.filter(indicator=indicator, region=region,
                                               year=latest_year).first() \
        if latest_year else None
    return Standing(computed, override, target)


Cell = tuple[int, int | None, str, str, str, str]  # year, region, the four breakdowns


def _cell(o: Observation) -> Cell:
    return (o.year, o.region_id, o.disability_group, o.sex, o.age_band, o.settlement)


def dependants(codes: Iterable[str]) -> models.QuerySet[Indicator]:
    codes = list(codes)
    return Indicator.objects.filter(models.Q(numerator_code__in=codes)
                                    | models.Q(denominator_code__in=codes))


@transaction.atomic
def refresh_computed(codes: Iterable[str]) -> int:
    """Recompute the observations of every indicator computed from the series `codes`:
    numerator ÷ denominator × scale in each cell (year, region, breakdown) where both are
    known. Returns how many observations were written or removed."""
    changed = 0
    for indicator in dependants(codes):
        numerators = {_cell(o): o for o in Observation.objects.filter(
            indicator__code=indicator.numerator_code)}
        denominators = {_cell(o): o for o in Observation.objects.filter(
            indicator__code=indicator.denominator_code)}
        existing = {_cell(o): o for o in indicator.observations.all()}
        with acting_as(label="refresh_computed"):
            for cell, top in numerators.items():
                bottom = denominators.get(cell)
                if bottom is None or bottom.value == 0:
                    continue
                value = (top.value / bottom.value * indicator.scale).quantize(Decimal("0.001"))
                status = Observation.Status.FINAL if Observation.Status.PROVISIONAL not in (
                    top.status, bottom.status) else Observation.Status.PROVISIONAL
                fields = {"value": value, "numerator": top.value,
                          "denominator": bottom.value, "status": status, "computed": True,
                          "source": f"{indicator.numerator_code} / "
                                    f"{indicator.denominator_code} × {indicator.scale}"}
                current = existing.pop(cell, None)
                if current is None:
                    year, region_id, group, sex, age, settlement = cell
                    Observation.objects.create(
                        indicator=indicator, year=year, region_id=region_id,
                        disability_group=group, sex=sex, age_band=age,
                        settlement=settlement, **fields)
                    changed += 1
                elif any(getattr(current, k) != v for k, v in fields.items()):
                    for name, new in fields.items():
                        setattr(current, name, new)
                    current.save()
                    changed += 1
            for stale in existing.values():
                if stale.computed:  # a series went away: so does the ratio
                    stale.delete()
                    changed += 1
    return changed


DATA_DIR = Path(__file__).resolve().parent / "data"


# Fields an analyst may have edited: a reload fills them only where still blank.
DESCRIPTIVE_FIELDS = ("name_kk", "name_en", "definition_ru", "definition_kk", "definition_en",
                      "crpd_articles", "sdg_targets")


def _descriptive(item: dict[str, Any]) -> dict[str, Any]:
    values = {name: item.get(name) or "" for name in DESCRIPTIVE_FIELDS}
    values["crpd_articles"] = ", ".join(str(a) for a in item.get("crpd_articles") or [])
    values["sdg_targets"] = ", ".join(item.get("sdg_targets") or [])
    return values


@transaction.atomic
def load_plan_indicators(path: Path | None = None) -> Counter[str]:
    """Load the plan's indicators from their data file (each target and baseline with the
    decree's words and line). Indicators already loaded keep what analysts changed; only
    their blank descriptive fields are filled."""
    from tendik.plan.models import Direction, Measure, Plan
    from tendik.plan.services import NATIONAL_PLAN_CODE

    document = json.loads((path or DATA_DIR / "indicators.json").read_text(encoding="utf-8"))
    plan = Plan.objects.get(code=NATIONAL_PLAN_CODE)
    decree = plan.approved_by
    counts: Counter[str] = Counter()
    computed_from: set[str] = set()
    with acting_as(label="load_indicators"):
        for item in document["indicators"]:
            existing = Indicator.objects.filter(code=item["code"]).first()
            if existing is not None:
                blanks = {name: value for name, value in _descriptive(item).items()
                          if value and not getattr(existing, name)}
                if existing.area is None and item.get("section3_paragraph"):
                    blanks["area"] = item["section3_paragraph"]
                if blanks:
                    for name, value in blanks.items():
                        setattr(existing, name, value)
                    existing.save(update_fields=list(blanks))
                    counts["indicators completed"] += 1
                else:
                    counts["indicators kept"] += 1
                continue
            notes = [item.get("note") or ""]
            if item.get("direction") not in ("up", "down"):
                notes.append("Направление прогресса в постановлении не указано; принято: рост.")
            undated = [b for b in item["baselines"] if b.get("year") is None]
            for baseline in undated:
                notes.append(f"Базовое значение без года (строка {baseline['source_line']}): "
                             f"«{baseline['source_text']}».")
            formula = item.get("formula")
            source = f"{document['source']}; строка {item.get('source_line')}"
            indicator = Indicator.objects.create(
                code=item["code"], name_ru=item["name_ru"], unit=item["unit"],
                kind=item["kind"], area=item.get("section3_paragraph"),
                desired=item["direction"] if item.get("direction") in ("up", "down") else "up",
                numerator_code=formula["numerator"]["code"] if formula else "",
                denominator_code=formula["denominator"]["code"] if formula else "",
                source=source, note="\n".join(n for n in notes if n), **_descriptive(item))
            if formula:
                for part in ("numerator", "denominator"):
                    _component(formula[part], indicator, source)
                    counts["series created"] += 1
                computed_from.add(formula["numerator"]["code"])
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
                source_text = f"{baseline['source_text']} — строка {baseline['source_line']}"
                if formula:  # the decree's counts go to the series the ratio is made of
                    for part in ("numerator", "denominator"):
                        Observation.objects.create(
                            indicator=Indicator.objects.get(code=formula[part]["code"]),
                            year=baseline["year"], value=Decimal(str(baseline[part])),
                            source=source_text, status=Observation.Status.FINAL)
                else:
                    Observation.objects.create(
                        indicator=indicator, year=baseline["year"],
                        value=Decimal(str(baseline["value"])),
                        numerator=_decimal(baseline.get("numerator")),
                        denominator=_decimal(baseline.get("denominator")),
                        source=source_text, status=Observation.Status.FINAL)
                counts["baselines"] += 1
            counts["indicators created"] += 1
    refresh_computed(computed_from)
    return counts


def _component(spec: dict[str, Any], of: Indicator, source: str) -> Indicator:
    """A count series a computed indicator is made of."""
    series, _created = Indicator.objects.get_or_create(code=spec["code"], defaults={
        "name_ru": spec["name_ru"], "name_kk": spec.get("name_kk", ""),
        "name_en": spec.get("name_en", ""), "unit": Indicator.Unit.COUNT,
        "kind": Indicator.Kind.COUNT, "desired": of.desired, "area": of.area,
        "source": source})
    return series


def _decimal(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value))
