"""Every write of the workforce registry: one transaction each, the permission check
first, audit events from the models.

    who                                               may
    the recipient or their legal representative       choose a worker, end the choice,
                                                      confirm visits and assistant hours,
                                                      rate a worker who served them
    akimat official of the recipient's region         choose or end for a recipient,
                                                      register family assistants, log and
                                                      confirm their hours, compute payments
    akimat official of the employer's region,         register workers, certify them,
    МТСЗН analyst                                     register and link volunteers
    the employer's staff                              register workers and volunteers,
                                                      link volunteers, log their hours
    the case manager of the recipient's case          propose a worker (tendik.cases)
    the worker (their own account)                    log visits to their recipients
    the family assistant (their own account)          log their hours
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tendik.core.audit import acting_as
from tendik.core.models import Organisation, Region, Role, User
from tendik.people.models import FamilyMember, Person
from tendik.portal.journey import acts_for
from tendik.portal.models import Entitlement
from tendik.workforce.models import (
    MAX_VOLUNTEERS,
    PERSONAL_ASSISTANT,
    Assignment,
    AssistantHours,
    AssistantPayment,
    Certificate,
    FamilyAssistant,
    SocialWorker,
    Visit,
    Volunteer,
    VolunteerHours,
    VolunteerLink,
    WorkerRating,
    open_on,
    to_tenge,
)

# --- Who may do what ----------------------------------------------------------------------


def is_national(user: Any) -> bool:
    return bool(user.is_authenticated and (user.role == Role.ANALYST or user.is_superuser))


def is_akimat_of(user: Any, region_id: int | None) -> bool:
    organisation = user.organisation if user.is_authenticated else None
    return bool(region_id is not None and user.role == Role.AKIMAT_OFFICIAL
                and organisation is not None and organisation.kind == Organisation.Kind.AKIMAT
                and organisation.region_id == region_id)


def is_employer_staff(user: Any, organisation_id: int | None) -> bool:
    return bool(user.is_authenticated and user.is_staff_role and organisation_id is not None
                and user.role in (Role.SOCIAL_WORKER, Role.CASE_MANAGER)
                and user.organisation_id == organisation_id)


def is_the_worker(user: Any, worker: SocialWorker) -> bool:
    return bool(user.is_authenticated and worker.account_id == user.pk)


def may_manage_worker(user: Any, worker_or_employer: SocialWorker | Organisation) -> bool:
    """Register the worker's certificates and link volunteers: the akimat of the employer's
    region, the МТСЗН, the employer's staff (certificates excepted, see below)."""
    employer = worker_or_employer.employer if isinstance(worker_or_employer, SocialWorker) \
        else worker_or_employer
    return is_national(user) or is_akimat_of(user, employer.region_id) \
        or is_employer_staff(user, employer.pk)


def may_certify(user: Any, worker: SocialWorker) -> bool:
    # The employer does not certify its own staff: the assessment is independent.
    return is_national(user) or is_akimat_of(user, worker.employer.region_id)


def may_choose_for(user: Any, person: Person) -> bool:
    return acts_for(user, person) or is_akimat_of(user, person.region_id)


def is_recipient_side(user: Any, person: Person) -> bool:
    return bool(user.is_authenticated) and acts_for(user, person)


def check_past(day: dt.date, field: str = "date") -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})


# --- The registry -------------------------------------------------------------------------

@transaction.atomic
def register_worker(*, by: User, employer: Organisation, regions: list[Region],
                    **fields: Any) -> SocialWorker:
    if not may_manage_worker(by, employer):
        raise PermissionDenied
    worker = SocialWorker(employer=employer, **fields)
    worker.full_clean()
    if not regions:
        raise ValidationError({"regions": _("Choose at least one region served.")})
    with acting_as(user=by):
        worker.save()
        worker.regions.set(regions)
    return worker


@transaction.atomic
def register_certificate(worker: SocialWorker, *, by: User, number: str, issued_on: dt.date,
                         expires_on: dt.date, assessor: str) -> Certificate:
    if not may_certify(by, worker):
        raise PermissionDenied
    number = number.strip()
    if Certificate.objects.filter(number=number).exists():
        raise ValidationError({"number": _("A certificate with this number is already "
                                           "registered.")})
    certificate = Certificate(worker=worker, number=number, issued_on=issued_on,
                              expires_on=expires_on, assessor=assessor.strip(),
                              registered_by=by)
    certificate.full_clean()
    with acting_as(user=by):
        certificate.save()
    return certificate


