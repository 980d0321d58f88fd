"""The recipient's journey through an order, with idempotent steps and its event log."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tendik.core.models import AuditEvent
from tendik.portal import journey
from tendik.portal.models import Complaint, Order, OrderEvent, Reimbursement
from tests.portal.conftest import Market

State = Order.State


def place(market: Market, by=None, key: str | None = None, **kwargs) -> Order:
    return journey.place_order(market.entitlement, market.offer, by=by or market.recipient,
                               key=key or uuid.uuid4().hex, delivery="home",
                               address="с. Узынагаш, ул. Байтерекова, 4", **kwargs)


def deliver(market: Market, order: Order) -> Order:
    order = journey.move_order(order, State.ACCEPTED, by=market.supplier_user)
    return journey.move_order(order, State.DELIVERED, by=market.supplier_user)


@pytest.mark.django_db
def test_it_pays_up_to_the_cap_and_shows_the_copayment(market):
    quote = journey.quote(market.offer, market.entitlement)
    assert quote.state_pays == market.cap.amount and quote.copayment == Decimal(15000)
    order = place(market)
    assert (order.unit_cap, order.state_pays, order.copayment) == (
        market.cap.amount, market.cap.amount, Decimal(15000))
    assert order.region == market.almaty and order.supplier == market.supplier


@pytest.mark.django_db
def test_posting_the_same_order_twice_creates_one_order(market):
    key = uuid.uuid4().hex
    first = place(market, key=key)
    again = place(market, key=key)
    assert first.pk == again.pk
    assert Order.objects.count() == 1
    assert OrderEvent.objects.filter(order=first).count() == 1
    with pytest.raises(PermissionDenied):
        place(market, by=market.representative, key=key)


@pytest.mark.django_db
def test_the_balance_is_computed_from_orders(market):
    entitlement = market.entitlement
    assert (entitlement.balance.left, entitlement.balance.delivered) == (1, 0)
    order = place(market)
    assert (entitlement.balance.left, entitlement.balance.reserved) == (0, 1)
    with pytest.raises(ValidationError) as refused:
        place(market)
    assert "quantity" in refused.value.message_dict
    order = deliver(market, order)
    journey.move_order(order, State.RECEIVED, by=market.recipient)
    annotated = type(entitlement).objects.with_balance().get(pk=entitlement.pk)
    assert (annotated.balance.delivered, annotated.balance.left, annotated.balance.met) == (
        1, 0, True)


@pytest.mark.django_db
def test_a_representative_acts_for_the_person_and_nobody_else_does(market, make_user):
    order = place(market, by=market.representative)
    assert order.person == market.person and order.placed_by == market.representative
    stranger = make_user(username="stranger")
    with pytest.raises(PermissionDenied):
        place(market, by=stranger)
    with pytest.raises(PermissionDenied):
        journey.move_order(order, State.CANCELLED, by=stranger)
    with pytest.raises(PermissionDenied):
        journey.move_order(order, State.ACCEPTED, by=market.akimat_astana)


@pytest.mark.django_db
def test_each_state_has_its_cancellation_rule(market):
    order = place(market)
    journey.move_order(order, State.CANCELLED, by=market.recipient)
    assert market.entitlement.balance.left == 1

    order = journey.move_order(place(market), State.ACCEPTED, by=market.supplier_user)
    order = journey.move_order(order, State.FITTING, by=market.supplier_user)
    with pytest.raises(ValidationError):
        journey.move_order(order, State.CANCELLED, by=market.recipient)
    order = journey.move_order(order, State.DELIVERED, by=market.supplier_user)
    with pytest.raises(ValidationError):
        journey.move_order(order, State.CANCELLED, by=market.supplier_user)
    order = journey.move_order(order, State.DISPUTED, by=market.recipient,
                               comment="The footrest is broken")
    with pytest.raises(ValidationError) as no_reason:
        journey.move_order(order, State.CANCELLED, by=market.accountant)
    assert "comment" in no_reason.value.message_dict
    order = journey.move_order(order, State.CANCELLED, by=market.accountant,
                               comment="The supplier cannot replace it")
    assert order.state == State.CANCELLED


@pytest.mark.django_db
def test_a_repeated_step_is_recorded_once(market):
    order = deliver(market, place(market))
    journey.move_order(order, State.RECEIVED, by=market.recipient)
    journey.move_order(order, State.RECEIVED, by=market.recipient)
    steps = list(OrderEvent.objects.filter(order=order).values_list("to_state", flat=True))
    assert steps == ["placed", "accepted", "delivered", "received", "accountant"]
    assert Reimbursement.objects.filter(order=order).count() == 1


@pytest.mark.django_db
def test_a_dispute_needs_a_reason_and_the_log_cannot_be_rewritten(market):
    order = deliver(market, place(market))
    with pytest.raises(ValidationError):
        journey.move_order(order, State.DISPUTED, by=market.recipient)
    journey.move_order(order, State.DISPUTED, by=market.recipient, comment="Wrong size")
    event = OrderEvent.objects.filter(order=order).last()
    assert event.comment == "Wrong size" and event.by == market.recipient
    event.comment = "Nothing happened"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()


@pytest.mark.django_db
def test_only_a_served_recipient_rates_the_supplier(market):
    order = place(market)
    with pytest.raises(ValidationError):
        journey.rate_supplier(order, 5, "", by=market.recipient)
    order = deliver(market, order)
    journey.move_order(order, State.RECEIVED, by=market.recipient)
    with pytest.raises(PermissionDenied):
        journey.rate_supplier(order, 1, "", by=market.supplier_user)
    journey.rate_supplier(order, 4, "Quick", by=market.recipient)
    journey.rate_supplier(order, 5, "Quick and kind", by=market.recipient)
    assert market.supplier.ratings.get().stars == 5


@pytest.mark.django_db
def test_a_complaint_is_answered_by_the_supplier_and_decided_by_the_akimat(market):
    order = deliver(market, place(market))
    complaint = journey.file_complaint(order, "Delivered two weeks late", by=market.recipient)
    with pytest.raises(PermissionDenied):
        journey.answer_complaint(complaint, "Sorry", by=market.recipient)
    with pytest.raises(PermissionDenied):
        journey.decide_complaint(complaint, True, "Upheld", by=market.akimat_astana)
    journey.answer_complaint(complaint, "The road was closed", by=market.supplier_user)
    decided = journey.decide_complaint(complaint, True, "Late by 14 days",
                                       by=market.accountant)
    assert decided.state == Complaint.State.UPHELD
    assert AuditEvent.objects.filter(model="portal.complaint",
                                     object_id=str(complaint.pk)).count() == 3
    with pytest.raises(ValidationError):
        journey.answer_complaint(complaint, "More", by=market.supplier_user)


@pytest.mark.django_db
def test_an_unaccredited_supplier_or_a_wrong_delivery_is_refused(market):
    market.supplier.accreditations.update(status="suspended")
    with pytest.raises(ValidationError) as refused:
        journey.place_order(market.entitlement, market.offer, by=market.recipient,
                            key="k1", delivery="post", address="")
    assert set(refused.value.message_dict) == {"__all__", "delivery", "address"}
    assert not Order.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_supplier_hears_of_a_new_order_and_the_recipient_of_its_delivery(market,
                                                                            mailoutbox):
    market.supplier_user.email, market.supplier_user.preferred_language = "s@orto.kz", "en"
    market.supplier_user.save()
    market.person.language = "kk"
    market.person.save()
    order = place(market)
    assert [m.to for m in mailoutbox] == [["s@orto.kz"]]
    assert order.number in mailoutbox[0].subject and "placed" in mailoutbox[0].subject
    deliver(market, order)
    recipients = [sorted(m.to) for m in mailoutbox[1:]]
    assert recipients == [sorted([market.recipient.email, market.representative.email])] * 2
    assert "Тапсырыс" in mailoutbox[-1].subject
