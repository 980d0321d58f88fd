"""Filing and answering accessibility reports: one transaction and its audit trail each;
e-mails leave after the commit, each in its reader's language."""

from __future__ import annotations

from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from tendik.core import once
from tendik.core.audit import acting_as
from tendik.core.links import page_url
from tendik.core.models import Role, User
from tendik.core.tasks import send_email
from tendik.feedback.models import AccessibilityReport

# Who answers: the МТСЗН's analysts and the platform's administrators.
ANSWERING_ROLES = frozenset({Role.ANALYST, Role.ADMINISTRATOR})
# Who may read the queue: those who answer, and auditors.
READING_ROLES = ANSWERING_ROLES | {Role.AUDITOR}


def may_read(user: User) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role in READING_ROLES))


def may_answer(user: User) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role in ANSWERING_ROLES))


def answering_staff() -> list[User]:
    return list(User.objects.filter(is_active=True, role__in=ANSWERING_ROLES)
                .exclude(email="").order_by("pk"))


@transaction.atomic
def file_report(*, kind: str, description: str, language: str, page: str = "",
                wanted_format: str = "", name: str = "", email: str = "", phone: str = "",
                by: User | None = None, key: str = "") -> AccessibilityReport:
    """A report, its receipt and the staff's notice. The form's `key` makes the same form
    sent twice give the first report back, with no second e-mail (tendik/core/once.py)."""
    filed_at = timezone.now()
    report = AccessibilityReport(
        kind=kind, page=page, description=description.strip(),
        wanted_format=wanted_format if kind == AccessibilityReport.Kind.FORMAT else "",
        name=name.strip(), email=email.strip(), phone=phone.strip(), language=language,
        filed_by=by if by is not None and by.is_authenticated else None, filed_at=filed_at,
        answer_due=AccessibilityReport.due_for(timezone.localdate(filed_at)))
    report.full_clean(exclude=["idempotency_key"])

    def make(key: str | None) -> AccessibilityReport:
        report.idempotency_key = key
        with acting_as(user=report.filed_by,
                       label="public" if report.filed_by is None else ""):
            report.save()
        _tell_reporter_it_arrived(report)
        _tell_staff(report)
        return report

    return once.create(AccessibilityReport, key, make,
                       owner=lambda first: first.filed_by_id == report.filed_by_id)


@transaction.atomic
def answer_report(report: AccessibilityReport, text: str, *, by: User) -> AccessibilityReport:
    if not may_answer(by):
        raise PermissionDenied
    report = AccessibilityReport.objects.select_for_update().get(pk=report.pk)
    if report.state == AccessibilityReport.State.ANSWERED:
        raise ValidationError(_("This report has been answered already."))
    if not text.strip():
        raise ValidationError({"answer": _("Write the answer.")})
    report.answer, report.answered_by, report.answered_at = text.strip(), by, timezone.now()
    report.state = AccessibilityReport.State.ANSWERED
    with acting_as(user=by):
        report.save()
    _tell_reporter_the_answer(report)
    return report


def _day(report: AccessibilityReport) -> str:
    return formats.date_format(report.answer_due, "d.m.Y")


def _send_later(emails: list[str], subject: str, body: str) -> None:
    transaction.on_commit(partial(send_email.enqueue, emails, subject, body))


def _tell_reporter_it_arrived(report: AccessibilityReport) -> None:
    if not report.email:
        return
    with override(report.language):
        subject = _("Your accessibility report No. %(number)s has arrived") % {
            "number": report.number}
        body = "\n\n".join([
            _("Thank you for telling us. The Ministry of Labour and Social Protection of "
              "the Population will answer by %(day)s.") % {"day": _day(report)},
            _("What you wrote:") + f"\n«{report.description}»",
            _("The accessibility statement of Teńdik:") + "\n"
            + page_url("feedback:statement", report.language),
        ])
    _send_later([report.email], subject, body)


def _tell_staff(report: AccessibilityReport) -> None:
    staff = answering_staff()
    for language in sorted({u.preferred_language for u in staff}):
        with override(language):
            subject = _("Accessibility report No. %(number)s: answer by %(day)s") % {
                "number": report.number, "day": _day(report)}
            body = "\n\n".join([
                str(report.get_kind_display()) + (
                    f" — {report.get_wanted_format_display()}" if report.wanted_format else ""),
                f"«{report.description}»",
                page_url("feedback:report", language, report.pk),
            ])
        _send_later([u.email for u in staff if u.preferred_language == language], subject,
                    body)


def _tell_reporter_the_answer(report: AccessibilityReport) -> None:
    if not report.email:
        return
    with override(report.language):
        subject = _("Answer to your accessibility report No. %(number)s") % {
            "number": report.number}
        body = "\n\n".join([
            report.answer,
            _("What you wrote:") + f"\n«{report.description}»",
            _("The Ministry of Labour and Social Protection of the Population, for Teńdik"),
        ])
    _send_later([report.email], subject, body)
