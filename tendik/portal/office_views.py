"""The akimat's back office: the region's orders, reimbursement claims and complaints,
and the provision dashboard."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tendik.core.audit import record_access
from tendik.core.forms import add_errors
from tendik.core.models import Region, Role, User
from tendik.core.scoping import get_visible_or_404
from tendik.people.models import Person
from tendik.portal import journey, reimbursement
from tendik.portal import provision as provision_
from tendik.portal.forms import DecisionForm, OrderFilterForm, RejectForm
from tendik.portal.models import Complaint, Order, Reimbursement
from tendik.portal.views import order_page

Stage = Reimbursement.State


def _staff(request: HttpRequest) -> User:
    """Akimat officials see their region; national roles see the country."""
    user: User = request.user  # type: ignore[assignment]
    if not (user.role == Role.AKIMAT_OFFICIAL or user.has_national_scope):
        raise Http404
    return user


def _page(request: HttpRequest, queryset: models.QuerySet, size: int = 50) -> tuple:
    query = request.GET.copy()
    query.pop("page", None)
    return Paginator(queryset, size).get_page(request.GET.get("page")), query.urlencode()


@login_required
def orders(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    form = OrderFilterForm(request.GET or None)
    queryset = Order.objects.visible_to(user).select_related("item", "supplier", "person")
    queryset = form.apply(queryset)
    page, query = _page(request, queryset.order_by("-placed_at", "-pk"))
    record_access(request.path, Person, {o.person_id for o in page})
    counts = dict(Order.objects.visible_to(user).filter(state__in=Order.OPEN_STATES)
                  .values_list("state").annotate(n=models.Count("*")))
    return render(request, "portal/office_orders.html", {
        "form": form, "page": page, "query": query, "today": timezone.localdate(),
        "counts": [(s, counts.get(s.value, 0)) for s in Order.State
                   if s.value in Order.OPEN_STATES]})


@login_required
def claims(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    stage = request.GET.get("stage", Stage.ACCOUNTANT)
    if stage not in Stage.values:
        stage = Stage.ACCOUNTANT
    queryset = (Reimbursement.objects.visible_to(user).filter(state=stage)
                .select_related("order__item", "supplier").order_by("checked_at", "pk"))
    page, query = _page(request, queryset)
    counts = dict(Reimbursement.objects.visible_to(user).values_list("state")
                  .annotate(n=models.Count("pk")))
    return render(request, "portal/office_claims.html", {
        "page": page, "query": query, "stage": Stage(stage),
        "stages": [(s, counts.get(s.value, 0)) for s in Stage]})


@login_required
def claim(request: HttpRequest, pk: int) -> HttpResponse:
    user = _staff(request)
    claim = get_visible_or_404(Reimbursement.objects.select_related(
        "order__item", "order__person", "supplier", "accountant", "head"), user, pk=pk)
    reject_form = RejectForm(request.POST if request.POST.get("action") == "reject"
                             else None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "approve":
                claim = reimbursement.approve(claim, request.POST.get("stage", ""), by=user)
                messages.success(request, _("Approved: %(state)s.") % {
                    "state": claim.get_state_display()})
                return redirect("portal:claim", pk=claim.pk)
            if request.POST.get("action") == "reject" and reject_form.is_valid():
                reimbursement.reject(claim, reject_form.cleaned_data["comment"], by=user)
                messages.success(request, _("The claim is rejected."))
                return redirect("portal:claim", pk=claim.pk)
        except PermissionDenied:
            messages.error(request, _("You do not have the right to approve at this stage."))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
    stage = claim.state if claim.state in (Stage.ACCOUNTANT, Stage.HEAD) else None
    return render(request, "portal/claim.html", {
        "claim": claim, "checks": claim.checks.all(), "reject_form": reject_form,
        "may_approve": stage is not None and reimbursement.may_approve(user, claim, stage),
        "payment": getattr(claim, "payment", None)})


SEARCH_LIMIT = 50


@login_required
def recipients(request: HttpRequest) -> HttpResponse:
    """Find a recipient of the region by IIN or surname, to open their card. The search
    is posted, so that an IIN never sits in a URL, a log or the browser's history."""
    user: User = request.user  # type: ignore[assignment]
    if user.role not in (Role.AKIMAT_OFFICIAL, Role.AUDITOR):
        raise Http404
    q = request.POST.get("q", "").strip() if request.method == "POST" else ""
    found = Person.objects.none()
    if q.isdigit() and len(q) == 12:
        found = Person.objects.filter(iin=q)
    elif len(q) >= 2:
        found = Person.objects.filter(last_name__istartswith=q)
    if user.role == Role.AKIMAT_OFFICIAL:
        found = found.visible_to(user)  # type: ignore[attr-defined]
    persons = list(found.select_related("region").order_by(
        "last_name", "first_name", "pk")[:SEARCH_LIMIT + 1])
    record_access(request.path, Person, [p.pk for p in persons[:SEARCH_LIMIT]],
                  purpose="search")
    return render(request, "portal/office_recipients.html", {
        "persons": persons[:SEARCH_LIMIT], "more": len(persons) > SEARCH_LIMIT, "q": q,
        "searched": request.method == "POST", "limit": SEARCH_LIMIT})