# --- Choosing a worker, visits, ratings ---------------------------------------------------

@transaction.atomic
def choose_worker(person: Person, worker: SocialWorker, *, by: User,
                  start: dt.date | None = None) -> Assignment:
    """The recipient's free choice of a worker, within the worker's capacity."""
    if not may_choose_for(by, person):
        raise PermissionDenied
    return assign_worker(person, worker, by=by, start=start)


@transaction.atomic
def assign_worker(person: Person, worker: SocialWorker, *, by: User,
                  start: dt.date | None = None) -> Assignment:
    """The assignment itself, for a caller that has checked that `by` may make it: the
    recipient's side or the akimat (choose_worker above), the person's case manager
    (tendik.cases.services.propose_worker)."""
    start = start or timezone.localdate()
    # The row lock serialises choices of one worker: two recipients cannot both take the
    # last free place.
    worker = SocialWorker.objects.select_for_update().select_related("employer").get(
        pk=worker.pk)
    if not worker.active:
        raise ValidationError(_("This social worker no longer takes recipients."))
    if worker.certificate_on(start) is None:
        raise ValidationError(_("This social worker has no valid certificate of the "
                                "independent assessment, so they cannot be assigned. Choose "
                                "a certified worker."))
    if not worker.regions.filter(pk=person.region_id).exists():
        raise ValidationError(_("This social worker does not serve %(region)s.")
                              % {"region": person.region.name})
    if worker.assignments.filter(person=person).filter(
            models.Q(end__isnull=True) | models.Q(end__gte=start)).exists():
        raise ValidationError(_("%(name)s is already served by this social worker.")
                              % {"name": person.full_name})
    if worker.caseload_on(start) >= worker.capacity:
        raise ValidationError(_("This social worker has no free place: they already serve "
                                "%(capacity)s recipients. Choose another worker.")
                              % {"capacity": worker.capacity})
    assignment = Assignment(worker=worker, person=person, start=start, chosen_by=by)
    with acting_as(user=by):
        try:
            with transaction.atomic():
                assignment.save()
        except IntegrityError:
            raise ValidationError(_("%(name)s is already served by this social worker.")
                                  % {"name": person.full_name}) from None
    return assignment


@transaction.atomic
def end_assignment(assignment: Assignment, *, by: User, end: dt.date | None = None,
                   reason: str = "") -> Assignment:
    """The recipient may leave a worker at any time (and choose another); the akimat and
    the employer may end the service too, saying why."""
    assignment = Assignment.objects.select_for_update().select_related(
        "person", "worker__employer").get(pk=assignment.pk)
    recipient = is_recipient_side(by, assignment.person)
    if not (recipient or is_akimat_of(by, assignment.person.region_id)
            or is_employer_staff(by, assignment.worker.employer_id)):
        raise PermissionDenied
    if assignment.end is not None and assignment.end <= timezone.localdate():
        return assignment
    end = end or timezone.localdate()
    reason = reason.strip()
    if not recipient and not reason:
        raise ValidationError({"reason": _("Say why the service ends.")})
    if end < assignment.start:
        raise ValidationError({"end": _("The end comes after the start (%(start)s).")
                               % {"start": assignment.start.strftime("%d.%m.%Y")}})
    if assignment.visits.filter(date__gt=end).exists():
        raise ValidationError({"end": _("Visits are logged after this date.")})
    assignment.end, assignment.end_reason = end, reason[:300]
    with acting_as(user=by):
        assignment.save(update_fields=["end", "end_reason"])
    return assignment


