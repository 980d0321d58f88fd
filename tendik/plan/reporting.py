"""The yearly reporting cycle (points 2–3 of the decree): actions of executors and analysts.

Each action takes the acting user, checks what that user may do, owns its transaction and
records the report's transition; the audit events of the rows come from the models.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from functools import partial
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from tendik.core.audit import acting_as
from tendik.core.links import page_url
from tendik.core.models import ApiToken, Organisation, Role, User
from tendik.core.tasks import send_email
from tendik.core.uploads import check_upload
from tendik.plan.models import (
    ExecutorReport,
    Measure,
    Plan,
    ReminderSent,
    ReportAttachment,
    ReportingCycle,
    ReportTransition,
    consolidation_deadline_for,
    executor_deadline_for,
)
from tendik.plan.signals import report_accepted

State = ExecutorReport.State
EXECUTOR_ROLES = frozenset({Role.AGENCY_EXECUTOR, Role.AKIMAT_OFFICIAL})


def is_analyst(user: User) -> bool:
    return user.is_authenticated and (user.role == Role.ANALYST or user.is_superuser)


# Who writes a report: an executor signed in, or their organisation's system with a token.
Author = User | ApiToken


def may_write_for(author: Author, report: ExecutorReport) -> bool:
    """Executors write the reports of their own organisation only."""
    if isinstance(author, ApiToken):
        return author.is_active and author.organisation_id == report.organisation_id
    return (author.is_authenticated and author.role in EXECUTOR_ROLES
            and author.organisation_id == report.organisation_id)


def authored(author: Author, reason: str = "") -> Any:
    """Attribute the writes of an action to its author, person or token."""
    if isinstance(author, ApiToken):
        return acting_as(user=None, api_token=author, reason=reason)
    return acting_as(user=author, reason=reason)


def executors_of(measure: Measure, akimats: list[Organisation]) -> list[Organisation]:
    """The organisations that report on a measure: МИО means every akimat."""
    organisations = list(measure.executors.all())
    if measure.includes_akimats:
        organisations += [a for a in akimats if a not in organisations]
    return organisations


@transaction.atomic
def open_cycle(plan: Plan, year: int, *, by: User) -> ReportingCycle:
    """Open the reporting for `year`: one obligation per active measure × executor."""
    if not is_analyst(by):
        raise PermissionDenied
    if year not in plan.years:
        raise ValidationError(_("%(year)s is outside the plan's years.") % {"year": year})
    if ReportingCycle.objects.filter(plan=plan, year=year).exists():
        raise ValidationError(_("The reporting for %(year)s is already open.") % {"year": year})
    akimats = list(Organisation.objects.filter(kind=Organisation.Kind.AKIMAT, is_active=True)
                   .order_by("code"))
    with acting_as(user=by):
        cycle = ReportingCycle.objects.create(
            plan=plan, year=year, opened_by=by,
            executor_deadline=executor_deadline_for(year),
            consolidation_deadline=consolidation_deadline_for(year))
        for measure in plan.measures.active_in(year).prefetch_related("executors"):
            for organisation in executors_of(measure, akimats):
                ExecutorReport.objects.create(cycle=cycle, measure=measure,
                                              organisation=organisation)
    return cycle


REPORT_FIELDS = ("status", "narrative_ru", "narrative_kk", "spending", "target_values",
                 "act_kind", "act_number", "act_date")


@transaction.atomic
def save_report(report: ExecutorReport, values: dict[str, Any], *,
                by: Author) -> ExecutorReport:
    """Save the executor's draft (or the returned report being corrected)."""
    report = ExecutorReport.objects.select_for_update().get(pk=report.pk)
    if not may_write_for(by, report):
        raise PermissionDenied
    if not report.is_editable:
        raise ValidationError(_("This report is %(state)s and can no longer be changed.")
                              % {"state": report.get_state_display()})
    for field in REPORT_FIELDS:
        if field in values:
            setattr(report, field, values[field])
    with authored(by):
        report.full_clean()
        report.save()
    return report


def _move(report: ExecutorReport, to: str, by: Author, comment: str = "") -> ExecutorReport:
    if not report.can_move_to(to):
        raise ValidationError(
            _("A report that is %(state)s cannot become %(target)s.")
            % {"state": report.get_state_display(), "target": State(to).label})
    ReportTransition.objects.create(
        report=report, from_state=report.state, to_state=to, comment=comment,
        by=None if isinstance(by, ApiToken) else by,
        api_token=by if isinstance(by, ApiToken) else None)
    report.state = to
    now = timezone.now()
    if to == State.SUBMITTED:
        if report.submitted_at is None:
            report.submitted_at = now
        else:
            report.resubmitted_at = now
    if to == State.ACCEPTED:
        report.accepted_at = now
    with authored(by, comment[:300]):
        report.save()
    return report


@transaction.atomic
def submit_report(report: ExecutorReport, *, by: Author) -> ExecutorReport:
    report = ExecutorReport.objects.select_for_update().select_related("measure", "cycle") \
        .get(pk=report.pk)
    if not may_write_for(by, report):
        raise PermissionDenied
    problems = report.submission_problems()
    if problems:
        raise ValidationError(problems)
    return _move(report, State.SUBMITTED, by)


