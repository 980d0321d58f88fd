from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from tendik.core.audit import acting_as
from tendik.core.models import Region, User
from tendik.core.replica import read_from_replica
from tendik.core.scoping import get_visible_or_404
from tendik.indicators import opensdg, reporting
from tendik.indicators.charts import display_number, line_chart
from tendik.indicators.forms import (
    BreakdownForm,
    FiguresForm,
    ObservationImportForm,
    OverrideForm,
)
from tendik.indicators.models import Indicator, Observation, PriorityArea, ProgressOverride
from tendik.indicators.progress import Progress
from tendik.indicators.services import final_target, standing
from tendik.plan.reporting import is_analyst, may_write_for
from tendik.plan.reporting_views import visible_reports

PROGRESS_LABELS = {
    Progress.TARGET_ACHIEVED: _("target achieved"),
    Progress.SUBSTANTIAL: _("substantial progress"),
    Progress.MODERATE: _("moderate progress"),
    Progress.LIMITED: _("limited progress"),
    Progress.DETERIORATION: _("deterioration"),
    Progress.NOT_AVAILABLE: _("not enough data"),
}
NO_TARGET_LABEL = _("none: the plan sets no target")


def summary(indicator: Indicator, region: Region | None = None) -> dict[str, Any]:
    where = standing(indicator, region)
    label = PROGRESS_LABELS[where.status] if where.target or where.override \
        else NO_TARGET_LABEL
    return {"indicator": indicator, "status": where.status,
            "status_label": label, "override": where.override,
            "latest": where.computed.latest, "target": where.target}


def headline_indicators() -> models.QuerySet[Indicator]:
    """The plan's indicators without the count series computed ones are made of."""
    parts = Indicator.objects.exclude(numerator_code="").values_list("numerator_code",
                                                                     "denominator_code")
    return Indicator.objects.exclude(code__in={code for pair in parts for code in pair})


@read_from_replica
def dashboard(request: HttpRequest) -> HttpResponse:
    groups: dict[int | None, list[dict[str, Any]]] = {}
    for indicator in headline_indicators().order_by("area", "code"):
        groups.setdefault(indicator.area, []).append(summary(indicator))
    ordered = [(PriorityArea(area) if area else None, items)
               for area, items in sorted(groups.items(), key=lambda item: item[0] or 99)]
    return render(request, "indicators/dashboard.html", {"groups": ordered})


def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    indicator = get_object_or_404(Indicator, code=code)
    form = BreakdownForm(request.GET or None)
    region = form.cleaned_data.get("region") if form.is_valid() else None
    breakdown = form.breakdown()
    observations = Observation.objects.filter(indicator=indicator, **breakdown,
                                              age_band="")
    national = [(o.year, float(o.value)) for o in observations.filter(region__isnull=True)
                .order_by("year")]
    series: list[tuple[str, list[tuple[int, float]]]] = [(str(_("Kazakhstan")), national)]
    if region is not None:
        series.append((region.name, [(o.year, float(o.value)) for o in
                                     observations.filter(region=region).order_by("year")]))
    target = final_target(indicator, region)
    chart = line_chart(indicator.name, indicator.get_unit_display(), series,
                       target=(target.year, float(target.value)) if target else None,
                       target_label=str(_("target")),
                       percent=indicator.unit == Indicator.Unit.PERCENT)
    years = sorted({year for _label, points in series for year, _v in points})
    table = [(year, [dict(points).get(year) for _label, points in series]) for year in years]
    components = Indicator.objects.in_bulk(
        [indicator.numerator_code, indicator.denominator_code], field_name="code") \
        if indicator.is_computed else {}
    return render(request, "indicators/indicator.html", {
        "indicator": indicator,
        "numerator": components.get(indicator.numerator_code),
        "denominator": components.get(indicator.denominator_code),
        "used_in": Indicator.objects.filter(models.Q(numerator_code=indicator.code)
                                            | models.Q(denominator_code=indicator.code)),
        "measures": indicator.measures.order_by("number"),
        "form": form, "chart": chart, "table": table,
        "series_labels": [label for label, _points in series],
        "national": summary(indicator), "regional": summary(indicator, region) if region
        else None, "region": region, "target": target,
        "targets": indicator.targets.select_related("region"),
        "query": request.GET.urlencode(),
        "target_text": display_number(float(target.value)) if target else "",
    })