@transaction.atomic
def log_visit(assignment: Assignment, *, by: User, date: dt.date, minutes: int,
              services: list[str], note: str = "") -> Visit:
    """The worker logs a visit to a recipient they serve."""
    if not is_the_worker(by, assignment.worker):
        raise PermissionDenied
    check_past(date)
    if not assignment.is_open_on(date):
        raise ValidationError({"date": _("The recipient was not served by you on this "
                                         "day.")})
    offered = set(assignment.worker.services)
    if set(services) - offered:
        raise ValidationError({"services": _("Choose among the services you offer.")})
    visit = Visit(assignment=assignment, date=date, minutes=minutes, services=list(services),
                  note=note.strip(), logged_by=by)
    visit.full_clean()
    with acting_as(user=by):
        visit.save()
    return visit


@transaction.atomic
def confirm_visit(visit: Visit, *, by: User) -> Visit:
    visit = Visit.objects.select_for_update().select_related("assignment__person").get(
        pk=visit.pk)
    if not is_recipient_side(by, visit.assignment.person):
        raise PermissionDenied
    if visit.confirmed_at is not None:
        return visit  # a double click changes nothing
    visit.confirmed_at, visit.confirmed_by = timezone.now(), by
    with acting_as(user=by):
        visit.save(update_fields=["confirmed_at", "confirmed_by"])
    return visit


def was_served(person: Person, worker: SocialWorker) -> bool:
    """Served means at least one visit the recipient confirmed: an assignment alone, or a
    visit the worker logged and nobody confirmed, does not count."""
    return Visit.objects.filter(assignment__worker=worker, assignment__person=person,
                                confirmed_at__isnull=False).exists()


@transaction.atomic
def rate_worker(worker: SocialWorker, person: Person, *, by: User, stars: int,
                comment: str = "") -> WorkerRating:
    if not is_recipient_side(by, person):
        raise PermissionDenied
    if not was_served(person, worker):
        raise ValidationError(_("Only a recipient this social worker served can rate them: "
                                "rate after you have confirmed at least one visit."))
    if not 1 <= stars <= 5:
        raise ValidationError({"stars": _("Choose from 1 to 5.")})
    with acting_as(user=by):
        rating, _created = WorkerRating.objects.update_or_create(
            worker=worker, person=person,
            defaults={"stars": stars, "comment": comment.strip(), "rated_at": timezone.now(),
                      "rated_by": by})
    return rating


# --- One plus two -------------------------------------------------------------------------

@transaction.atomic
def register_volunteer(*, by: User, region: Region, organisation: Organisation | None = None,
                       **fields: Any) -> Volunteer:
    """The МТСЗН and the akimat of the region register any volunteer, with or without an
    organisation; an employer's staff register their own organisation's volunteers, which
    is what an empty organisation means for them."""
    if organisation is None and not (is_national(by) or is_akimat_of(by, region.pk)) \
            and is_employer_staff(by, by.organisation_id):
        organisation = by.organisation
    allowed = is_national(by) or is_akimat_of(by, region.pk) or (
        organisation is not None and is_employer_staff(by, organisation.pk))
    if not allowed:
        raise PermissionDenied
    volunteer = Volunteer(region=region, organisation=organisation, **fields)
    volunteer.full_clean()
    with acting_as(user=by):
        volunteer.save()
    return volunteer


@transaction.atomic
def link_volunteer(worker: SocialWorker, volunteer: Volunteer, *, by: User,
                   start: dt.date | None = None) -> VolunteerLink:
    if not may_manage_worker(by, worker):
        raise PermissionDenied
    start = start or timezone.localdate()
    # Locked so that two links made at once cannot give the worker a third volunteer.
    worker = SocialWorker.objects.select_for_update().get(pk=worker.pk)
    links = worker.volunteer_links.filter(end__isnull=True)
    if links.filter(volunteer=volunteer).exists():
        raise ValidationError({"volunteer": _("This volunteer already helps this worker.")})
    if links.count() >= MAX_VOLUNTEERS:
        raise ValidationError({"volunteer": _(
            "A social worker has at most two volunteers: end one of the links first.")})
    link = VolunteerLink(worker=worker, volunteer=volunteer, start=start)
    link.full_clean()
    with acting_as(user=by):
        link.save()
    return link


@transaction.atomic
def unlink_volunteer(link: VolunteerLink, *, by: User,
                     end: dt.date | None = None) -> VolunteerLink:
    if not may_manage_worker(by, link.worker):
        raise PermissionDenied
    if link.end is not None:
        return link
    link.end = max(end or timezone.localdate(), link.start)
    with acting_as(user=by):
        link.save(update_fields=["end"])
    return link


