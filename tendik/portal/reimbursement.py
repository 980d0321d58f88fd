"""Reimbursement of suppliers: every received order becomes a claim that is checked rule
by rule, each rule leaving its reason code, then approved by the akimat's accountant and
then by its head (two different people), then paid once.

Each check keeps the facts it found; tendik/portal/reasons.py writes them for people. The
rules, all judged on the order date unless said otherwise:
  NOT-RECEIVED  the recipient confirmed receipt;
  ENT-VALID     the entitlement's ИПР was valid and entitles this person to this item;
  ENT-BALANCE   with the orders received before it, this one stays within the quantity;
  PRICE-NOCAP   a cap was in force for the item in the region;
  PRICE-CAP     the price is within the cap; above it, the state pays the cap (the
                person paid the rest) and the line passes with this code noted;
  SUP-ACCRED    the supplier was accredited for the region;
  REPL-TERM     for durable aids (no yearly quantity), no earlier delivery of the same
                item to the person within its replacement term before this delivery.
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tendik.core.audit import acting_as
from tendik.core.models import Role, User
from tendik.portal.history import log
from tendik.portal.models import (
    Order,
    Payment,
    Reason,
    Reimbursement,
    ReimbursementCheck,
    cap_for,
    is_accredited,
)

ACCOUNTANT_PERMISSION = "portal.approve_as_accountant"
HEAD_PERMISSION = "portal.approve_as_head"
ACCOUNTANTS_GROUP = "Akimat accountants"
HEADS_GROUP = "Akimat heads"

Stage = Reimbursement.State


def _checks(order: Order) -> tuple[list[ReimbursementCheck], Decimal]:
    """The rules applied to an order, each with the facts it found, and the amount the
    state pays if they pass."""
    day = order.ordered_on
    entitlement = order.entitlement
    checks: list[ReimbursementCheck] = []

    def check(code: str, passed: bool, facts: dict[str, Any] | None = None, *,
              blocking: bool = True) -> None:
        checks.append(ReimbursementCheck(code=code, passed=passed, blocking=blocking,
                                         facts=facts or {}))

    received_on = timezone.localtime(order.received_at).date() if order.received_at \
        else None
    check(Reason.NOT_RECEIVED, order.state == Order.State.RECEIVED,
          {"received_on": _iso(received_on)})
    ipr = entitlement.ipr
    same_person = ipr.person_id == order.person_id
    same_item = entitlement.item_id == order.item_id
    check(Reason.ENTITLEMENT, ipr.is_valid_on(day) and same_person and same_item,
          {"ipr": ipr.number, "version": ipr.version, "valid_from": _iso(ipr.valid_from),
           "valid_to": _iso(ipr.valid_to), "ordered_on": _iso(day),
           "person_matches": same_person, "item_matches": same_item})
    earlier = (Order.objects.filter(entitlement=entitlement, state=Order.State.RECEIVED)
               .filter(models.Q(received_at__lt=order.received_at)
                       | models.Q(received_at=order.received_at, pk__lt=order.pk))
               .aggregate(n=models.Sum("quantity"))["n"] or 0)
    check(Reason.BALANCE, earlier + order.quantity <= entitlement.quantity,
          {"earlier": earlier, "quantity": order.quantity,
           "granted": entitlement.quantity})
    cap = cap_for(order.item, order.region, day)
    amount = Decimal(0)
    if cap is None:
        check(Reason.NO_CAP, False, {"ordered_on": _iso(day)})
    else:
        amount, _copayment = Order.split(order.unit_price, cap.amount, order.quantity)
        prices = {"price": str(order.unit_price), "cap": str(cap.amount),
                  "legal_act": cap.legal_act}
        check(Reason.CAP, order.unit_price <= cap.amount, prices,
              blocking=order.unit_price <= cap.amount)
    check(Reason.ACCREDITATION, is_accredited(order.supplier, order.region, day),
          {"ordered_on": _iso(day)})
    if order.item.yearly_quantity is None:
        check(Reason.REPLACEMENT, *_replacement_term(order))
    return checks, amount


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` earlier (the month's last day when it has fewer days)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def _replacement_term(order: Order) -> tuple[bool, dict[str, Any]]:
    delivered = timezone.localtime(order.received_at or timezone.now()).date()
    since = months_before(delivered, order.item.replacement_months)
    facts: dict[str, Any] = {"months": order.item.replacement_months,
                             "delivered_on": delivered.isoformat()}
    previous = (Order.objects.filter(person_id=order.person_id, item_id=order.item_id,
                                     state=Order.State.RECEIVED,
                                     received_at__date__gt=since)
                .exclude(pk=order.pk)
                .filter(models.Q(received_at__lt=order.received_at)
                        | models.Q(received_at=order.received_at, pk__lt=order.pk))
                .order_by("-received_at").first())
    if previous is None:
        return True, facts
    assert previous.received_at is not None
    return False, {**facts, "previous": previous.number,
                   "previous_on": timezone.localtime(previous.received_at).date().isoformat()}


def file_claim(order: Order) -> Reimbursement:
    """Check a received order and queue it for approval, or reject it with its reasons.
    Called inside the transaction that records the receipt; a second call returns the
    claim already made."""
    existing = Reimbursement.objects.filter(order=order).first()
    if existing is not None:
        return existing
    checks, amount = _checks(order)
    failed = any(not c.passed and c.blocking for c in checks)
    now = timezone.now()
    claim = Reimbursement.objects.create(
        order=order, supplier_id=order.supplier_id, region_id=order.region_id,
        claimed=order.state_pays, approved_amount=Decimal(0) if failed else amount,
        state=Stage.REJECTED if failed else Stage.ACCOUNTANT, checked_at=now,
        rejected_at=now if failed else None)
    for c in checks:
        c.reimbursement = claim
        c.save()
    log(order, "", claim.state, None,
        ", ".join(c.code for c in checks if not c.passed))
    return claim


def may_approve(user: User, claim: Reimbursement, stage: str) -> bool:
    if not (user.is_authenticated and user.role == Role.AKIMAT_OFFICIAL
            and user.organisation is not None
            and user.organisation.region_id == claim.region_id):
        return False
    permission = ACCOUNTANT_PERMISSION if stage == Stage.ACCOUNTANT else HEAD_PERMISSION
    return user.has_perm(permission)


@transaction.atomic
def approve(claim: Reimbursement, stage: str, *, by: User) -> Reimbursement:
    """Approve the claim at `stage` (accountant, then head). Approving a stage already
    approved by the same person changes nothing; the head's approval pays."""
    claim = Reimbursement.objects.select_for_update().select_related("order").get(
        pk=claim.pk)
    if not may_approve(by, claim, stage):
        raise PermissionDenied
    if stage == Stage.ACCOUNTANT and claim.accountant_id == by.pk:
        return claim
    if stage == Stage.HEAD and claim.head_id == by.pk:
        return claim
    if claim.state != stage:
        raise ValidationError(_("This claim is %(state)s.") % {"state":
                                                                claim.get_state_display()})
    now = timezone.now()
    with acting_as(user=by):
        if stage == Stage.ACCOUNTANT:
            claim.accountant, claim.accountant_at, claim.state = by, now, Stage.HEAD
        else:
            if claim.accountant_id == by.pk:
                raise ValidationError(_("The head's approval must come from another person "
                                        "than the accountant's."))
            claim.head, claim.head_at, claim.state = by, now, Stage.PAID
        claim.save()
        log(claim.order, stage, claim.state, by)
        if claim.state == Stage.PAID:
            Payment.objects.create(
                reimbursement=claim, amount=claim.approved_amount,
                reference=f"KZT-{claim.region_id}-{claim.pk:09d}")
    return claim


@transaction.atomic
def reject(claim: Reimbursement, comment: str, *, by: User) -> Reimbursement:
    claim = Reimbursement.objects.select_for_update().select_related("order").get(
        pk=claim.pk)
    if claim.state == Stage.REJECTED:
        return claim
    if claim.state not in (Stage.ACCOUNTANT, Stage.HEAD) or not may_approve(
            by, claim, claim.state):
        raise PermissionDenied
    if not comment.strip():
        raise ValidationError({"comment": _("Say why the claim is rejected.")})
    previous = claim.state
    with acting_as(user=by, reason=comment.strip()[:300]):
        claim.state, claim.rejection_comment = Stage.REJECTED, comment.strip()
        claim.rejected_by, claim.rejected_as, claim.rejected_at = by, previous, \
            timezone.now()
        claim.approved_amount = Decimal(0)
        claim.save()
        log(claim.order, previous, Stage.REJECTED, by, comment.strip())
    return claim


def claims_waiting(region_id: int, stage: str) -> models.QuerySet[Reimbursement]:
    return (Reimbursement.objects.filter(region_id=region_id, state=stage)
            .select_related("order__person", "order__item", "supplier")
            .order_by("checked_at", "pk"))

