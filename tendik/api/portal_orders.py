"""Orders through the API: suppliers work their orders, offers and complaints with their
organisation's token; a recipient (signed in) sees entitlements and places orders with an
Idempotency-Key, so a retried request never makes a second order.

An order carries a person's address and the aid their ИПР grants: every answer that shows
one is in the access log, naming the persons, exactly as the pages log them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from ninja import Field, Header, Query, Router, Schema, Status

from tendik.api.auth import PRIVATE
from tendik.api.schemas import Error, Limit, Name, Offset, Year, named, unprocessable
from tendik.core.audit import acting_as, record_access
from tendik.core.models import ApiToken, Organisation, Role
from tendik.people.models import Person
from tendik.portal import claims as supplier_claims
from tendik.portal import journey
from tendik.portal.models import (
    Complaint,
    Entitlement,
    Offer,
    Order,
    Reimbursement,
    ReimbursementCheck,
)
from tendik.portal.reasons import Outcome, Reason

router = Router(tags=["social services portal: orders"], auth=PRIVATE)

OrderState = Annotated[Order.State, named(Order.State, "OrderState")]
ClaimState = Annotated[Reimbursement.State, named(Reimbursement.State, "ClaimState")]


class OrderOut(Schema):
    id: int
    number: str
    state: OrderState
    item: str
    supplier: str
    region: str
    quantity: int
    ordered_on: dt.date
    unit_price: Decimal
    unit_cap: Decimal | None
    state_pays: Decimal
    copayment: Decimal
    delivery: str
    address: str
    placed_at: dt.datetime
    delivered_at: dt.datetime | None
    received_at: dt.datetime | None
    moves: list[str]


def order_out(order: Order, party: str) -> OrderOut:
    return OrderOut(
        id=order.pk, number=order.number, state=Order.State(order.state),
        item=order.item.code, supplier=order.supplier.code, region=order.region.kato,
        quantity=order.quantity, ordered_on=order.ordered_on, unit_price=order.unit_price,
        unit_cap=order.unit_cap, state_pays=order.state_pays, copayment=order.copayment,
        delivery=order.delivery, address=order.address, placed_at=order.placed_at,
        delivered_at=order.delivered_at, received_at=order.received_at,
        moves=sorted(order.moves_for(party)))


def shown(request: HttpRequest, person_ids: Iterable[int], purpose: str) -> None:
    """Log that the caller (a token or a user) was shown these persons' data."""
    record_access(request.path, Person, sorted(set(person_ids)), purpose=f"API: {purpose}")


def supplier_of(request: HttpRequest) -> Organisation:
    """The supplier the caller acts for: its token, or a supplier's staff session."""
    caller = request.auth  # type: ignore[attr-defined]
    organisation = caller.organisation if isinstance(caller, ApiToken) else (
        caller.organisation if caller.role == Role.SUPPLIER else None)
    if organisation is None or organisation.kind != Organisation.Kind.SUPPLIER:
        raise PermissionDenied
    return organisation


def supplier_order(request: HttpRequest, order_id: int) -> Order:
    return get_object_or_404(Order.objects.select_related("item", "supplier", "region"),
                             pk=order_id, supplier=supplier_of(request))


class OrderFilter(Schema):
    state: OrderState | None = None
    since: dt.date | None = None
    limit: Limit = 100
    offset: Offset = 0


@router.get("/supplier/orders", response={200: list[OrderOut], 401: Error, 403: Error},
            summary="The supplier's orders, newest first")
def supplier_orders(request: HttpRequest, filters: Query[OrderFilter]) -> list[OrderOut]:
    orders = Order.objects.filter(supplier=supplier_of(request)).select_related(
        "item", "supplier", "region")
    if filters.state:
        orders = orders.filter(state=filters.state)
    if filters.since:
        orders = orders.filter(ordered_on__gte=filters.since)
    page = list(orders.order_by("-placed_at", "-pk")[
        filters.offset:filters.offset + filters.limit])
    shown(request, (o.person_id for o in page), "orders")
    return [order_out(o, journey.SUPPLIER) for o in page]


@router.get("/supplier/orders/{order_id}", response={200: OrderOut, 401: Error,
                                                    403: Error, 404: Error},
            summary="One order to the supplier")
def supplier_order_detail(request: HttpRequest, order_id: int) -> OrderOut:
    order = supplier_order(request, order_id)
    shown(request, [order.person_id], "order")
    return order_out(order, journey.SUPPLIER)


