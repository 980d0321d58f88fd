"""The rules a reimbursement claim is checked by, as people read them.

Each rule keeps a reason code (a machine value: stored, filtered on, given by the API) and
has, in the page's language, a name, a short phrase for its failure, and a sentence for
what was found, built from the facts the check recorded when it ran (dates, amounts,
numbers; never text in one language). Pages, documents and e-mails show those words and
never the code.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from tendik.core.money import tenge


class Reason(models.TextChoices):
    """A rule of reimbursement, by its reason code; the label is the rule's name."""

    NOT_RECEIVED = "NOT-RECEIVED", gettext_lazy("Receipt confirmed by the recipient")
    ENTITLEMENT = "ENT-VALID", gettext_lazy("Valid entitlement")
    BALANCE = "ENT-BALANCE", gettext_lazy("Balance of the entitlement")
    NO_CAP = "PRICE-NOCAP", gettext_lazy("Price cap in force")
    CAP = "PRICE-CAP", gettext_lazy("Price within the cap")
    ACCREDITATION = "SUP-ACCRED", gettext_lazy("Supplier accredited")
    REPLACEMENT = "REPL-TERM", gettext_lazy("Replacement term")


# What a failed rule means, in a few words (the order's history, lists).
FAILURES = {
    Reason.ENTITLEMENT: gettext_lazy("no valid entitlement on the order date"),
    Reason.BALANCE: gettext_lazy("the entitlement's balance is used up"),
    Reason.CAP: gettext_lazy("price above the cap: paid up to the cap"),
    Reason.NO_CAP: gettext_lazy("no price cap in force on the order date"),
    Reason.ACCREDITATION: gettext_lazy("supplier not accredited for the region on the "
                                       "order date"),
    Reason.REPLACEMENT: gettext_lazy("the same kind was delivered within its replacement "
                                     "term"),
    Reason.NOT_RECEIVED: gettext_lazy("the recipient has not confirmed receipt"),
}


class Outcome(models.TextChoices):
    PASSED = "passed", pgettext_lazy("rule check", "passed")
    FAILED = "failed", pgettext_lazy("rule check", "failed")
    NOTED = "noted", pgettext_lazy("rule check", "noted")


def outcome(passed: bool, blocking: bool) -> Outcome:
    """A failed rule that does not block payment (above the cap) is noted."""
    if passed:
        return Outcome.PASSED
    return Outcome.FAILED if blocking else Outcome.NOTED


def name(code: str) -> str:
    return str(Reason(code).label) if code in Reason.values else _("Other rule")


def failure(code: str) -> str:
    return str(FAILURES.get(code, name(code)))  # type: ignore[call-overload]


def day(value: Any) -> str:
    """A recorded date (ISO) as people write it: dd.mm.yyyy."""
    if not value:
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return value.strftime("%d.%m.%Y")


def _months(count: int) -> str:
    return ngettext("%(n)s month", "%(n)s months", count) % {"n": count}


def finding(code: str, passed: bool, facts: dict[str, Any]) -> str:
    """What the rule found, in a sentence of the active language."""
    f = facts or {}
    if code == Reason.NOT_RECEIVED:
        if passed and f.get("received_on"):
            return _("The recipient confirmed receipt on %(day)s.") % {
                "day": day(f["received_on"])}
        return _("The recipient confirmed receipt.") if passed else \
            _("The recipient has not confirmed receipt.")
    if code == Reason.ENTITLEMENT:
        values = {"number": f.get("ipr", ""), "version": f.get("version", ""),
                  "start": day(f.get("valid_from")), "end": day(f.get("valid_to")),
                  "day": day(f.get("ordered_on"))}
        period = (_("in force from %(start)s to %(end)s") if f.get("valid_to")
                  else _("in force from %(start)s with no end date")) % values
        values["period"] = period
        if passed:
            return _("The individual rehabilitation programme %(number)s (version "
                     "%(version)s), %(period)s, entitles the recipient to this aid on the "
                     "order date %(day)s.") % values
        if f.get("person_matches") is False:
            return _("The individual rehabilitation programme %(number)s is another "
                     "person's.") % values
        if f.get("item_matches") is False:
            return _("The individual rehabilitation programme %(number)s does not entitle "
                     "the recipient to this aid.") % values
        return _("On the order date %(day)s the individual rehabilitation programme "
                 "%(number)s (version %(version)s) was not in force: %(period)s.") % values
    if code == Reason.BALANCE:
        values = {"earlier": f.get("earlier", 0), "quantity": f.get("quantity", 0),
                  "granted": f.get("granted", 0)}
        if passed:
            return _("Received before under this entitlement: %(earlier)s; this order: "
                     "%(quantity)s; granted: %(granted)s. The order stays within the "
                     "entitlement.") % values
        return _("Received before under this entitlement: %(earlier)s; this order: "
                 "%(quantity)s; granted: %(granted)s. The order goes beyond the "
                 "entitlement.") % values
    if code == Reason.NO_CAP:
        values = {"day": day(f.get("ordered_on"))}
        if passed:
            return _("A price cap for this aid was in force in the region on the order "
                     "date %(day)s.") % values
        return _("No price cap for this aid was in force in the region on the order date "
                 "%(day)s: the state pays nothing.") % values
    if code == Reason.CAP:
        values = {"price": tenge(f.get("price")), "cap": tenge(f.get("cap"))}
        if passed:
            return _("The price %(price)s does not exceed the cap %(cap)s.") % values
        values["difference"] = tenge(_difference(f.get("price"), f.get("cap")))
        return _("The price %(price)s exceeds the cap %(cap)s: the state pays the cap, the "
                 "recipient pays the difference of %(difference)s a unit.") % values
    if code == Reason.ACCREDITATION:
        values = {"day": day(f.get("ordered_on"))}
        if passed:
            return _("The supplier was accredited in the region on the order date "
                     "%(day)s.") % values
        return _("The supplier was not accredited in the region on the order date "
                 "%(day)s.") % values
    if code == Reason.REPLACEMENT:
        months = int(f.get("months") or 0)
        values = {"term": _months(months), "number": f.get("previous", ""),
                  "day": day(f.get("previous_on"))}
        if passed:
            return _("No earlier delivery of this aid to the recipient within its "
                     "replacement term of %(term)s.") % values
        return _("Order %(number)s of the same aid was received on %(day)s, within its "
                 "replacement term of %(term)s.") % values
    return ""


def _difference(price: Any, cap: Any) -> Decimal | None:
    try:
        return max(Decimal(str(price)) - Decimal(str(cap)), Decimal(0))
    except (InvalidOperation, TypeError):
        return None


def statement(code: str, passed: bool, blocking: bool, facts: dict[str, Any]) -> str:
    """«The price 320 000 ₸ does not exceed the cap 320 000 ₸ — passed»."""
    return _("%(finding)s — %(outcome)s") % {
        "finding": finding(code, passed, facts).rstrip("."),
        "outcome": outcome(passed, blocking).label}
