"""What a passport lists as needs, kind of criterion by kind: a criterion met, or not
checked, never is one; a failed one is, with what was found against the norm; a failed
way round a barrier (a portable ramp, a call button, trained staff) only where there is a
barrier. And the facility's zone table, with its categories named."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from tendik.access import services
from tendik.access.assessment import Access, Category, Rule, Zone, assess
from tendik.access.models import Criterion
from tests.access.test_passports import everything_passing, people  # noqa: F401

K, O, S = Category.K, Category.O, Category.S  # noqa: E741
AT_MOST = Rule("slope", Zone.ENTRANCE, frozenset({K, O}), measured=True, comparator="<=",
               threshold=Decimal(8), essential=True)
AT_LEAST = Rule("door", Zone.ENTRANCE, frozenset({K}), measured=True, comparator=">=",
                threshold=Decimal("0.9"), essential=True)
YES_NO = Rule("step-free", Zone.ENTRANCE, frozenset({K}), measured=False, essential=True)
MINOR = Rule("marking", Zone.ENTRANCE, frozenset({S}), measured=False)
PORTABLE_RAMP = Rule("portable-ramp", Zone.ENTRANCE, frozenset({K, O}), measured=False,
                     assistance=True)
STAFF = Rule("staff", Zone.SERVICE, frozenset(Category), measured=False, assistance=True)
TOILET = Rule("toilet", Zone.SANITARY, frozenset({K}), measured=False, essential=True)
RULES = [AT_MOST, AT_LEAST, YES_NO, MINOR, PORTABLE_RAMP, STAFF, TOILET]
MET = {"slope": Decimal(8), "door": Decimal("0.9"), "step-free": True, "marking": True,
       "portable-ramp": True, "staff": True, "toilet": True}


def needs(answers: dict) -> list[str]:
    return [n.code for n in assess(RULES, answers).needs]


def test_criteria_met_exactly_at_their_threshold_are_no_needs():
    assert needs(MET) == []
    assert needs({"slope": Decimal("8.000"), "door": Decimal("0.900")}) == []


@pytest.mark.parametrize(("changed", "expected"), [
    ({"slope": Decimal("8.01")}, ["slope"]),  # «at most» above its threshold
    ({"door": Decimal("0.89")}, ["door"]),  # «at least» below it
    ({"step-free": False}, ["step-free"]),  # yes / no answered no
    ({"marking": False}, ["marking"]),  # a non-essential one
    ({"toilet": False}, ["toilet"]),  # a supporting zone
    ({"slope": None, "step-free": None, "toilet": None}, []),  # not checked: no part
])
def test_each_kind_of_failed_criterion_is_a_need(changed, expected):
    assert needs({**MET, **changed}) == expected


def test_a_portable_ramp_that_is_there_is_never_a_need():
    # Steps at the entrance, a portable ramp and staff: the steps are the need, not it.
    result = assess(RULES, {**MET, "step-free": False, "slope": None})
    assert [n.code for n in result.needs] == ["step-free"]
    assert result.zones[Zone.ENTRANCE][K] == Access.CONDITIONAL


def test_a_way_round_is_needed_only_where_there_is_a_barrier():
    # A step-free entrance needs no portable ramp, and a building without barriers no
    # staff to help past them.
    assert needs({**MET, "portable-ramp": False}) == []
    assert needs({**MET, "portable-ramp": False, "staff": False}) == []
    # Steps and no portable ramp: both are needs; staff in the service zone help there.
    assert needs({**MET, "step-free": False, "portable-ramp": False}) == [
        "step-free", "portable-ramp"]
    assert needs({**MET, "step-free": False, "portable-ramp": False, "staff": False}) == [
        "step-free", "portable-ramp", "staff"]
    # A barrier only for another category: the ramp (К, О) is not needed for a marking (С).
    assert needs({**MET, "marking": False, "portable-ramp": False}) == ["marking"]


@pytest.mark.django_db
def test_the_real_checklist_with_a_portable_ramp(criteria, people, make_facility,  # noqa: F811
                                                 client_for):
    facility = make_facility()
    passport = services.start_passport(facility, by=people["almaty"])
    ramp = [c.code for c in Criterion.objects.filter(code__startswith="ramp-")]
    answers = everything_passing() | dict.fromkeys(ramp) | {
        "step-free-entrance": False, "portable-ramp": True}
    services.record_answers(passport, answers, by=people["almaty"])
    services.submit_passport(passport, by=people["almaty"])
    services.approve_passport(passport, by=people["almaty2"])
    page = client_for(people["citizen"]).get(f"/ru/access/facilities/{facility.pk}/")
    assert [n["need"].code for n in page.context["needs"]] == ["step-free-entrance"]
    body = page.content.decode()
    needs_list = body[body.index("Что требует адаптации"):]
    needs_list = needs_list[:needs_list.index("</ul>")]
    assert "Переносной пандус" not in needs_list
    assert "Найдено: не выполнено." in needs_list and "Это преграждает доступ." in needs_list


@pytest.mark.django_db
def test_a_measured_need_says_what_was_found_and_the_norm(criteria, people,  # noqa: F811
                                                         make_facility, client_for):
    facility = make_facility()
    passport = services.start_passport(facility, by=people["almaty"])
    services.record_answers(passport, everything_passing() | {"ramp-slope": Decimal(10)},
                            by=people["almaty"])
    services.submit_passport(passport, by=people["almaty"])
    services.approve_passport(passport, by=people["almaty2"])
    body = client_for(people["citizen"]).get(
        f"/ru/access/facilities/{facility.pk}/").content.decode()
    assert "(≤ 8 %). Найдено: 10 %." in body
    english = client_for(people["citizen"]).get(
        f"/en/access/facilities/{facility.pk}/").content.decode()
    assert "Found: 10 %." in english


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "wheelchair"), [
    ("ru", "инвалиды, передвигающиеся на креслах-колясках"), ("kk", "арбамен жүретіндер"),
    ("en", "wheelchair users")])
def test_the_zone_table_has_a_header_for_each_category(criteria, people,  # noqa: F811
                                                       make_facility, client_for,
                                                       language, wheelchair):
    facility = make_facility()
    passport = services.start_passport(facility, by=people["almaty"])
    services.record_answers(passport, everything_passing(), by=people["almaty"])
    services.submit_passport(passport, by=people["almaty"])
    services.approve_passport(passport, by=people["almaty2"])
    body = client_for(people["citizen"]).get(
        f"/{language}/access/facilities/{facility.pk}/").content.decode()
    table = body[body.index('<table class="zones">'):]
    table = table[:table.index("</table>")]
    head = table[table.index("<thead>"):table.index("</thead>")]
    columns = re.findall(r'<th scope="col">(.*?)</th>', head)
    assert len(columns) == 1 + len(Category)
    assert f'<abbr title="{wheelchair}"><span lang="ru">К</span></abbr>' in columns[1]
    assert wheelchair in re.sub(r"<[^>]+>", " ", columns[1])
    rows = re.findall(r'<th scope="row">', table)
    assert len(rows) >= 4  # a header for each zone's row
