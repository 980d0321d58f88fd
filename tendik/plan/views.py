from __future__ import annotations

import csv
import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from tendik.core import exports
from tendik.core.models import Organisation, User
from tendik.plan.forms import MeasureEditForm, MeasureFilterForm
from tendik.plan.models import (
    ALL_AKIMATS,
    ExecutorReport,
    Measure,
    MeasureAssessment,
    MeasureQuerySet,
    Plan,
)
from tendik.plan.opendata import measure_record
from tendik.plan.reporting import is_analyst
from tendik.plan.services import NATIONAL_PLAN_CODE, edit_measure


def national_plan() -> Plan:
    return get_object_or_404(Plan, code=NATIONAL_PLAN_CODE)


def filtered_measures(request: HttpRequest,
                      plan: Plan) -> tuple[MeasureFilterForm, MeasureQuerySet]:
    form = MeasureFilterForm(request.GET or None, plan=plan)
    measures = (Measure.objects.filter(plan=plan).select_related("direction")
                .prefetch_related(Prefetch("executors",
                                           queryset=Organisation.objects.order_by("code")))
                .order_by("number"))
    if form.is_valid():
        data = form.cleaned_data
        if data.get("direction"):
            measures = measures.filter(direction__number=data["direction"])
        if data.get("executor") == ALL_AKIMATS:
            measures = measures.filter(includes_akimats=True)
        elif data.get("executor"):
            measures = measures.filter(executors__code=data["executor"])
        if data.get("year"):
            measures = measures.active_in(data["year"])
            if data.get("status"):
                measures = measures.with_status(data["year"], data["status"])
        if data.get("region"):
            measures = measures.in_region(data["region"])
    return form, measures


def directions_by_status(plan: Plan, directions: Any, year: int | None) -> list[Any]:
    """The directions, each with its measures' statuses in `year` (when one is reported)."""
    directions = list(directions)
    if year is None:
        return directions
    counts: dict[tuple[int, str], int] = {}
    for number, status in MeasureAssessment.objects.filter(
            cycle__plan=plan, cycle__year=year).values_list("measure__direction__number",
                                                            "status"):
        counts[(number, status)] = counts.get((number, status), 0) + 1
    active = dict(plan.measures.active_in(year).values_list("direction__number")
                  .annotate(n=Count("id")))
    for direction in directions:
        direction.status_counts = [counts.get((direction.number, value), 0)
                                   for value in ExecutorReport.Status.values]
        direction.active_count = active.get(direction.number, 0)
        direction.not_assessed = direction.active_count - sum(direction.status_counts)
    return directions


def status_counts(plan: Plan) -> list[dict[str, Any]]:
    """For each reported year: how many measures the МТСЗН found in each status."""
    rows = []
    for cycle in plan.cycles.order_by("year"):
        counts = dict(MeasureAssessment.objects.filter(cycle=cycle)
                      .values_list("status").annotate(n=Count("id")))
        active = plan.measures.active_in(cycle.year).count()
        rows.append({"year": cycle.year, "active": active,
                     "counts": [counts.get(value, 0)
                                for value in ExecutorReport.Status.values],
                     "not_assessed": active - sum(counts.values())})
    return rows


def overview(request: HttpRequest) -> HttpResponse:
    plan = national_plan()
    form, measures = filtered_measures(request, plan)
    directions = plan.directions.annotate(
        measure_count=Count("measures"),
        in_source_count=Count("measures", filter=Q(measures__in_source=True)))
    status_year = (form.cleaned_data.get("year") if form.is_bound and form.is_valid() else None) \
        or plan.cycles.aggregate(latest=Max("year"))["latest"]
    return render(request, "plan/overview.html", {
        "plan": plan, "form": form, "measures": measures,
        "directions": directions_by_status(plan, directions, status_year),
        "status_year": status_year,
        "status_rows": status_counts(plan), "statuses": ExecutorReport.Status.labels,
        "amendments": plan.amendments.select_related("act"),
        "query": request.GET.urlencode(),
    })


def measure_detail(request: HttpRequest, number: int) -> HttpResponse:
    plan = national_plan()
    measure = get_object_or_404(
        Measure.objects.select_related("direction").prefetch_related("executors"),
        plan=plan, number=number)
    revisions = measure.revisions.select_related("act", "author")
    years = [{
        "year": cycle.year,
        "assessment": measure.assessments.filter(cycle=cycle).first(),
        # Only what the МТСЗН accepted is published.
        "reports": measure.reports.filter(cycle=cycle, state=ExecutorReport.State.ACCEPTED)
        .select_related("organisation").order_by("organisation__code"),
    } for cycle in plan.cycles.order_by("-year")]
    return render(request, "plan/measure_detail.html", {
        "years": years,
        "plan": plan, "measure": measure, "revisions": revisions,
        "previous": plan.measures.filter(number__lt=number).order_by("-number").first(),
        "next": plan.measures.filter(number__gt=number).order_by("number").first(),
    })


OPEN_DATA_COLUMNS = ["number", "in_source", "direction_number", "direction_title", "title",
                     "completion_form_kind", "completion_form_text", "executors",
                     "deadline_kind", "start_year", "end_year", "deadline_text", "cost_kind",
                     "cost_text", "funding_code", "funding_name", "targets"]


def open_data(request: HttpRequest, fmt: str) -> HttpResponse:
    """The (filtered) measures as CSV or JSON; a measure's stable identifier is its number
    within the plan's code."""
    plan = national_plan()
    _form, measures = filtered_measures(request, plan)
    records = [measure_record(m) for m in measures]
    filename = f"{plan.code}-measures.{fmt}"
    response: HttpResponse
    if fmt == "json":
        response = JsonResponse({"plan": plan.code, "measures": records},
                                json_dumps_params={"ensure_ascii": False, "indent": 1})
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response.write("\ufeff")  # spreadsheet programs then read UTF-8
        writer = csv.writer(response)
        writer.writerow(["id", *OPEN_DATA_COLUMNS])
        for r in records:
            direction = r["direction"] or {}
            writer.writerow(exports.row([
                f"{plan.code}/{r['number']}", r["number"], r["in_source"],
                direction.get("number", ""), direction.get("title") or "", r["title"] or "",
                r["completion_form"]["kind"] or "", r["completion_form"]["text"] or "",
                ";".join(r["executors"]), r["deadline"]["kind"] or "",
                r["deadline"]["start_year"] or "", r["deadline"]["end_year"] or "",
                r["deadline"]["text"] or "", r["cost"]["kind"] or "", r["cost"]["text"] or "",
                r["funding"]["code"] or "", r["funding"]["name"] or "",
                json.dumps(r["targets"], ensure_ascii=False) if r["targets"] else "",
            ]))
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def measure_edit(request: HttpRequest, number: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not is_analyst(user):
        raise Http404
    plan = national_plan()
    measure = get_object_or_404(Measure, plan=plan, number=number)
    form = MeasureEditForm(request.POST or None, instance=measure)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {name: data[name] for name in MeasureEditForm.Meta.fields
                   if name != "executors"}
        if not measure.in_source and changes.get("title_ru"):
            changes["in_source"] = False  # completed by hand, still flagged as such
        fresh = Measure.objects.get(pk=measure.pk)
        try:
            revision = edit_measure(fresh, changes, by=user, amending_act=data["amending_act"],
                                    comment=data["comment"], executors=list(data["executors"]))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Measure %(number)s is changed.") % {"number": number}
                             if revision else _("Nothing was changed."))
            return redirect("plan:measure", number=number)
    return render(request, "plan/measure_edit.html", {"measure": measure, "form": form})
