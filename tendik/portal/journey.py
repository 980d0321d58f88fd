"""The recipient's journey: order an aid under an entitlement, the supplier accepts, fits
and delivers, the recipient confirms or disputes, rates, complains.

Every action locks the order, checks who may do it, and writes one OrderEvent. Repeating
an action that already happened (a double click, a retry after a timeout) changes
nothing and returns the order as it is: placing uses the request key, a move to the state
the order is already in is a no-op.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tendik.core import once
from tendik.core.audit import acting_as
from tendik.core.models import ApiToken, Role, User
from tendik.people.models import Person
from tendik.portal import notices, reimbursement
from tendik.portal.history import Actor, attributed, log
from tendik.portal.models import (
    Complaint,
    Entitlement,
    Offer,
    Order,
    SupplierRating,
    cap_for,
    is_accredited,
)

State = Order.State

RECIPIENT, SUPPLIER, AKIMAT = "recipient", "supplier", "akimat"
# Moves that must say why: they undo what the other side counts on.
NEEDS_COMMENT = {State.DECLINED, State.DISPUTED}


def needs_reason(to: str, party: str) -> bool:
    """Declining and disputing say why; so does cancelling, unless the recipient cancels
    their own order: the supplier or the akimat then tells the person the reason."""
    return to in NEEDS_COMMENT or (to == State.CANCELLED and party != RECIPIENT)


def persons_for(user: Any, day: dt.date | None = None) -> models.QuerySet[Person]:
    """The persons a user may act for: themselves and those they legally represent."""
    if not getattr(user, "is_authenticated", False):
        return Person.objects.none()
    day = day or timezone.localdate()
    represented = models.Q(representatives__account=user,
                           representatives__valid_from__lte=day) & (
        models.Q(representatives__valid_to__isnull=True)
        | models.Q(representatives__valid_to__gte=day))
    return Person.objects.filter(models.Q(account=user) | represented).distinct()


def acts_for(user: Any, person: Person) -> bool:
    return persons_for(user).filter(pk=person.pk).exists()


def party_of(actor: Actor, order: Order) -> str | None:
    """Which side of the order the actor is on, if any."""
    if isinstance(actor, ApiToken):
        return SUPPLIER if actor.is_active and actor.organisation_id == order.supplier_id \
            else None
    if not actor.is_authenticated:
        return None
    if actor.role == Role.SUPPLIER and actor.organisation_id == order.supplier_id:
        return SUPPLIER
    if actor.role == Role.AKIMAT_OFFICIAL and actor.organisation is not None \
            and actor.organisation.region_id == order.region_id:
        return AKIMAT
    if acts_for(actor, order.person):
        return RECIPIENT
    return None


@dataclass(frozen=True)
class Quote:
    """What an order of an offer would cost, before the person confirms."""

    offer: Offer
    quantity: int
    cap: Any
    state_pays: Any
    copayment: Any

    @property
    def total(self) -> Any:
        return self.offer.price * self.quantity


def quote(offer: Offer, entitlement: Entitlement, quantity: int = 1,
          day: dt.date | None = None) -> Quote:
    day = day or timezone.localdate()
    cap = cap_for(offer.item, entitlement.ipr.person.region, day)
    state_pays, copayment = Order.split(offer.price, cap.amount if cap else None, quantity)
    return Quote(offer, quantity, cap, state_pays, copayment)


def matching_offers(entitlement: Entitlement,
                    day: dt.date | None = None) -> models.QuerySet[Offer]:
    """Active offers of the entitlement's item by suppliers accredited in the person's
    region today: what the person may choose from."""
    day = day or timezone.localdate()
    region = entitlement.ipr.person.region
    return (Offer.objects.filter(item=entitlement.item, active=True,
                                 supplier__accreditations__region=region,
                                 supplier__accreditations__status="accredited",
                                 supplier__accreditations__valid_from__lte=day,
                                 supplier__accreditations__valid_to__gte=day)
            .select_related("supplier", "item").prefetch_related("photos").distinct()
            .annotate(rating=models.Avg("supplier__ratings__stars"),
                      ratings=models.Count("supplier__ratings", distinct=True))
            .order_by("price", "lead_time_days"))


def place_order(entitlement: Entitlement, offer: Offer, *, by: User, key: str,
                quantity: int = 1, delivery: str, address: str) -> Order:
    """Order an offer under an entitlement. The same `key` always gives the same order."""
    return place_order_once(entitlement, offer, by=by, key=key, quantity=quantity,
                            delivery=delivery, address=address)[0]


def _placed_with(key: str, by: User) -> Order | None:
    existing = Order.objects.filter(idempotency_key=key).first()
    if existing is not None and existing.placed_by_id != by.pk:
        raise PermissionDenied
    return existing


@transaction.atomic
def place_order_once(entitlement: Entitlement, offer: Offer, *, by: User, key: str,
                     quantity: int = 1, delivery: str,
                     address: str) -> tuple[Order, bool]:
    """The order of `key` and whether this call placed it (False: an earlier one did)."""
    key = key.strip()
    if not key:
        raise ValidationError(_("The request has no key; reload the page and try again."))
    if (existing := _placed_with(key, by)) is not None:
        return existing, False
    entitlement = Entitlement.objects.select_for_update().select_related(
        "ipr__person__region", "item").get(pk=entitlement.pk)
    # The same request may have arrived at the same moment and placed the order while
    # this one waited for the lock: that order is the answer, not «nothing is left».
    if (existing := _placed_with(key, by)) is not None:
        return existing, False
    person = entitlement.ipr.person
    if not acts_for(by, person):
        raise PermissionDenied
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    if not entitlement.valid_on(today):
        errors.setdefault("__all__", []).append(
            _("This entitlement is not valid today."))
    if offer.item_id != entitlement.item_id or not offer.active:
        errors.setdefault("__all__", []).append(
            _("This offer is not for the aid of the entitlement."))
    if not is_accredited(offer.supplier, person.region, today):
        errors.setdefault("__all__", []).append(
            _("This supplier is not accredited in your region."))
    if delivery not in offer.delivery:
        errors.setdefault("delivery", []).append(
            _("The supplier does not deliver this way."))
    if not address.strip():
        errors.setdefault("address", []).append(_("Give the delivery address."))
    left = entitlement.balance.left
    if quantity < 1 or quantity > left:
        errors.setdefault("quantity", []).append(
            _("You can order from 1 to %(left)s.") % {"left": left} if left
            else _("Nothing is left on this entitlement."))
    if errors:
        raise ValidationError(errors)
    price = quote(offer, entitlement, quantity, today)
    with acting_as(user=by):
        try:
            with transaction.atomic():
                order = Order.objects.create(
                    idempotency_key=key, person=person, entitlement=entitlement,
                    offer=offer, supplier=offer.supplier, item=offer.item,
                    region=person.region, quantity=quantity, ordered_on=today,
                    unit_price=offer.price, unit_cap=price.cap.amount if price.cap else None,
                    state_pays=price.state_pays, copayment=price.copayment,
                    delivery=delivery, address=address.strip(), placed_by=by)
        except IntegrityError:
            # The same request arrived twice at once: the other one made the order.
            if (existing := _placed_with(key, by)) is None:
                raise
            return existing, False
        log(order, "", State.PLACED, by)
    notices.order_moved(order, State.PLACED)
    return order, True


@transaction.atomic
def move_order(order: Order, to: str, *, by: Actor, comment: str = "") -> Order:
    """Move an order to `to` if the actor's side may; a move already made is a no-op."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    party = party_of(by, order)
    if party is None:
        raise PermissionDenied
    if order.state == to:
        return order
    if to not in order.moves_for(party):
        raise ValidationError(
            _("An order that is %(state)s cannot become %(target)s.")
            % {"state": order.get_state_display(), "target": State(to).label})
    comment = comment.strip()
    if needs_reason(to, party) and not comment:
        raise ValidationError({"comment": _("Say why: the reason is shown to the other "
                                            "side and sent to them.")})
    now = timezone.now()
    previous = order.state
    order.state = to
    if to == State.DELIVERED:
        order.delivered_at = now
    if to == State.RECEIVED:
        order.received_at = now
    with attributed(by, comment[:300]):
        order.save()
        log(order, previous, to, by, comment)
        notices.order_moved(order, to, reason=comment, party=party)
        if to == State.RECEIVED:
            reimbursement.file_claim(order)
    return order


