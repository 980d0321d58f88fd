"""The social services portal in a browser: the whole journey of a wheelchair with the
keyboard alone, by the recipient, the supplier, and the akimat's accountant and head,
ending with a paid order; axe-core on every page they pass through; an order confirmed
twice in a hurry is placed once.

The market is that of tests/portal/conftest.py (an Almaty supplier whose wheelchair costs
15 000 ₸ above the cap, a recipient with an ИПР granting one wheelchair, a representative,
the akimat's accountant and head), committed for the live server.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import BrowserContext, Page, expect

from tendik.portal import journey
from tendik.portal.models import (
    Order,
    Payment,
    Reason,
    Reimbursement,
)
from tendik.portal.reasons import Outcome
from tests.e2e.support import focused
from tests.e2e.test_access_contributions import MAX_TABS, active, to_main
from tests.e2e.test_accessibility import Audit
from tests.e2e.test_keyboard import assert_focus_is_visible, tab
from tests.portal.conftest import COPAYMENT, Market, build_market

pytestmark = pytest.mark.e2e

# 15 000 ₸ as the pages write it: the thousands apart by a (no-break) space, no kopecks
# when there are none.
COPAYMENT_RU = re.compile(r"15\s000\s₸")


# --- Data -------------------------------------------------------------------------------

@pytest.fixture
def market(reference) -> Market:
    return build_market()


# --- The keyboard -----------------------------------------------------------------------

def tab_to(page: Page, wanted: Callable[[dict[str, Any], dict[str, Any]], bool],
           what: str, *, shift: bool = False) -> dict[str, Any]:
    """Tab (or Shift+Tab) until the wanted element has the focus; every stop on the way
    must show it."""
    visited = []
    for _ in range(MAX_TABS):
        element = tab(page, shift=shift)
        state = active(page)
        assert_focus_is_visible(element)
        visited.append(element["id"] or element["href"] or state["name"] or element["tag"])
        if wanted(element, state):
            return element
    pytest.fail(f"{MAX_TABS} Tabs never reached {what} on {page.url}; visited {visited}")


def tab_to_link(page: Page, href: str, *, shift: bool = False) -> dict[str, Any]:
    return tab_to(page, lambda element, state: element["href"] == href, f"the link {href}",
                  shift=shift)


def tab_to_button(page: Page, text: str) -> dict[str, Any]:
    return tab_to(page, lambda element, state: element["tag"] == "button"
                  and element["text"] == text, f"the button «{text}»")


def press_enter_and_wait(page: Page, url: str) -> None:
    """Enter on what has the focus; the browser arrives at `url` (a path, maybe with a
    query or the #main the form was sent from)."""
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"{re.escape(url)}(#main)?$"))
    page.wait_for_load_state()


def ru(message: Any) -> str:
    """The interface's text as the Russian pages show it (a message or a lazy label)."""
    with translation.override("ru"):
        return gettext(message) if isinstance(message, str) else str(message)


def assert_message(page: Page, text: str | re.Pattern[str]) -> None:
    expect(page.locator("main [role=status] .messages")).to_contain_text(text)


# --- The journey ------------------------------------------------------------------------

