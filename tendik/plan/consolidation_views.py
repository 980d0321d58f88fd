"""The analyst's pages of the consolidated report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tendik.core.models import User
from tendik.plan import consolidation
from tendik.plan.forms import AssessmentForm, GenerateForm
from tendik.plan.models import ConsolidatedReport, ExecutorReport, ReportingCycle
from tendik.plan.reporting import is_analyst
from tendik.plan.reporting_views import add_errors
from tendik.plan.views import national_plan


def analyst_cycle(request: HttpRequest, year: int) -> tuple[User, ReportingCycle]:
    user: User = request.user  # type: ignore[assignment]
    if not is_analyst(user):
        raise Http404
    return user, get_object_or_404(ReportingCycle, plan=national_plan(), year=year)


@login_required
def overview(request: HttpRequest, year: int) -> HttpResponse:
    _user, cycle = analyst_cycle(request, year)
    return render(request, "plan/consolidation.html", {
        "cycle": cycle, "lines": consolidation.measure_lines(cycle),
        "generate_form": GenerateForm(initial={"format": "docx", "language": "ru"}),
        **files_context(cycle),
    })


def files_context(cycle: ReportingCycle) -> dict[str, object]:
    files = list(cycle.consolidated_reports.select_related("requested_by"))
    return {"files": files, "pending": any(f.status in {ConsolidatedReport.Status.QUEUED,
                                                        ConsolidatedReport.Status.RUNNING}
                                           for f in files)}


@login_required
def files(request: HttpRequest, year: int) -> HttpResponse:
    """The generated files alone: the overview polls it while a file is being made."""
    _user, cycle = analyst_cycle(request, year)
    return render(request, "plan/includes/consolidated_files.html",
                  {"cycle": cycle, **files_context(cycle)})


@login_required
def assess(request: HttpRequest, year: int, number: int) -> HttpResponse:
    user, cycle = analyst_cycle(request, year)
    line = next((line for line in consolidation.measure_lines(cycle)
                 if line.measure.number == number), None)
    if line is None:
        raise Http404
    if line.assessment is not None:
        # The reports accepted since the assessment follow its text, for the analyst to
        # work in before saving again.
        newer = line.newer_reports
        text_kk = line.assessment.text_kk
        initial = {"status": line.assessment.status,
                   "text_ru": "\n".join([line.assessment.text_ru,
                                         *consolidation.reports_text(newer, "ru")]),
                   "text_kk": "\n".join([text_kk, *consolidation.reports_text(newer, "kk")])
                   if text_kk else ""}
    else:
        initial = {"status": line.suggested_status, "text_ru": line.information("ru"),
                   "text_kk": line.information("kk")}
    form = AssessmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            consolidation.assess_measure(cycle, line.measure, by=user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The assessment of measure %(number)s is saved.")
                             % {"number": number})
            return redirect("plan:consolidation", year=year)
    today = timezone.localdate()
    newer_ids = {report.pk for report in line.newer_reports}
    reports = [{"report": report, "timeliness": report.timeliness(today),
                "newer": report.pk in newer_ids} for report in line.reports
               if report.state != ExecutorReport.State.DRAFT]
    return render(request, "plan/assessment.html", {
        "cycle": cycle, "line": line, "form": form, "reports": reports,
        "waiting": len(line.reports) - len(reports)})


@login_required
@require_POST
def generate(request: HttpRequest, year: int) -> HttpResponse:
    user, cycle = analyst_cycle(request, year)
    form = GenerateForm(request.POST)
    if form.is_valid():
        report = consolidation.request_report(cycle, form.cleaned_data["format"],
                                              form.cleaned_data["language"], by=user)
        messages.success(request, _("Version %(version)s of the %(format)s file is being "
                                    "generated.") % {"version": report.version,
                                                      "format": report.get_format_display()})
    else:
        messages.error(request, _("Choose a format and a language."))
    return redirect("plan:consolidation", year=year)


@login_required
def download(request: HttpRequest, year: int, pk: int) -> FileResponse:
    _user, cycle = analyst_cycle(request, year)
    report = get_object_or_404(ConsolidatedReport, pk=pk, cycle=cycle,
                               status=ConsolidatedReport.Status.DONE)
    content_types = {"docx": "application/vnd.openxmlformats-officedocument."
                             "wordprocessingml.document",
                     "pdf": "application/pdf",
                     "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
    return FileResponse(report.file.open("rb"), as_attachment=True, filename=report.filename,
                        content_type=content_types[report.format])
