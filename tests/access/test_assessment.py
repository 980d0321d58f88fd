"""Every branch of the documented method in tendik/access/assessment.py."""

from decimal import Decimal

import pytest

from tendik.access.assessment import (
    Access,
    Category,
    Rule,
    Zone,
    assess,
    category_status,
    overall_code,
    results,
    zone_status,
)

K, O, S, G, U = Category.K, Category.O, Category.S, Category.G, Category.U  # noqa: E741
ALL = frozenset(Category)

RAMP = Rule("ramp-slope", Zone.ENTRANCE, frozenset({K, O}), measured=True, comparator="<=",
            threshold=Decimal(8), essential=True, work_type="ramp")
DOOR = Rule("door-clear-width", Zone.ENTRANCE, frozenset({K}), measured=True,
            comparator=">=", threshold=Decimal("0.9"), essential=True, work_type="doorway")
MARKING = Rule("step-contrast-marking", Zone.ENTRANCE, frozenset({S, O}), measured=False,
               work_type="contrast_marking")
TACTILE = Rule("tactile", Zone.PATHS, frozenset({S}), measured=False, essential=True,
               work_type="tactile")
BELL = Rule("call-button", Zone.ENTRANCE, frozenset({K, O, S}), measured=False,
            assistance=True, work_type="call_button")
STAFF = Rule("staff-trained", Zone.SERVICE, ALL, measured=False, assistance=True,
             work_type="staff_training")
COUNTER = Rule("service-counter", Zone.SERVICE, ALL, measured=False, work_type="other")
TOILET = Rule("accessible-toilet", Zone.SANITARY, frozenset({K, O}), measured=False,
              essential=True, work_type="sanitary_room")
RULES = [RAMP, DOOR, MARKING, TACTILE, BELL, STAFF, COUNTER, TOILET]


def test_a_measured_criterion_compares_with_its_threshold():
    assert RAMP.passes(Decimal(8)) is True
    assert RAMP.passes(Decimal(10)) is False  # 1:10 is 10 %
    assert DOOR.passes(Decimal("0.8")) is False and DOOR.passes(Decimal("0.9")) is True
    assert RAMP.passes(None) is None
    assert MARKING.passes(True) is True and MARKING.passes(False) is False
    with pytest.raises(ValueError):
        RAMP.passes(True)


def test_unchecked_criteria_take_no_part():
    assert results(RULES, {"ramp-slope": None, "door-clear-width": Decimal(1)}) == {
        "door-clear-width": True}


def test_a_zone_is_fully_partially_conditionally_or_not_accessible():
    passed = {"ramp-slope": True, "door-clear-width": True, "step-contrast-marking": True}
    assert zone_status(Zone.ENTRANCE, K, RULES, passed) == Access.FULL
    # Only a non-essential criterion fails: passable on one's own.
    assert zone_status(Zone.ENTRANCE, O, RULES, {**passed, "step-contrast-marking": False}) \
        == Access.PARTIAL
    # An essential one fails: with help at the entrance, conditionally accessible.
    failed = {**passed, "ramp-slope": False}
    assert zone_status(Zone.ENTRANCE, K, RULES, {**failed, "call-button": True}) \
        == Access.CONDITIONAL
    # ... or with staff trained in the service zone.
    assert zone_status(Zone.ENTRANCE, K, RULES, {**failed, "staff-trained": True}) \
        == Access.CONDITIONAL
    # Help that is not for the category does not count; no help at all: not accessible.
    only_bell = {"tactile": False, "call-button": True}
    assert zone_status(Zone.PATHS, S, RULES, only_bell) == Access.NOT_ACCESSIBLE
    assert zone_status(Zone.ENTRANCE, K, RULES, failed) == Access.NOT_ACCESSIBLE
    assert zone_status(Zone.ENTRANCE, K, RULES, {**failed, "call-button": False}) \
        == Access.NOT_ACCESSIBLE
    # Nothing checked for the category in the zone.
    assert zone_status(Zone.ENTRANCE, G, RULES, passed) is None
    assert zone_status(Zone.ENTRANCE, K, RULES, {"call-button": True}) is None


