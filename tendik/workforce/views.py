"""Pages of the workforce app.

Public: the search of social workers, a worker's profile, the dashboard (aggregates only).
A recipient (or representative): choosing a worker, "my social worker", an assignment's
page with its visits to confirm and the rating form. The worker: their caseload and the
visit log. Staff: registering workers and certificates, volunteers, family assistants.

An assignment or registration outside the user's reach is a 404; one the user may see
but not change answers 403 to a change.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tendik.core import money
from tendik.core.audit import record_access
from tendik.core.forms import add_errors
from tendik.core.models import Organisation, Region, Role, User
from tendik.core.once import created_once
from tendik.core.scoping import get_visible_or_404
from tendik.people.models import Person
from tendik.portal.journey import persons_for
from tendik.workforce import dashboard as figures
from tendik.workforce import services
from tendik.workforce.forms import (
    AssistantForm,
    CertificateForm,
    ChooseForm,
    EndForm,
    HoursForm,
    LinkForm,
    MonthForm,
    RatingForm,
    SearchForm,
    VisitForm,
    VolunteerForm,
    VolunteerHoursForm,
    WorkerForm,
)
from tendik.workforce.models import (
    EMPLOYER_KINDS,
    Assignment,
    AssistantHours,
    FamilyAssistant,
    SocialWorker,
    Visit,
    Volunteer,
    VolunteerHours,
    VolunteerLink,
    WorkerRating,
    filter_json_list,
    open_on,
)

PER_PAGE = 20
RECIPIENT, WORKER, AKIMAT, EMPLOYER, NATIONAL = ("recipient", "worker", "akimat", "employer",
                                                 "national")


def current_user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def staff_or_404(request: HttpRequest) -> User:
    user = current_user(request)
    if not (user.is_authenticated and (user.is_staff_role or user.is_superuser)):
        raise Http404
    return user


def own_worker(user: User) -> SocialWorker | None:
    return SocialWorker.objects.filter(account=user).select_related("employer").first() \
        if user.is_authenticated else None


# --- Public: search, profile, dashboard ---------------------------------------------------

def search(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = SearchForm(request.GET or None)
    workers = SocialWorker.objects.filter(active=True).with_figures(today) \
        .select_related("employer").prefetch_related("regions")
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["region"] is not None:
            workers = workers.filter(regions=data["region"])
        if data["service"]:
            workers = filter_json_list(workers, "services", data["service"])
        if data["language"]:
            workers = filter_json_list(workers, "languages", data["language"])
        if data["free"]:
            workers = workers.filter(caseload__lt=models.F("capacity"),  # type: ignore[misc]
                                     certified=True)
    workers = workers.order_by(models.F("certified").desc(),
                               models.F("rating_mean").desc(nulls_last=True),
                               "last_name", "first_name", "pk")
    page = Paginator(workers, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "workforce/search.html", {
        "form": form, "page": page, "query": query.urlencode(), "today": today})


def profile(request: HttpRequest, pk: int) -> HttpResponse:
    today = timezone.localdate()
    worker = get_object_or_404(SocialWorker.objects.with_figures(today).select_related(
        "employer__region").prefetch_related("regions"), pk=pk)
    user = current_user(request)
    may_certify = user.is_authenticated and services.may_certify(user, worker)
    return render(request, "workforce/profile.html", {
        "worker": worker, "certificate": worker.certificate_on(today),
        "certificates": worker.certificates.all() if may_certify else [],
        "may_certify": may_certify,
        "may_choose": not user.is_authenticated or persons_for(user).exists()})


def dashboard(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form, year, month = MonthForm.for_request(request.GET, today)
    first, last = services.month_bounds(year, month)
    day = min(last, today)
    rows = figures.by_organisation(day, first, last)
    organisations = Organisation.objects.in_bulk([r.key for r in rows])
    for row in rows:
        row.label = organisations[row.key].name
    rows.sort(key=lambda r: r.label)
    regions = figures.by_region(rows, Region.objects.in_bulk(),
                                {pk: o.region_id for pk, o in organisations.items()})
    return render(request, "workforce/dashboard.html", {
        "form": form, "period": first, "day": day, "organisations": rows,
        "regions": regions, "total": figures.total(rows)})


# --- The recipient: choosing, my social worker, an assignment ----------------------------

@login_required
def choose(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    today = timezone.localdate()
    worker = get_object_or_404(SocialWorker.objects.with_figures(today).select_related(
        "employer"), pk=pk, active=True)
    persons = persons_for(user).select_related("region").order_by("last_name", "pk")
    form = ChooseForm(request.POST or None, persons=persons) if persons.exists() else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                assignment = services.choose_worker(form.cleaned_data["person"], worker,
                                                    by=user)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("%(worker)s is now your social worker.")
                                 % {"worker": worker.full_name})
                return redirect("workforce:assignment", pk=assignment.pk)
    return render(request, "workforce/choose.html", {
        "worker": worker, "form": form, "certificate": worker.certificate_on(today),
        })


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """What the signed-in person sees of social work: for each person they act for, the
    chosen workers, visits to confirm and hours of family assistants to confirm; and, if
    they are a family assistant or a volunteer themselves, where they log their hours."""
    user = current_user(request)
    entries = []
    for person in persons_for(user).select_related("region").order_by("last_name", "pk"):
        assignments = Assignment.objects.filter(person=person).select_related(
            "worker__employer") \
            .annotate(to_confirm=models.Count("visits", filter=models.Q(
                visits__confirmed_at__isnull=True)))
        hours = AssistantHours.objects.filter(
            assistant__recipient=person, confirmed_at__isnull=True).exclude(
            assistant__assistant__account=user).select_related("assistant__assistant")
        entries.append({"person": person, "is_self": person.account_id == user.pk,
                        "assignments": assignments, "hours": hours})
    registrations = FamilyAssistant.objects.filter(
        assistant__account=user, ended_on__isnull=True).select_related("recipient") \
        if user.is_authenticated else []
    volunteer = Volunteer.objects.filter(account=user).first()
    links = volunteer.links.filter(end__isnull=True).select_related("worker") \
        if volunteer else []
    return render(request, "workforce/mine.html", {
        "entries": entries, "registrations": registrations, "hours_form": HoursForm(),
        "volunteer": volunteer, "links": links})


def party_of(user: User, assignment: Assignment) -> str | None:
    if not user.is_authenticated:
        return None
    if services.is_recipient_side(user, assignment.person):
        return RECIPIENT
    if services.is_the_worker(user, assignment.worker):
        return WORKER
    if services.is_akimat_of(user, assignment.person.region_id):
        return AKIMAT
    if user.role == Role.CASE_MANAGER and services.is_employer_staff(
            user, assignment.worker.employer_id):
        return EMPLOYER
    if user.has_national_scope:
        return NATIONAL
    return None


def _assignment_for(request: HttpRequest, pk: int) -> tuple[Assignment, str]:
    assignment = get_object_or_404(Assignment.objects.select_related(
        "person__region", "worker__employer"), pk=pk)
    party = party_of(current_user(request), assignment)
    if party is None:
        raise Http404
    return assignment, party


@login_required
def assignment_detail(request: HttpRequest, pk: int, **forms: Any) -> HttpResponse:
    user = current_user(request)
    assignment, party = _assignment_for(request, pk)
    if party != RECIPIENT:
        record_access(request.path, Person, [assignment.person_id],
                      purpose="social work: assignment")
    worker = assignment.worker
    rating = WorkerRating.objects.filter(worker=worker, person=assignment.person).first()
    served = services.was_served(assignment.person, worker)
    return render(request, "workforce/assignment.html", {
        "assignment": assignment, "party": party, "worker": worker,
        "visits": assignment.visits.all(),
        "visit_form": forms.get("visit_form") or VisitForm(offered=worker.services),
        "end_form": forms.get("end_form") or EndForm(),
        "rating_form": forms.get("rating_form") or RatingForm(
            initial={"stars": rating.stars, "comment": rating.comment} if rating else None),
        "rating": rating, "may_rate": party == RECIPIENT and served,
        "may_end": assignment.end is None and party in (RECIPIENT, AKIMAT, EMPLOYER),
        "may_log": party == WORKER and assignment.is_open and user.is_authenticated})


@login_required
@require_POST
@created_once
def visit_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    assignment, party = _assignment_for(request, pk)
    if party != WORKER:
        raise PermissionDenied
    form = VisitForm(request.POST, offered=assignment.worker.services)
    if form.is_valid():
        try:
            services.log_visit(assignment, by=user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The visit is logged; the recipient is asked to "
                                        "confirm it."))
            return redirect("workforce:assignment", pk=pk)
    return assignment_detail(request, pk, visit_form=form)


@login_required
@require_POST
def visit_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_object_or_404(Visit.objects.select_related("assignment"), pk=pk)
    assignment, party = _assignment_for(request, visit.assignment_id)
    if party != RECIPIENT:
        raise PermissionDenied
    services.confirm_visit(visit, by=current_user(request))
    messages.success(request, _("The visit of %(date)s is confirmed.")
                     % {"date": visit.date.strftime("%d.%m.%Y")})
    if request.POST.get("next") == "mine":
        return redirect("workforce:mine")
    return redirect("workforce:assignment", pk=assignment.pk)


@login_required
@require_POST
def assignment_end(request: HttpRequest, pk: int) -> HttpResponse:
    assignment, party = _assignment_for(request, pk)
    if party not in (RECIPIENT, AKIMAT, EMPLOYER):
        raise PermissionDenied
    form = EndForm(request.POST)
    if form.is_valid():
        try:
            services.end_assignment(assignment, by=current_user(request),
                                    reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_errors(form, error, default_field="reason")
        else:
            messages.success(request, _("The service has ended. You may choose another "
                                        "social worker."))
            return redirect("workforce:assignment", pk=pk)
    return assignment_detail(request, pk, end_form=form)


@login_required
@require_POST
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    assignment, party = _assignment_for(request, pk)
    if party != RECIPIENT:
        raise PermissionDenied
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            services.rate_worker(assignment.worker, assignment.person,
                                 by=current_user(request), **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Thank you: your rating is saved."))
            return redirect("workforce:assignment", pk=pk)
    return assignment_detail(request, pk, rating_form=form)


# --- The worker's own page ----------------------------------------------------------------

@login_required
def caseload(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    worker = own_worker(user)
    if worker is None:
        raise Http404
    today = timezone.localdate()
    current = worker.assignments.filter(open_on(today)).select_related("person").annotate(
        to_confirm=models.Count("visits", filter=models.Q(visits__confirmed_at__isnull=True)),
        last_visit=models.Max("visits__date")).order_by("person__last_name", "pk")
    form = VisitForm(request.POST or None, offered=worker.services, assignments=current)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        assignment = data.pop("assignment")
        try:
            services.log_visit(assignment, by=user, **data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The visit is logged; the recipient is asked to "
                                        "confirm it."))
            return redirect("workforce:caseload")
    visits = Visit.objects.filter(assignment__worker=worker).select_related(
        "assignment__person")[:30]
    # The names of the persons served are personal data: the read is recorded.
    record_access(request.path, Person, sorted({a.person_id for a in current}
                                               | {v.assignment.person_id for v in visits}),
                  purpose="social work: caseload")
    return render(request, "workforce/caseload.html", {
        "worker": worker, "current": current, "visits": visits, "form": form,
        "certificate": worker.certificate_on(today)})


# --- Staff: registering workers and certificates -------------------------------------------

def employers_for(user: User) -> models.QuerySet[Organisation]:
    employers = Organisation.objects.filter(kind__in=EMPLOYER_KINDS, is_active=True)
    if services.is_national(user):
        return employers
    organisation = user.organisation
    if organisation is None:
        return employers.none()
    region_id = organisation.region_id
    if region_id is not None and services.is_akimat_of(user, region_id):
        return employers.filter(region_id=region_id)
    if services.is_employer_staff(user, organisation.pk):
        return employers.filter(pk=organisation.pk)
    return employers.none()


@login_required
def worker_add(request: HttpRequest) -> HttpResponse:
    user = staff_or_404(request)
    employers = employers_for(user)
    if not employers.exists():
        raise Http404
    form = WorkerForm(request.POST or None, employers=employers)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            worker = services.register_worker(by=user, employer=data.pop("employer"),
                                              regions=list(data.pop("regions")), **data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The social worker is registered. Register their "
                                        "certificate so that recipients can choose them."))
            return redirect("workforce:profile", pk=worker.pk)
    return render(request, "workforce/worker_form.html", {"form": form})


@login_required
def certificate_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_or_404(request)
    worker = get_visible_or_404(SocialWorker.objects.select_related("employer"), user, pk=pk)
    if not services.may_certify(user, worker):
        raise PermissionDenied
    form = CertificateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.register_certificate(worker, by=user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The certificate is registered."))
            return redirect("workforce:profile", pk=pk)
    return render(request, "workforce/certificate_form.html", {"form": form,
                                                                "worker": worker})


# --- Staff: volunteers ("one plus two") ---------------------------------------------------

def volunteer_regions(user: User) -> models.QuerySet[Region]:
    if services.is_national(user):
        return Region.objects.all()
    organisation = user.organisation
    region_id = organisation.region_id if organisation is not None else None
    return Region.objects.filter(pk=region_id) if region_id is not None \
        else Region.objects.none()


@login_required
def volunteers(request: HttpRequest) -> HttpResponse:
    user = staff_or_404(request)
    workers = SocialWorker.objects.visible_to(user).filter(active=True).select_related(
        "employer")
    if not workers.exists() and not services.is_national(user) \
            and user.role != Role.AKIMAT_OFFICIAL:
        raise Http404
    manageable = workers.filter(pk__in=[w.pk for w in workers
                                        if services.may_manage_worker(user, w)])
    visible = Volunteer.objects.visible_to(user).select_related("organisation", "region")
    links = VolunteerLink.objects.filter(worker__in=manageable, end__isnull=True) \
        .select_related("worker", "volunteer")
    employers = employers_for(user)
    regions = volunteer_regions(user)

    def build(action: str, data: Any = None) -> Any:
        if action == "register":
            return VolunteerForm(data, prefix=action, regions=regions, organisations=employers)
        if action == "link":
            return LinkForm(data, prefix=action, workers=manageable, volunteers=visible)
        return VolunteerHoursForm(data, prefix=action, links=links)

    forms_ = {action: build(action) for action in ("register", "link", "hours")}
    action = request.POST.get("action", "")
    if request.method == "POST":
        if action not in forms_:
            raise Http404
        form = build(action, request.POST)
        forms_[action] = form
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                if action == "register":
                    services.register_volunteer(by=user, **data)
                    messages.success(request, _("The volunteer is registered."))
                elif action == "link":
                    services.link_volunteer(data["worker"], data["volunteer"], by=user)
                    messages.success(request, _("The volunteer now helps the worker."))
                else:
                    services.log_volunteer_hours(data.pop("link"), by=user, **data)
                    messages.success(request, _("The hours are logged."))
            except ValidationError as error:
                add_errors(form, error)
            except PermissionDenied:
                raise Http404 from None
            else:
                return redirect("workforce:volunteers")
    today = timezone.localdate()
    first, last = services.month_bounds(today.year, today.month)
    open_links: dict[int, list[VolunteerLink]] = {}
    for link in VolunteerLink.objects.filter(worker__in=workers, end__isnull=True) \
            .select_related("volunteer"):
        open_links.setdefault(link.worker_id, []).append(link)
    hours = dict(VolunteerHours.objects.filter(worker__in=workers, date__range=(first, last))
                 .values("worker_id").annotate(total=models.Sum("hours"))
                 .values_list("worker_id", "total").order_by())
    rows = [{"worker": w, "links": open_links.get(w.pk, []), "hours": hours.get(w.pk),
             "may_manage": services.may_manage_worker(user, w)} for w in workers]
    shown = list(visible[:200])
    record_access(request.path, Volunteer, [v.pk for v in shown],
                  purpose="social work: volunteers")
    return render(request, "workforce/volunteers.html", {
        "rows": rows, "volunteers": shown, "forms": forms_, "month": first,
        "recent": VolunteerHours.objects.filter(worker__in=workers).select_related(
            "volunteer", "worker")[:20]})


@login_required
@require_POST
def link_end(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_or_404(request)
    link = get_visible_or_404(VolunteerLink.objects.select_related("worker__employer"), user,
                              pk=pk)
    if not services.may_manage_worker(user, link.worker):
        raise PermissionDenied
    services.unlink_volunteer(link, by=user)
    messages.success(request, _("The volunteer no longer helps this worker."))
    return redirect("workforce:volunteers")


@login_required
@require_POST
@created_once
def volunteer_hours(request: HttpRequest, pk: int) -> HttpResponse:
    """The volunteer logs their own hours (from "my social work")."""
    user = current_user(request)
    link = get_object_or_404(VolunteerLink.objects.select_related("volunteer", "worker"),
                             pk=pk, volunteer__account=user)
    form = HoursForm(request.POST)
    if form.is_valid():
        try:
            services.log_volunteer_hours(link, by=user, date=form.cleaned_data["date"],
                                         hours=form.cleaned_data["hours"],
                                         activity=form.cleaned_data["note"]
                                         or _("help to the social worker"))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The hours are logged."))
    else:
        messages.error(request, _("Give the date and the hours (0.5 to 24)."))
    return redirect("workforce:mine")


# --- Family assistants --------------------------------------------------------------------

def assistants_office(request: HttpRequest) -> User:
    user = staff_or_404(request)
    if not (user.role == Role.AKIMAT_OFFICIAL or services.is_national(user)
            or user.role == Role.AUDITOR):
        raise Http404
    return user


@login_required
def assistants(request: HttpRequest) -> HttpResponse:
    user = assistants_office(request)
    organisation = user.organisation
    region_id = organisation.region_id if organisation is not None else None
    may_register = services.is_akimat_of(user, region_id)
    form = AssistantForm(request.POST or None, persons=Person.objects.visible_to(user)) \
        if may_register else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                registration = services.register_assistant(
                    data["assistant"], data["recipient"], by=user,
                    hourly_rate=data["hourly_rate"], registered_on=data["registered_on"])
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("The family assistant is registered."))
                return redirect("workforce:assistant", pk=registration.pk)
    rows = FamilyAssistant.objects.visible_to(user).select_related(
        "assistant", "recipient__region").order_by("recipient__last_name", "pk")
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    record_access(request.path, Person, sorted({p for r in page
                                                for p in (r.assistant_id, r.recipient_id)}),
                  purpose="social work: family assistants")
    return render(request, "workforce/assistants.html", {"form": form, "page": page,
                                                         "query": ""})


def _registration_for(request: HttpRequest, pk: int) -> FamilyAssistant:
    user = assistants_office(request)
    return get_visible_or_404(FamilyAssistant.objects.select_related(
        "assistant", "recipient__region"), user, pk=pk)


@login_required
def assistant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    registration = _registration_for(request, pk)
    today = timezone.localdate()
    previous = (today.replace(day=1) - dt.timedelta(days=1))
    may_act = services.is_akimat_of(user, registration.recipient.region_id)
    may_compute = may_act or services.is_national(user)
    hours_form = HoursForm(prefix="hours")
    month_form = MonthForm(prefix="pay", initial={"year": previous.year,
                                                  "month": previous.month})
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "hours" and may_act:
                hours_form = HoursForm(request.POST, prefix="hours")
                if hours_form.is_valid():
                    services.log_assistant_hours(registration, by=user,
                                                 **hours_form.cleaned_data)
                    messages.success(request, _("The hours are logged."))
                    return redirect("workforce:assistant", pk=pk)
            elif action == "pay" and may_compute:
                month_form = MonthForm(request.POST, prefix="pay")
                if month_form.is_valid():
                    payment = services.compute_assistant_payment(
                        registration, month_form.cleaned_data["year"],
                        month_form.cleaned_data["month"], by=user)
                    messages.success(request, _("The payment for %(period)s is computed: "
                                                "%(amount)s.")
                                     % {"period": payment.period.strftime("%m.%Y"),
                                        "amount": money.tenge(payment.amount)})
                    return redirect("workforce:assistant", pk=pk)
            elif action == "end" and may_act:
                services.end_assistant(registration, by=user)
                messages.success(request, _("The registration has ended."))
                return redirect("workforce:assistant", pk=pk)
            else:
                raise PermissionDenied
        except ValidationError as error:
            target = hours_form if action == "hours" else month_form
            add_errors(target, error)
    record_access(request.path, Person, [registration.assistant_id,
                                         registration.recipient_id],
                  purpose="social work: family assistant")
    entitlement = services.assistant_entitlement(registration.recipient, today)
    return render(request, "workforce/assistant.html", {
        "registration": registration, "hours": registration.hours.all()[:62],
        "payments": registration.payments.all(), "hours_form": hours_form,
        "month_form": month_form, "may_act": may_act, "may_compute": may_compute,
        "entitlement": entitlement})


@login_required
@require_POST
def assistant_hours(request: HttpRequest, pk: int) -> HttpResponse:
    """The assistant logs their own hours (from "my social work")."""
    user = current_user(request)
    registration = get_object_or_404(FamilyAssistant.objects.select_related(
        "recipient", "assistant"), pk=pk, assistant__account=user)
    form = HoursForm(request.POST)
    if form.is_valid():
        try:
            services.log_assistant_hours(registration, by=user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The hours are logged; %(name)s is asked to confirm "
                                        "them.") % {"name": registration.recipient.full_name})
    else:
        messages.error(request, _("Give the date and the hours (0.5 to 24)."))
    return redirect("workforce:mine")


@login_required
@require_POST
def assistant_hours_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    row = get_object_or_404(AssistantHours.objects.select_related(
        "assistant__recipient", "assistant__assistant"), pk=pk)
    registration = row.assistant
    akimat = services.is_akimat_of(user, registration.recipient.region_id)
    if not (akimat or services.is_recipient_side(user, registration.recipient)
            or services.is_the_assistant(user, registration)):
        raise Http404
    services.confirm_assistant_hours(row, by=user)
    messages.success(request, _("The hours of %(date)s are confirmed.")
                     % {"date": row.date.strftime("%d.%m.%Y")})
    if akimat and request.POST.get("next") != "mine":
        return redirect("workforce:assistant", pk=registration.pk)
    return redirect("workforce:mine")
