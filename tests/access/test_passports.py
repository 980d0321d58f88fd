"""The commission's passport: who drafts, who approves, and that a facility's official
status changes only with an approved passport."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tendik.access import clusters, services
from tendik.access.assessment import Access, Category
from tendik.access.models import ClusterCell, Criterion, Facility, Level, Passport
from tendik.core.models import AuditEvent, Role
from tests.conftest import ALMATY, ASTANA


@pytest.fixture
def people(make_user):
    return {
        "almaty": make_user(Role.AKIMAT_OFFICIAL, f"AKIMAT-{ALMATY}", username="almaty.1"),
        "almaty2": make_user(Role.AKIMAT_OFFICIAL, f"AKIMAT-{ALMATY}", username="almaty.2"),
        "astana": make_user(Role.AKIMAT_OFFICIAL, f"AKIMAT-{ASTANA}", username="astana"),
        "analyst": make_user(Role.ANALYST, "МТСЗН", username="analyst"),
        "citizen": make_user(Role.REGISTERED, username="citizen"),
    }


def everything_passing() -> dict[str, Decimal | bool | None]:
    answers: dict[str, Decimal | bool | None] = {}
    for criterion in Criterion.objects.all():
        if criterion.measured:
            factor = Decimal("0.5") if criterion.comparator == "<=" else Decimal(2)
            answers[criterion.code] = criterion.threshold * factor
        else:
            answers[criterion.code] = True
    return answers


@pytest.mark.django_db
def test_the_checklist_is_loaded_with_its_norms(criteria):
    assert Criterion.objects.count() >= 40
    zones = set(Criterion.objects.values_list("zone", flat=True))
    assert zones == {"territory", "entrance", "paths", "service", "sanitary", "information",
                     "transport"}
    slope = Criterion.objects.get(code="ramp-slope")
    assert (slope.measured, slope.comparator, slope.threshold, slope.essential) == (
        True, "<=", Decimal(8), True)
    assert slope.category_set() == {Category.K, Category.O} and slope.clause
    for letter in "KOSGU":
        assert Criterion.objects.filter(categories__contains=letter).count() >= 6
    assert services.load_criteria()["criteria checked"] == Criterion.objects.count()


@pytest.mark.django_db
def test_a_ramp_of_one_in_ten_and_a_door_of_eighty_centimetres(criteria, people,
                                                               make_facility, client):
    facility = make_facility()
    passport = services.start_passport(facility, by=people["almaty"])
    answers = everything_passing() | {"ramp-slope": Decimal(10),
                                      "door-clear-width": Decimal("0.8")}
    services.record_answers(passport, answers, by=people["almaty"])
    facility.refresh_from_db()
    assert facility.level == Level.UNKNOWN  # a draft changes nothing official
    services.submit_passport(passport, by=people["almaty"])
    services.approve_passport(passport, by=people["almaty2"])

    facility.refresh_from_db()
    # The ramp blocks К and О, the door К; trained staff and a call button help (ДУ).
    assert facility.access(Category.K) == facility.access(Category.O) == Access.CONDITIONAL
    assert facility.access(Category.S) == facility.access(Category.G) \
        == facility.access(Category.U) == Access.FULL
    assert facility.status_code == "ДП-И (С, Г, У)"
    assert facility.level == Level.SELECTIVE and not facility.meets_standard

    page = client.get(f"/ru/access/list/?q={facility.name_ru[:12]}").content.decode()
    assert "ДП-И (С, Г, У)" in page and "level-icon level-selective" in page
    as_wheelchair_user = client.get("/ru/access/list/", {"category": "K"})
    assert as_wheelchair_user.context["rows"][0]["level"] == Level.CONDITIONAL
    detail = client.get(f"/ru/access/facilities/{facility.pk}/").content.decode()
    assert "ДУ" in detail and "door-clear-width" not in detail  # needs shown by their words
    needs = client.get(f"/ru/access/facilities/{facility.pk}/").context["needs"]
    # The two failures, both essential and at the entrance, become the adaptation needs.
    assert [(n["need"].code, n["need"].work_type, n["need"].essential) for n in needs] == [
        ("door-clear-width", "doorway", True), ("ramp-slope", "ramp", True)]


@pytest.mark.django_db
def test_a_new_version_archives_the_old_one_on_approval(criteria, people, make_facility):
    facility = make_facility()
    first = services.start_passport(facility, by=people["almaty"])
    services.record_answers(first, everything_passing(), by=people["almaty"])
    services.submit_passport(first, by=people["almaty"])
    services.approve_passport(first, by=people["analyst"])
    facility.refresh_from_db()
    assert facility.status_code == "ДП-В" and facility.meets_standard

    second = services.start_passport(facility, by=people["almaty"])
    assert second.version == 2 and second.answers.count() == first.answers.count()
    services.record_answers(second, {"accessible-toilet": False}, by=people["almaty"])
    facility.refresh_from_db()
    assert facility.status_code == "ДП-В"  # still the approved version's
    services.submit_passport(second, by=people["almaty"])
    services.approve_passport(second, by=people["analyst"])
    first.refresh_from_db()
    facility.refresh_from_db()
    assert first.state == Passport.State.ARCHIVED
    assert facility.status_code == "ДП-И (С, Г, У)"  # the toilet lowers К and О to ДЧ
    assert facility.access(Category.K) == Access.PARTIAL and facility.meets_standard
    assert AuditEvent.objects.filter(model="access.facility", action="update").exists()


@pytest.mark.django_db
def test_who_may_survey_and_approve(criteria, people, make_facility):
    facility = make_facility()
    for outsider in ("astana", "analyst", "citizen"):
        with pytest.raises(PermissionDenied):
            services.start_passport(facility, by=people[outsider])
    passport = services.start_passport(facility, by=people["almaty"])
    with pytest.raises(ValidationError):
        services.start_passport(facility, by=people["almaty2"])  # one in progress at a time
    with pytest.raises(PermissionDenied):
        services.record_answers(passport, {"ramp-slope": Decimal(5)}, by=people["astana"])
    with pytest.raises(ValidationError):
        services.submit_passport(passport, by=people["almaty"])  # no findings yet
    services.record_answers(passport, {"ramp-slope": Decimal(5)}, by=people["almaty"])
    with pytest.raises(ValidationError):
        services.record_answers(passport, {"no-such-thing": True}, by=people["almaty"])
    services.submit_passport(passport, by=people["almaty"])
    with pytest.raises(ValidationError):
        services.record_answers(passport, {"ramp-slope": Decimal(6)}, by=people["almaty"])
    with pytest.raises(PermissionDenied):  # four eyes: not the one who submitted
        services.approve_passport(passport, by=people["almaty"])
    with pytest.raises(PermissionDenied):
        services.approve_passport(passport, by=people["astana"])
    with pytest.raises(ValidationError):
        services.return_passport(passport, "  ", by=people["almaty2"])
    services.return_passport(passport, "Перемерьте пандус.", by=people["almaty2"])
    passport.refresh_from_db()
    assert passport.state == Passport.State.DRAFT


@pytest.mark.django_db
def test_answers_are_read_from_the_form_as_numbers_or_yes_no(criteria):
    slope = Criterion.objects.get(code="ramp-slope")
    toilet = Criterion.objects.get(code="accessible-toilet")
    assert services.parse_answer(slope, " 8,5 ") == Decimal("8.5")
    assert services.parse_answer(slope, "") is None
    assert services.parse_answer(toilet, "no") is False
    for wrong in ("abc", "-1", "nan"):
        with pytest.raises(ValidationError):
            services.parse_answer(slope, wrong)
    with pytest.raises(ValidationError):
        services.parse_answer(toilet, "maybe")


@pytest.mark.django_db
def test_cluster_cells_follow_every_change_as_a_rebuild_would(criteria, people,
                                                             make_facility):
    near = make_facility()
    make_facility(name="Вокзал Астана", kato=ASTANA, latitude=51.17, longitude=71.45)
    passport = services.start_passport(near, by=people["almaty"])
    services.record_answers(passport, everything_passing(), by=people["almaty"])
    services.submit_passport(passport, by=people["almaty"])
    services.approve_passport(passport, by=people["analyst"])
    near.refresh_from_db()
    near.latitude = 43.35
    near.save()
    make_facility(name="Удалённый", latitude=44.0, longitude=77.5).delete()

    def cells() -> set[tuple]:
        return set(ClusterCell.objects.values_list(
            "zoom", "x", "y", "count", "n_full", "n_unknown", "ok_k", "ok_u"))

    kept = cells()
    assert clusters.rebuild() == len(kept)
    assert cells() == kept
    country = [c for c in kept if c[0] == 2]
    assert sum(c[3] for c in country) == Facility.objects.count() == 2
    assert sum(c[4] for c in country) == 1  # one facility ДП-В
