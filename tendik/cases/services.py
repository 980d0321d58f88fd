"""Case management actions. Each takes the acting user, checks what that user may do on
this case, owns its transaction and writes the case's timeline."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tendik.cases import assessment as form
from tendik.cases.models import (
    Assessment,
    Case,
    CaseEvent,
    Goal,
    PlannedService,
    Referral,
    Team,
)
from tendik.core.audit import acting_as
from tendik.core.models import Organisation, Role, User
from tendik.people.models import Consent, Family, Person, active_consent
from tendik.workforce import services as workforce
from tendik.workforce.models import Assignment, SocialWorker

State = Case.State
SUPERVISE = "cases.supervise_case"


def is_supervisor_of(user: User, case: Case) -> bool:
    """A supervisor oversees the case managers of their own organisation."""
    return (user.is_authenticated and user.has_perm(SUPERVISE)
            and user.organisation_id is not None
            and user.organisation_id == case.manager.organisation_id)


def is_on_team(user: User, case: Case) -> bool:
    return case.team_id is not None and case.team.memberships.filter(  # type: ignore[union-attr]
        user=user).exists()


def may_see(user: Any, case: Case) -> bool:
    """The case's manager, its team and the managers' supervisors; nobody else."""
    if not getattr(user, "is_authenticated", False):
        return False
    return case.manager_id == user.pk or is_on_team(user, case) or is_supervisor_of(user,
                                                                                     case)


def may_work(user: User, case: Case) -> bool:
    """Who changes the case: its manager, or a supervisor standing in."""
    return case.manager_id == user.pk or is_supervisor_of(user, case)


def cases_for(user: Any) -> models.QuerySet[Case]:
    """The cases a user may see, as one query."""
    if not getattr(user, "is_authenticated", False):
        return Case.objects.none()
    visible = models.Q(manager=user) | models.Q(team__memberships__user=user)
    if user.has_perm(SUPERVISE) and user.organisation_id:
        visible |= models.Q(manager__organisation_id=user.organisation_id)
    return Case.objects.filter(visible).distinct()


def log(case: Case, kind: str, by: User | None, text: str = "",
        **data: Any) -> CaseEvent:
    return CaseEvent.objects.create(case=case, kind=kind, by=by, text=text, data=data)


# The kinds of organisation that sit on interagency teams and take referrals: the akimat,
# social service providers, non-governmental organisations. Suppliers of aids, ministries
# and commissions do not work cases.
AGENCY_KINDS = (Organisation.Kind.AKIMAT, Organisation.Kind.SERVICE_PROVIDER,
                Organisation.Kind.NGO)


def agencies_for(case: Case) -> models.QuerySet[Organisation]:
    """The agencies a case's services may go to: those of the kinds above in the case's
    region (or without a region), and the organisations of the case's team members."""
    eligible = models.Q(kind__in=AGENCY_KINDS) & (
        models.Q(region__isnull=True) | models.Q(region_id=case.region_id))
    if case.team_id is not None:
        eligible |= models.Q(pk__in=case.team.memberships.exclude(  # type: ignore[union-attr]
            user__organisation__isnull=True).exclude(
            user__organisation__kind=Organisation.Kind.SUPPLIER).values(
            "user__organisation_id"))
    return Organisation.objects.filter(eligible, is_active=True).order_by("kind", "name_ru")


@transaction.atomic
def open_case(*, by: User, manager: User, summary: str, person: Person | None = None,
              family: Family | None = None, team: Team | None = None) -> Case:
    if by.role not in (Role.CASE_MANAGER, Role.AKIMAT_OFFICIAL):
        raise PermissionDenied
    if manager.role != Role.CASE_MANAGER or not manager.is_active:
        raise ValidationError({"manager": _("Choose a case manager.")})
    if (person is None) == (family is None):
        raise ValidationError(_("A case is about one person or one family."))
    if not summary.strip():
        raise ValidationError({"summary": _("Describe the situation.")})
    subject = person or family.members.select_related("person").first().person  # type: ignore[union-attr]
    with acting_as(user=by):
        case = Case.objects.create(person=person, family=family, region=subject.region,
                                   manager=manager, team=team, summary=summary.strip())
        log(case, "opened", by, summary.strip(), manager=manager.pk)
    return case


