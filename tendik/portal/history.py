"""The order's append-only log and who is written into it: the one module both the
journey (the order's steps) and reimbursement (the claim's steps) write through, so that
neither needs the other to record a step."""

from __future__ import annotations

from typing import Any

from tendik.core.audit import acting_as
from tendik.core.models import ApiToken, User
from tendik.portal.models import Order, OrderEvent

# Who acts: a person signed in, or a supplier's system with its organisation's token.
Actor = User | ApiToken


def attributed(actor: Actor, reason: str = "") -> Any:
    """The audit attribution of a step: the person, or the organisation's token."""
    if isinstance(actor, ApiToken):
        return acting_as(user=None, api_token=actor, reason=reason)
    return acting_as(user=actor, reason=reason)


def log(order: Order, from_state: str, to_state: str, actor: Actor | None,
        comment: str = "") -> OrderEvent:
    return OrderEvent.objects.create(
        order=order, from_state=from_state, to_state=to_state, comment=comment,
        by=actor if isinstance(actor, User) else None,
        by_token=actor if isinstance(actor, ApiToken) else None)