@transaction.atomic
def rate_supplier(order: Order, stars: int, comment: str, *, by: User) -> SupplierRating:
    order = Order.objects.select_for_update().get(pk=order.pk)
    if party_of(by, order) != RECIPIENT:
        raise PermissionDenied
    if order.state != State.RECEIVED:
        raise ValidationError(_("You can rate the supplier once you have received the "
                                "order."))
    if not 1 <= stars <= 5:
        raise ValidationError({"stars": _("Choose from 1 to 5.")})
    with acting_as(user=by):
        rating, _created = SupplierRating.objects.update_or_create(
            order=order, defaults={"supplier_id": order.supplier_id, "stars": stars,
                                   "comment": comment.strip()})
    return rating


# The same complaint sent again this soon is the same sending (a double click, a reload).
COMPLAINT_REPEAT = dt.timedelta(minutes=10)


@transaction.atomic
def file_complaint(order: Order, text: str, *, by: User, key: str = "") -> Complaint:
    """A recipient's complaint, made once per form: the form's key is stored with it, and
    the same form sent again (a double click, two tabs, at the same instant) gets the
    first complaint back. Sendings of one order's complaints also wait for each other on
    the order's row, and without a key the same text from the same person within
    COMPLAINT_REPEAT gives back the complaint the first sending made."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    if party_of(by, order) != RECIPIENT:
        raise PermissionDenied
    if not text.strip():
        raise ValidationError({"text": _("Describe what went wrong.")})
    if not key.strip():
        repeated = Complaint.objects.filter(
            order=order, filed_by=by, text=text.strip(),
            filed_at__gte=timezone.now() - COMPLAINT_REPEAT).order_by("pk").first()
        if repeated is not None:
            return repeated

    def make(stored_key: str | None) -> Complaint:
        with acting_as(user=by):
            return Complaint.objects.create(order=order, supplier_id=order.supplier_id,
                                            region_id=order.region_id, text=text.strip(),
                                            filed_by=by, idempotency_key=stored_key)

    return once.create(Complaint, key, make,
                       owner=lambda complaint: complaint.filed_by_id == by.pk
                       and complaint.order_id == order.pk)


@transaction.atomic
def answer_complaint(complaint: Complaint, text: str, *, by: Actor) -> Complaint:
    complaint = Complaint.objects.select_for_update().select_related("order").get(
        pk=complaint.pk)
    if party_of(by, complaint.order) != SUPPLIER:
        raise PermissionDenied
    if complaint.state not in (Complaint.State.OPEN, Complaint.State.ANSWERED):
        raise ValidationError(_("The akimat has decided on this complaint."))
    if not text.strip():
        raise ValidationError({"text": _("Write the answer.")})
    complaint.answer, complaint.answered_at = text.strip(), timezone.now()
    complaint.state = Complaint.State.ANSWERED
    with attributed(by):
        complaint.save()
    return complaint


@transaction.atomic
def decide_complaint(complaint: Complaint, upheld: bool, text: str, *,
                     by: User) -> Complaint:
    complaint = Complaint.objects.select_for_update().select_related("order").get(
        pk=complaint.pk)
    if party_of(by, complaint.order) != AKIMAT:
        raise PermissionDenied
    if complaint.state in (Complaint.State.UPHELD, Complaint.State.DISMISSED):
        return complaint
    if not text.strip():
        raise ValidationError({"text": _("Give the reasons for the decision.")})
    complaint.state = Complaint.State.UPHELD if upheld else Complaint.State.DISMISSED
    complaint.decision, complaint.decided_at, complaint.decided_by = \
        text.strip(), timezone.now(), by
    with acting_as(user=by):
        complaint.save()
    return complaint
