"""Every demo login finds its main journey open: the browser signs in as each demo
account (as the link walk does, tests/e2e/test_link_walk.py, whose demo fixture and
sign-in this reuses) and goes where that person's work is. The recipient and the
representative order an aid from start to end; every other account opens the page of its
next piece of work and finds the action it would take there. The test fails naming each
account whose journey is blocked: nothing to do, a page that does not open, or the
action missing.

The work each journey needs is looked up in the demo data first: that the demo holds it
(a claim waiting for the accountant, an order waiting for the supplier, …) is part of
what is tested.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.urls import reverse
from django.utils.translation import override
from playwright.sync_api import BrowserContext, Page, expect

from tendik.cases.models import Case
from tendik.core.audit import AuditEvent
from tendik.core.demo import DEMO_ACCOUNTS
from tendik.core.models import User
from tendik.plan.models import ExecutorReport
from tendik.portal.models import Order, Reimbursement
from tendik.workforce.models import Assignment
from tests.e2e.conftest import TIMEOUT_MS
from tests.e2e.test_link_walk import demo, sign_in  # noqa: F401 (the walk's fixture)

pytestmark = pytest.mark.e2e

ACTION = "main form button[type=submit]"


class Blocked(Exception):
    pass


def url(name: str, *args: object) -> str:
    with override("ru"):
        return reverse(name, args=args)


def first(queryset, what: str):
    found = queryset.order_by("pk").first()
    if found is None:
        raise Blocked(f"the demo holds no {what}")
    return found


def opens_with_action(page: Page, path: str, action: str = ACTION) -> None:
    response = page.goto(path)
    if response is None or response.status >= 400:
        raise Blocked(f"{path} answered {response.status if response else 'nothing'}")
    if page.locator(action).count() == 0:
        raise Blocked(f"{path} offers no action ({action})")
    expect(page.locator(action).first).to_be_visible()


def order_an_aid(page: Page, user: User) -> None:
    """From the portal's home page to a placed order: choose a supplier, choose an
    offer, confirm."""
    page.goto(url("portal:home"))
    choose = page.locator("main a[href*='/entitlements/']")
    if choose.count() == 0:
        raise Blocked("no entitlement has anything left to order")
    choose.first.click()
    offers = page.locator("main a[href*='/order/']")
    if offers.count() == 0:
        raise Blocked(f"{page.url}: no supplier offers the aid")
    offers.first.click()
    page.locator("#id_quantity").fill("1")
    radios = page.locator("main input[name=delivery]")
    if radios.count() and not radios.first.is_checked():
        radios.first.check()
    address = page.locator("#id_address")
    if not address.input_value():
        address.fill("г. Алматы, ул. Абая, 1 (демо)")
    before = Order.objects.filter(placed_by=user).count()
    page.locator(ACTION).click()
    expect(page).to_have_url(re.compile(r"/orders/\d+/$"))
    if Order.objects.filter(placed_by=user).count() != before + 1:
        raise Blocked("the order was not placed")


def supplier(page: Page, user: User) -> None:
    order = first(Order.objects.filter(supplier=user.organisation, state=Order.State.PLACED),
                  "order waiting for the supplier")
    opens_with_action(page, url("portal:order", order.pk))


def social_worker(page: Page, user: User) -> None:
    assignment = first(Assignment.objects.filter(worker__account=user, end__isnull=True),
                       "recipient served by the social worker")
    opens_with_action(page, url("workforce:assignment", assignment.pk))


def case_manager(page: Page, user: User) -> None:
    case = first(Case.objects.filter(manager=user).exclude(state=Case.State.CLOSED),
                 "open case of the case manager")
    opens_with_action(page, url("cases:case", case.pk))


def supervisor(page: Page, user: User) -> None:
    case = first(Case.objects.filter(state=Case.State.CLOSING), "case waiting to be closed")
    opens_with_action(page, url("cases:case", case.pk))


def claim_at(stage: str) -> Callable[[Page, User], None]:
    def journey(page: Page, user: User) -> None:
        claim = first(Reimbursement.objects.filter(state=stage,
                                                   region=user.organisation.region),
                      f"claim waiting for the {stage}")
        opens_with_action(page, url("portal:claim", claim.pk))
    return journey


def akimat(page: Page, user: User) -> None:
    first(Order.objects.filter(region=user.organisation.region), "order in the region")
    opens_with_action(page, url("portal:office_orders"), "main table tbody tr")


def executor(page: Page, user: User) -> None:
    report = first(ExecutorReport.objects.filter(
        organisation=user.organisation,
        state__in=[ExecutorReport.State.DRAFT, ExecutorReport.State.RETURNED]),
        "report for the executor to write")
    opens_with_action(page, url("plan:report", report.pk))


def analyst(page: Page, user: User) -> None:
    report = first(ExecutorReport.objects.filter(state__in=[
        ExecutorReport.State.SUBMITTED, ExecutorReport.State.UNDER_REVIEW]),
        "report waiting for review")
    opens_with_action(page, url("plan:report", report.pk))


def auditor(page: Page, user: User) -> None:
    first(AuditEvent.objects.all(), "audit event")
    opens_with_action(page, url("core:audit_log"), "main table tbody tr")


def administrator(page: Page, user: User) -> None:
    opens_with_action(page, "/ru/admin/", "#content a[href*='/admin/core/user/']")


def own_page(page: Page, user: User) -> None:
    """A registered user or a volunteer: their own page opens with its heading."""
    opens_with_action(page, page.url, "main h1")


JOURNEYS: dict[str, Callable[[Page, User], None]] = {
    "demo.user": own_page,
    "demo.recipient": order_an_aid,
    "demo.representative": order_an_aid,
    "demo.supplier": supplier,
    "demo.social": social_worker,
    "demo.casemanager": case_manager,
    "demo.supervisor": supervisor,
    "demo.volunteer": own_page,
    "demo.akimat.almaty": akimat,
    "demo.accountant": claim_at(Reimbursement.State.ACCOUNTANT),
    "demo.head": claim_at(Reimbursement.State.HEAD),
    "demo.akimat.astana": akimat,
    "demo.mz": executor,
    "demo.analyst": analyst,
    "demo.auditor": auditor,
    "demo.admin": administrator,
}


def test_every_demo_account_finds_its_main_journey_open(browser, live_server, demo):  # noqa: F811
    assert set(JOURNEYS) == {account.username for account in DEMO_ACCOUNTS}
    blocked = []
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(username=account.username)
        context: BrowserContext = browser.new_context(base_url=live_server.url)
        context.set_default_timeout(TIMEOUT_MS)
        try:
            landing = sign_in(context, user)
            page = context.pages[0]
            assert urlparse_path(page.url) == landing
            JOURNEYS[account.username](page, User.objects.get(pk=user.pk))
        except (Blocked, AssertionError) as problem:
            blocked.append(f"{account.username}: {problem}")
        finally:
            context.close()
    assert not blocked, "journeys blocked:\n" + "\n".join(blocked)


def urlparse_path(address: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(address)._replace(scheme="", netloc="").geturl()