@transaction.atomic
def move(case: Case, to: str, *, by: User, comment: str = "") -> Case:
    case = Case.objects.select_for_update().select_related("manager").get(pk=case.pk)
    if case.state == to:
        return case
    if not case.can_move_to(to):
        raise ValidationError(_("A case in «%(state)s» cannot move to «%(target)s».") % {
            "state": case.get_state_display(), "target": State(to).label})
    if to == State.CLOSED:
        # Closure is approved by a supervisor, never by the manager who asked for it.
        if not is_supervisor_of(by, case) or by.pk == case.manager_id:
            raise PermissionDenied
    elif not may_work(by, case):
        raise PermissionDenied
    if to == State.ASSESSMENT and case.state == State.CLOSED and not comment.strip():
        raise ValidationError({"comment": _("Say why the case is reopened.")})
    if to == State.CLOSING and case.goals.filter(state=Goal.State.OPEN).exists():
        raise ValidationError(_("Close or drop the open goals first."))
    previous = case.state
    case.state = to
    if to == State.CLOSED:
        case.closed_at, case.closure_approved_by = timezone.now(), by
    if previous == State.CLOSED:
        case.closed_at, case.closure_approved_by = None, None
    with acting_as(user=by, reason=comment.strip()[:300]):
        case.save()
        log(case, f"state:{to}", by, comment.strip(), previous=previous)
    return case


@transaction.atomic
def assess(case: Case, answers: dict[str, int], notes: str, *, by: User) -> Assessment:
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not (may_work(by, case) or is_on_team(by, case)):
        raise PermissionDenied
    if case.state not in (State.ASSESSMENT, State.REVIEW):
        raise ValidationError(_("Needs are assessed at the start and at each review."))
    known = {q.code for q in form.FORMS[form.CURRENT_VERSION]}
    if set(answers) - known or any(not 0 <= int(v) <= 4 for v in answers.values()):
        raise ValidationError(_("Answer each question on the scale from 0 to 4."))
    with acting_as(user=by):
        result = Assessment.objects.create(
            case=case, form_version=form.CURRENT_VERSION, answers=answers,
            scores=form.score(form.CURRENT_VERSION, answers), notes=notes.strip(), by=by)
        log(case, "assessed", by, ", ".join(f"{d}: {s}" for d, s in result.priorities()),
            priorities=[[d, s] for d, s in result.priorities()])
    return result


@transaction.atomic
def add_goal(case: Case, *, domain: str, text: str, due: Any, by: User) -> Goal:
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not may_work(by, case):
        raise PermissionDenied
    if case.state in (State.CLOSING, State.CLOSED, State.INTAKE):
        raise ValidationError(_("Goals are planned after the assessment."))
    with acting_as(user=by):
        goal = Goal.objects.create(case=case, domain=domain, text=text.strip(), due=due)
        log(case, "goal", by, goal.text)
    return goal


@transaction.atomic
def add_service(goal: Goal, *, description: str, agency: Organisation, due: Any,
                by: User) -> PlannedService:
    if not may_work(by, goal.case):
        raise PermissionDenied
    if not agencies_for(goal.case).filter(pk=agency.pk).exists():
        raise ValidationError({"agency": _(
            "%(agency)s does not work cases in this region: choose an agency of the list "
            "(the akimat, a social service provider or an organisation of the team).")
            % {"agency": agency.name}})
    if not description.strip():
        raise ValidationError({"description": _("Say what service is planned.")})
    with acting_as(user=by):
        service = PlannedService.objects.create(goal=goal, description=description.strip(),
                                                agency=agency, due=due)
        log(goal.case, "service", by, f"{service.description} → {agency.code}",
            agency=agency.pk, description=service.description)
    return service


def missing_consents(case: Case) -> list[Person]:
    return [p for p in case.persons()
            if active_consent(p, Consent.Purpose.SHARE_AGENCIES) is None]


@transaction.atomic
def refer(service: PlannedService, *, by: User, override_reason: str = "") -> Referral:
    """Send a planned service to its agency. Refused unless everyone the case is about
    consented to sharing with the team's agencies; an override needs a reason, which
    goes to the audit log and the case's timeline."""
    case = service.goal.case
    if not may_work(by, case):
        raise PermissionDenied
    if service.state != PlannedService.State.PLANNED:
        existing = service.referrals.order_by("-sent_at").first()
        if existing is not None:
            return existing
    missing = missing_consents(case)
    reason = override_reason.strip()
    if missing and not reason:
        raise ValidationError({"override_reason": _(
            "%(names)s gave no consent to share with the team's agencies. Record the "
            "consent, or give the reason to refer without it.") % {
            "names": ", ".join(p.full_name for p in missing)}})
    consent = None if missing else active_consent(case.persons()[0],
                                                  Consent.Purpose.SHARE_AGENCIES)
    with acting_as(user=by, reason=(f"referral without consent: {reason}" if missing
                                    else "")[:300]):
        referral = Referral.objects.create(
            service=service, case=case, agency=service.agency, consent=consent,
            override_reason=reason if missing else "", sent_by=by)
        service.state = PlannedService.State.REFERRED
        service.save()
        log(case, "referral:override" if missing else "referral", by,
            f"{service.agency.code}: {service.description}"
            + (f" — {reason}" if missing else ""), agency=service.agency_id,
            description=service.description, reason=reason if missing else "")
    return referral


