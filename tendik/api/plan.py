"""The National Plan's measures as open data, with the field names of the plan's data file."""

from __future__ import annotations

from typing import Literal

from django.db.models import Prefetch
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError

from tendik.api.auth import PUBLIC, PUBLIC_OPENAPI
from tendik.api.schemas import Error, Year
from tendik.core.models import Organisation
from tendik.plan.models import ALL_AKIMATS, Measure, MeasureQuerySet
from tendik.plan.opendata import measure_record
from tendik.plan.services import NATIONAL_PLAN_CODE

router = Router(tags=["National Plan"], auth=PUBLIC)


class DirectionRef(Schema):
    number: int
    title: str | None


class CompletionForm(Schema):
    kind: str | None
    text: str | None


class Deadline(Schema):
    kind: str | None
    start_year: int | None
    end_year: int | None
    text: str | None


class Cost(Schema):
    kind: str | None
    text: str | None


class Funding(Schema):
    code: str | None
    name: str | None


class Target(Schema):
    value: float
    unit: str


class MeasureOut(Schema):
    number: int
    in_source: bool
    direction: DirectionRef | None
    title: str | None
    completion_form: CompletionForm
    executors: list[str]
    deadline: Deadline
    cost: Cost
    funding: Funding
    targets: dict[str, Target]


def measure_out(measure: Measure) -> MeasureOut:
    return MeasureOut(**measure_record(measure))


def national_measures() -> MeasureQuerySet:
    return (Measure.objects.filter(plan__code=NATIONAL_PLAN_CODE)
            .select_related("direction")
            .prefetch_related(Prefetch("executors", queryset=Organisation.objects.only("code")))
            .order_by("number"))


class MeasureFilter(Schema):
    direction: int | None = None
    executor: str | None = None
    year: Year | None = None
    status: Literal["completed", "partially_completed", "in_progress", "not_completed",
                    "not_due", "not_assessed"] | None = Field(
        None, description="The МТСЗН's assessment in `year` (which is then required).")


@router.get("/plan/measures", response={200: list[MeasureOut], 422: Error},
            summary="The measures of the National Plan",
            openapi_extra=PUBLIC_OPENAPI)
def list_measures(request: HttpRequest, filters: Query[MeasureFilter]) -> list[MeasureOut]:
    measures = national_measures()
    if filters.direction is not None:
        measures = measures.filter(direction__number=filters.direction)
    if filters.executor:
        if filters.executor == ALL_AKIMATS:
            measures = measures.filter(includes_akimats=True)
        else:
            organisation = Organisation.objects.filter(code=filters.executor).first()
            measures = (measures.for_executor(organisation) if organisation
                        else measures.none())
    if filters.status is not None and filters.year is None:
        raise ValidationError([{"loc": ["query", "year"],
                                "msg": _("Give the year whose status you filter by.")}])
    if filters.year is not None:
        measures = measures.active_in(filters.year)
        if filters.status is not None:
            measures = measures.with_status(filters.year, filters.status)
    return [measure_out(m) for m in measures]


@router.get("/plan/measures/{number}", response={200: MeasureOut, 404: Error},
            summary="One measure by its number",
            openapi_extra=PUBLIC_OPENAPI)
def get_measure(request: HttpRequest, number: int) -> MeasureOut:
    return measure_out(get_object_or_404(national_measures(), number=number))
