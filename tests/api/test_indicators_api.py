import pytest
from django.core.management import call_command

from tendik.plan.services import load_national_plan


@pytest.fixture
def loaded(reference):
    load_national_plan()
    call_command("load_indicators", stdout=None)


@pytest.mark.django_db
def test_the_indicators_with_their_progress(loaded, client):
    indicators = client.get("/api/v1/indicators").json()
    assert len(indicators) == 48  # 32 of the plan and the 16 series 8 of them are made of
    schools = next(i for i in indicators if i["code"] == "schools-with-sen-conditions")
    assert (schools["numerator"], schools["denominator"]) == (
        "schools-with-sen-conditions-count", "schools-total")
    assert schools["crpd_articles"] == [9, 24] and schools["area"] == 4
    assert schools["name"]["kk"] and schools["definition"]["en"]
    rate = next(i for i in indicators if i["code"] == "primary-disability-rate")
    assert rate["unit"] == "per_10000" and rate["desired"] == "down"
    assert rate["progress"] == "deterioration"
    assert next(i for i in indicators if i["code"] == "measure-94-publications")[
        "measures"] == [94]
    assert client.get("/api/v1/indicators", {"region": "123"}).status_code == 404


@pytest.mark.django_db
def test_one_indicator_with_targets_and_filtered_observations(loaded, client):
    detail = client.get("/api/v1/indicators/primary-disability-rate").json()
    assert [(o["year"], o["value"]) for o in detail["observations"]] == [
        (2015, 28.5), (2016, 29.4), (2017, 28.9), (2018, 29.2)]
    assert detail["targets"][0]["year"] == 2025 and detail["targets"][0]["value"] == 28
    assert "28 %" in detail["targets"][0]["source_text"]
    only = client.get("/api/v1/indicators/primary-disability-rate", {"year": 2017}).json()
    assert [o["year"] for o in only["observations"]] == [2017]
    assert client.get("/api/v1/indicators/nope").status_code == 404