class MoveIn(Schema):
    to: OrderState
    comment: str = Field("", description=(
        "Why. Required to decline an order and to cancel an accepted one: the reason is "
        "shown to the recipient on the order's page and sent to them by e-mail."),
        max_length=2000)


@router.post("/supplier/orders/{order_id}/moves",
             response={200: OrderOut, 401: Error, 403: Error, 404: Error, 422: Error},
             summary="Accept, decline (with a reason), start fitting, cancel an accepted "
                     "order (with a reason) or mark delivered (repeating a move already made "
                     "changes nothing)")
def supplier_move(request: HttpRequest, order_id: int, payload: MoveIn) -> OrderOut:
    order = supplier_order(request, order_id)
    try:
        order = journey.move_order(order, payload.to, by=request.auth,  # type: ignore[attr-defined]
                                   comment=payload.comment)
    except DjangoValidationError as error:
        raise unprocessable(error) from error
    shown(request, [order.person_id], "order")
    return order_out(order, journey.SUPPLIER)


# --- The supplier's claims and payments ----------------------------------------------------

def trilingual(make: Any) -> Name:
    """A text people read, in the three languages of the platform."""
    texts = {}
    for language in ("ru", "kk", "en"):
        with translation.override(language):
            texts[language] = str(make())
    return Name(**texts)


class CheckOut(Schema):
    code: Reason = Field(description=(
        "The rule's reason code, a machine value: NOT-RECEIVED receipt confirmed, "
        "ENT-VALID valid entitlement, ENT-BALANCE balance of the entitlement, PRICE-NOCAP "
        "a price cap in force, PRICE-CAP price within the cap (above it the state pays "
        "the cap: noted, not blocking), SUP-ACCRED supplier accredited, REPL-TERM "
        "replacement term. Show people `name` and `text`, not the code."))
    name: Name = Field(description="The rule's name.")
    outcome: Outcome = Field(description="passed, failed (blocks payment) or noted.")
    passed: bool
    blocking: bool
    text: Name = Field(description="What the rule checked and found, in a sentence.")
    facts: dict[str, Any] = Field(description=(
        "What the rule found, as data: dates as YYYY-MM-DD, amounts in tenge as strings."))


class StepOut(Schema):
    by: str | None = Field(description="The person's name; null for the rule checks.")
    at: dt.datetime | None


class RejectionOut(Schema):
    by_rules: bool = Field(description="Rejected by the rule checks when it was filed.")
    by: str | None
    role: Name | None = Field(description="The stage the person rejected it at.")
    at: dt.datetime | None
    comment: str = Field(description="The reason the person gave, as they wrote it.")
    failed: list[Reason] = Field(description="The rules that rejected it (by the rules).")


class PaymentOut(Schema):
    reference: str
    amount: Decimal
    paid_at: dt.datetime


class ClaimOut(Schema):
    id: int
    order: int
    order_number: str
    item: str
    state: ClaimState
    state_name: Name
    claimed: Decimal
    to_pay: Decimal
    checked_at: dt.datetime
    checks: list[CheckOut]
    accountant: StepOut | None
    head: StepOut | None
    rejection: RejectionOut | None
    payment: PaymentOut | None


def _person(user: Any) -> str | None:
    return (user.get_full_name() or user.username) if user is not None else None


def check_out(check: ReimbursementCheck) -> CheckOut:
    return CheckOut(code=Reason(check.code), name=trilingual(lambda: check.name),
                    outcome=check.outcome, passed=check.passed, blocking=check.blocking,
                    text=trilingual(lambda: check.detail), facts=check.facts or {})


def claim_out(claim: Reimbursement) -> ClaimOut:
    rejection = claim.rejection
    payment = getattr(claim, "payment", None)
    return ClaimOut(
        id=claim.pk, order=claim.order_id, order_number=claim.order.number,
        item=claim.order.item.code, state=Reimbursement.State(claim.state),
        state_name=trilingual(claim.get_state_display), claimed=claim.claimed,
        to_pay=claim.approved_amount, checked_at=claim.checked_at,
        checks=[check_out(c) for c in claim.checks.all()],
        accountant=StepOut(by=_person(claim.accountant), at=claim.accountant_at)
        if claim.accountant_id else None,
        head=StepOut(by=_person(claim.head), at=claim.head_at) if claim.head_id else None,
        rejection=RejectionOut(
            by_rules=rejection.by_rules, by=_person(rejection.by),
            role=trilingual(claim.get_rejected_as_display) if claim.rejected_as else None,
            at=rejection.at, comment=rejection.comment,
            failed=[Reason(c.code) for c in rejection.failed]) if rejection else None,
        payment=PaymentOut(reference=payment.reference, amount=payment.amount,
                           paid_at=payment.paid_at) if payment else None)


