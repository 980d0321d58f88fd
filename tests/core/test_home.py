"""The home page says what the platform holds: every figure is counted from the database
when the page is shown, and every part that works is linked."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.test import Client
from django.utils import timezone

from tendik.access.models import Facility, FacilityType, Passport
from tendik.cases.models import Rule
from tendik.cases.rules import RULES, load_rules
from tendik.core.models import Organisation, Region
from tendik.plan.models import Measure
from tendik.plan.services import load_national_plan
from tendik.portal.models import Accreditation
from tendik.workforce.models import Certificate, SocialWorker
from tests.conftest import ALMATY


def figures(client: Client) -> dict[str, int]:
    """The home page's figures by their English label."""
    body = client.get("/en/").content.decode()
    pairs = re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", body)
    return {html.unescape(label): int(re.sub(r"\D", "", value)) for label, value in pairs}


@pytest.fixture
def almaty(reference) -> Region:
    return Region.objects.get(kato=ALMATY)


@pytest.mark.django_db
def test_the_plan_counts_its_measures_with_text_and_says_which_rows_are_missing(reference,
                                                                               client):
    load_national_plan()
    shown = figures(client)
    with_text = Measure.objects.exclude(title_ru="").count()
    assert shown["Directions of the plan"] == 10
    assert shown["Measures with their text"] == with_text < Measure.objects.count()
    missing = Measure.objects.count() - with_text
    assert f"{missing} rows of the decree" in client.get("/en/").content.decode()
    # An analyst enters a missing row from the official act: it counts from then on.
    Measure.objects.filter(title_ru="").order_by("number").update(
        title_ru="Мероприятие из официального текста")
    assert figures(client)["Measures with their text"] == Measure.objects.count()
    assert "rows of the decree" not in client.get("/en/").content.decode()


@pytest.mark.django_db
def test_the_indicators_are_counted_as_their_dashboard_shows_them(reference, client):
    from django.core.management import call_command

    from tendik.indicators.models import Indicator
    from tendik.indicators.views import headline_indicators

    load_national_plan()
    call_command("load_indicators", verbosity=0)
    shown = figures(client)["Indicators of the plan"]
    # The count series that shares are computed from are not indicators of their own.
    assert shown == headline_indicators().count() < Indicator.objects.count()
    body = client.get("/en/indicators/").content.decode()
    assert all(f'href="/en/indicators/{code}/"' in body
               for code in headline_indicators().values_list("code", flat=True))


@pytest.mark.django_db
def test_the_figures_follow_the_data(almaty, client):
    before = figures(client)
    today = timezone.localdate()
    station = Facility.objects.create(name_ru="Вокзал Алматы-1", address_ru="ул. Вокзальная",
                                      region=almaty, latitude=43.34, longitude=76.95,
                                      type=FacilityType.RAILWAY_STATION)
    Facility.objects.create(name_ru="Автостанция", address_ru="ул. Райымбека", region=almaty,
                            latitude=43.26, longitude=76.90, type=FacilityType.BUS_STATION)
    Passport.objects.create(facility=station, version=1, state=Passport.State.APPROVED,
                            commission=Organisation.objects.get(code=f"AKIMAT-{ALMATY}"),
                            surveyed_on=today)
    supplier = Organisation.objects.create(code="SUP-1", kind=Organisation.Kind.SUPPLIER,
                                           name_ru="ТОО «Опора»", name_kk="«Опора» ЖШС",
                                           name_en="Opora LLP", region=almaty)
    Accreditation.objects.create(supplier=supplier, region=almaty, decision="№ 1",
                                 valid_from=today - dt.timedelta(days=10),
                                 valid_to=today + dt.timedelta(days=10))
    provider = Organisation.objects.create(code="PROV-1", region=almaty,
                                           kind=Organisation.Kind.SERVICE_PROVIDER,
                                           name_ru="Центр", name_kk="Орталық", name_en="Centre")
    certified, _uncertified = (
        SocialWorker.objects.create(employer=provider, last_name=name, first_name="Дана",
                                    qualification="higher", category="first",
                                    services=["home_care"], languages=["kk"], capacity=2)
        for name in ("Первая", "Вторая"))
    Certificate.objects.create(worker=certified, number="С-1", assessor="Центр оценки",
                               issued_on=today - dt.timedelta(days=1),
                               expires_on=today + dt.timedelta(days=300))
    load_rules()
    Rule.objects.filter(code=RULES[0].code).update(enabled=False)

    after = figures(client)
    assert after["Facilities on the map"] == before["Facilities on the map"] + 2
    assert after["With an approved accessibility passport"] == \
        before["With an approved accessibility passport"] + 1
    assert after["Accredited suppliers"] == before["Accredited suppliers"] + 1
    assert after["Social workers in the registry"] == before["Social workers in the registry"] + 2
    assert after["Certified today"] == before["Certified today"] + 1
    assert after["Proactive rules in force"] == before["Proactive rules in force"] - 1 \
        == len(RULES) - 1
    assert after["Regions"] == 20


@pytest.mark.django_db
def test_every_part_is_linked_and_none_is_in_preparation(reference, client):
    load_national_plan()
    body = client.get("/en/").content.decode()
    assert "In preparation" not in body and "status-tag" not in body
    for path in ("/en/plan/", "/en/indicators/", "/en/access/", "/en/portal/provision/",
                 "/en/care/", "/en/social-workers/", "/en/cases/needs/", "/en/regions/",
                 "/en/organisations/"):
        assert f'href="{path}"' in body, path
        assert client.get(path).status_code == 200, path
