"""Where each person's own work is, and which work pages they may open.

One place answers two questions that pages ask everywhere:

- where a user lands after signing in, and what the header's «My …» link names: their
  work page, chosen by role (`work_page`);
- whether a user may open a work page, so that a link to it is shown only to those who
  can follow it (`may_open`, and the template filter `user|may_open:"cases:tasks"`).

Each gate states the rule its page's view applies (it may be narrower, never wider).
tests/core/test_workspaces.py opens every gated page as every role and holds each gate to
its view; the browser suite's link walk follows every link every demo account is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from tendik.core.models import Role, User

# Answers kept on the user object, which lives for one request.
CACHE_ATTRIBUTE = "_tendik_gates"
WORK_PAGE_ATTRIBUTE = "_tendik_work_page"


def _signed_in(user: User) -> bool:
    return bool(user.is_authenticated)


def _staff(user: User) -> bool:
    return bool(user.is_authenticated and (user.is_staff_role or user.is_superuser))


def _role(*roles: str) -> Callable[[User], bool]:
    def gate(user: User) -> bool:
        return bool(user.is_authenticated and user.role in roles)
    return gate


def _audit_reader(user: User) -> bool:
    return bool(user.is_authenticated
                and (user.is_superuser or user.role in {Role.AUDITOR, Role.ADMINISTRATOR}))


def _back_office(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def _supplier(user: User) -> bool:
    return bool(user.is_authenticated and user.role == Role.SUPPLIER
                and user.organisation_id is not None)


def _region_or_country(user: User) -> bool:
    return bool(user.is_authenticated
                and (user.role == Role.AKIMAT_OFFICIAL or user.has_national_scope))


def _social_worker_account(user: User) -> bool:
    from tendik.workforce.models import SocialWorker

    return bool(user.is_authenticated and SocialWorker.objects.filter(account=user).exists())


def _volunteers_office(user: User) -> bool:
    from tendik.workforce import services as workforce
    from tendik.workforce.models import SocialWorker

    if not _staff(user):
        return False
    return (workforce.is_national(user) or user.role == Role.AKIMAT_OFFICIAL
            or SocialWorker.objects.visible_to(user).filter(active=True).exists())


def _assistants_office(user: User) -> bool:
    from tendik.workforce import services as workforce

    return _staff(user) and (user.role in (Role.AKIMAT_OFFICIAL, Role.AUDITOR)
                             or workforce.is_national(user))


def _social_work_of_own(user: User) -> bool:
    """A volunteer or a family assistant: someone who logs their own hours."""
    from tendik.workforce.models import FamilyAssistant, Volunteer

    return bool(user.is_authenticated and (
        Volunteer.objects.filter(account=user).exists()
        or FamilyAssistant.objects.filter(assistant__account=user,
                                          ended_on__isnull=True).exists()))


def _cases(user: User) -> bool:
    from tendik.cases import services as cases

    return bool(user.is_authenticated and (
        user.role in (Role.CASE_MANAGER, Role.SOCIAL_WORKER, Role.AKIMAT_OFFICIAL,
                      Role.AGENCY_EXECUTOR)
        or user.has_perm(cases.SUPERVISE)))


def _caseloads(user: User) -> bool:
    from tendik.cases import services as cases

    return bool(user.is_authenticated and (
        (user.has_perm(cases.SUPERVISE) and user.organisation_id)
        or user.role == Role.AKIMAT_OFFICIAL or user.has_national_scope))


def _referrals(user: User) -> bool:
    return bool(user.is_authenticated and user.organisation_id is not None)


def _rules(user: User) -> bool:
    return bool(user.is_authenticated and (
        user.role in (Role.ANALYST, Role.AKIMAT_OFFICIAL, Role.CASE_MANAGER)
        or user.is_superuser))


def _plan_reporting(user: User) -> bool:
    """Executors report, the МТСЗН reviews, auditors read; others have no reports."""
    return bool(user.is_authenticated and (
        user.role in (Role.AGENCY_EXECUTOR, Role.AKIMAT_OFFICIAL, Role.ANALYST, Role.AUDITOR)
        or user.is_superuser))


def _special_social_services(user: User) -> bool:
    """The akimats and the country, and the staff of a provider on the care register."""
    from tendik.care.models import Provider

    if not _staff(user):
        return False
    return bool(_region_or_country(user) or (
        user.organisation_id is not None
        and Provider.objects.filter(organisation_id=user.organisation_id).exists()))


def _moderator(user: User) -> bool:
    return bool(user.is_authenticated and (
        user.role in (Role.AKIMAT_OFFICIAL, Role.ANALYST) or user.is_superuser))


def _accessibility_reports(user: User) -> bool:
    from tendik.feedback import services as feedback

    return feedback.may_read(user)


# The work pages that not everyone may open, by URL name, with who may.
GATES: dict[str, Callable[[User], bool]] = {
    "core:office": _staff,
    "core:audit_log": _audit_reader,
    "core:access_log": _audit_reader,
    "admin:index": _back_office,
    "plan:reports": _plan_reporting,
    "access:moderation": _moderator,
    "portal:home": _signed_in,
    "portal:supplier_orders": _supplier,
    "portal:supplier_offers": _supplier,
    "portal:office_orders": _region_or_country,
    "portal:office_claims": _region_or_country,
    "portal:office_complaints": _region_or_country,
    "portal:office_recipients": _role(Role.AKIMAT_OFFICIAL, Role.AUDITOR),
    "care:placements": _special_social_services,
    "care:billing": _special_social_services,
    "care:spending": _special_social_services,
    "workforce:mine": _signed_in,
    "workforce:caseload": _social_worker_account,
    "workforce:volunteers": _volunteers_office,
    "workforce:assistants": _assistants_office,
    "cases:list": _cases,
    "cases:tasks": _role(Role.AKIMAT_OFFICIAL, Role.CASE_MANAGER),
    "cases:referrals": _referrals,
    "cases:caseload": _caseloads,
    "cases:rules": _rules,
    "cases:my_offers": _signed_in,
    "feedback:queue": _accessibility_reports,
}


def may_open(user: Any, url_name: str) -> bool:
    """Whether the user may open the page; pages without a gate are open to everyone."""
    gate = GATES.get(url_name)
    if gate is None:
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    answers: dict[str, bool] = user.__dict__.setdefault(CACHE_ATTRIBUTE, {})
    if url_name not in answers:
        answers[url_name] = bool(gate(user))
    return answers[url_name]


@dataclass(frozen=True)
class WorkPage:
    """A user's own work page: the URL name, its query and the header's «My …» label."""

    url_name: str
    label: Promise
    query: dict[str, str] = field(default_factory=dict)

    @property
    def path(self) -> str:
        return reverse(self.url_name)

    @property
    def url(self) -> str:
        return f"{self.path}?{urlencode(self.query)}" if self.query else self.path


OFFICE = WorkPage("core:office", _("My office"))


def _akimat_work(user: User) -> WorkPage:
    from tendik.portal.models import Reimbursement
    from tendik.portal.reimbursement import ACCOUNTANT_PERMISSION, HEAD_PERMISSION

    # The second approval waits on the first: a head who is also an accountant sees
    # the claims waiting for the head.
    if user.has_perm(HEAD_PERMISSION):
        return WorkPage("portal:office_claims", _("My approvals"),
                        {"stage": Reimbursement.State.HEAD})
    if user.has_perm(ACCOUNTANT_PERMISSION):
        return WorkPage("portal:office_claims", _("My approvals"),
                        {"stage": Reimbursement.State.ACCOUNTANT})
    return WorkPage("portal:office_orders", _("My region's queue"))


def _candidates(user: User) -> list[WorkPage]:
    """The user's work pages, best first; the first they may open is theirs."""
    role = user.role
    if user.is_superuser or role == Role.ADMINISTRATOR:
        return [OFFICE]
    if role == Role.RECIPIENT:
        return [WorkPage("portal:home", _("My aids and services"))]
    if role == Role.REGISTERED:
        # A volunteer or a family assistant logs their hours on "my social work".
        if _social_work_of_own(user):
            return [WorkPage("workforce:mine", _("My social work"))]
        return [WorkPage("portal:home", _("My aids and services"))]
    if role == Role.SUPPLIER:
        return [WorkPage("portal:supplier_orders", _("My orders")), OFFICE]
    if role == Role.SOCIAL_WORKER:
        return [WorkPage("workforce:caseload", _("My recipients")), OFFICE]
    if role == Role.CASE_MANAGER:
        return [WorkPage("cases:list", _("My cases")), OFFICE]
    if role == Role.AKIMAT_OFFICIAL:
        return [_akimat_work(user), OFFICE]
    if role == Role.AGENCY_EXECUTOR:
        return [WorkPage("plan:reports", _("My reports")), OFFICE]
    if role == Role.ANALYST:
        return [WorkPage("plan:reports", _("My reports to review")), OFFICE]
    if role == Role.AUDITOR:
        return [WorkPage("core:audit_log", _("My audit logs")), OFFICE]
    return [OFFICE]