@transaction.atomic
def start_review(report: ExecutorReport, *, by: User) -> ExecutorReport:
    if not is_analyst(by):
        raise PermissionDenied
    report = ExecutorReport.objects.select_for_update().get(pk=report.pk)
    return _move(report, State.UNDER_REVIEW, by)


@transaction.atomic
def return_report(report: ExecutorReport, comment: str, *, by: User) -> ExecutorReport:
    if not is_analyst(by):
        raise PermissionDenied
    if not comment.strip():
        raise ValidationError({"comment": _("Say what the executor must change.")})
    report = ExecutorReport.objects.select_for_update().get(pk=report.pk)
    return _move(report, State.RETURNED, by, comment.strip())


@transaction.atomic
def accept_report(report: ExecutorReport, *, by: User, comment: str = "") -> ExecutorReport:
    if not is_analyst(by):
        raise PermissionDenied
    report = ExecutorReport.objects.select_for_update().get(pk=report.pk)
    report = _move(report, State.ACCEPTED, by, comment.strip())
    with acting_as(user=by):
        report_accepted.send(sender=ExecutorReport, report=report)
    return report


@transaction.atomic
def attach_file(report: ExecutorReport, handle: IO[bytes], name: str, size: int, *,
                by: User) -> ReportAttachment:
    if not may_write_for(by, report):
        raise PermissionDenied
    if not report.is_editable:
        raise ValidationError(_("Files can be attached only while the report is a draft or "
                                "returned for changes."))
    kind = check_upload(handle, size, max_size=ReportAttachment.MAX_SIZE)
    stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in name.rsplit(".", 1)[0])
    with acting_as(user=by):
        attachment = ReportAttachment(report=report, original_name=name[:255],
                                      content_type=kind.mime, size=size, uploaded_by=by)
        attachment.file.save(f"{stem[:80] or 'file'}.{kind.extension}", File(handle),
                             save=False)
        attachment.save()
    return attachment


# --- Reminders ------------------------------------------------------------------------

REMINDER_OFFSETS = {ReminderSent.Kind.DAYS_14: 14, ReminderSent.Kind.DAYS_3: 3}


def reminder_due(report: ExecutorReport, today: dt.date) -> str | None:
    """Which reminder a report not yet submitted needs today, if any."""
    deadline = report.cycle.executor_deadline
    if report.submitted_at is not None:
        return None
    if today > deadline:
        return ReminderSent.Kind.OVERDUE
    days_left = (deadline - today).days
    for kind, offset in sorted(REMINDER_OFFSETS.items(), key=lambda item: item[1]):
        if days_left <= offset:
            return kind
    return None


@dataclass(frozen=True)
class ReminderRun:
    sent: Counter[str]
    skipped_no_address: int


def send_due_reminders(today: dt.date | None = None) -> ReminderRun:
    """Send each due reminder exactly once: the unique (report, kind) row is claimed first,
    so two workers never send the same one, and a reminder missed on its day (the worker
    was down) still goes out, once, the next time this runs."""
    today = today or timezone.localdate()
    sent: Counter[str] = Counter()
    no_address = 0
    reports = (ExecutorReport.objects.filter(submitted_at__isnull=True)
               .exclude(state=State.ACCEPTED)
               .select_related("cycle", "measure", "organisation"))
    for report in reports:
        kind = reminder_due(report, today)
        if kind is None or ReminderSent.objects.filter(report=report, kind=kind).exists():
            continue
        staff = list(User.objects.filter(organisation=report.organisation, is_active=True,
                                         role__in=EXECUTOR_ROLES).exclude(email=""))
        if not staff:
            no_address += 1
            continue
        try:
            with transaction.atomic():
                ReminderSent.objects.create(report=report, kind=kind,
                                            recipients=[u.email for u in staff])
                for user in staff:
                    subject, body = reminder_text(report, kind, user)
                    transaction.on_commit(partial(send_email.enqueue, [user.email], subject,
                                                  body))
        except IntegrityError:
            continue  # another worker claimed it first
        sent[kind] += 1
    return ReminderRun(sent=sent, skipped_no_address=no_address)


def reminder_text(report: ExecutorReport, kind: str, user: User) -> tuple[str, str]:
    with override(user.preferred_language):
        deadline = report.cycle.executor_deadline.strftime("%d.%m.%Y")
        values = {"year": report.cycle.year, "number": report.measure.number,
                  "deadline": deadline, "organisation": report.organisation.name}
        if kind == ReminderSent.Kind.OVERDUE:
            subject = _("Overdue: report on measure %(number)s of the National Plan") % values
            body = _("The report of %(organisation)s on measure %(number)s for %(year)s was "
                     "due on %(deadline)s and has not been submitted. Submit it in Teńdik "
                     "as soon as possible.") % values
        else:
            subject = _("Reminder: report on measure %(number)s is due on %(deadline)s") % values
            body = _("The report of %(organisation)s on measure %(number)s of the National "
                     "Plan for %(year)s is due on %(deadline)s. Fill it in and submit it in "
                     "Teńdik.") % values
    return subject, f"{body}\n{page_url('plan:report', user.preferred_language, report.pk)}"