@transaction.atomic
def log_volunteer_hours(link: VolunteerLink, *, by: User, date: dt.date, hours: Decimal,
                        activity: str) -> VolunteerHours:
    volunteer, worker = link.volunteer, link.worker
    allowed = (may_manage_worker(by, worker) or is_the_worker(by, worker)
               or (by.is_authenticated and volunteer.account_id == by.pk))
    if not allowed:
        raise PermissionDenied
    check_past(date)
    if not (link.start <= date and (link.end is None or date <= link.end)):
        raise ValidationError({"date": _("The volunteer did not help this worker on this "
                                         "day.")})
    row = VolunteerHours(volunteer=volunteer, worker=worker, date=date, hours=hours,
                         activity=activity.strip(), logged_by=by)
    row.full_clean()
    with acting_as(user=by):
        row.save()
    return row


# --- Family assistants --------------------------------------------------------------------

def assistant_entitlement(recipient: Person, day: dt.date) -> Entitlement | None:
    """The recipient's entitlement to a personal assistant in an ИПР valid on the day."""
    return (Entitlement.objects.filter(ipr__person=recipient, item__code=PERSONAL_ASSISTANT)
            .filter(open_on(day, "ipr__valid_from", "ipr__valid_to"))
            .select_related("ipr").order_by("-ipr__version").first())


def family_role(assistant: Person, recipient: Person) -> str | None:
    """The assistant's role in a family card the recipient is also on, if any."""
    shared = FamilyMember.objects.filter(person=assistant, family__members__person=recipient)
    return shared.values_list("role", flat=True).first()


@transaction.atomic
def register_assistant(assistant: Person, recipient: Person, *, by: User,
                       hourly_rate: Decimal,
                       registered_on: dt.date | None = None) -> FamilyAssistant:
    if not is_akimat_of(by, recipient.region_id):
        raise PermissionDenied
    registered_on = registered_on or timezone.localdate()
    if assistant.pk == recipient.pk:
        raise ValidationError({"assistant": _("A recipient cannot be their own assistant.")})
    if assistant_entitlement(recipient, registered_on) is None:
        raise ValidationError({"recipient": _(
            "The recipient's ИПР in force does not grant a personal assistant (%(code)s).")
            % {"code": PERSONAL_ASSISTANT}})
    role = family_role(assistant, recipient)
    if role is None:
        raise ValidationError({"assistant": _(
            "The assistant is not a member of the recipient's family in the family card.")})
    # Locked so that the same pair is not registered twice by two officials at once.
    Person.objects.select_for_update().filter(pk=recipient.pk).first()
    if FamilyAssistant.objects.filter(assistant=assistant, recipient=recipient,
                                      ended_on__isnull=True).exists():
        raise ValidationError({"assistant": _("This family member is already the "
                                              "recipient's assistant.")})
    registration = FamilyAssistant(assistant=assistant, recipient=recipient,
                                   relationship=role, registered_on=registered_on,
                                   hourly_rate=hourly_rate, registered_by=by)
    registration.full_clean()
    with acting_as(user=by):
        registration.save()
    return registration


@transaction.atomic
def end_assistant(registration: FamilyAssistant, *, by: User,
                  ended_on: dt.date | None = None) -> FamilyAssistant:
    if not is_akimat_of(by, registration.recipient.region_id):
        raise PermissionDenied
    if registration.ended_on is not None:
        return registration
    ended_on = ended_on or timezone.localdate()
    if ended_on < registration.registered_on:
        raise ValidationError({"ended_on": _("The end comes after the registration.")})
    registration.ended_on = ended_on
    with acting_as(user=by):
        registration.save(update_fields=["ended_on"])
    return registration


def is_the_assistant(user: Any, registration: FamilyAssistant) -> bool:
    return bool(user.is_authenticated and registration.assistant.account_id == user.pk)