def work_page(user: Any) -> WorkPage | None:
    """Where the user's own work is: where they land after signing in."""
    if not getattr(user, "is_authenticated", False):
        return None
    if WORK_PAGE_ATTRIBUTE not in user.__dict__:
        user.__dict__[WORK_PAGE_ATTRIBUTE] = next(
            (page for page in _candidates(user) if may_open(user, page.url_name)), None)
    return user.__dict__[WORK_PAGE_ATTRIBUTE]  # type: ignore[no-any-return]


def office_beside_work_page(user: Any) -> bool:
    """Staff whose own work is elsewhere also reach the office, which links everything
    their role may open."""
    page = work_page(user)
    return may_open(user, OFFICE.url_name) and (page is None or page.url_name != OFFICE.url_name)


@dataclass(frozen=True)
class Link:
    url_name: str
    label: Promise


# The office: every work page, grouped by domain; each user sees those they may open.
OFFICE_SECTIONS: list[tuple[Promise, list[Link]]] = [
    (_("National Plan"), [
        Link("plan:reports", _("Reports on the plan")),
    ]),
    (_("Accessibility map"), [
        Link("access:moderation", _("Users' reviews, photos and problem reports to moderate")),
    ]),
    (_("Aids and services"), [
        Link("portal:supplier_orders", _("Orders to your company")),
        Link("portal:supplier_offers", _("Your company's offers")),
        Link("portal:office_orders", _("Orders of recipients")),
        Link("portal:office_claims", _("Reimbursement claims")),
        Link("portal:office_recipients", _("Recipients")),
        Link("portal:office_complaints", _("Complaints")),
    ]),
    (_("Special social services"), [
        Link("care:placements", _("Placements")),
        Link("care:billing", _("Monthly bills")),
        Link("care:spending", _("Spending against income")),
    ]),
    (_("Social workers"), [
        Link("workforce:caseload", _("Your recipients and visits")),
        Link("workforce:volunteers", _("Volunteers (one plus two)")),
        Link("workforce:assistants", _("Family members as individual assistants")),
    ]),
    (_("Case management"), [
        Link("cases:list", _("Cases")),
        Link("cases:tasks", _("Proactive tasks")),
        Link("cases:referrals", _("Referrals to your agency")),
        Link("cases:caseload", _("Caseloads of case managers")),
        Link("cases:rules", _("Proactive rules")),
        Link("cases:needs", _("Needs and forecast")),
    ]),
    (_("Accessibility of the platform"), [
        Link("feedback:queue", _("Accessibility reports and requests for other formats")),
    ]),
    (_("Audit"), [
        Link("core:audit_log", _("Audit log: changes to data")),
        Link("core:access_log", _("Access log: views of personal data")),
    ]),
    (_("Back office"), [
        Link("admin:index", _("Reference data, users and API tokens")),
    ]),
]


def office_sections(user: Any) -> list[tuple[Promise, list[Link]]]:
    """The office's sections with the links this user may open; empty sections left out."""
    sections = []
    for title, links in OFFICE_SECTIONS:
        shown = [link for link in links if may_open(user, link.url_name)]
        if shown:
            sections.append((title, shown))
    return sections
