from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language

from tendik.core.audit import record_access
from tendik.core.models import User
from tendik.feedback import services
from tendik.feedback.forms import AnswerForm, ReportForm
from tendik.feedback.models import ANSWER_WORKING_DAYS, AccessibilityReport

# When the statement was last checked against the platform; changed with its text.
STATEMENT_REVIEWED = dt.date(2026, 12, 4)
SENT_SESSION_KEY = "feedback_sent"


def _page_came_from(request: HttpRequest) -> str:
    came_from = request.GET.get("from", "")
    if came_from and url_has_allowed_host_and_scheme(came_from, allowed_hosts=None):
        return came_from[:500]
    return ""


def statement(request: HttpRequest) -> HttpResponse:
    form = ReportForm(request.POST or None, initial={"page": _page_came_from(request)})
    if request.method == "POST" and form.is_valid():
        user = request.user if request.user.is_authenticated else None
        report = services.file_report(language=get_language() or "ru", by=user,  # type: ignore[arg-type]
                                      **form.cleaned_data)
        request.session[SENT_SESSION_KEY] = report.pk
        return redirect("feedback:sent")
    return render(request, "feedback/statement.html", {
        "form": form, "reviewed": STATEMENT_REVIEWED, "answer_days": ANSWER_WORKING_DAYS})


def sent(request: HttpRequest) -> HttpResponse:
    """The confirmation: the report's number and the day of the answer, for its sender."""
    pk = request.session.get(SENT_SESSION_KEY)
    report = AccessibilityReport.objects.filter(pk=pk).first() if pk else None
    if report is None:
        return redirect("feedback:statement")
    return render(request, "feedback/sent.html", {"report": report})


def _reader(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not services.may_read(user):
        raise PermissionDenied
    return user


STATES = {
    "waiting": AccessibilityReport.State.WAITING,
    "answered": AccessibilityReport.State.ANSWERED,
}


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    _reader(request)
    state = request.GET.get("state", "waiting")
    reports = AccessibilityReport.objects.all()
    if state in STATES:
        reports = reports.filter(state=STATES[state])
    else:
        state = "all"
    page = Paginator(reports.order_by("answer_due", "pk"), 50).get_page(request.GET.get("page"))
    today = timezone.localdate()
    return render(request, "feedback/queue.html", {
        "page": page, "query": f"state={state}", "state": state, "today": today,
        "overdue": AccessibilityReport.objects.overdue(today).count(),
        "states": [("waiting", AccessibilityReport.State.WAITING.label),
                   ("answered", AccessibilityReport.State.ANSWERED.label)],
    })


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    user = _reader(request)
    item = get_object_or_404(AccessibilityReport.objects.select_related("answered_by"), pk=pk)
    form = None
    if services.may_answer(user) and item.state == AccessibilityReport.State.WAITING:
        form = AnswerForm(request.POST or None, auto_id="answer-%s")
        if request.method == "POST" and form.is_valid():
            try:
                services.answer_report(item, form.cleaned_data["answer"], by=user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect("feedback:report", pk=item.pk)
    elif request.method == "POST":
        raise Http404
    # Whoever reads a report sees its sender's contacts.
    if item.name or item.email or item.phone:
        record_access(request.path, AccessibilityReport, [item.pk],
                      purpose="answer to an accessibility report")
    return render(request, "feedback/report.html", {
        "report": item, "form": form, "overdue": item.is_overdue()})