@transaction.atomic
def log_assistant_hours(registration: FamilyAssistant, *, by: User, date: dt.date,
                        hours: Decimal, note: str = "") -> AssistantHours:
    """One day's hours; logging a day again corrects it until the recipient confirms."""
    if not (is_the_assistant(by, registration)
            or is_akimat_of(by, registration.recipient.region_id)):
        raise PermissionDenied
    check_past(date)
    if not registration.covers(date):
        raise ValidationError({"date": _("The assistant was not registered on this day.")})
    row = AssistantHours.objects.select_for_update().filter(
        assistant=registration, date=date).first()
    if row is not None and row.confirmed_at is not None:
        raise ValidationError({"date": _("The hours of this day are confirmed already.")})
    if row is not None and AssistantPayment.objects.filter(
            assistant=registration, year=date.year, month=date.month).exists():
        raise ValidationError({"date": _("This month's payment is computed already.")})
    row = row or AssistantHours(assistant=registration, date=date)
    row.hours, row.note, row.logged_by = hours, note.strip(), by
    row.full_clean()
    with acting_as(user=by):
        row.save()
    return row


@transaction.atomic
def confirm_assistant_hours(row: AssistantHours, *, by: User) -> AssistantHours:
    """The recipient (or their representative) confirms; the akimat may, when the only
    representative is the assistant themself: nobody confirms their own hours."""
    row = AssistantHours.objects.select_for_update().select_related(
        "assistant__recipient", "assistant__assistant").get(pk=row.pk)
    registration = row.assistant
    if is_the_assistant(by, registration):
        raise PermissionDenied
    if not (is_recipient_side(by, registration.recipient)
            or is_akimat_of(by, registration.recipient.region_id)):
        raise PermissionDenied
    if row.confirmed_at is not None:
        return row
    row.confirmed_at, row.confirmed_by = timezone.now(), by
    with acting_as(user=by):
        row.save(update_fields=["confirmed_at", "confirmed_by"])
    return row


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    first = dt.date(year, month, 1)
    return first, (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


@transaction.atomic
def compute_assistant_payment(registration: FamilyAssistant, year: int, month: int, *,
                              by: User) -> AssistantPayment:
    """The month's payment: confirmed hours × the hourly rate, the hours capped by what the
    ИПР grants for the year less the hours already paid that year to the recipient's
    assistants. Computing a month again recomputes the same row."""
    recipient = registration.recipient
    if not (is_akimat_of(by, recipient.region_id) or is_national(by)):
        raise PermissionDenied
    if not 1 <= month <= 12 or not 2019 <= year <= 2100:
        raise ValidationError(_("Choose a month between 2019 and 2100."))
    if dt.date(year, month, 1) > timezone.localdate():
        raise ValidationError(_("A payment is computed for a month that has begun."))
    with acting_as(user=by):
        return build_payment(registration, year, month, by=by)


def build_payment(registration: FamilyAssistant, year: int, month: int, *,
                  by: User | None = None) -> AssistantPayment:
    """The computation itself, inside the caller's transaction and actor."""
    recipient = registration.recipient
    first, last = month_bounds(year, month)
    entitlement = assistant_entitlement(recipient, min(last, timezone.localdate())) \
        or assistant_entitlement(recipient, first)
    if entitlement is None:
        raise ValidationError(_("The recipient's ИПР did not grant a personal assistant in "
                                "this month."))
    # One recipient's payments are computed one at a time: the yearly cap is shared.
    Person.objects.select_for_update().filter(pk=recipient.pk).first()
    confirmed = registration.hours.filter(date__range=(first, last),
                                          confirmed_at__isnull=False) \
        .aggregate(total=models.Sum("hours"))["total"] or Decimal(0)
    already = AssistantPayment.objects.filter(assistant__recipient=recipient, year=year) \
        .exclude(assistant=registration, month=month) \
        .aggregate(total=models.Sum("hours_paid"))["total"] or Decimal(0)
    left = max(Decimal(entitlement.quantity) - already, Decimal(0))
    paid = min(confirmed, left)
    payment, _created = AssistantPayment.objects.update_or_create(
        assistant=registration, year=year, month=month,
        defaults={"hours_confirmed": confirmed, "hours_paid": paid,
                  "hourly_rate": registration.hourly_rate,
                  "amount": to_tenge(paid * registration.hourly_rate),
                  "computed_at": timezone.now(), "computed_by": by})
    return payment
