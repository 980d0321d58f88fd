"""From the commission's checklist to a facility's accessibility status.

The method, step by step (every branch is tested in tests/access/test_assessment.py):

1. **Criterion.** A measured criterion passes when the value satisfies its comparator and
   threshold (a ramp slope of 10 % against «≤ 8 %» fails); a yes/no criterion passes when
   met. A criterion not checked (not applicable to the building) takes no part.
2. **Zone × category.** Of the checked criteria of a zone that matter for a category:
   - all pass → ДП (accessible fully);
   - only non-essential ones fail → ДЧ (partially: passable on one's own, with effort);
   - an essential one fails, and an assistance criterion for that category is met in the
     zone or in the service zone (a call button, trained staff, interpretation on call) →
     ДУ (conditionally: with help or in another form);
   - an essential one fails without such help → ВНД (not accessible);
   - nothing checked → not assessed.
3. **Facility × category.** A person must pass the key zones to receive the service:
   adjacent territory, entrance, paths inside, the service zone. The status is the worst
   of the key zones assessed. When that is ДП but a supporting zone (sanitary rooms,
   information, the route from the stop) is worse, it becomes ДЧ: the service is reached,
   not everything around it. No key zone assessed → not assessed.
4. **Overall code** over the five categories К, О, С, Г, У:
   - ДП-В: every category ДП;
   - ДП-И (…): the categories listed are ДП, not all;
   - ДЧ-В: otherwise, every category at least ДЧ;
   - ДЧ-И (…): the categories listed are ДЧ;
   - ДУ: some category can be served with help;
   - ВНД: no category can.
   A category not assessed counts as not accessible for «В» (for all): a facility is not
   declared accessible to people nobody checked it for.
5. **Needs.** Every failed criterion becomes an adaptation need with its zone and work
   type, essential first; a criterion met, or not checked, never does. An assistance
   criterion (a call button, a portable ramp, trained staff) is a way round a barrier, so
   failing it is a need only where it would help: a zone it serves (its own; every zone
   from the service zone, as in step 2) has an essential failure for one of its
   categories. A portable ramp is not needed at a step-free entrance.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal


class Category(enum.StrEnum):
    K = "K"  # wheelchair users
    O = "O"  # noqa: E741 - other mobility impairments, the official letter О
    S = "S"  # vision
    G = "G"  # hearing
    U = "U"  # intellectual

    @property
    def letter(self) -> str:
        """The letter the official passports use."""
        return {"K": "К", "O": "О", "S": "С", "G": "Г", "U": "У"}[self.value]


class Zone(enum.StrEnum):
    TERRITORY = "territory"
    ENTRANCE = "entrance"
    PATHS = "paths"
    SERVICE = "service"
    SANITARY = "sanitary"
    INFORMATION = "information"
    TRANSPORT = "transport"


KEY_ZONES = (Zone.TERRITORY, Zone.ENTRANCE, Zone.PATHS, Zone.SERVICE)


class Access(enum.IntEnum):
    """Ordered: a higher value is more accessible."""

    NOT_ACCESSIBLE = 0  # ВНД
    CONDITIONAL = 1  # ДУ
    PARTIAL = 2  # ДЧ
    FULL = 3  # ДП

    @property
    def code(self) -> str:
        return {0: "ВНД", 1: "ДУ", 2: "ДЧ", 3: "ДП"}[self.value]


@dataclass(frozen=True)
class Rule:
    """What the assessment needs of a criterion."""

    code: str
    zone: Zone
    categories: frozenset[Category]
    measured: bool
    comparator: str = ""  # "<=" or ">=" for measured criteria
    threshold: Decimal | None = None
    essential: bool = False
    assistance: bool = False
    work_type: str = "other"

    def helps(self, zone: Zone) -> bool:
        """Where an assistance criterion gives access: its own zone; from the service
        zone (staff, interpretation, service at home), every zone."""
        return self.zone in (zone, Zone.SERVICE)

    def passes(self, value: Decimal | bool | None) -> bool | None:
        """True / False, or None when not checked."""
        if value is None:
            return None
        if not self.measured:
            return bool(value)
        if isinstance(value, bool) or self.threshold is None:
            raise ValueError(f"{self.code} is measured: give a number")
        number = Decimal(value)
        if self.comparator == "<=":
            return number <= self.threshold
        if self.comparator == ">=":
            return number >= self.threshold
        raise ValueError(f"{self.code}: unknown comparator {self.comparator!r}")


Answers = Mapping[str, Decimal | bool | None]


def results(rules: Iterable[Rule], answers: Answers) -> dict[str, bool]:
    """Pass or fail of every checked criterion, by code."""
    outcome: dict[str, bool] = {}
    for rule in rules:
        passed = rule.passes(answers.get(rule.code))
        if passed is not None:
            outcome[rule.code] = passed
    return outcome


def zone_status(zone: Zone, category: Category, rules: Iterable[Rule],
                outcome: Mapping[str, bool]) -> Access | None:
    rules = list(rules)
    relevant = [r for r in rules if r.zone == zone and category in r.categories
                and r.code in outcome and not r.assistance]
    if not relevant:
        return None
    failed = [r for r in relevant if not outcome[r.code]]
    if not failed:
        return Access.FULL
    if not any(r.essential for r in failed):
        return Access.PARTIAL
    helped = any(r.assistance and category in r.categories and outcome.get(r.code)
                 and r.helps(zone) for r in rules)
    return Access.CONDITIONAL if helped else Access.NOT_ACCESSIBLE


def category_status(category: Category, rules: Iterable[Rule],
                    outcome: Mapping[str, bool]) -> Access | None:
    rules = list(rules)
    zones = {zone: zone_status(zone, category, rules, outcome) for zone in Zone}
    key = [status for zone, status in zones.items() if zone in KEY_ZONES and status is not None]
    if not key:
        return None
    status = min(key)
    supporting = [s for z, s in zones.items() if z not in KEY_ZONES and s is not None]
    if status == Access.FULL and any(s < Access.FULL for s in supporting):
        return Access.PARTIAL
    return status


def overall_code(statuses: Mapping[Category, Access | None]) -> str:
    """The official code from the five categories' statuses; "" when nothing is assessed."""
    if all(s is None for s in statuses.values()):
        return ""
    every = [statuses.get(c) for c in Category]

    def listed(level: Access) -> str:
        return ", ".join(c.letter for c in Category if statuses.get(c) == level)

    if all(s == Access.FULL for s in every):
        return "ДП-В"
    if any(s == Access.FULL for s in every):
        return f"ДП-И ({listed(Access.FULL)})"
    if all(s is not None and s >= Access.PARTIAL for s in every):
        return "ДЧ-В"
    if any(s == Access.PARTIAL for s in every):
        return f"ДЧ-И ({listed(Access.PARTIAL)})"
    if any(s == Access.CONDITIONAL for s in every):
        return "ДУ"
    return "ВНД"