class ClaimFilter(Schema):
    state: ClaimState | None = None
    year: Year | None = Field(None, description="The year the claims were checked.")
    order: str = Field("", description="An order number, ТСР-0000012 or 12.",
                       max_length=40)
    limit: Limit = 100
    offset: Offset = 0


@router.get("/supplier/claims", response={200: list[ClaimOut], 401: Error, 403: Error},
            summary="The supplier's reimbursement claims, newest first, with their checks, "
                    "approvals, rejection and payment")
def supplier_claims_list(request: HttpRequest, filters: Query[ClaimFilter]) -> list[ClaimOut]:
    found = supplier_claims.of_supplier(
        supplier_of(request), state=filters.state or "", year=filters.year,
        number=filters.order)
    page = list(found[filters.offset:filters.offset + filters.limit])
    # A claim's checks tell what the person's entitlement grants and what is left of it.
    shown(request, (c.order.person_id for c in page), "claims")
    return [claim_out(c) for c in page]


class MonthOut(Schema):
    month: str = Field(description="YYYY-MM")
    claims: int
    rejected: int
    claimed: Decimal
    to_pay: Decimal
    payments: int
    paid: Decimal


class YearOut(Schema):
    year: int
    months: list[MonthOut]
    total: MonthOut


def month_out(month: supplier_claims.Month, label: str) -> MonthOut:
    return MonthOut(month=label, claims=month.claims, rejected=month.rejected,
                    claimed=month.claimed, to_pay=month.approved, payments=month.payments,
                    paid=month.paid)


@router.get("/supplier/claims/months", response={200: YearOut, 401: Error, 403: Error},
            summary="The supplier's totals month by month: claims by the month they were "
                    "checked, payments by the month they were made")
def supplier_claims_months(request: HttpRequest, year: Year | None = None) -> YearOut:
    year = year or timezone.localdate().year
    totals = supplier_claims.by_month(supplier_of(request), year)
    return YearOut(year=year, months=[month_out(m, m.month.strftime("%Y-%m"))
                                      for m in totals.months],
                   total=month_out(totals.total, str(year)))


@router.get("/supplier/claims/{claim_id}",
            response={200: ClaimOut, 401: Error, 403: Error, 404: Error},
            summary="One of the supplier's claims")
def supplier_claim(request: HttpRequest, claim_id: int) -> ClaimOut:
    found = supplier_claims.of_supplier(supplier_of(request)).filter(pk=claim_id).first()
    if found is None:
        raise Http404
    shown(request, [found.order.person_id], "claim")
    return claim_out(found)


class OfferOut(Schema):
    id: int
    item: str
    title: str
    price: Decimal
    specifications: str
    delivery: list[str]
    lead_time_days: int
    fitting: bool
    active: bool


class OfferIn(Schema):
    item: str | None = None
    title: str | None = None
    price: Decimal | None = None
    specifications: str | None = None
    delivery: list[str] | None = None
    lead_time_days: int | None = None
    fitting: bool | None = None
    active: bool | None = None


def offer_out(offer: Offer) -> OfferOut:
    return OfferOut(id=offer.pk, item=offer.item.code, title=offer.title, price=offer.price,
                    specifications=offer.specifications, delivery=offer.delivery,
                    lead_time_days=offer.lead_time_days, fitting=offer.fitting,
                    active=offer.active)


def save_offer(request: HttpRequest, offer: Offer, payload: OfferIn) -> Offer:
    from tendik.portal.models import CatalogueItem

    values: dict[str, Any] = payload.dict(exclude_unset=True)
    if "item" in values:
        item = CatalogueItem.objects.filter(code=values.pop("item")).first()
        if item is None:
            raise unprocessable(DjangoValidationError({"item": ["Unknown item code."]}))
        offer.item = item
    for name, value in values.items():
        if value is not None:
            setattr(offer, name, value)
    caller = request.auth  # type: ignore[attr-defined]
    attribution = {"user": None, "api_token": caller} if isinstance(caller, ApiToken) \
        else {"user": caller}
    try:
        offer.full_clean()
    except DjangoValidationError as error:
        raise unprocessable(error) from error
    with acting_as(**attribution):
        offer.save()
    return offer


