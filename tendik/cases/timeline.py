"""The case's timeline as people read it: each entry a sentence in the page's language that
names who did what — people by name, organisations by name, states by their label — with
the free text (a comment, a note, an answer) beside it.

Entries written before the details were kept by key (CaseEvent.data) carried organisation
codes and domain keys in their text; those are read back from it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from tendik.cases.models import Case, CaseEvent, Domain
from tendik.core.models import Organisation, User
from tendik.people.models import Person
from tendik.workforce.models import SocialWorker


@dataclass(frozen=True)
class Entry:
    at: dt.datetime
    sentence: str
    detail: str = ""


def person_name(user: User | None) -> str:
    """A user as a person reads them: the full name, else the role; never the login."""
    if user is None:
        return _("The platform")
    return user.get_full_name() or str(user.get_role_display())  # type: ignore[attr-defined]


def _legacy(event: CaseEvent) -> dict[str, Any]:
    """The details of an entry of the earlier format, from its text."""
    text, data = event.text, dict(event.data or {})
    if data:
        return data
    if event.kind == "service" and " → " in text:
        description, code = text.rsplit(" → ", 1)
        return {"agency_code": code, "description": description}
    if event.kind in ("referral", "referral:override") and ": " in text:
        code, rest = text.split(": ", 1)
        description, _sep, reason = rest.partition(" — ")
        return {"agency_code": code, "description": description, "reason": reason}
    if event.kind == "assessed" and text:
        pairs = []
        for part in text.split(", "):
            key, _sep, score = part.partition(": ")
            if key in Domain.values and score.isdigit():
                pairs.append([key, int(score)])
        return {"priorities": pairs}
    return {}


def entries(case: Case, events: Iterable[CaseEvent]) -> list[Entry]:
    events = list(events)
    details = {event.pk: _legacy(event) for event in events}
    agency_ids = {d["agency"] for d in details.values() if "agency" in d}
    agency_codes = {d["agency_code"] for d in details.values() if "agency_code" in d}
    agencies = {o.pk: o for o in Organisation.objects.filter(pk__in=agency_ids)}
    by_code = {o.code: o for o in Organisation.objects.filter(code__in=agency_codes)}
    users = User.objects.in_bulk({d["manager"] for d in details.values() if "manager" in d})
    persons = Person.objects.in_bulk({d["person"] for d in details.values() if "person" in d})
    workers = SocialWorker.objects.in_bulk({d["worker"] for d in details.values()
                                            if "worker" in d})
    states = dict(Case.State.choices)

    def agency_of(event: CaseEvent, data: dict[str, Any]) -> str:
        organisation = agencies.get(data.get("agency") or 0) or by_code.get(
            data.get("agency_code", ""))
        if organisation is None and event.by is not None:
            organisation = event.by.organisation
        return organisation.name if organisation is not None else _("the agency")

    result = []
    for event in events:
        data = details[event.pk]
        who = person_name(event.by)
        kind, text = event.kind, event.text
        detail = ""
        if kind == "opened":
            manager = users.get(data.get("manager"))
            sentence = (_("%(who)s opened the case; case manager: %(manager)s.")
                        % {"who": who, "manager": person_name(manager)} if manager
                        else _("%(who)s opened the case.") % {"who": who})
            detail = text
        elif kind.startswith("state:"):
            state = kind.split(":", 1)[1]
            if state == Case.State.CLOSED:
                sentence = _("%(who)s approved the closure of the case.") % {"who": who}
            elif data.get("previous") == Case.State.CLOSED:
                sentence = _("%(who)s reopened the case for a new assessment.") % {"who": who}
            else:
                sentence = _("%(who)s moved the case to «%(state)s».") % {
                    "who": who, "state": states.get(state, _("another state"))}
            detail = text
        elif kind == "assessed":
            priorities = [f"{Domain(d).label} — {s}" for d, s in data.get("priorities", [])
                          if d in Domain.values]
            sentence = (_("%(who)s assessed the needs; priorities: %(list)s.")
                        % {"who": who, "list": "; ".join(priorities)} if priorities
                        else _("%(who)s assessed the needs; no domain scored 2 or more.")
                        % {"who": who})
        elif kind == "goal":
            sentence = _("%(who)s set a goal: %(goal)s.") % {"who": who, "goal": text}
        elif kind == "goal:met":
            sentence = _("%(who)s marked the goal as met: %(goal)s.") % {"who": who,
                                                                          "goal": text}
        elif kind == "goal:dropped":
            sentence = _("%(who)s dropped the goal: %(goal)s.") % {"who": who, "goal": text}
        elif kind == "service":
            sentence = _("%(who)s planned «%(service)s» with %(agency)s.") % {
                "who": who, "service": data.get("description", text),
                "agency": agency_of(event, data)}
        elif kind == "referral":
            sentence = _("%(who)s referred «%(service)s» to %(agency)s with the consent "
                         "to share.") % {"who": who, "service": data.get("description", ""),
                                         "agency": agency_of(event, data)}
        elif kind == "referral:override":
            sentence = _("%(who)s referred «%(service)s» to %(agency)s without consent.") % {
                "who": who, "service": data.get("description", ""),
                "agency": agency_of(event, data)}
            reason = data.get("reason", "")
            detail = _("Reason: %(reason)s") % {"reason": reason} if reason else ""
        elif kind in ("referral:accepted", "referral:rejected", "referral:done"):
            values = {"who": who, "agency": agency_of(event, data),
                      "service": data.get("description", "")}
            if kind == "referral:accepted":
                sentence = (_("%(agency)s accepted the referral «%(service)s» (%(who)s).")
                            if values["service"] else
                            _("%(agency)s accepted the referral (%(who)s).")) % values
            elif kind == "referral:rejected":
                sentence = (_("%(agency)s rejected the referral «%(service)s» (%(who)s).")
                            if values["service"] else
                            _("%(agency)s rejected the referral (%(who)s).")) % values
            else:
                sentence = (_("The service «%(service)s» is done (%(who)s).")
                            if values["service"] else
                            _("The referred service is done (%(who)s).")) % values
            detail = text
        elif kind == "note":
            sentence = _("Note by %(who)s.") % {"who": who}
            detail = text
        elif kind == "consent":
            person = persons.get(data.get("person"))
            sentence = _("%(who)s recorded the consent of %(person)s to share their data "
                         "with the team's agencies.") % {
                "who": who, "person": person.full_name if person else text}
        elif kind == "worker":
            person, worker = persons.get(data.get("person")), workers.get(data.get("worker"))
            sentence = _("%(who)s proposed the social worker %(worker)s for %(person)s.") % {
                "who": who, "worker": worker.full_name if worker else "",
                "person": person.full_name if person else ""}
        else:
            sentence = _("Entry by %(who)s.") % {"who": who}
            detail = text
        result.append(Entry(event.at, sentence, detail))
    return result
