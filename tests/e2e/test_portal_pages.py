"""axe-core on every page of the social services portal, in every mode of the
accessibility suite (three languages, the low-vision schemes, 640 and 320 pixels), in the
states people meet them: the recipient's and the representative's home, the offers, the
check-and-confirm page with and without its error summary, an order received (rating and
complaint forms) as the recipient, as the supplier (a complaint to answer) and as the
akimat (a complaint to decide), the recipient card as the person and as the akimat, the
supplier's orders and offers and the offer form with its errors, the akimat's orders,
claims and complaints, a claim to approve or reject, the public provision dashboard.
Every table has a caption; no page scrolls sideways at 320 pixels (the Audit checks).
And a recipient card asked for by anyone but the person, their representative or the
akimat of their region does not exist.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from tendik.core.models import AuditEvent, Role, User
from tendik.people.iin import make_iin
from tendik.people.models import DisabilityRecord, Person, Representative
from tendik.portal import journey
from tendik.portal.models import Complaint, Entitlement, Offer, Order, Reimbursement
from tests.e2e.test_access_contributions import assert_summary_links_lead_to_fields
from tests.e2e.test_accessibility import MODES, Audit
from tests.e2e.test_portal_journey import build_market
from tests.factories import UserFactory
from tests.portal.conftest import Market, entitle, make_person

pytestmark = pytest.mark.e2e

COMPLAINT = "Колёса скрипят, а сиденье закреплено не до конца."

# Tables without a caption, or with an empty one (WCAG 1.3.1: a table says what it is).
UNCAPTIONED = """() => [...document.querySelectorAll('main table')]
  .filter(t => !t.caption || !t.caption.textContent.trim())
  .map(t => t.closest('[id]') ? t.closest('[id]').id || 'table' : 'table')"""


# --- Data -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Portal:
    market: Market
    received: Order  # the recipient's wheelchair, received; a complaint open on it
    complaint: Complaint
    claim: Reimbursement  # of the received order, waiting for the accountant
    child: Person  # represented by the market's representative, with an order placed
    child_order: Order
    stranger: User  # another recipient of Almaty, with their own record


@pytest.fixture
def portal(reference) -> Portal:
    """The market, with two wheelchairs granted: one ordered, accepted, delivered,
    received (so its claim waits for the accountant) and complained about; one left to
    order. The representative also acts for a child, whose wheelchair is on order."""
    market = build_market(quantity=2)
    today = timezone.localdate()
    DisabilityRecord.objects.create(
        person=market.person, group=DisabilityRecord.Group.GROUP_2,
        cause=DisabilityRecord.Cause.GENERAL, start=today - dt.timedelta(days=800),
        reexamination=today + dt.timedelta(days=300), decision_number="МСЭ-17",
        decision_date=today - dt.timedelta(days=800))

    received = journey.place_order(market.entitlement, market.offer, by=market.recipient,
                                   key="e2e-received", delivery="home",
                                   address=market.person.address)
    for to, by in [(Order.State.ACCEPTED, market.supplier_user),
                   (Order.State.DELIVERED, market.supplier_user),
                   (Order.State.RECEIVED, market.recipient)]:
        received = journey.move_order(received, to, by=by)
    complaint = journey.file_complaint(received, COMPLAINT, by=market.recipient)
    claim = Reimbursement.objects.get(order=received)
    assert claim.state == Reimbursement.State.ACCOUNTANT

    born = today.replace(year=today.year - 9, day=1)
    child = Person.objects.create(
        iin=make_iin(born, "male", 901), last_name="Тестов", first_name="Данияр",
        birth_date=born, sex="male", region=market.almaty, address="ул. Абая, 10")
    Representative.objects.create(person=child, account=market.representative,
                                  basis=Representative.Basis.PARENT,
                                  document="Свидетельство о рождении № 77",
                                  valid_from=born)
    child_entitlement: Entitlement = entitle(child, market.wheelchair)
    child_order = journey.place_order(child_entitlement, market.offer,
                                      by=market.representative, key="e2e-child",
                                      delivery="pickup", address=child.address)

    stranger = UserFactory(role=Role.RECIPIENT, username="stranger")
    make_person(market.almaty, account=stranger)
    return Portal(market, received, complaint, claim, child, child_order, stranger)


# --- axe-core ---------------------------------------------------------------------------

@pytest.mark.parametrize("mode", list(MODES))
def test_the_portal_pages_pass_axe(mode: str, new_context: Callable[..., BrowserContext],
                                   portal: Portal):
    language, display, width = MODES[mode]
    market = portal.market
    audit = Audit(display)
    uncaptioned: dict[str, list[str]] = {}
    base = f"/{language}/portal"

    def open_as(user: User | None) -> Page:
        return new_context(user, display=display, width=width).new_page()

    def check(page: Page, name: str) -> None:
        audit.check(page, name)
        if missing := page.evaluate(UNCAPTIONED):
            uncaptioned[f"{name} — {page.url}"] = missing

    def visit(page: Page, name: str, path: str) -> None:
        audit.visit(page, path)
        check(page, name)

    order_path = f"{base}/orders/{portal.received.pk}/"
    confirm_path = (f"{base}/entitlements/{market.entitlement.pk}/offers/"
                    f"{market.offer.pk}/order/")

    # The recipient: home, offers, check and confirm (then with errors), the order
    # received with the rating and complaint forms, their own card.
    recipient = open_as(market.recipient)
    audit.visit(recipient, f"{base}/")
    expect(recipient.locator(
        f'main a[href="{base}/entitlements/{market.entitlement.pk}/"]')).to_have_count(1)
    check(recipient, "recipient: home")
    audit.visit(recipient, f"{base}/entitlements/{market.entitlement.pk}/")
    expect(recipient.locator(f'main table a[href="{confirm_path}"]')).to_have_count(1)
    check(recipient, "recipient: offers")
    audit.visit(recipient, confirm_path)
    expect(recipient.locator("main input[type=radio][name=delivery]")).to_have_count(2)
    check(recipient, "recipient: check and confirm")
    recipient.locator("#id_address").fill("")
    recipient.locator("main form[method=post] button[type=submit]").click()
    summary = recipient.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary.locator('a[href="#id_address"]')).to_have_count(1)
    expect(summary.locator('a[href="#id_delivery_0"]')).to_have_count(1)
    expect(recipient.locator("#id_address")).to_have_attribute("aria-invalid", "true")
    assert_summary_links_lead_to_fields(recipient)
    check(recipient, "recipient: check and confirm with errors")
    assert Order.objects.filter(person=market.person).count() == 1

    audit.visit(recipient, order_path)
    expect(recipient.locator("main input[type=radio][name=stars]")).to_have_count(5)
    expect(recipient.locator(f'main form[action="{order_path}complaint/"] '
                             "textarea[name=text]")).to_have_count(1)
    expect(recipient.locator("main section.card")).to_contain_text(COMPLAINT)
    check(recipient, "recipient: the order received")
    visit(recipient, "recipient: their card", f"{base}/card/{market.person.pk}/")

    # The representative: home, acting for an adult and for a child.
    representative = open_as(market.representative)
    audit.visit(representative, f"{base}/")
    expect(representative.locator("main section h2")).to_have_count(2)
    expect(representative.locator(
        f'main a[href="{base}/orders/{portal.child_order.pk}/"]')).to_have_count(1)
    check(representative, "representative: home")

    # The supplier: orders, the order with a complaint to answer, offers, the offer form
    # and its errors.
    supplier = open_as(market.supplier_user)
    # The queue opens on orders under way; «all states» lists the received one too.
    audit.visit(supplier, f"{base}/supplier/?state=all")
    expect(supplier.locator("main table tbody tr")).to_have_count(2)
    check(supplier, "supplier: orders")
    audit.visit(supplier, order_path)
    expect(supplier.locator(f"#answer-{portal.complaint.pk}-text")).to_have_count(1)
    check(supplier, "supplier: an order with a complaint to answer")
    audit.visit(supplier, f"{base}/supplier/offers/")
    expect(supplier.locator(
        f'main table a[href="{base}/supplier/offers/{market.offer.pk}/"]')).to_have_count(1)
    check(supplier, "supplier: offers")
    visit(supplier, "supplier: an offer", f"{base}/supplier/offers/{market.offer.pk}/")
    audit.visit(supplier, f"{base}/supplier/offers/new/")
    check(supplier, "supplier: a new offer")
    supplier.locator("main form[method=post] button[type=submit]").click()
    expect(supplier.locator("#error-summary")).to_be_visible()
    assert_summary_links_lead_to_fields(supplier)
    check(supplier, "supplier: a new offer with errors")
    assert Offer.objects.count() == 1

    # The akimat's accountant: orders, claims, complaints, the order with the decide
    # form, the claim to approve or reject, the card.
    official = open_as(market.accountant)
    audit.visit(official, f"{base}/office/?state=all")
    expect(official.locator("main table tbody tr")).to_have_count(2)
    check(official, "akimat: orders")
    audit.visit(official, f"{base}/office/claims/")
    expect(official.locator(
        f'main table a[href="{base}/office/claims/{portal.claim.pk}/"]')).to_have_count(1)
    check(official, "akimat: claims")
    audit.visit(official, f"{base}/office/complaints/?state=open")
    expect(official.locator("main table tbody tr")).to_have_count(1)
    check(official, "akimat: open complaints")
    visit(official, "akimat: complaints answered (none)", f"{base}/office/complaints/")
    audit.visit(official, order_path)
    expect(official.locator("main input[type=radio][name=upheld]")).to_have_count(2)
    expect(official.locator(f"#decision-{portal.complaint.pk}-text")).to_have_count(1)
    check(official, "akimat: an order with a complaint to decide")
    audit.visit(official, f"{base}/office/claims/{portal.claim.pk}/")
    expect(official.locator("main form[method=post] button[type=submit]")).to_have_count(2)
    expect(official.locator("main table tbody tr")).not_to_have_count(0)
    check(official, "akimat: a claim to approve or reject")
    official.locator("main form[method=post]:has(textarea) button[type=submit]").click()
    summary = official.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary.locator('a[href="#id_comment"]')).to_have_count(1)
    assert_summary_links_lead_to_fields(official)
    check(official, "akimat: a claim rejected without a reason")
    portal.claim.refresh_from_db()
    assert portal.claim.state == Reimbursement.State.ACCOUNTANT
    visit(official, "akimat: the recipient card", f"{base}/card/{market.person.pk}/")

    # Anyone: the provision dashboard, this year (the programmes above started in it).
    visitor = open_as(None)
    visit(visitor, "provision dashboard",
          f"{base}/provision/?year={timezone.localdate().year}")

    assert len(audit.checked) == 22, audit.checked
    assert not uncaptioned, f"tables without a caption ({mode}): {uncaptioned}"
    assert not (audit.found or audit.overflowing), (
        f"WCAG 2.2 A/AA failures ({mode}):\n{audit.report()}")


# --- The card's access rule -------------------------------------------------------------

def test_a_card_asked_for_by_another_recipient_does_not_exist(
        new_context: Callable[..., BrowserContext], portal: Portal):
    market = portal.market
    path = f"/ru/portal/card/{market.person.pk}/"
    refused_before = AuditEvent.objects.filter(
        action=AuditEvent.Action.ACCESS_REFUSED).count()

    for who in (portal.stranger, market.akimat_astana, market.supplier_user):
        page = new_context(who).new_page()
        response = page.goto(path)
        assert response is not None and response.status == 404, (who.username, response)
        expect(page.locator("main")).not_to_contain_text(market.person.iin)
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.ACCESS_REFUSED).count() == refused_before + 3

    # The person and their representative do see it.
    for who in (market.recipient, market.representative):
        page = new_context(who).new_page()
        response = page.goto(path)
        assert response is not None and response.status == 200, (who.username, response)
        expect(page.locator("main dl.summary")).to_contain_text(market.person.iin)


# --- The page's language ----------------------------------------------------------------

def test_the_portal_speaks_the_language_of_the_page(
        new_context: Callable[..., BrowserContext], portal: Portal):
    """The Russian and Kazakh pages of the portal are in Russian and Kazakh (WCAG 3.1.1:
    <html lang> names the language the text is in, and screen readers read it so): their
    headings, the portal's entry in the main navigation and the confirm button are not
    the English ones."""
    market = portal.market
    confirm = (f"/portal/entitlements/{market.entitlement.pk}/offers/{market.offer.pk}/"
               "order/")
    pages = [(market.recipient, "/portal/"), (market.recipient, confirm),
             (market.accountant, "/portal/office/claims/"), (None, "/portal/provision/")]
    texts: dict[str, dict[str, list[str]]] = {}
    for language in ("en", "ru", "kk"):
        for user, path in pages:
            page = new_context(user).new_page()
            response = page.goto(f"/{language}{path}")
            assert response is not None and response.status == 200, (language, path)
            expect(page.locator("html")).to_have_attribute("lang", language)
            texts.setdefault(path, {})[language] = [
                " ".join(page.locator(selector).first.inner_text().split())
                for selector in ("main h1", f'nav.site-nav a[href="/{language}/portal/"]',
                                 "main form[method=post] button[type=submit]")
                if page.locator(selector).count()]
    in_english = {f"/{language}{path}": same for path, found in texts.items()
                  for language in ("ru", "kk")
                  if (same := [text for text in found[language] if text in found["en"]])}
    assert not in_english, f"English text on the Russian and Kazakh pages: {in_english}"