def test_the_journey_with_the_keyboard_alone_ends_with_a_paid_order(
        market: Market, new_context: Callable[..., BrowserContext]):
    audit = Audit(None)
    entitlement, offer = market.entitlement, market.offer
    offers_path = f"/ru/portal/entitlements/{entitlement.pk}/"
    confirm_path = f"{offers_path}offers/{offer.pk}/order/"

    # The recipient: the portal's home, their programme with its wheelchair.
    recipient = new_context(market.recipient).new_page()
    recipient.goto("/ru/portal/")
    audit.check(recipient, "recipient: home")
    to_main(recipient)
    choose = tab_to_link(recipient, offers_path)
    assert choose["text"].startswith(ru("Choose a supplier")), choose
    press_enter_and_wait(recipient, offers_path)

    # The offers compared: the wheelchair above the cap, «Choose».
    expect(recipient.locator("main table caption")).to_have_count(1)
    row = recipient.locator("main table tbody tr").filter(has_text=offer.title)
    expect(row).to_have_count(1)
    expect(row.locator("td strong")).to_have_text(re.compile(r"^15\s000$"))
    audit.check(recipient, "recipient: offers")
    to_main(recipient)
    tab_to_link(recipient, confirm_path)
    press_enter_and_wait(recipient, confirm_path)

    # Check and confirm: the co-payment is shown before anything is ordered.
    you_pay = recipient.locator("main dl.summary > div").filter(
        has=recipient.locator("dt", has_text=re.compile(rf"^{re.escape(ru('You pay'))}$")))
    expect(you_pay.locator("dd")).to_have_text(COPAYMENT_RU)
    expect(recipient.locator("main .notice")).to_contain_text(COPAYMENT_RU)
    assert not Order.objects.exists()
    audit.check(recipient, "recipient: check and confirm")

    to_main(recipient)
    quantity = tab_to(recipient, lambda element, state: state["name"] == "quantity",
                      "the quantity")
    assert active(recipient)["value"] == "1", quantity
    # The delivery: a group of two radios, none chosen yet; Tab stops on the first,
    # Space chooses it, the arrows move the choice.
    tab_to(recipient, lambda element, state: state["type"] == "radio", "the delivery")
    state = active(recipient)
    assert (state["name"], state["value"], state["checked"]) == ("delivery", "home", False)
    recipient.keyboard.press("Space")
    expect(recipient.locator("input[name=delivery][value=home]")).to_be_checked()
    recipient.keyboard.press("ArrowDown")
    assert_focus_is_visible(focused(recipient))
    expect(recipient.locator("input[name=delivery][value=pickup]")).to_be_checked()
    expect(recipient.locator("input[name=delivery][value=pickup]")).to_be_focused()
    recipient.keyboard.press("ArrowUp")
    assert_focus_is_visible(focused(recipient))
    expect(recipient.locator("input[name=delivery][value=home]")).to_be_checked()
    # The address is the person's, already filled in.
    address = tab_to(recipient, lambda element, state: state["name"] == "address",
                     "the address")
    assert active(recipient)["value"] == market.person.address, address
    tab_to_button(recipient, ru("Confirm the order"))
    recipient.keyboard.press("Enter")
    expect(recipient).to_have_url(re.compile(r"/ru/portal/orders/\d+/(#main)?$"))

    order = Order.objects.get()
    order_path = f"/ru/portal/orders/{order.pk}/"
    assert recipient.url.split("#")[0].endswith(order_path)
    assert (order.state, order.delivery, order.quantity) == (
        Order.State.PLACED, "home", 1)
    assert order.copayment == COPAYMENT and order.state_pays == market.cap.amount
    assert_message(recipient, order.number)
    expect(recipient.locator("main .status-tag")).to_have_text(ru(Order.State.PLACED.label))
    audit.check(recipient, "recipient: the order placed")

    # The supplier: their orders, the new one, accept, deliver.
    supplier = new_context(market.supplier_user).new_page()
    supplier.goto("/ru/portal/supplier/")
    expect(supplier.locator("main table tbody tr")).to_have_count(1)
    audit.check(supplier, "supplier: orders")
    to_main(supplier)
    tab_to_link(supplier, order_path)
    press_enter_and_wait(supplier, order_path)
    audit.check(supplier, "supplier: the order placed")
    to_main(supplier)
    tab_to_button(supplier, ru("Accept the order"))
    press_enter_and_wait(supplier, order_path)
    order.refresh_from_db()
    assert order.state == Order.State.ACCEPTED
    audit.check(supplier, "supplier: the order accepted")
    to_main(supplier)
    tab_to_button(supplier, ru("Mark as delivered"))
    press_enter_and_wait(supplier, order_path)
    order.refresh_from_db()
    assert order.state == Order.State.DELIVERED
    audit.check(supplier, "supplier: the order delivered")

    # The recipient: back from the order's page (the focus in its main content) to the
    # breadcrumbs, the portal's home, the order under way, «I have received it».
    tab_to_link(recipient, "/ru/portal/", shift=True)
    press_enter_and_wait(recipient, "/ru/portal/")
    audit.check(recipient, "recipient: home with the order under way")
    to_main(recipient)
    tab_to_link(recipient, order_path)
    press_enter_and_wait(recipient, order_path)
    audit.check(recipient, "recipient: the order delivered")
    to_main(recipient)
    tab_to_button(recipient, ru("I have received it"))
    press_enter_and_wait(recipient, order_path)
    order.refresh_from_db()
    assert order.state == Order.State.RECEIVED
    # Now the rating and the complaint forms.
    expect(recipient.locator("main input[name=stars]")).to_have_count(5)
    expect(recipient.locator("main textarea[name=text]")).to_have_count(1)
    audit.check(recipient, "recipient: the order received")

    claim = Reimbursement.objects.get(order=order)
    claim_path = f"/ru/portal/office/claims/{claim.pk}/"
    assert claim.state == Reimbursement.State.ACCOUNTANT

    # The accountant: the claims waiting, the claim, the price cap's rule, approve.
    accountant = new_context(market.accountant).new_page()
    accountant.goto("/ru/portal/office/claims/")
    audit.check(accountant, "accountant: claims")
    to_main(accountant)
    tab_to_link(accountant, claim_path)
    press_enter_and_wait(accountant, claim_path)
    cap_row = accountant.locator("main table tbody tr").filter(
        has=accountant.locator("th", has_text=ru(Reason.CAP.label)))
    expect(cap_row).to_have_count(1)
    # Above the cap: noted, not failed; the state pays the cap, the person pays the rest,
    # in words and tenge; the rule's code is nowhere on the page.
    expect(cap_row.locator("td").nth(1)).to_have_text(ru(Outcome.NOTED.label))
    with translation.override("ru"):
        found = claim.checks.get(code=Reason.CAP).detail
    expect(cap_row.locator("td").first).to_contain_text(found)
    expect(cap_row.locator("td").first).to_contain_text(
        re.compile(r"\d{3}\s000\s₸.*\d{3}\s000\s₸"))
    expect(accountant.locator("main")).not_to_contain_text(Reason.CAP.value)
    audit.check(accountant, "accountant: the claim")
    to_main(accountant)
    tab_to_button(accountant, ru("Approve as accountant"))
    press_enter_and_wait(accountant, claim_path)
    claim.refresh_from_db()
    assert claim.state == Reimbursement.State.HEAD
    assert claim.accountant == market.accountant
    # The accountant has nothing more to decide on it.
    expect(accountant.locator("main form button[type=submit]")).to_have_count(0)
    audit.check(accountant, "accountant: the claim approved")

    # The head: the claims waiting for the head, the claim, approve and pay.
    head = new_context(market.head).new_page()
    head.goto("/ru/portal/office/claims/")
    expect(head.locator("main table")).to_have_count(0)  # none waits for the accountant
    audit.check(head, "head: claims waiting for the accountant")
    to_main(head)
    tab_to_link(head, "?stage=head")
    press_enter_and_wait(head, "/ru/portal/office/claims/?stage=head")
    audit.check(head, "head: claims waiting for the head")
    to_main(head)
    tab_to_link(head, claim_path)
    press_enter_and_wait(head, claim_path)
    audit.check(head, "head: the claim")
    to_main(head)
    tab_to_button(head, ru("Approve as head and pay"))
    press_enter_and_wait(head, claim_path)

    payment = Payment.objects.get()
    state = head.locator("main dl.summary .status-tag")
    expect(state).to_have_text(ru(Reimbursement.State.PAID.label))
    expect(head.locator("main dl.summary")).to_contain_text(payment.reference)
    audit.check(head, "head: the claim paid")

    order.refresh_from_db()
    claim.refresh_from_db()
    assert order.state == Order.State.RECEIVED
    assert claim.state == Reimbursement.State.PAID and claim.head == market.head
    assert Payment.objects.count() == 1
    assert payment.reimbursement == claim
    assert payment.amount == market.cap.amount == claim.approved_amount

    # The supplier: its claims and payments, the claim paid, the month's total.
    supplier.goto("/ru/portal/supplier/claims/")
    claim_row = supplier.locator("main table tbody tr").filter(has_text=order.number)
    expect(claim_row).to_have_count(1)
    expect(claim_row).to_contain_text(ru(Reimbursement.State.PAID.label))
    expect(claim_row).to_contain_text(payment.paid_at.astimezone().strftime("%d.%m.%Y"))
    expect(supplier.locator("main")).not_to_contain_text(Reason.CAP.value)
    audit.check(supplier, "supplier: claims and payments")

    assert len(audit.checked) == 19, audit.checked
    assert not (audit.found or audit.overflowing), (
        f"WCAG 2.2 A/AA failures on the journey:\n{audit.report()}")