@router.get("/supplier/offers", response={200: list[OfferOut], 401: Error, 403: Error},
            summary="The supplier's offers")
def supplier_offers(request: HttpRequest) -> list[OfferOut]:
    return [offer_out(o) for o in Offer.objects.filter(supplier=supplier_of(request))
            .select_related("item")]


@router.post("/supplier/offers", response={201: OfferOut, 401: Error, 403: Error,
                                           422: Error},
             summary="Add an offer")
def add_offer(request: HttpRequest, payload: OfferIn) -> Status:
    offer = save_offer(request, Offer(supplier=supplier_of(request)), payload)
    return Status(201, offer_out(offer))


@router.patch("/supplier/offers/{offer_id}",
              response={200: OfferOut, 401: Error, 403: Error, 404: Error, 422: Error},
              summary="Change an offer (the fields given)")
def change_offer(request: HttpRequest, offer_id: int, payload: OfferIn) -> OfferOut:
    offer = get_object_or_404(Offer, pk=offer_id, supplier=supplier_of(request))
    return offer_out(save_offer(request, offer, payload))


class AnswerIn(Schema):
    text: str


@router.post("/supplier/complaints/{complaint_id}/answer",
             response={200: dict, 401: Error, 403: Error, 404: Error, 422: Error},
             summary="Answer a complaint about one of the supplier's orders")
def answer(request: HttpRequest, complaint_id: int, payload: AnswerIn) -> dict[str, str]:
    complaint = get_object_or_404(Complaint, pk=complaint_id,
                                  supplier=supplier_of(request))
    try:
        complaint = journey.answer_complaint(complaint, payload.text,
                                             by=request.auth)  # type: ignore[attr-defined]
    except DjangoValidationError as error:
        raise unprocessable(error) from error
    return {"state": complaint.state}


class EntitlementOut(Schema):
    id: int
    person: int
    item: str
    name: str
    granted: int
    delivered: int
    reserved: int
    left: int
    valid_from: dt.date
    valid_to: dt.date | None


@router.get("/me/entitlements", response={200: list[EntitlementOut], 401: Error},
            summary="Entitlements of the persons the signed-in user acts for")
def my_entitlements(request: HttpRequest) -> list[EntitlementOut]:
    caller = request.auth  # type: ignore[attr-defined]
    if isinstance(caller, ApiToken):
        return []
    rows = list(Entitlement.objects.with_balance()
                .filter(ipr__person__in=journey.persons_for(caller))
                .select_related("item", "ipr__person"))
    # A person's own entitlements are theirs to read; a representative's reading of the
    # person they act for is logged, as a staff member's would be.
    shown(request, (e.ipr.person_id for e in rows if e.ipr.person.account_id != caller.pk),
          "entitlements of a represented person")
    return [EntitlementOut(
        id=e.pk, person=e.ipr.person_id, item=e.item.code, name=e.item.name,
        granted=e.balance.granted, delivered=e.balance.delivered,
        reserved=e.balance.reserved, left=e.balance.left, valid_from=e.ipr.valid_from,
        valid_to=e.ipr.valid_to) for e in rows]


class OrderIn(Schema):
    entitlement: int
    offer: int
    quantity: int = 1
    delivery: Offer.Delivery
    address: str = Field(max_length=300)


@router.post("/me/orders", response={200: OrderOut, 201: OrderOut, 401: Error, 403: Error,
                                     404: Error, 422: Error},
             summary="Order an offer under an entitlement. Send a unique Idempotency-Key: "
                     "the same key returns the same order (200) instead of a new one (201).")
def place(request: HttpRequest, payload: OrderIn,
          idempotency_key: str = Header(..., alias="Idempotency-Key", min_length=1,
                                        max_length=64)) -> Status:
    caller = request.auth  # type: ignore[attr-defined]
    if isinstance(caller, ApiToken):
        raise PermissionDenied
    entitlement = get_object_or_404(
        Entitlement.objects.select_related("ipr__person__region", "item"),
        pk=payload.entitlement, ipr__person__in=journey.persons_for(caller))
    offer = get_object_or_404(Offer.objects.select_related("supplier", "item"),
                              pk=payload.offer)
    try:
        order, placed = journey.place_order_once(
            entitlement, offer, by=caller, key=idempotency_key, quantity=payload.quantity,
            delivery=payload.delivery, address=payload.address)
    except DjangoValidationError as error:
        raise unprocessable(error) from error
    return Status(201 if placed else 200, order_out(order, journey.RECIPIENT))
