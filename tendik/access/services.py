"""Facilities and their passports: every write here owns its transaction; the rows'
audit events come from the models."""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tendik.access.assessment import Access, Assessment, Category, assess
from tendik.access.models import (
    Criterion,
    Facility,
    FacilityType,
    Level,
    Passport,
    PassportAnswer,
    PassportTransition,
    result_json,
)
from tendik.core.audit import acting_as
from tendik.core.models import Organisation, Role, User

DATA_DIR = Path(__file__).resolve().parent / "data"
State = Passport.State


@transaction.atomic
def load_criteria(path: Path | None = None) -> Counter[str]:
    """The passport checklist from its data file; criteria already loaded are updated."""
    document = json.loads((path or DATA_DIR / "criteria.json").read_text(encoding="utf-8"))
    counts: Counter[str] = Counter()
    for position, item in enumerate(document["criteria"], start=1):
        measured = item["kind"] == "measure"
        values = {
            "position": position, "zone": item["zone"], "categories": "".join(
                item["categories"]), "measured": measured, "unit": item.get("unit") or "",
            "comparator": item.get("comparator") or "",
            "threshold": Decimal(str(item["threshold"])) if measured else None,
            "essential": item["essential"], "assistance": item["assistance"],
            "clause": item["clause"], "work_type": item["work_type"],
            **{f"{field}_{lang}": item[f"{field}_{lang}"] for field in ("element", "question")
               for lang in ("ru", "kk", "en")},
        }
        _criterion, created = Criterion.objects.update_or_create(code=item["code"],
                                                                 defaults=values)
        counts["criteria created" if created else "criteria checked"] += 1
    return counts


def rules() -> list[Any]:
    return [criterion.rule() for criterion in Criterion.objects.all()]


def assessment_of(passport: Passport) -> Assessment:
    answers = {a.criterion.code: a.answer for a in passport.answers.select_related(
        "criterion")}
    return assess(rules(), answers)


# --- Who may do what ----------------------------------------------------------------------

def is_commission_of(user: User, facility: Facility) -> bool:
    """Akimat officials survey the facilities of their own region."""
    organisation = user.organisation if user.is_authenticated else None
    return bool(user.is_authenticated and user.role == Role.AKIMAT_OFFICIAL
                and organisation is not None and organisation.kind == Organisation.Kind.AKIMAT
                and organisation.region_id == facility.region_id)


def may_approve(user: User, passport: Passport) -> bool:
    """Another official of the region (four eyes), or an МТСЗН analyst."""
    if user.is_authenticated and (user.role == Role.ANALYST or user.is_superuser):
        return True
    submitted_by = passport.transitions.filter(to_state=State.SUBMITTED).last()
    return is_commission_of(user, passport.facility) and (
        submitted_by is None or submitted_by.by_id != user.pk)


# --- Passport workflow ------------------------------------------------------------------

@transaction.atomic
def start_passport(facility: Facility, *, by: User, surveyed_on: Any = None,
                   members: str = "") -> Passport:
    """A new draft version, starting from the answers of the latest version."""
    if not is_commission_of(by, facility) or by.organisation is None:
        raise PermissionDenied
    if facility.passports.filter(state__in=[State.DRAFT, State.SUBMITTED]).exists():
        raise ValidationError(_("This facility already has a passport in progress."))
    previous = facility.passports.order_by("-version").first()
    with acting_as(user=by):
        passport = Passport.objects.create(
            facility=facility, version=(previous.version + 1) if previous else 1,
            commission=by.organisation, surveyed_on=surveyed_on or timezone.localdate(),
            members=members)
        if previous is not None:
            PassportAnswer.objects.bulk_create(
                PassportAnswer(passport=passport, criterion_id=a.criterion_id, value=a.value,
                               met=a.met, note=a.note) for a in previous.answers.all())
    return passport


def parse_answer(criterion: Criterion, raw: str) -> Decimal | bool | None:
    """A form's text as the criterion's answer; "" means not applicable."""
    raw = raw.strip()
    if not raw:
        return None
    if not criterion.measured:
        if raw in ("yes", "no"):
            return raw == "yes"
        raise ValidationError(_("Answer yes or no."))
    try:
        number = Decimal(raw.replace(",", "."))
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite() or number < 0:
        raise ValidationError(_("Give a number of %(unit)s, zero or more.")
                              % {"unit": criterion.unit})
    return number