# --- The supplier cancels, and says why ----------------------------------------------------

def test_the_supplier_cancels_with_a_reason_the_recipient_reads(
        market: Market, new_context: Callable[..., BrowserContext]):
    """Cancelling an accepted order takes a reason: sent without one, the form comes back
    with its error and nothing changes; with one, the recipient reads it on the order."""
    audit = Audit(None)
    order = journey.place_order(market.entitlement, market.offer, by=market.recipient,
                                key="cancel-1", delivery="home", address="ул. Абая, 10")
    order = journey.move_order(order, Order.State.ACCEPTED, by=market.supplier_user)
    order_path = f"/ru/portal/orders/{order.pk}/"
    reason = "Модель снята с производства, замены нет"

    supplier = new_context(market.supplier_user).new_page()
    supplier.goto(order_path)
    field = supplier.locator("#id_cancelled-comment")
    expect(field).to_have_count(1)
    expect(supplier.locator("label[for=id_cancelled-comment]")).to_have_text(ru("Reason"))
    audit.check(supplier, "supplier: the accepted order")
    to_main(supplier)
    tab_to_button(supplier, ru("Cancel the order"))
    supplier.keyboard.press("Enter")
    summary = supplier.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary.locator('a[href="#id_cancelled-comment"]')).to_have_count(1)
    expect(field).to_have_attribute("aria-invalid", "true")
    order.refresh_from_db()
    assert order.state == Order.State.ACCEPTED
    audit.check(supplier, "supplier: cancel without a reason")

    # Following the summary's link puts the focus in the field; the reason, then Enter
    # on the button.
    summary.locator("a").first.focus()
    supplier.keyboard.press("Enter")
    expect(field).to_be_focused()
    supplier.keyboard.type(reason)
    tab_to_button(supplier, ru("Cancel the order"))
    press_enter_and_wait(supplier, order_path)
    order.refresh_from_db()
    assert order.state == Order.State.CANCELLED
    assert order.events.last().comment == reason
    audit.check(supplier, "supplier: the order cancelled")

    recipient = new_context(market.recipient).new_page()
    recipient.goto(order_path)
    notice = recipient.locator("main .notice[role=note]").filter(has_text=reason)
    expect(notice).to_contain_text(ru("The supplier gave this reason:"))
    audit.check(recipient, "recipient: the order the supplier cancelled")

    assert len(audit.checked) == 4, audit.checked
    assert not (audit.found or audit.overflowing), (
        f"WCAG 2.2 A/AA failures:\n{audit.report()}")