def test_a_category_takes_the_worst_key_zone_and_supporting_zones_lower_full_to_partial():
    outcome = {"ramp-slope": True, "door-clear-width": True, "service-counter": True}
    assert category_status(K, RULES, outcome) == Access.FULL
    assert category_status(K, RULES, {**outcome, "accessible-toilet": False}) \
        == Access.PARTIAL
    # A supporting zone never lowers below partial...
    assert category_status(K, RULES, {**outcome, "accessible-toilet": False,
                                      "ramp-slope": False}) == Access.NOT_ACCESSIBLE
    # ... and does not count alone.
    assert category_status(K, RULES, {"accessible-toilet": True}) is None
    assert category_status(G, RULES, {"service-counter": False}) == Access.PARTIAL


@pytest.mark.parametrize(("statuses", "code"), [
    (dict.fromkeys(Category, Access.FULL), "ДП-В"),
    ({K: Access.FULL, O: Access.FULL, S: Access.PARTIAL, G: Access.NOT_ACCESSIBLE,
      U: Access.FULL}, "ДП-И (К, О, У)"),
    (dict.fromkeys(Category, Access.PARTIAL) | {K: Access.FULL}, "ДП-И (К)"),
    (dict.fromkeys(Category, Access.PARTIAL), "ДЧ-В"),
    ({K: Access.PARTIAL, O: Access.CONDITIONAL, S: Access.PARTIAL,
      G: Access.NOT_ACCESSIBLE, U: None}, "ДЧ-И (К, С)"),
    (dict.fromkeys(Category, Access.PARTIAL) | {U: None}, "ДЧ-И (К, О, С, Г)"),
    ({K: Access.CONDITIONAL, O: Access.NOT_ACCESSIBLE, S: None, G: None, U: None}, "ДУ"),
    (dict.fromkeys(Category, Access.NOT_ACCESSIBLE), "ВНД"),
    (dict.fromkeys(Category), ""),
])
def test_the_overall_code(statuses, code):
    assert overall_code(statuses) == code


def test_a_ramp_of_one_in_ten_and_a_narrow_door():
    answers = {"ramp-slope": Decimal(10), "door-clear-width": Decimal("0.8"),
               "step-contrast-marking": True, "tactile": True, "service-counter": True,
               "call-button": False, "staff-trained": True, "accessible-toilet": True}
    result = assess(RULES, answers)
    assert result.zones[Zone.ENTRANCE][K] == Access.CONDITIONAL  # staff help
    assert result.categories[K] == Access.CONDITIONAL
    assert result.categories[O] == Access.CONDITIONAL  # the ramp matters for О too
    assert result.categories[S] == Access.FULL
    assert result.categories[G] == result.categories[U] == Access.FULL
    assert result.code == "ДП-И (С, Г, У)" and result.level == "selective"
    assert [(n.code, n.work_type) for n in result.needs] == [
        ("door-clear-width", "doorway"), ("ramp-slope", "ramp"), ("call-button",
                                                                  "call_button")]


def test_levels_follow_the_code():
    assert assess(RULES, {}).level == "unknown"
    everything = {"ramp-slope": 5, "door-clear-width": 1, "step-contrast-marking": True,
                  "tactile": True, "service-counter": True, "accessible-toilet": True}
    assert assess(RULES, everything).level == "full"  # Г and У: their service zone is
    assert assess([COUNTER], {"service-counter": True}).level == "full"
    assert assess([COUNTER], {"service-counter": False}).level == "partial"
    assert assess([COUNTER, STAFF], {"service-counter": True}).code == "ДП-В"
    blocked = Rule("x", Zone.SERVICE, ALL, measured=False, essential=True)
    assert assess([blocked, STAFF], {"x": False, "staff-trained": True}).level \
        == "conditional"
    assert assess([blocked], {"x": False}).level == "none"
