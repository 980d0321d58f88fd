"""Staff pages of the reporting cycle: executors fill and submit, analysts review."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tendik.core.forms import add_errors
from tendik.core.models import User
from tendik.core.scoping import get_visible_or_404
from tendik.plan import reporting
from tendik.plan.forms import AttachmentForm, OpenCycleForm, ReportForm, ReviewForm
from tendik.plan.models import ExecutorReport, ReportAttachment, ReportingCycle
from tendik.plan.views import national_plan

State = ExecutorReport.State
REPORTS_PER_PAGE = 100


def visible_reports(user: User) -> Any:
    return (ExecutorReport.objects.visible_to(user)
            .select_related("cycle", "measure", "organisation", "organisation__region"))


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not (user.is_staff_role or user.is_superuser):
        raise Http404
    plan = national_plan()
    cycles = list(plan.cycles.all())
    year = request.GET.get("year")
    cycle = next((c for c in cycles if str(c.year) == year), cycles[0] if cycles else None)
    reports = visible_reports(user).filter(cycle=cycle) if cycle else ExecutorReport.objects.none()
    state = request.GET.get("state")
    if state in State.values:
        reports = reports.filter(state=state)
    today = timezone.localdate()
    page = Paginator(reports.order_by("measure__number", "organisation__code"),
                     REPORTS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [(report, report.timeliness(today)) for report in page]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "plan/report_list.html", {
        "plan": plan, "cycles": cycles, "cycle": cycle, "rows": rows, "page": page,
        "query": query.urlencode(), "states": State.choices,
        "state": state, "is_analyst": reporting.is_analyst(user),
        "open_form": OpenCycleForm(plan=plan) if reporting.is_analyst(user) else None,
    })


@login_required
@require_POST
def open_cycle(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not reporting.is_analyst(user):
        raise Http404
    plan = national_plan()
    form = OpenCycleForm(request.POST, plan=plan)
    if form.is_valid():
        try:
            cycle = reporting.open_cycle(plan, form.cleaned_data["year"], by=user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The reporting for %(year)s is open: %(count)s "
                                        "obligations.") % {"year": cycle.year,
                                                           "count": cycle.reports.count()})
            return redirect(f"{_reports_url()}?year={cycle.year}")
    else:
        messages.error(request, _("Choose a year that is not open yet."))
    return redirect(_reports_url())


def _reports_url() -> str:
    from django.urls import reverse

    return reverse("plan:reports")


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    report = get_visible_or_404(visible_reports(user), user, pk=pk)
    can_write = reporting.may_write_for(user, report) and report.is_editable
    form = ReportForm(request.POST or None, instance=report) if can_write else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                report = reporting.save_report(report, form.report_values(), by=user)
                if "submit" in request.POST:
                    reporting.submit_report(report, by=user)
                    messages.success(request, _("The report is submitted to the Ministry of "
                                                "Labour and Social Protection."))
                else:
                    messages.success(request, _("The draft is saved."))
                return redirect("plan:report", pk=report.pk)
            except ValidationError as error:
                add_errors(form, error)
    review_form = (ReviewForm() if reporting.is_analyst(user)
                   and report.state in {State.SUBMITTED, State.UNDER_REVIEW} else None)
    return render_report(request, report, form=form, review_form=review_form,
                         attachment_form=AttachmentForm() if can_write else None)


def render_report(request: HttpRequest, report: ExecutorReport, *, form: Any = None,
                  review_form: Any = None, attachment_form: Any = None) -> HttpResponse:
    return render(request, "plan/report_detail.html", {
        "report": report, "form": form, "attachment_form": attachment_form,
        "review_form": review_form,
        "transitions": report.transitions.select_related("by", "api_token"),
        "attachments": report.attachments.all(),
        "timeliness": report.timeliness(timezone.localdate()),
    })


@login_required
@require_POST
def report_attach(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    report = get_visible_or_404(visible_reports(user), user, pk=pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            reporting.attach_file(report, upload, upload.name, upload.size, by=user)
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The file %(name)s is attached.") % {"name": upload.name})
    else:
        messages.error(request, " ".join(str(e) for e in form.errors.get("file", [])))
    return redirect("plan:report", pk=report.pk)


@login_required
def attachment_download(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    user: User = request.user  # type: ignore[assignment]
    report = get_visible_or_404(visible_reports(user), user, pk=pk)
    attachment = get_object_or_404(ReportAttachment, pk=attachment_id, report=report)
    return FileResponse(attachment.file.open("rb"), as_attachment=True,
                        filename=attachment.original_name, content_type=attachment.content_type)


@login_required
@require_POST
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not reporting.is_analyst(user):
        raise Http404
    report = get_visible_or_404(visible_reports(user), user, pk=pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        action = form.cleaned_data["action"]
        comment = form.cleaned_data["comment"]
        try:
            if action == "start_review":
                reporting.start_review(report, by=user)
            elif action == "return":
                reporting.return_report(report, comment, by=user)
            else:
                reporting.accept_report(report, by=user, comment=comment)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("plan:report", pk=report.pk)
    return render_report(request, report, review_form=form)


@login_required
def dashboard(request: HttpRequest, year: int) -> HttpResponse:
    """Completeness and timeliness of one year's reporting, by executor and by region."""
    user: User = request.user  # type: ignore[assignment]
    if not (user.is_staff_role or user.is_superuser):
        raise Http404
    cycle = get_object_or_404(ReportingCycle, plan=national_plan(), year=year)
    today = timezone.localdate()
    reports = ExecutorReport.objects.visible_to(user).filter(cycle=cycle)
    deadline = cycle.executor_deadline
    # Timeliness by the submission that counts: the last one; a report returned for
    # changes waits for its next submission.
    awaiting = Q(submitted_at__isnull=True) | Q(state=State.RETURNED)
    in_time = (Q(resubmitted_at__isnull=True, submitted_at__date__lte=deadline)
               | Q(resubmitted_at__date__lte=deadline))
    counts = {
        "total": Count("id"),
        "submitted": Count("id", filter=Q(submitted_at__isnull=False)),
        "accepted": Count("id", filter=Q(state=State.ACCEPTED)),
        "returned": Count("id", filter=Q(state=State.RETURNED)),
        "on_time": Count("id", filter=~awaiting & in_time),
        "late": Count("id", filter=~awaiting & ~in_time),
        "overdue": Count("id", filter=awaiting)
        if today > deadline else Count("id", filter=Q(pk__in=[])),
    }
    executor_rows = (reports.values("organisation__code", "organisation__name_ru",
                                    "organisation__name_kk", "organisation__name_en")
                     .annotate(**counts).order_by("organisation__code"))
    region_rows = (reports.filter(organisation__region__isnull=False)
                   .values("organisation__region__kato", "organisation__region__name_ru",
                           "organisation__region__name_kk", "organisation__region__name_en")
                   .annotate(**counts).order_by("organisation__region__name_ru"))
    by_executor: list[dict[str, Any]] = [dict(row) for row in executor_rows]
    by_region: list[dict[str, Any]] = [dict(row) for row in region_rows]
    totals: dict[str, Any] = reports.aggregate(**counts)
    language = (request.LANGUAGE_CODE or "ru")  # type: ignore[attr-defined]
    for row in by_executor:
        row["name"] = row[f"organisation__name_{language}"] or row["organisation__name_ru"]
    for row in by_region:
        row["name"] = (row[f"organisation__region__name_{language}"]
                       or row["organisation__region__name_ru"])
    for row in [*by_executor, *by_region, totals]:
        row["percent"] = round(100 * row["submitted"] / row["total"]) if row["total"] else 0
    states = dict(reports.values_list("state").annotate(n=Count("id")).order_by())
    return render(request, "plan/dashboard.html", {
        "cycle": cycle, "by_executor": by_executor, "by_region": by_region,
        "totals": totals, "today": today,
        "state_counts": [(label, states.get(value, 0)) for value, label in State.choices],
    })