@read_from_replica
def indicator_csv(request: HttpRequest, code: str) -> HttpResponse:
    indicator = get_object_or_404(Indicator, code=code)
    response = HttpResponse(opensdg.export_csv(indicator),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{indicator.code}.csv"'
    return response


def region_page(request: HttpRequest, kato: str) -> HttpResponse:
    region = get_object_or_404(Region, kato=kato)
    rows = []
    for indicator in headline_indicators().order_by("area", "code"):
        rows.append({"national": summary(indicator), "regional": summary(indicator, region)})
    return render(request, "indicators/region.html", {"region": region, "rows": rows,
                                                      "regions": Region.objects.all()})


def region_choice(request: HttpRequest) -> HttpResponse:
    """The region chosen in the form (or the first one), without JavaScript."""
    region = Region.objects.filter(kato=request.GET.get("kato", "")).first() \
        or Region.objects.first()
    if region is None:
        raise Http404
    return redirect("indicators:region", kato=region.kato)


def analyst_or_404(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not is_analyst(user):
        raise Http404
    return user


@login_required
def import_observations(request: HttpRequest, code: str) -> HttpResponse:
    user = analyst_or_404(request)
    indicator = get_object_or_404(Indicator, code=code)
    form = ObservationImportForm(request.POST or None, request.FILES or None)
    errors: list[opensdg.RowError] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            form.add_error("file", _("The file is too large: at most 5 MB."))
        else:
            try:
                count = opensdg.import_csv(indicator, upload, by=user)
            except opensdg.ImportRefused as refused:
                errors = refused.errors
                form.add_error("file", _("Nothing was imported: the file has %(count)s "
                                         "errors, listed below.") % {"count": len(errors)})
            else:
                messages.success(request, _("%(count)s observations imported.")
                                 % {"count": count})
                return redirect("indicators:indicator", code=code)
    return render(request, "indicators/import.html", {"indicator": indicator, "form": form,
                                                      "errors": errors})


@login_required
def override_status(request: HttpRequest, code: str) -> HttpResponse:
    user = analyst_or_404(request)
    indicator = get_object_or_404(Indicator, code=code)
    labels = {status.value: str(label) for status, label in PROGRESS_LABELS.items()}
    form = OverrideForm(request.POST or None, labels=labels)
    if request.method == "POST" and form.is_valid():
        with acting_as(user=user):
            ProgressOverride.objects.update_or_create(
                indicator=indicator, year=form.cleaned_data["year"], region=None,
                defaults={"status": form.cleaned_data["status"],
                          "reason": form.cleaned_data["reason"], "by": user})
        messages.success(request, _("The status is corrected."))
        return redirect("indicators:indicator", code=code)
    return render(request, "indicators/override.html", {"indicator": indicator,
                                                        "form": form,
                                                        "national": summary(indicator)})


@login_required
def report_figures(request: HttpRequest, pk: int) -> HttpResponse:
    """The indicator figures of an executor's report: entered while the report is a draft
    or returned, shown read-only afterwards."""
    user: User = request.user  # type: ignore[assignment]
    report = get_visible_or_404(visible_reports(user), user, pk=pk)
    indicators = reporting.asked_in(report)
    if not indicators:
        raise Http404
    current = {rv.indicator.code: rv for rv in report.indicator_values.select_related(
        "indicator")}
    can_write = may_write_for(user, report) and report.is_editable
    form = FiguresForm(request.POST or None, indicators=indicators, current=current) \
        if can_write else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                reporting.save_figures(report, form.figures(), by=user)
            except reporting.FiguresRefused as refused:
                form.add_refusal(refused)
            else:
                messages.success(request, _("The figures are saved with the draft."))
                return redirect("plan:report", pk=report.pk)
    return render(request, "indicators/report_figures.html", {
        "report": report, "form": form, "region": reporting.region_of(report),
        "rows": [(indicator, current.get(indicator.code)) for indicator in indicators]})