@transaction.atomic
def record_answers(passport: Passport, answers: dict[str, Decimal | bool | None], *,
                   by: User) -> Passport:
    """Save the commission's findings on a draft; all or nothing."""
    passport = Passport.objects.select_for_update().select_related("facility").get(
        pk=passport.pk)
    if not is_commission_of(by, passport.facility):
        raise PermissionDenied
    if not passport.is_editable:
        raise ValidationError(_("Only a draft passport can be changed."))
    criteria = Criterion.objects.in_bulk(list(answers), field_name="code")
    unknown = sorted(set(answers) - set(criteria))
    if unknown:
        raise ValidationError(_("Unknown criteria: %(codes)s.") % {"codes": ", ".join(unknown)})
    with acting_as(user=by):
        for code, answer in answers.items():
            criterion = criteria[code]
            fields = {"value": answer if criterion.measured else None,
                      "met": None if criterion.measured else answer}
            PassportAnswer.objects.update_or_create(passport=passport, criterion=criterion,
                                                    defaults=fields)
        result = assessment_of(passport)
        passport.status_code = result.code
        passport.result = result_json(result.zones)
        passport.save(update_fields=["status_code", "result"])
    return passport


def _move(passport: Passport, to: str, by: User, comment: str = "") -> Passport:
    if to not in Passport.TRANSITIONS[passport.state]:
        raise ValidationError(_("A passport that is %(state)s cannot become %(target)s.")
                              % {"state": passport.get_state_display(),
                                 "target": State(to).label})
    PassportTransition.objects.create(passport=passport, from_state=passport.state,
                                      to_state=to, by=by, comment=comment)
    passport.state = to
    return passport


@transaction.atomic
def submit_passport(passport: Passport, *, by: User) -> Passport:
    passport = Passport.objects.select_for_update().select_related("facility").get(
        pk=passport.pk)
    if not is_commission_of(by, passport.facility):
        raise PermissionDenied
    if not passport.answers.exists():
        raise ValidationError(_("Record the commission's findings before submitting."))
    with acting_as(user=by):
        _move(passport, State.SUBMITTED, by).save()
    return passport


@transaction.atomic
def return_passport(passport: Passport, comment: str, *, by: User) -> Passport:
    passport = Passport.objects.select_for_update().select_related("facility").get(
        pk=passport.pk)
    if not may_approve(by, passport):
        raise PermissionDenied
    if not comment.strip():
        raise ValidationError({"comment": _("Say what the commission must correct.")})
    with acting_as(user=by):
        _move(passport, State.DRAFT, by, comment.strip()).save()
    return passport


@transaction.atomic
def approve_passport(passport: Passport, *, by: User) -> Passport:
    """Approve: the previous approved version is archived and the facility takes this
    one's status. The only way a facility's official status changes."""
    passport = Passport.objects.select_for_update().select_related("facility").get(
        pk=passport.pk)
    if not may_approve(by, passport):
        raise PermissionDenied
    with acting_as(user=by):
        for old in passport.facility.passports.filter(state=State.APPROVED):
            _move(old, State.ARCHIVED, by).save()
        result = assessment_of(passport)
        _move(passport, State.APPROVED, by)
        passport.status_code = result.code
        passport.result = result_json(result.zones)
        passport.approved_at = timezone.now()
        passport.approved_by = by
        passport.save()
        apply_status(passport.facility, result)
    return passport


def apply_status(facility: Facility, result: Assessment) -> None:
    facility.status_code = result.code
    facility.level = Level(result.level)
    for category in Category:
        status = result.categories[category]
        setattr(facility, f"access_{category.value.lower()}",
                None if status is None else int(status))
    facility.meets_standard = meets_standard(result)
    facility.save()


def meets_standard(result: Assessment) -> bool:
    """Every category is assessed and reaches the service on its own (fully or partially
    accessible through the key zones). How the decree's «соответствуют национальному
    стандарту» is counted on the map."""
    return all((status := result.categories[category]) is not None
               and status >= Access.PARTIAL for category in Category)


# --- What the dashboard counts -------------------------------------------------------------

TRANSPORT_TYPES = (FacilityType.RAILWAY_STATION, FacilityType.BUS_TERMINAL,
                   FacilityType.BUS_STATION, FacilityType.AIRPORT)
# Equipment the decree counts at stations, read from the approved passports' findings:
# a ramp exists when its slope was measured; the others when the criterion is met.
EQUIPMENT = (("ramps", "ramp-slope", "measured"), ("toilets", "accessible-toilet", "met"),
             ("marked_steps", "step-contrast-marking", "met"),
             ("waiting_places", "waiting-places-marked", "met"))


def transport_equipment() -> list[dict[str, Any]]:
    rows = []
    for kind in TRANSPORT_TYPES:
        facilities = Facility.objects.filter(type=kind)
        findings = PassportAnswer.objects.filter(passport__state=State.APPROVED,
                                                 passport__facility__type=kind)
        row: dict[str, Any] = {"type": kind, "label": FacilityType(kind).label,
                               "total": facilities.count(),
                               "meeting": facilities.filter(meets_standard=True).count()}
        for key, code, how in EQUIPMENT:
            found = findings.filter(criterion__code=code)
            found = found.filter(value__isnull=False) if how == "measured" \
                else found.filter(met=True)
            row[key] = found.values("passport__facility").distinct().count()
        rows.append(row)
    return rows