@dataclass(frozen=True)
class Need:
    code: str
    zone: Zone
    work_type: str
    essential: bool
    categories: frozenset[Category]


@dataclass(frozen=True)
class Assessment:
    zones: dict[Zone, dict[Category, Access | None]]
    categories: dict[Category, Access | None]
    code: str
    needs: list[Need]

    @property
    def level(self) -> str:
        """The marker class: full, selective, partial, conditional, none or unknown."""
        if not self.code:
            return "unknown"
        if self.code == "ДП-В":
            return "full"
        return {"ДП": "selective", "ДЧ": "partial", "ДУ": "conditional",
                "ВН": "none"}[self.code[:2]]


def is_needed(rule: Rule, outcome: Mapping[str, bool],
              zones: Mapping[Zone, Mapping[Category, Access | None]]) -> bool:
    """Step 5: a failed criterion is a need; a failed assistance criterion only where a
    zone it helps has a barrier (an essential failure) for one of its categories."""
    if outcome.get(rule.code) is not False:
        return False
    if not rule.assistance:
        return True
    return any((status := zones[zone][category]) is not None
               and status <= Access.CONDITIONAL
               for zone in Zone if rule.helps(zone) for category in rule.categories)


def assess(rules: Iterable[Rule], answers: Answers) -> Assessment:
    rules = list(rules)
    outcome = results(rules, answers)
    categories = {c: category_status(c, rules, outcome) for c in Category}
    zones = {zone: {c: zone_status(zone, c, rules, outcome) for c in Category}
             for zone in Zone}
    needs = sorted((Need(r.code, r.zone, r.work_type, r.essential, r.categories)
                    for r in rules if is_needed(r, outcome, zones)),
                   key=lambda need: (not need.essential, list(Zone).index(need.zone),
                                     need.code))
    return Assessment(zones=zones, categories=categories, code=overall_code(categories),
                      needs=needs)
