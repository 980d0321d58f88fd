"""Pages of case management and proactive services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tendik.cases import assessment, planning, rules, services, timeline
from tendik.cases.forms import (
    AnswerForm,
    AssessmentForm,
    CaseForm,
    ConsentForm,
    GoalForm,
    MoveForm,
    NoteForm,
    ProposeForm,
    ReferForm,
    ServiceForm,
)
from tendik.cases.models import (
    Case,
    Domain,
    Goal,
    Hit,
    PlannedService,
    ProactiveOffer,
    Referral,
    Rule,
    RuleRun,
    Task,
)
from tendik.core.audit import acting_as, record_access, record_event
from tendik.core.forms import add_errors
from tendik.core.models import AuditEvent, Role, User
from tendik.core.once import created_once
from tendik.people.models import Person
from tendik.portal.journey import persons_for

State = Case.State
STAFF = (Role.CASE_MANAGER, Role.SOCIAL_WORKER, Role.AKIMAT_OFFICIAL, Role.AGENCY_EXECUTOR)


def _case_for(request: HttpRequest, pk: int) -> Case:
    """The case if the user is on it; otherwise 404, and the attempt is logged."""
    user: User = request.user  # type: ignore[assignment]
    case = Case.objects.select_related("manager", "team", "person", "family", "region") \
        .filter(pk=pk).first()
    if case is None or not services.may_see(user, case):
        record_event(AuditEvent.Action.ACCESS_REFUSED, model="cases.case",
                     object_id=str(pk), object_repr=request.path)
        raise Http404
    record_access(request.path, Person, [p.pk for p in case.persons()], purpose="case")
    return case


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if user.role not in STAFF and not user.has_perm(services.SUPERVISE):
        raise Http404
    cases = services.cases_for(user).select_related("person", "family", "manager")
    state = request.GET.get("state", "")
    if state in State.values:
        cases = cases.filter(state=state)
    page = Paginator(cases.order_by("-opened_at", "-pk"), 50).get_page(request.GET.get("page"))
    record_access(request.path, Person, [c.person_id for c in page if c.person_id],
                  purpose="case list")
    # The default ordering and the team join would split the groups: one count per state
    # over the distinct visible cases.
    counts = dict(Case.objects.filter(pk__in=services.cases_for(user).values("pk"))
                  .order_by().values_list("state").annotate(n=models.Count("pk")))
    return render(request, "cases/case_list.html", {
        "page": page, "state": state, "query": f"state={state}" if state else "",
        "states": [(s, counts.get(s.value, 0)) for s in State],
        "may_open": user.role in (Role.CASE_MANAGER, Role.AKIMAT_OFFICIAL)})


@login_required
@created_once
def case_new(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if user.role not in (Role.CASE_MANAGER, Role.AKIMAT_OFFICIAL):
        raise Http404
    form = CaseForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = Person.objects.filter(iin=data["iin"]).first()
        if person is None or (user.organisation is not None and user.organisation.region_id
                              and person.region_id != user.organisation.region_id):
            form.add_error("iin", _("No person with this IIN is registered in your region: "
                                    "check the number with the person's identity card, or "
                                    "ask the akimat to register the person first."))
        else:
            family_link = person.families.select_related("family").first()
            if data["whole_family"] and family_link is None:
                form.add_error("whole_family", _("This person has no family card."))
            else:
                try:
                    case = services.open_case(
                        by=user, manager=data["manager"], summary=data["summary"],
                        team=data["team"],
                        person=None if data["whole_family"] else person,
                        family=family_link.family if data["whole_family"] and family_link
                        else None)
                except ValidationError as error:
                    add_errors(form, error)
                else:
                    messages.success(request, _("Case %(number)s is opened.")
                                     % {"number": case.number})
                    return redirect("cases:case", pk=case.pk)
    return render(request, "cases/case_new.html", {"form": form})


def _case_context(case: Case, user: User, *, failed: Any = None,
                  failed_service: int | None = None, **forms: Any) -> dict[str, Any]:
    """The case page. `failed` is the form that was sent and refused: its errors are
    summarised at the top and shown on that form only."""
    latest = case.assessments.order_by("-at").first()
    goals = list(case.goals.prefetch_related("services__referrals", "services__agency"))
    for goal in goals:
        for service in goal.services.all():
            service.refer_form = failed if (  # type: ignore[attr-defined]
                failed is not None and service.pk == failed_service) else ReferForm(
                prefix=f"s{service.pk}")
    questions = assessment.FORMS[latest.form_version] if latest else []
    persons = case.persons()
    may_work = services.may_work(user, case)
    missing = services.missing_consents(case)
    failed_consent = forms.get("consent_form")
    consent_forms = [(person, failed_consent if failed_consent is not None
                      and failed_consent.prefix == f"c{person.pk}"
                      else ConsentForm(prefix=f"c{person.pk}"))
                     for person in missing] if may_work else []
    workers = services.workers_for(case) if may_work and case.state != State.CLOSED \
        else None
    propose_form = forms.get("propose_form") or (ProposeForm(
        prefix="propose", persons=persons, workers=workers) if workers is not None else None)
    return {
        "case": case, "persons": persons, "latest": latest,
        "scores": [(Domain(d).label, s) for d, s in (latest.scores.items() if latest else [])],
        "questions": questions,
        "goals": goals, "failed": failed,
        "events": timeline.entries(case, case.events.select_related("by__organisation")),
        "referrals": case.referrals.select_related("agency"),
        "moves": [(State(s), MoveForm(initial={"to": s}, prefix=s))
                  for s in sorted(Case.TRANSITIONS[case.state],
                                  key=list(State.values).index)],
        "may_work": may_work,
        "is_supervisor": services.is_supervisor_of(user, case),
        "missing_consents": [p.full_name for p in missing],
        "consent_forms": consent_forms,
        "propose_form": propose_form,
        "assignments": _assignments_of(persons),
        "goal_form": forms.get("goal_form") or GoalForm(prefix="goal"),
        "service_form": forms.get("service_form") or ServiceForm(
            agencies=services.agencies_for(case)),
        "note_form": forms.get("note_form") or NoteForm(prefix="note"),
        "team": case.team.memberships.select_related("user") if case.team else [],
    }


def _assignments_of(persons: list[Person]) -> list[Any]:
    """The social workers serving the persons of the case now."""
    from tendik.workforce.models import Assignment, open_on

    return list(Assignment.objects.filter(open_on(timezone.localdate()),
                                          person__in=persons).select_related(
        "worker__employer", "person").order_by("person__last_name", "start"))


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    case = _case_for(request, pk)
    return render(request, "cases/case.html", _case_context(case, user))


def _fail(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
@require_POST
def case_move(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    case = _case_for(request, pk)
    to = request.POST.get("to", "")
    form = MoveForm(request.POST, prefix=to)
    if to not in State.values or not form.is_valid():
        raise Http404
    try:
        services.move(case, to, by=user, comment=form.cleaned_data["comment"])
    except PermissionDenied:
        messages.error(request, _("Only the case manager or their supervisor makes this "
                                  "step, and only a supervisor approves a closure: ask the "
                                  "supervisor."))
    except ValidationError as error:
        _fail(request, error)
    else:
        messages.success(request, _("The case is now: %(state)s.") % {"state": State(to).label})
    return redirect("cases:case", pk=case.pk)


@login_required
@created_once
def case_assess(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    case = _case_for(request, pk)
    form = AssessmentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.assess(case, form.answers(), form.cleaned_data["notes"], by=user)
        except PermissionDenied as denied:
            raise Http404 from denied
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The assessment is saved."))
            return redirect("cases:case", pk=case.pk)
    return render(request, "cases/assessment.html", {"case": case, "form": form,
                                                     "version": assessment.CURRENT_VERSION})


@login_required
@created_once
def goal_new(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    case = _case_for(request, pk)
    form = GoalForm(request.POST if request.method == "POST" else None, prefix="goal")
    if request.method == "POST" and form.is_valid():
        try:
            services.add_goal(case, by=user, **form.cleaned_data)
        except PermissionDenied as denied:
            raise Http404 from denied
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect("cases:case", pk=case.pk)
    return render(request, "cases/case.html", _case_context(
        case, user, goal_form=form, failed=form if form.errors else None))


@login_required
@created_once
def service_new(request: HttpRequest, pk: int, goal_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    case = _case_for(request, pk)
    goal = get_object_or_404(Goal, pk=goal_id, case=case)
    form = ServiceForm(request.POST or None, agencies=services.agencies_for(case))
    if request.method == "POST" and form.is_valid():
        try:
            services.add_service(goal, by=user, **form.cleaned_data)
        except PermissionDenied as denied:
            raise Http404 from denied
        except ValidationError as error:
            _fail(request, error)
    elif request.method == "POST":
        messages.error(request, _("Give the service, choose an agency of the list and give "
                                  "the due date."))
    return redirect("cases:case", pk=case.pk)


@login_required
@require_POST
def consent_record(request: HttpRequest, pk: int, person_id: int) -> HttpResponse:
    """The case manager records the consent a person of the case signed."""
    user: User = request.user  # type: ignore[assignment]
    case = _case_for(request, pk)
    persons = case.persons()
    person = next((p for p in persons if p.pk == person_id), None)
    if person is None:
        raise Http404
    if not services.may_work(user, case):
        raise PermissionDenied
    form = ConsentForm(request.POST, prefix=f"c{person.pk}")
    if form.is_valid():
        try:
            services.record_consent(case, person, by=user, confirmed=True)
        except ValidationError as error:
            add_errors(form, error)
    if form.errors:
        return render(request, "cases/case.html", _case_context(
            case, user, failed=form, consent_form=form))
    messages.success(request, _("The consent of %(name)s is recorded: referrals go with "
                                "it.") % {"name": person.full_name})
    return redirect("cases:case", pk=case.pk)


@login_required
@require_POST
@created_once
def worker_propose(request: HttpRequest, pk: int) -> HttpResponse:
    """The case manager proposes a social worker for a person of the case."""
    user: User = request.user  # type: ignore[assignment]
    case = _case_for(request, pk)
    if not services.may_work(user, case):
        raise PermissionDenied
    persons = case.persons()
    form = ProposeForm(request.POST, prefix="propose", persons=persons,
                       workers=services.workers_for(case))
    if form.is_valid():
        try:
            assignment = services.propose_worker(case, form.cleaned_data["person"],
                                                 form.cleaned_data["worker"], by=user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _(
                "%(worker)s now serves %(person)s. The person may end this and choose "
                "another social worker at any time.") % {
                "worker": assignment.worker.full_name, "person": assignment.person.full_name})
            return redirect("cases:case", pk=case.pk)
    return render(request, "cases/case.html", _case_context(
        case, user, failed=form, propose_form=form))


@login_required
@require_POST
@created_once
def service_refer(request: HttpRequest, pk: int, service_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    case = _case_for(request, pk)
    service = get_object_or_404(PlannedService, pk=service_id, goal__case=case)
    form = ReferForm(request.POST, prefix=f"s{service.pk}")
    form.is_valid()
    try:
        services.refer(service, by=user,
                       override_reason=form.cleaned_data.get("override_reason", ""))
    except PermissionDenied as denied:
        raise Http404 from denied
    except ValidationError as error:
        add_errors(form, error)
        return render(request, "cases/case.html", _case_context(
            case, user, failed=form, failed_service=service.pk))
    messages.success(request, _("The referral is sent to %(agency)s.")
                     % {"agency": service.agency.name})
    return redirect("cases:case", pk=case.pk)


@login_required
@require_POST
def goal_state(request: HttpRequest, pk: int, goal_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    case = _case_for(request, pk)
    goal = get_object_or_404(Goal, pk=goal_id, case=case)
    state = request.POST.get("state", "")
    if state not in Goal.State.values:
        raise Http404
    try:
        services.set_goal(goal, state, by=user)
    except PermissionDenied as denied:
        raise Http404 from denied
    return redirect("cases:case", pk=case.pk)


@login_required
@require_POST
@created_once
def case_note(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    case = _case_for(request, pk)
    form = NoteForm(request.POST, prefix="note")
    if form.is_valid():
        services.add_note(case, form.cleaned_data["text"], by=user)
        messages.success(request, _("The note is added."))
        return redirect("cases:case", pk=case.pk)
    return render(request, "cases/case.html", _case_context(case, user, note_form=form,
                                                            failed=form))


@login_required
def referrals(request: HttpRequest) -> HttpResponse:
    """Referrals to the user's agency: accept or reject, then say when it is done."""
    user: User = request.user  # type: ignore[assignment]
    if user.organisation is None:
        raise Http404
    inbox = Referral.objects.filter(agency=user.organisation).select_related(
        "service", "case__person", "case__family")
    if request.method == "POST":
        referral = get_object_or_404(inbox, pk=request.POST.get("referral"))
        form = AnswerForm(request.POST, prefix=f"r{referral.pk}")
        try:
            if request.POST.get("action") == "done":
                services.complete_referral(referral, by=user)
            elif form.is_valid():
                services.answer_referral(referral, form.cleaned_data["accept"],
                                         form.cleaned_data["text"], by=user)
            else:
                raise ValidationError(_("Choose accept or reject."))
        except ValidationError as error:
            _fail(request, error)
        else:
            messages.success(request, _("The answer is recorded."))
        return redirect("cases:referrals")
    page = Paginator(inbox.order_by("-sent_at"), 50).get_page(request.GET.get("page"))
    record_access(request.path, Person, [r.case.person_id for r in page if r.case.person_id],
                  purpose="referrals")
    return render(request, "cases/referrals.html", {
        "page": page, "query": "",
        "forms": {r.pk: AnswerForm(prefix=f"r{r.pk}") for r in page}})


