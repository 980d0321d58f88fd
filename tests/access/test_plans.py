"""Regional adaptation plans: the akimat's works, from a passport's needs, and the
dashboard of planned against done."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tendik.access import plans, services
from tendik.access.models import AdaptationItem, AdaptationPlan
from tendik.core.models import Organisation, Role
from tests.access.test_passports import everything_passing
from tests.conftest import ALMATY, ASTANA

TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def people(make_user):
    return {"almaty": make_user(Role.AKIMAT_OFFICIAL, f"AKIMAT-{ALMATY}", username="almaty"),
            "almaty2": make_user(Role.AKIMAT_OFFICIAL, f"AKIMAT-{ALMATY}", username="almaty2"),
            "astana": make_user(Role.AKIMAT_OFFICIAL, f"AKIMAT-{ASTANA}", username="astana"),
            "analyst": make_user(Role.ANALYST, "МТСЗН", username="analyst")}


@pytest.fixture
def surveyed(criteria, people, make_facility):
    """An Almaty station whose approved passport finds a steep ramp and no toilet."""
    facility = make_facility()
    passport = services.start_passport(facility, by=people["almaty"])
    services.record_answers(passport, everything_passing() | {
        "ramp-slope": Decimal(10), "accessible-toilet": False, "toilet-grab-bars": False},
        by=people["almaty"])
    services.submit_passport(passport, by=people["almaty"])
    services.approve_passport(passport, by=people["almaty2"])
    return facility


def akimat(kato: str) -> Organisation:
    return Organisation.objects.get(code=f"AKIMAT-{kato}")


@pytest.mark.django_db
def test_a_passports_needs_become_works_of_the_plan(surveyed, people):
    plan = plans.plan_for(akimat(ALMATY), 2026, by=people["almaty"])
    added = plans.add_from_needs(plan, surveyed, by=people["almaty"],
                                 deadline=dt.date(2026, 12, 31), responsible="ГУ ЖКХ")
    works = {(item.work_type, item.zones) for item in added}
    assert works == {("ramp", "entrance"), ("sanitary_room", "sanitary")}
    assert all(item.budget == 0 and item.state == "planned" for item in added)
    with pytest.raises(PermissionDenied):
        plans.plan_for(akimat(ALMATY), 2026, by=people["astana"])
    with pytest.raises(PermissionDenied):
        plans.add_from_needs(plan, surveyed, by=people["analyst"],
                             deadline=dt.date(2026, 12, 31), responsible="x")


@pytest.mark.django_db
def test_a_work_is_checked_before_it_is_planned_or_done(surveyed, people, make_facility):
    plan = plans.plan_for(akimat(ALMATY), 2026, by=people["almaty"])
    elsewhere = make_facility(name="Вокзал Нур-Султан", kato=ASTANA, latitude=51.2,
                              longitude=71.4)
    with pytest.raises(ValidationError) as wrong:
        plans.add_item(plan, by=people["almaty"], facility=elsewhere, work_type="ramp",
                       zones="entrance", deadline=dt.date(2026, 9, 1), budget=Decimal(100),
                       responsible="ГУ")
    assert "facility" in wrong.value.message_dict
    item = plans.add_item(plan, by=people["almaty"], facility=surveyed, work_type="ramp",
                          zones="entrance", deadline=dt.date(2026, 9, 1),
                          budget=Decimal("1250.5"), responsible="ГУ ЖКХ г. Алматы")
    with pytest.raises(ValidationError):
        plans.set_state(item, AdaptationItem.State.DONE, by=people["almaty"])
    plans.set_state(item, AdaptationItem.State.DONE, by=people["almaty"],
                    done_on=dt.date(2026, 8, 20))
    item.refresh_from_db()
    assert item.state == "done" and item.done_on == dt.date(2026, 8, 20)


@pytest.mark.django_db
def test_progress_by_region_counts_planned_done_overdue_and_budgets(surveyed, people):
    plan = plans.plan_for(akimat(ALMATY), 2026, by=people["almaty"])
    for deadline, budget, state in ((dt.date(2026, 3, 1), "100", "done"),
                                    (dt.date(2026, 6, 1), "200", "in_progress"),
                                    (dt.date(2026, 12, 1), "300", "planned")):
        item = plans.add_item(plan, by=people["almaty"], facility=surveyed,
                              work_type="ramp", zones="entrance", deadline=deadline,
                              budget=Decimal(budget), responsible="ГУ")
        plans.set_state(item, state, by=people["almaty"],
                        done_on=dt.date(2026, 2, 1) if state == "done" else None)
    rows = {row.region.kato: row for row in plans.progress(2026, TODAY)}
    almaty = rows[ALMATY]
    assert (almaty.total, almaty.planned, almaty.in_progress, almaty.done) == (3, 1, 1, 1)
    assert almaty.overdue == 1  # June's work is not done in November
    assert (almaty.budget, almaty.budget_done) == (Decimal(600), Decimal(100))
    assert round(almaty.share_done) == 33
    assert rows[ASTANA].total == 0 and rows[ASTANA].plan is None
    assert len(rows) == 20


@pytest.mark.django_db
def test_the_plan_pages(surveyed, people, client, client_for):
    official = client_for(people["almaty"])
    url = f"/ru/access/plans/AKIMAT-{ALMATY}/2026/"
    added = official.post(url, {"facility": surveyed.pk, "work_type": "ramp",
                                "zones": ["entrance", "territory"], "deadline": "2026-10-01",
                                "budget": "4500", "responsible": "ГУ ЖКХ",
                                "target_level": "full"})
    assert added.status_code == 302
    item = AdaptationItem.objects.get()
    assert item.zones == "entrance,territory" and item.plan.year == 2026
    refused = official.post(url, {"facility": surveyed.pk, "work_type": "ramp",
                                  "deadline": "", "budget": "-1", "responsible": ""})
    assert refused.status_code == 200 and set(refused.context["form"].errors) >= {
        "zones", "deadline", "budget", "responsible"}
    assert client_for(people["astana"]).post(url, {"facility": surveyed.pk}).status_code \
        == 404
    public = client.get(url)
    assert public.status_code == 200 and public.context["form"] is None
    assert "4500" in public.content.decode().replace("\xa0", "").replace(" ", "")
    dashboard = client.get("/ru/access/plans/", {"year": 2026})
    row = next(r for r in dashboard.context["rows"] if r.region.kato == ALMATY)
    assert row.total == 1 and dashboard.context["totals"]["total"] == 1
    from_needs = official.post(f"/ru/access/facilities/{surveyed.pk}/plan/")
    assert from_needs.status_code == 302
    assert AdaptationPlan.objects.get().items.count() == 3


@pytest.mark.django_db
def test_the_demo_has_plans_in_every_region(criteria):
    from tendik.access import demo

    demo.load_demo()
    years = set(AdaptationPlan.objects.values_list("year", flat=True))
    assert len(years) == 2
    assert AdaptationPlan.objects.values("akimat").distinct().count() == 20
    done = AdaptationItem.objects.filter(plan__year=min(years), state="done").count()
    assert done > AdaptationItem.objects.filter(plan__year=min(years)).count() / 2
