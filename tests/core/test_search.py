"""The site's search finds what anyone may open, by words of its names in any language
and whatever their case, and the measures by number."""

from __future__ import annotations

import pytest
from django.test import Client

from tendik.access.models import Facility, FacilityType
from tendik.core.models import Organisation, Region
from tendik.plan.services import load_national_plan
from tendik.workforce.models import SocialWorker
from tests.conftest import ALMATY


@pytest.fixture
def found(reference):
    load_national_plan()
    almaty = Region.objects.get(kato=ALMATY)
    Facility.objects.create(name_ru="Железнодорожный вокзал Алматы-2",
                            address_ru="пр. Абылай хана, 1", region=almaty,
                            latitude=43.27, longitude=76.94, type=FacilityType.RAILWAY_STATION)
    employer = Organisation.objects.create(code="PROV-S", region=almaty,
                                           kind=Organisation.Kind.SERVICE_PROVIDER,
                                           name_ru="Центр «Шапагат»", name_kk="«Шапағат» орталығы",
                                           name_en="Shapagat Centre")
    for last_name, active in (("Ахметова", True), ("Ахмедова", False)):
        SocialWorker.objects.create(employer=employer, last_name=last_name, first_name="Дана",
                                    qualification="higher", category="first",
                                    services=["home_care"], languages=["kk"], capacity=2,
                                    active=active)


def results(client: Client, words: str, language: str = "ru") -> str:
    response = client.get(f"/{language}/search/", {"q": words})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_it_finds_measures_by_words_in_any_case_and_by_number(found, client):
    for words in ("раннего вмешательства", "РАННЕГО ВМЕШАТЕЛЬСТВА", "Раннего"):
        assert 'href="/ru/plan/measures/16/"' in results(client, words), words
    by_number = results(client, "16")
    assert 'href="/ru/plan/measures/16/"' in by_number
    # The rows missing from the published text have nothing to find.
    assert 'href="/ru/plan/measures/5/"' not in results(client, "5")


@pytest.mark.django_db
def test_it_finds_places_workers_providers_and_regions(found, client):
    page = results(client, "вокзал")
    assert "Железнодорожный вокзал Алматы-2" in page and "/ru/access/facilities/" in page
    page = results(client, "ахметова")
    assert "Ахметова Дана" in page and "Ахмедова" not in page  # only workers in service
    assert "/kk/social-workers/" in results(client, "Шапағат", "kk")
    assert "/ru/care/" not in results(client, "Шапагат")  # not on the care register
    assert 'href="/en/regions/750000000/"' in results(client, "almaty", "en")


@pytest.mark.django_db
def test_text_kept_only_in_russian_is_marked_as_russian(found, client):
    page = results(client, "вокзал", "kk")
    assert 'lang="ru">Железнодорожный вокзал Алматы-2</a>' in page
    page = results(client, "вокзал", "ru")
    assert 'lang="ru">' not in page


@pytest.mark.django_db
def test_too_little_or_nothing_found_is_said_plainly(found, client):
    page = results(client, "а", "en")
    assert 'class="error-summary"' in page and "at least two letters" in page
    page = results(client, "абракадабра", "en")
    assert "Nothing is found for «абракадабра»" in page
    assert "Type what you are looking for." in results(client, "", "en")
    empty = client.get("/en/search/").content.decode()
    assert 'class="error-summary"' not in empty and 'type="search"' in empty
