"""Reimbursement: rules with reason codes, two approvals by two people, one payment."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tendik.portal import journey, reimbursement
from tendik.portal.models import Order, Payment, Reason, Reimbursement
from tests.portal.conftest import TODAY, Market, entitle

State = Order.State
Stage = Reimbursement.State


def received(market: Market, entitlement=None) -> Order:
    order = journey.place_order(entitlement or market.entitlement, market.offer,
                                by=market.recipient, key=uuid.uuid4().hex, delivery="home",
                                address="ул. Абая, 10")
    for to in (State.ACCEPTED, State.DELIVERED):
        order = journey.move_order(order, to, by=market.supplier_user)
    return journey.move_order(order, State.RECEIVED, by=market.recipient)


def failed(claim: Reimbursement) -> set[str]:
    return {c.code for c in claim.checks.all() if not c.passed}


@pytest.mark.django_db
def test_an_order_above_the_cap_is_paid_up_to_the_cap(market):
    order = received(market)
    claim = order.reimbursement
    assert failed(claim) == {Reason.CAP}
    assert claim.state == Stage.ACCOUNTANT
    assert claim.approved_amount == market.cap.amount
    assert order.copayment == Decimal(15000)
    claim = reimbursement.approve(claim, Stage.ACCOUNTANT, by=market.accountant)
    claim = reimbursement.approve(claim, Stage.HEAD, by=market.head)
    assert claim.state == Stage.PAID
    assert Payment.objects.get().amount == market.cap.amount


@pytest.mark.django_db
def test_a_second_wheelchair_within_its_replacement_term_is_rejected(market):
    first = received(market)
    # A new ИПР version grants another wheelchair: the balance allows it, the term not.
    second_entitlement = entitle(market.person, market.wheelchair, version=2)
    second = received(market, second_entitlement)
    assert first.reimbursement.state == Stage.ACCOUNTANT
    claim = second.reimbursement
    assert claim.state == Stage.REJECTED and claim.approved_amount == 0
    assert Reason.REPLACEMENT in failed(claim)
    detail = claim.checks.get(code=Reason.REPLACEMENT).detail
    assert first.number in detail and "48" in detail


@pytest.mark.django_db
def test_after_the_replacement_term_a_new_wheelchair_is_paid(market):
    first = received(market)
    Order.objects.filter(pk=first.pk).update(
        received_at=timezone.now() - dt.timedelta(days=49 * 31))
    second = received(market, entitle(market.person, market.wheelchair, version=2))
    assert Reason.REPLACEMENT not in failed(second.reimbursement)


@pytest.mark.django_db
def test_each_rule_leaves_its_reason_code(market):
    order = received(market)
    Order.objects.filter(pk=order.pk).update(ordered_on=TODAY + dt.timedelta(days=800),
                                             state=State.DISPUTED)
    market.entitlement.__class__.objects.filter(pk=market.entitlement.pk).update(quantity=0)
    order = Order.objects.get(pk=order.pk)
    checks, amount = reimbursement._checks(order)
    # Two years on the ИПР and the accreditation have ended; the cap still holds.
    assert {c.code for c in checks if not c.passed} == {
        Reason.NOT_RECEIVED, Reason.ENTITLEMENT, Reason.BALANCE, Reason.ACCREDITATION,
        Reason.CAP}
    assert [c.code for c in checks if not c.blocking] == [Reason.CAP]
    market.wheelchair.caps.all().delete()
    checks, amount = reimbursement._checks(order)
    assert Reason.NO_CAP in {c.code for c in checks if not c.passed} and amount == 0


@pytest.mark.django_db
def test_two_approvals_by_two_people_and_one_payment(market):
    claim = received(market).reimbursement
    with pytest.raises(PermissionDenied):
        reimbursement.approve(claim, Stage.ACCOUNTANT, by=market.head)
    with pytest.raises(PermissionDenied):
        reimbursement.approve(claim, Stage.ACCOUNTANT, by=market.akimat_astana)
    with pytest.raises(ValidationError):
        reimbursement.approve(claim, Stage.HEAD, by=market.head)
    claim = reimbursement.approve(claim, Stage.ACCOUNTANT, by=market.accountant)
    # A double click on the accountant's button changes nothing.
    claim = reimbursement.approve(claim, Stage.ACCOUNTANT, by=market.accountant)
    assert claim.state == Stage.HEAD
    # The accountant who also holds the head's right still cannot approve twice.
    from tests.portal.conftest import grant
    both = grant(market.accountant, "Akimat heads", "approve_as_head")
    with pytest.raises(ValidationError):
        reimbursement.approve(claim, Stage.HEAD, by=both)
    claim = reimbursement.approve(claim, Stage.HEAD, by=market.head)
    claim = reimbursement.approve(claim, Stage.HEAD, by=market.head)
    assert Payment.objects.count() == 1
    steps = list(claim.order.events.values_list("to_state", flat=True))
    assert steps[-3:] == ["accountant", "head", "paid"]


@pytest.mark.django_db
def test_a_rejection_needs_a_reason(market):
    claim = received(market).reimbursement
    with pytest.raises(ValidationError):
        reimbursement.reject(claim, " ", by=market.accountant)
    claim = reimbursement.reject(claim, "The invoice is missing", by=market.accountant)
    assert claim.state == Stage.REJECTED and claim.approved_amount == 0
    assert claim.order.events.last().comment == "The invoice is missing"


def test_months_before_keeps_the_day_or_the_months_end():
    assert reimbursement.months_before(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
    assert reimbursement.months_before(dt.date(2026, 1, 15), 48) == dt.date(2022, 1, 15)