@login_required
def caseload(request: HttpRequest) -> HttpResponse:
    """Case managers' caseloads by state, for supervisors and akimats."""
    user: User = request.user  # type: ignore[assignment]
    if user.has_perm(services.SUPERVISE) and user.organisation_id:
        cases = Case.objects.filter(manager__organisation_id=user.organisation_id)
    elif user.role == Role.AKIMAT_OFFICIAL or user.has_national_scope:
        cases = Case.objects.visible_to(user)
    else:
        raise Http404
    rows: dict[int, dict[str, Any]] = {}
    for manager_id, state, n in cases.values_list("manager_id", "state").annotate(
            n=models.Count("pk")):
        rows.setdefault(manager_id, {"open": 0, "closed": 0})
        rows[manager_id]["closed" if state == State.CLOSED else "open"] += n
    managers = {u.pk: u for u in User.objects.filter(pk__in=rows)}
    table = sorted(((managers[pk], row) for pk, row in rows.items()),
                   key=lambda item: -item[1]["open"])
    return render(request, "cases/caseload.html", {"table": table})


@login_required
def my_offers(request: HttpRequest) -> HttpResponse:
    """What the platform found for the persons the user acts for, and why."""
    user: User = request.user  # type: ignore[assignment]
    offers = ProactiveOffer.objects.filter(hit__person__in=persons_for(user)).select_related(
        "hit__rule", "hit__person")
    if request.method == "POST":
        offer = get_object_or_404(offers, pk=request.POST.get("offer"))
        answer = request.POST.get("answer")
        if answer in (ProactiveOffer.State.ACCEPTED, ProactiveOffer.State.DECLINED):
            with acting_as(user=user):
                ProactiveOffer.objects.filter(pk=offer.pk).update(state=answer)
                record_event("update", offer, changes={"state": [offer.state, answer]})
            messages.success(request, _("Thank you: the responsible specialist will see "
                                        "your answer."))
        return redirect("cases:my_offers")
    ProactiveOffer.objects.filter(pk__in=[o.pk for o in offers],
                                  state=ProactiveOffer.State.NEW).update(
        state=ProactiveOffer.State.SEEN)
    return render(request, "cases/my_offers.html", {"offers": offers})


