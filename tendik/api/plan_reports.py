"""Executors' reports on the plan: read in scope, fill and submit, by token or session."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import ValidationError

from tendik.api.auth import PRIVATE
from tendik.api.schemas import Error, Year, named, unprocessable
from tendik.core.models import ApiToken
from tendik.indicators import reporting as figures
from tendik.plan import reporting
from tendik.plan.models import ExecutorReport, LegalAct

router = Router(tags=["National Plan: executors' reports"], auth=PRIVATE)

ReportState = Annotated[ExecutorReport.State, named(ExecutorReport.State, "ReportState")]
ReportStatus = Annotated[ExecutorReport.Status, named(ExecutorReport.Status, "ReportStatus")]
LegalActKind = Annotated[LegalAct.Kind, named(LegalAct.Kind, "LegalActKind")]


class ReportOut(Schema):
    id: int
    year: int
    measure: int
    executor: str
    state: ReportState
    status: str | None
    narrative_ru: str
    narrative_kk: str
    spending: Decimal | None
    target_values: dict[str, float]
    act_kind: str | None
    act_number: str | None
    act_date: dt.date | None
    submitted_at: dt.datetime | None
    accepted_at: dt.datetime | None
    deadline: dt.date


class ReportIn(Schema):
    status: ReportStatus | None = None
    narrative_ru: str | None = None
    narrative_kk: str | None = None
    spending: Decimal | None = None
    target_values: dict[str, float] | None = None
    act_kind: LegalActKind | None = None
    act_number: str | None = None
    act_date: dt.date | None = None


class ReportFilter(Schema):
    year: Year | None = None
    state: ReportState | None = None
    measure: int | None = None


def report_out(report: ExecutorReport) -> ReportOut:
    return ReportOut(
        id=report.pk, year=report.cycle.year, measure=report.measure.number,
        executor=report.organisation.code, state=ExecutorReport.State(report.state),
        status=report.status or None, narrative_ru=report.narrative_ru,
        narrative_kk=report.narrative_kk, spending=report.spending,
        target_values=report.target_values or {}, act_kind=report.act_kind or None,
        act_number=report.act_number or None, act_date=report.act_date,
        submitted_at=report.submitted_at, accepted_at=report.accepted_at,
        deadline=report.cycle.executor_deadline)


def in_scope(request: HttpRequest) -> Any:
    """A token sees its organisation's reports; a person what their scope allows."""
    reports = ExecutorReport.objects.select_related("cycle", "measure", "organisation")
    caller = request.auth  # type: ignore[attr-defined]
    if isinstance(caller, ApiToken):
        return reports.filter(organisation=caller.organisation)
    return reports.visible_to(caller)


def one(request: HttpRequest, report_id: int) -> ExecutorReport:
    """The report if it is in the caller's scope; otherwise 404, as if it did not exist."""
    return get_object_or_404(in_scope(request), pk=report_id)


@router.get("/plan/reports", response={200: list[ReportOut], 401: Error, 422: Error},
            summary="Reports on the plan in the caller's scope")
def list_reports(request: HttpRequest, filters: Query[ReportFilter]) -> list[ReportOut]:
    reports = in_scope(request)
    if filters.year is not None:
        reports = reports.filter(cycle__year=filters.year)
    if filters.state is not None:
        reports = reports.filter(state=filters.state)
    if filters.measure is not None:
        reports = reports.filter(measure__number=filters.measure)
    return [report_out(r) for r in reports.order_by("cycle__year", "measure__number",
                                                   "organisation__code")]


@router.get("/plan/reports/{report_id}", response={200: ReportOut, 401: Error, 404: Error},
            summary="One report")
def get_report(request: HttpRequest, report_id: int) -> ReportOut:
    return report_out(one(request, report_id))


@router.patch("/plan/reports/{report_id}",
              response={200: ReportOut, 401: Error, 403: Error, 404: Error, 422: Error},
              summary="Fill a draft or returned report (the fields given are changed)")
def update_report(request: HttpRequest, report_id: int, payload: ReportIn) -> ReportOut:
    report = one(request, report_id)
    values = payload.dict(exclude_unset=True)
    # null clears a field: to its empty text, or to no target values at all.
    for key in ("narrative_ru", "narrative_kk", "act_number", "status", "act_kind"):
        if key in values and values[key] is None:
            values[key] = ""
    if "target_values" in values and values["target_values"] is None:
        values["target_values"] = {}
    try:
        report = reporting.save_report(report, values, by=request.auth)  # type: ignore[attr-defined]
    except DjangoValidationError as error:
        raise unprocessable(error) from error
    return report_out(report)


@router.post("/plan/reports/{report_id}/submit",
             response={200: ReportOut, 401: Error, 403: Error, 404: Error, 422: Error},
             summary="Submit a report to the МТСЗН")
def submit(request: HttpRequest, report_id: int) -> ReportOut:
    report = one(request, report_id)
    try:
        report = reporting.submit_report(report, by=request.auth)  # type: ignore[attr-defined]
    except DjangoValidationError as error:
        raise unprocessable(error) from error
    return report_out(report)


class FigureOut(Schema):
    indicator: str
    name: str
    unit: str
    region: str | None
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    comment: str


class FigureIn(Schema):
    indicator: str
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    comment: str = ""


def figures_out(report: ExecutorReport) -> list[FigureOut]:
    """Every indicator the report asks for, with the figure given so far (or nulls)."""
    given = {rv.indicator_id: rv for rv in report.indicator_values.all()}
    region = figures.region_of(report)
    rows = []
    for indicator in figures.asked_in(report):
        saved = given.get(indicator.pk)
        rows.append(FigureOut(
            indicator=indicator.code, name=indicator.name, unit=indicator.unit,
            region=region.kato if region else None,
            value=saved.value if saved else None,
            numerator=saved.numerator if saved else None,
            denominator=saved.denominator if saved else None,
            comment=saved.comment if saved else ""))
    return rows


@router.get("/plan/reports/{report_id}/figures",
            response={200: list[FigureOut], 401: Error, 404: Error},
            summary="The indicator figures a report asks for, and those given")
def get_figures(request: HttpRequest, report_id: int) -> list[FigureOut]:
    return figures_out(one(request, report_id))


@router.put("/plan/reports/{report_id}/figures",
            response={200: list[FigureOut], 401: Error, 403: Error, 404: Error, 422: Error},
            summary="Give indicator figures (all or nothing; a figure with no numbers and "
                    "no comment removes the one given before)")
def put_figures(request: HttpRequest, report_id: int,
                payload: list[FigureIn]) -> list[FigureOut]:
    report = one(request, report_id)
    asked = {indicator.code for indicator in figures.asked_in(report)}
    unknown = [(n, item.indicator) for n, item in enumerate(payload)
               if item.indicator not in asked]
    if unknown:
        raise ValidationError([
            {"loc": ["body", n, "indicator"],
             "msg": _("This report does not ask for the indicator %(code)s.") % {"code": code}}
            for n, code in unknown])
    given = {item.indicator: figures.Figure(value=item.value, numerator=item.numerator,
                                            denominator=item.denominator,
                                            comment=item.comment) for item in payload}
    try:
        figures.save_figures(report, given, by=request.auth)  # type: ignore[attr-defined]
    except figures.FiguresRefused as refused:
        position = {item.indicator: n for n, item in enumerate(payload)}
        raise ValidationError([
            {"loc": ["body", position[code], field], "msg": " ".join(messages)}
            for code, fields in refused.by_indicator.items()
            for field, messages in fields.items()]) from refused
    except DjangoValidationError as error:
        raise unprocessable(error) from error
    return figures_out(report)