# --- Twice in a hurry -------------------------------------------------------------------

def test_an_order_confirmed_twice_in_a_hurry_is_placed_once(
        market: Market, new_context: Callable[..., BrowserContext]):
    """The confirm page's form carries a request key: whatever arrives twice with it (a
    double click, a retry after a timeout) gives one order, and the second answer leads
    to the same order's page."""
    page = new_context(market.recipient).new_page()
    confirm_path = (f"/ru/portal/entitlements/{market.entitlement.pk}/offers/"
                    f"{market.offer.pk}/order/")
    page.goto(confirm_path)
    page.locator("input[name=delivery][value=pickup]").check()
    posts: list[str] = []
    page.on("request", lambda request: posts.append(request.url)
            if request.method == "POST" else None)

    # Two submissions of the form as it stands, one right after the other, from the page.
    answers = page.evaluate("""async () => {
      const form = document.querySelector('main form[method=post]');
      const send = () => fetch(location.pathname, {method: 'POST', body: new FormData(form),
                                                   credentials: 'same-origin'})
                         .then(r => [r.status, new URL(r.url).pathname]);
      return [await send(), await send()];
    }""")
    order = Order.objects.get()
    order_path = f"/ru/portal/orders/{order.pk}/"
    assert answers == [[200, order_path], [200, order_path]], answers
    assert (order.delivery, order.quantity) == ("pickup", 1)

    # Then the person presses Enter on «Confirm», twice, as fast as the keyboard goes:
    # the same key, the same order.
    page.locator("main form button[type=submit]").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"{re.escape(order_path)}$"))
    assert_message(page, order.number)
    assert len(posts) >= 3, posts
    assert Order.objects.count() == 1
    assert order.events.count() == 1  # placed, once