@login_required
def complaints(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    state = request.GET.get("state", Complaint.State.ANSWERED)
    queryset = Complaint.objects.visible_to(user).select_related("order__item", "supplier")
    if state in Complaint.State.values:
        queryset = queryset.filter(state=state)
    page, query = _page(request, queryset.order_by("filed_at", "pk"))
    return render(request, "portal/office_complaints.html", {
        "page": page, "query": query, "state": state, "states": Complaint.State.choices})


@login_required
def complaint_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The akimat's decision; when it fails, the order's page comes back with the error
    and the reasons as typed."""
    user: User = request.user  # type: ignore[assignment]
    complaint = get_visible_or_404(Complaint.objects.select_related("order"), user, pk=pk)
    order = complaint.order
    if journey.party_of(user, order) != journey.AKIMAT:
        raise Http404
    if request.method != "POST":  # the page of a failed decision, opened again
        return redirect("portal:order", pk=order.pk)
    form = DecisionForm(request.POST, auto_id=f"decision-{complaint.pk}-%s")
    if form.is_valid():
        try:
            journey.decide_complaint(complaint, form.cleaned_data["upheld"],
                                     form.cleaned_data["text"], by=user)
        except PermissionDenied as denied:
            raise Http404 from denied
        except ValidationError as error:
            add_errors(form, error, default_field="text")
        else:
            messages.success(request, _("The decision is recorded."))
            return redirect("portal:order", pk=complaint.order_id)
    return order_page(request, order, journey.AKIMAT, decision_form=form,
                      complaint_id=complaint.pk)


def provision(request: HttpRequest) -> HttpResponse:
    """Public: shares and waiting times carry no personal data."""
    this_year = timezone.localdate().year
    try:
        year = int(request.POST.get("year") or request.GET.get("year") or this_year - 1)
    except ValueError:
        year = this_year - 1
    region = Region.objects.filter(kato=request.GET.get("region", "")).first()
    user = request.user
    may_publish = user.is_authenticated and (user.role == Role.ANALYST
                                             or user.is_superuser)
    if request.method == "POST":
        if not may_publish:
            raise Http404
        written = provision_.publish(year, by=user,  # type: ignore[arg-type]
                                     final=year < this_year)
        messages.success(request, _("%(count)s figures written to the indicator.")
                         % {"count": written})
        return redirect(f"{request.path}?year={year}")
    return render(request, "portal/provision.html", {
        "result": provision_.provision(year, region), "year": year, "region": region,
        "years": range(this_year, 2018, -1), "regions": Region.objects.all(),
        "term": provision_.PROVISION_TERM_DAYS, "may_publish": may_publish})
