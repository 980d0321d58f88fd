"""Language of parts (WCAG 3.1.2): stored content shown in a language other than the
page's carries `lang`, so that a screen reader reads a Russian-only name as Russian on a
Kazakh or English page, and does not when the content exists in the page's language."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tendik.access.models import Facility, FacilityType
from tendik.core.models import Region
from tendik.indicators.models import Indicator
from tests.conftest import ALMATY


def heading(html: str) -> str:
    match = re.search(r"<h1[^>]*>", html)
    assert match is not None
    return match.group(0)


@pytest.mark.django_db
def test_a_russian_only_name_is_marked_russian_on_kazakh_and_english_pages(reference):
    facility = Facility.objects.create(
        name_ru="Железнодорожный вокзал Алматы-2", address_ru="пр. Абылай хана, 1",
        region=Region.objects.get(kato=ALMATY), latitude=43.27, longitude=76.94,
        type=FacilityType.RAILWAY_STATION)
    client = Client()
    assert 'lang="ru"' not in heading(client.get(f"/ru/access/facilities/{facility.pk}/")
                                      .content.decode())
    for language in ("kk", "en"):
        page = client.get(f"/{language}/access/facilities/{facility.pk}/").content.decode()
        assert heading(page) == '<h1 lang="ru">', language
    facility.name_kk = "Алматы-2 теміржол вокзалы"
    facility.save()
    page = client.get(f"/kk/access/facilities/{facility.pk}/").content.decode()
    assert heading(page) == "<h1>"


@pytest.mark.django_db
def test_an_indicator_without_an_english_name_is_marked_russian_on_english_pages(reference):
    indicator = Indicator.objects.create(code="share", name_ru="Доля", name_kk="Үлес",
                                         unit="percent", kind="percent")
    client = Client()
    assert heading(client.get("/kk/indicators/share/").content.decode()) == "<h1>"
    assert heading(client.get("/en/indicators/share/").content.decode()) == '<h1 lang="ru">'
    indicator.name_en = "Share"
    indicator.save()
    assert heading(client.get("/en/indicators/share/").content.decode()) == "<h1>"
