"""The plan's target indicators: definitions, targets, observations and progress."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema

from tendik.api.auth import PUBLIC, PUBLIC_OPENAPI
from tendik.api.schemas import Error, Year
from tendik.core.models import Region
from tendik.indicators.models import Indicator, Observation, Target
from tendik.indicators.services import standing

router = Router(tags=["indicators"], auth=PUBLIC)


class TargetOut(Schema):
    year: int
    region: str | None
    value: float
    source_text: str


class ObservationOut(Schema):
    year: int
    region: str | None
    disability_group: str
    sex: str
    age_band: str
    settlement: str
    value: float
    numerator: float | None
    denominator: float | None
    status: str
    computed: bool
    source: str


class IndicatorOut(Schema):
    code: str
    name: dict[str, str]
    definition: dict[str, str]
    unit: str
    kind: str
    desired: str
    area: int | None
    numerator: str | None
    denominator: str | None
    directions: list[int]
    measures: list[int]
    crpd_articles: list[int]
    sdg_targets: list[str]
    progress: str
    progress_override_reason: str | None


class IndicatorDetail(IndicatorOut):
    note: str
    source: str
    targets: list[TargetOut]
    observations: list[ObservationOut]


def indicator_out(indicator: Indicator, region: Region | None = None) -> dict[str, object]:
    where = standing(indicator, region)
    return {
        "code": indicator.code,
        "name": {"ru": indicator.name_ru, "kk": indicator.name_kk, "en": indicator.name_en},
        "definition": {"ru": indicator.definition_ru, "kk": indicator.definition_kk,
                       "en": indicator.definition_en},
        "unit": indicator.unit, "kind": indicator.kind, "desired": indicator.desired,
        "area": indicator.area, "numerator": indicator.numerator_code or None,
        "denominator": indicator.denominator_code or None,
        "crpd_articles": [int(a) for a in indicator.crpd_list() if a.isdigit()],
        "sdg_targets": indicator.sdg_list(),
        "directions": sorted(d.number for d in indicator.directions.all()),
        "measures": sorted(m.number for m in indicator.measures.all()),
        "progress": where.status.value,
        "progress_override_reason": where.override.reason if where.override else None,
    }


class IndicatorFilter(Schema):
    region: str | None = None


def region_or_404(kato: str | None) -> Region | None:
    return get_object_or_404(Region, kato=kato) if kato else None


@router.get("/indicators", response={200: list[IndicatorOut], 404: Error},
            summary="The plan's indicators with their progress (nationally or in a region)",
            openapi_extra=PUBLIC_OPENAPI)
def list_indicators(request: HttpRequest,
                    filters: Query[IndicatorFilter]) -> list[dict[str, object]]:
    region = region_or_404(filters.region)
    indicators = Indicator.objects.prefetch_related("directions", "measures")
    return [indicator_out(i, region) for i in indicators]


class ObservationFilter(Schema):
    region: str | None = None
    year: Year | None = None
    disability_group: str | None = None
    sex: str | None = None
    age_band: str | None = None
    settlement: str | None = None


@router.get("/indicators/{code}", response={200: IndicatorDetail, 404: Error},
            summary="One indicator with its targets and observations",
            openapi_extra=PUBLIC_OPENAPI)
def get_indicator(request: HttpRequest, code: str,
                  filters: Query[ObservationFilter]) -> dict[str, object]:
    indicator = get_object_or_404(Indicator.objects.prefetch_related("directions", "measures"),
                                  code=code)
    region = region_or_404(filters.region)
    observations = Observation.objects.filter(indicator=indicator).select_related("region")
    if filters.region:
        observations = observations.filter(region=region)
    if filters.year is not None:
        observations = observations.filter(year=filters.year)
    for field in Observation.BREAKDOWNS:
        value = getattr(filters, field)
        if value is not None:
            observations = observations.filter(**{field: value})
    targets = Target.objects.filter(indicator=indicator).select_related("region")
    return {
        **indicator_out(indicator, region), "note": indicator.note, "source": indicator.source,
        "targets": [{"year": t.year, "region": t.region.kato if t.region else None,
                     "value": float(t.value), "source_text": t.source_text} for t in targets],
        "observations": [{
            "year": o.year, "region": o.region.kato if o.region else None,
            "disability_group": o.disability_group, "sex": o.sex, "age_band": o.age_band,
            "settlement": o.settlement, "value": float(o.value),
            "numerator": float(o.numerator) if o.numerator is not None else None,
            "denominator": float(o.denominator) if o.denominator is not None else None,
            "status": o.status, "computed": o.computed, "source": o.source,
        } for o in observations.order_by("year", "region__kato")],
    }
