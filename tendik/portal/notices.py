"""Who hears about an order's steps: the supplier's staff of new orders and disputes,
the recipient and their representatives of everything the supplier does. Each in their
own language, by e-mail, after the step is committed."""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from tendik.core.links import page_url
from tendik.core.models import User
from tendik.core.tasks import send_email
from tendik.portal.models import Order

TO_SUPPLIER = {Order.State.PLACED, Order.State.DISPUTED, Order.State.CANCELLED}
TO_RECIPIENT = {Order.State.ACCEPTED, Order.State.DECLINED, Order.State.FITTING,
                Order.State.DELIVERED, Order.State.CANCELLED}


def _text(order: Order, state: str, language: str, reason: str = "",
          party: str = "") -> tuple[str, str]:
    subject = _("Order %(number)s: %(state)s") % {"number": order.number,
                                                  "state": Order.State(state).label}
    lines = [_("Order %(number)s of %(item)s from %(supplier)s is now: %(state)s.") % {
        "number": order.number, "item": order.item.name, "supplier": order.supplier.name,
        "state": Order.State(state).label}]
    if reason:
        who = {"supplier": _("The supplier gave this reason:"),
               "akimat": _("The akimat gave this reason:"),
               "recipient": _("The recipient gave this reason:")}.get(
            party, _("The reason given:"))
        # The reason is quoted as its author wrote it, in their language.
        lines.append(f"{who} «{reason}»")
    lines.append(_("The order's page shows its history and what you can do next."))
    # The recipient, their representatives and the supplier's staff all open the same page.
    lines.append(page_url("portal:order", language, order.pk))
    return subject, "\n".join(lines)


def _send(emails: list[str], language: str, order: Order, state: str, reason: str,
          party: str) -> None:
    if not emails:
        return
    with override(language):
        subject, body = _text(order, state, language, reason, party)
    transaction.on_commit(partial(send_email.enqueue, emails, subject, body))


def order_moved(order: Order, state: str, *, reason: str = "", party: str = "") -> None:
    """Tell those the step concerns, each in their language; a reason given for the step
    (a decline, a cancellation, a dispute) goes with it."""
    if state in TO_SUPPLIER:
        staff = User.objects.filter(organisation_id=order.supplier_id, is_active=True) \
            .exclude(email="")
        for language in {u.preferred_language for u in staff}:
            _send([u.email for u in staff if u.preferred_language == language], language,
                  order, state, reason, party)
    if state in TO_RECIPIENT:
        person = order.person
        today = timezone.localdate()
        emails = {person.email} if person.email else set()
        account = person.account
        if account is not None and account.email:
            emails.add(account.email)
        for representative in person.representatives.select_related("account"):
            if representative.is_valid_on(today) and representative.account.email:
                emails.add(representative.account.email)
        _send(sorted(emails), person.language, order, state, reason, party)