@login_required
def tasks(request: HttpRequest) -> HttpResponse:
    """Proactive tasks of a case manager (theirs) or an akimat (its region's)."""
    user: User = request.user  # type: ignore[assignment]
    if user.role == Role.AKIMAT_OFFICIAL:
        queue = Task.objects.filter(organisation=user.organisation)
    elif user.role == Role.CASE_MANAGER:
        queue = Task.objects.filter(assignee=user)
    else:
        raise Http404
    if request.method == "POST":
        task = get_object_or_404(queue, pk=request.POST.get("task"))
        with acting_as(user=user):
            Task.objects.filter(pk=task.pk, state=Task.State.OPEN).update(
                state=Task.State.DONE, done_at=timezone.now(), done_by=user,
                note=request.POST.get("note", "")[:2000])
            record_event("update", task, changes={"state": [task.state, "done"]})
        messages.success(request, _("The task is done."))
        return redirect("cases:tasks")
    state = request.GET.get("state", Task.State.OPEN)
    shown = queue.filter(state=state) if state in Task.State.values else queue
    page = Paginator(shown.select_related("hit__rule", "hit__person", "hit__offer")
                     .order_by("due", "pk"), 50).get_page(request.GET.get("page"))
    record_access(request.path, Person, [t.hit.person_id for t in page], purpose="tasks")
    return render(request, "cases/tasks.html", {"page": page, "state": state,
                                                "query": f"state={state}"})


