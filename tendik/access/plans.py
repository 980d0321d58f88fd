"""Regional adaptation plans (measures 78–88 of the decree): each akimat lists, for a
year, the facilities it will adapt and the works; the dashboard compares planned and done
by region."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from tendik.access import services
from tendik.access.models import (
    AdaptationItem,
    AdaptationPlan,
    Facility,
    Passport,
    WorkType,
)
from tendik.core import once
from tendik.core.audit import acting_as
from tendik.core.models import Organisation, Region, Role, User


def is_planner_for(user: User, akimat: Organisation) -> bool:
    return bool(user.is_authenticated and user.role == Role.AKIMAT_OFFICIAL
                and user.organisation_id == akimat.pk)


@transaction.atomic
def plan_for(akimat: Organisation, year: int, *, by: User) -> AdaptationPlan:
    if not is_planner_for(by, akimat):
        raise PermissionDenied
    with acting_as(user=by):
        plan, _created = AdaptationPlan.objects.get_or_create(akimat=akimat, year=year)
    return plan


@transaction.atomic
def add_item(plan: AdaptationPlan, *, by: User, key: str = "",
             **values: Any) -> AdaptationItem:
    """One work of the plan; the form's `key` makes the same form sent twice give the
    first work back (tendik/core/once.py)."""
    if not is_planner_for(by, plan.akimat):
        raise PermissionDenied
    item = AdaptationItem(plan=plan, **values)
    item.full_clean(exclude=["idempotency_key"])

    def make(key: str | None) -> AdaptationItem:
        item.idempotency_key = key
        with acting_as(user=by):
            item.save()
        return item

    return once.create(AdaptationItem, key, make,
                       owner=lambda first: first.plan_id == plan.pk)


@transaction.atomic
def add_from_needs(plan: AdaptationPlan, facility: Facility, *, by: User,
                   deadline: dt.date, responsible: str) -> list[AdaptationItem]:
    """One work per work type that the facility's approved passport found needed, with
    the zones it concerns; the budget is left at zero for the akimat to fill."""
    if not is_planner_for(by, plan.akimat):
        raise PermissionDenied
    passport = facility.passports.filter(state=Passport.State.APPROVED).first()
    if passport is None:
        raise ValidationError(_("The facility has no approved passport: survey it first."))
    zones: dict[str, list[str]] = defaultdict(list)
    for need in services.assessment_of(passport).needs:
        work = need.work_type if need.work_type in WorkType.values else WorkType.OTHER
        if need.zone.value not in zones[work]:
            zones[work].append(need.zone.value)
    if not zones:
        raise ValidationError(_("The approved passport finds nothing to adapt."))
    return [add_item(plan, by=by, facility=facility, work_type=work, zones=",".join(where),
                     deadline=deadline, budget=Decimal(0), responsible=responsible)
            for work, where in zones.items()]


@transaction.atomic
def set_state(item: AdaptationItem, state: str, *, by: User,
              done_on: dt.date | None = None) -> AdaptationItem:
    if not is_planner_for(by, item.plan.akimat):
        raise PermissionDenied
    item.state = state
    item.done_on = done_on if state == AdaptationItem.State.DONE else None
    item.full_clean()
    with acting_as(user=by):
        item.save()
    return item


@dataclass(frozen=True)
class Progress:
    region: Region
    plan: AdaptationPlan | None
    planned: int
    in_progress: int
    done: int
    overdue: int
    budget: Decimal
    budget_done: Decimal

    @property
    def total(self) -> int:
        return self.planned + self.in_progress + self.done

    @property
    def share_done(self) -> float:
        return 100 * self.done / self.total if self.total else 0.0


def progress(year: int, today: dt.date) -> list[Progress]:
    """Planned against done, by region, counted in the database."""
    State = AdaptationItem.State
    plans = {p.akimat.region_id: p for p in AdaptationPlan.objects.filter(year=year)
             .select_related("akimat")}
    rows = (AdaptationItem.objects.filter(plan__year=year)
            .values("plan__akimat__region").annotate(
                planned=models.Count("id", filter=models.Q(state=State.PLANNED)),
                in_progress=models.Count("id", filter=models.Q(state=State.IN_PROGRESS)),
                done=models.Count("id", filter=models.Q(state=State.DONE)),
                overdue=models.Count("id", filter=~models.Q(state=State.DONE)
                                     & models.Q(deadline__lt=today)),
                budget_planned=models.Sum("budget"),
                budget_spent=models.Sum("budget", filter=models.Q(state=State.DONE))))
    by_region: dict[int, dict[str, Any]] = {row["plan__akimat__region"]: dict(row)
                                          for row in rows}
    result = []
    for region in Region.objects.order_by("name_ru"):
        row: dict[str, Any] = by_region.get(region.pk, {})
        result.append(Progress(region, plans.get(region.pk), row.get("planned", 0),
                               row.get("in_progress", 0), row.get("done", 0),
                               row.get("overdue", 0), row.get("budget_planned") or Decimal(0),
                               row.get("budget_spent") or Decimal(0)))
    return result
