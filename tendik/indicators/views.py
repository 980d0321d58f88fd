from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from tendik.core.audit import acting_as
from tendik.core.models import Region, User
from tendik.indicators import opensdg
from tendik.indicators.charts import display_number, line_chart
from tendik.indicators.forms import BreakdownForm, ObservationImportForm, OverrideForm
from tendik.indicators.models import Indicator, Observation, ProgressOverride
from tendik.indicators.progress import Progress
from tendik.indicators.services import final_target, standing
from tendik.plan.reporting import is_analyst

PROGRESS_LABELS = {
    Progress.TARGET_ACHIEVED: _("target achieved"),
    Progress.SUBSTANTIAL: _("substantial progress"),
    Progress.MODERATE: _("moderate progress"),
    Progress.LIMITED: _("limited progress"),
    Progress.DETERIORATION: _("deterioration"),
    Progress.NOT_AVAILABLE: _("not enough data"),
}


def summary(indicator: Indicator, region: Region | None = None) -> dict[str, Any]:
    where = standing(indicator, region)
    return {"indicator": indicator, "status": where.status,
            "status_label": PROGRESS_LABELS[where.status], "override": where.override,
            "latest": where.computed.latest, "target": where.target}


def dashboard(request: HttpRequest) -> HttpResponse:
    indicators = Indicator.objects.prefetch_related("directions").order_by("code")
    groups: dict[Any, list[dict[str, Any]]] = {}
    for indicator in indicators:
        direction = min(indicator.directions.all(), key=lambda d: d.number, default=None)
        groups.setdefault(direction, []).append(summary(indicator))
    ordered = sorted(groups.items(), key=lambda item: item[0].number if item[0] else 99)
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
                       target_label=str(_("target")))
    years = sorted({year for _label, points in series for year, _v in points})
    table = [(year, [dict(points).get(year) for _label, points in series]) for year in years]
    return render(request, "indicators/indicator.html", {
        "indicator": indicator, "form": form, "chart": chart, "table": table,
        "series_labels": [label for label, _points in series],
        "national": summary(indicator), "regional": summary(indicator, region) if region
        else None, "region": region, "target": target,
        "targets": indicator.targets.select_related("region"),
        "query": request.GET.urlencode(),
        "target_text": display_number(float(target.value)) if target else "",
    })


def indicator_csv(request: HttpRequest, code: str) -> HttpResponse:
    indicator = get_object_or_404(Indicator, code=code)
    response = HttpResponse(opensdg.export_csv(indicator),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{indicator.code}.csv"'
    return response


def region_page(request: HttpRequest, kato: str) -> HttpResponse:
    region = get_object_or_404(Region, kato=kato)
    rows = []
    for indicator in Indicator.objects.order_by("code"):
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