@login_required
def rule_list(request: HttpRequest) -> HttpResponse:
    """The rules with their hits; МТСЗН analysts switch them on and off."""
    user: User = request.user  # type: ignore[assignment]
    if not (user.role in (Role.ANALYST, Role.AKIMAT_OFFICIAL, Role.CASE_MANAGER)
            or user.is_superuser):
        raise Http404
    may_switch = user.role == Role.ANALYST or user.is_superuser
    if request.method == "POST":
        if not may_switch:
            raise Http404
        rule = get_object_or_404(Rule, code=request.POST.get("rule"))
        with acting_as(user=user):
            rule.enabled = request.POST.get("enabled") == "1"
            rule.save()
        messages.success(request, _("The rule is switched on.") if rule.enabled
                         else _("The rule is switched off; its history stays."))
        return redirect("cases:rules")
    rules.load_rules()
    counts = dict(Hit.objects.values_list("rule_id").annotate(n=models.Count("pk")))
    return render(request, "cases/rules.html", {
        "rules": [(r, counts.get(r.pk, 0)) for r in Rule.objects.all()],
        "runs": RuleRun.objects.all()[:10], "may_switch": may_switch})


def needs(request: HttpRequest) -> HttpResponse:
    """Public: detected and met needs by region, rule and month, and next year's demand."""
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    detected = planning.detected(year)
    return render(request, "cases/needs.html", {
        "year": year, "years": range(today.year, 2018, -1), "detected": detected,
        "months": [(MONTHS[m], found, met) for m, found, met in detected.by_month],
        "forecast": planning.forecast(year + 1)})
