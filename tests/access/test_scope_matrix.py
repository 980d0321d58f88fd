"""The map's writing pages as a matrix: each role × a facility in its own region (Almaty)
or another (Astana) → allowed or 404."""

import pytest

from tendik.access import contributions
from tendik.access.assessment import Category
from tendik.access.models import AdaptationItem, Moderation, Review
from tests.conftest import ALMATY, ASTANA

OWN, OTHER = "own", "other"

# What each persona may do with a facility of its own region / another region.
SURVEY = {  # the commission's passport page
    "registered": {OWN: 404, OTHER: 404}, "recipient": {OWN: 404, OTHER: 404},
    "supplier": {OWN: 404, OTHER: 404}, "akimat_official": {OWN: 200, OTHER: 404},
    "agency_executor": {OWN: 404, OTHER: 404}, "analyst": {OWN: 404, OTHER: 404},
    "auditor": {OWN: 404, OTHER: 404}, "administrator": {OWN: 404, OTHER: 404},
}
MODERATE = {  # publishing a resident's review
    "registered": {OWN: 404, OTHER: 404}, "recipient": {OWN: 404, OTHER: 404},
    "supplier": {OWN: 404, OTHER: 404}, "akimat_official": {OWN: 302, OTHER: 404},
    "agency_executor": {OWN: 404, OTHER: 404}, "analyst": {OWN: 302, OTHER: 302},
    "auditor": {OWN: 404, OTHER: 404}, "administrator": {OWN: 302, OTHER: 302},
}
PLAN = {  # adding a work to the akimat's adaptation plan
    "registered": {OWN: 404, OTHER: 404}, "recipient": {OWN: 404, OTHER: 404},
    "supplier": {OWN: 404, OTHER: 404}, "akimat_official": {OWN: 302, OTHER: 404},
    "agency_executor": {OWN: 404, OTHER: 404}, "analyst": {OWN: 404, OTHER: 404},
    "auditor": {OWN: 404, OTHER: 404}, "administrator": {OWN: 404, OTHER: 404},
}


@pytest.fixture
def facilities(criteria, make_facility):
    return {OWN: make_facility(), OTHER: make_facility(
        name="Вокзал Астана", kato=ASTANA, latitude=51.17, longitude=71.45)}


@pytest.mark.django_db
@pytest.mark.parametrize("role", SURVEY)
@pytest.mark.parametrize("which", [OWN, OTHER])
def test_the_passport_page_is_the_regions_commissions(role, which, personas, client_for,
                                                     facilities):
    page = client_for(personas[role]).get(
        f"/ru/access/facilities/{facilities[which].pk}/passport/")
    assert page.status_code == SURVEY[role][which]


@pytest.mark.django_db
@pytest.mark.parametrize("role", MODERATE)
@pytest.mark.parametrize("which", [OWN, OTHER])
def test_moderation_is_the_regions_akimats(role, which, personas, client_for, facilities,
                                           make_user):
    author = make_user(username="resident")
    review = contributions.add_review(facilities[which], by=author,
                                      ratings={Category.K: 4}, comment="Удобно.")
    response = client_for(personas[role]).post(
        "/ru/access/moderation/", {"kind": "review", "id": review.pk, "publish": ""})
    assert response.status_code == MODERATE[role][which]
    published = Review.objects.get(pk=review.pk).moderation == Moderation.PUBLISHED
    assert published == (MODERATE[role][which] == 302)


@pytest.mark.django_db
@pytest.mark.parametrize("role", PLAN)
@pytest.mark.parametrize("which", [OWN, OTHER])
def test_the_adaptation_plan_is_the_akimats(role, which, personas, client_for, facilities):
    kato = {OWN: ALMATY, OTHER: ASTANA}[which]
    response = client_for(personas[role]).post(f"/ru/access/plans/AKIMAT-{kato}/2026/", {
        "facility": facilities[which].pk, "work_type": "ramp", "zones": ["entrance"],
        "deadline": "2026-12-01", "budget": "100", "responsible": "ГУ",
        "target_level": "full"})
    assert response.status_code == PLAN[role][which]
    assert AdaptationItem.objects.exists() == (PLAN[role][which] == 302)