@transaction.atomic
def answer_referral(referral: Referral, accept: bool, text: str, *, by: User) -> Referral:
    referral = Referral.objects.select_for_update().select_related("case", "service").get(
        pk=referral.pk)
    if by.organisation_id != referral.agency_id:
        raise PermissionDenied
    target = Referral.State.ACCEPTED if accept else Referral.State.REJECTED
    if referral.state == target:
        return referral
    if referral.state != Referral.State.SENT:
        raise ValidationError(_("This referral was already answered."))
    if not accept and not text.strip():
        raise ValidationError({"text": _("Say why the referral is rejected.")})
    with acting_as(user=by):
        referral.state, referral.answer, referral.answered_by = target, text.strip(), by
        referral.save()
        if not accept:
            referral.service.state = PlannedService.State.PLANNED
            referral.service.save()
        log(referral.case, f"referral:{target}", by, text.strip(),
            agency=referral.agency_id, description=referral.service.description)
    return referral


@transaction.atomic
def complete_referral(referral: Referral, *, by: User, text: str = "") -> Referral:
    referral = Referral.objects.select_for_update().select_related("case", "service").get(
        pk=referral.pk)
    if by.organisation_id != referral.agency_id and not may_work(by, referral.case):
        raise PermissionDenied
    if referral.state == Referral.State.DONE:
        return referral
    if referral.state != Referral.State.ACCEPTED:
        raise ValidationError(_("Only an accepted referral is done."))
    with acting_as(user=by):
        referral.state = Referral.State.DONE
        referral.save()
        referral.service.state = PlannedService.State.DONE
        referral.service.save()
        log(referral.case, "referral:done", by, text.strip(), agency=referral.agency_id,
            description=referral.service.description)
    return referral


@transaction.atomic
def set_goal(goal: Goal, state: str, *, by: User) -> Goal:
    if not may_work(by, goal.case):
        raise PermissionDenied
    with acting_as(user=by):
        goal.state = state
        goal.save()
        log(goal.case, f"goal:{state}", by, goal.text)
    return goal


@transaction.atomic
def add_note(case: Case, text: str, *, by: User) -> CaseEvent:
    if not may_see(by, case):
        raise PermissionDenied
    if not text.strip():
        raise ValidationError({"text": _("Write the note.")})
    return log(case, "note", by, text.strip())


def _person_of(case: Case, person: Person) -> Person:
    for member in case.persons():
        if member.pk == person.pk:
            return member
    raise PermissionDenied


@transaction.atomic
def record_consent(case: Case, person: Person, *, by: User, confirmed: bool) -> Consent:
    """The case manager records the consent a person of the case (or their legal
    representative) gave in writing to share their data with the team's agencies. Once
    recorded, a second click changes nothing."""
    if not may_work(by, case):
        raise PermissionDenied
    person = _person_of(case, person)
    existing = active_consent(person, Consent.Purpose.SHARE_AGENCIES)
    if existing is not None:
        return existing
    if not confirmed:
        raise ValidationError({"confirmed": _(
            "Tick that %(name)s (or their legal representative) signed the consent; "
            "keep the signed form in the case file.") % {"name": person.full_name}})
    with acting_as(user=by, reason=f"consent recorded on case {case.number}"):
        consent = Consent.objects.create(person=person,
                                         purpose=Consent.Purpose.SHARE_AGENCIES)
        log(case, "consent", by, person.full_name, person=person.pk)
    return consent


def workers_for(case: Case) -> models.QuerySet[SocialWorker]:
    """The social workers a case manager may propose: active, certified today, serving the
    case's region, with a free place."""
    today = timezone.localdate()
    return SocialWorker.objects.filter(active=True, regions=case.region_id) \
        .with_figures(today).filter(  # type: ignore[misc]
            certified=True, caseload__lt=models.F("capacity")) \
        .select_related("employer").order_by("last_name", "first_name", "pk")


@transaction.atomic
def propose_worker(case: Case, person: Person, worker: SocialWorker, *,
                   by: User) -> Assignment:
    """The case manager proposes a social worker for a person of the case: the worker
    serves the person from today, and the person keeps the free choice (they may end it
    and choose another worker at any time)."""
    if not may_work(by, case):
        raise PermissionDenied
    person = _person_of(case, person)
    assignment = workforce.assign_worker(person, worker, by=by)
    log(case, "worker", by, f"{worker.full_name}: {person.full_name}", worker=worker.pk,
        person=person.pk, assignment=assignment.pk)
    return assignment
