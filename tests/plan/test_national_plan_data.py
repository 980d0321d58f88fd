"""The shipped plan, loaded as `make run` loads it, through the API and the pages."""

import pytest
from django.core.management import call_command

from tendik.plan.models import Direction, Measure


@pytest.fixture
def national_plan(reference):
    call_command("load_plan", stdout=None)


@pytest.mark.django_db
def test_the_api_returns_the_95_measures_82_with_content(national_plan, client):
    measures = client.get("/api/v1/plan/measures").json()
    assert [m["number"] for m in measures] == list(range(1, 96))
    assert sum(m["in_source"] for m in measures) == 82
    for m in measures[:13]:
        assert m["in_source"] is False and m["title"] is None and m["executors"] == []
    m48 = next(m for m in measures if m["number"] == 48)
    assert m48["executors"] == ["МНЭ", "МИО"]
    m94 = client.get("/api/v1/plan/measures/94").json()
    assert m94["targets"]["2019"] == {"value": 5.0, "unit": "%"}
    assert m94["targets"]["2024"] == {"value": 30.0, "unit": "%"}
    assert m94["funding"]["code"] == "003"


@pytest.mark.django_db
def test_every_measure_of_the_text_passes_the_models_rules(national_plan):
    for measure in Measure.objects.filter(in_source=True):
        measure.full_clean()
    assert Direction.objects.count() == 10
    assert Direction.objects.filter(in_source=False).count() == 2


@pytest.mark.django_db
def test_loading_twice_changes_nothing(national_plan, capsys):
    call_command("load_plan")
    out = capsys.readouterr().out
    assert "measures kept: 95" in out and "measures created" not in out


@pytest.mark.django_db
def test_the_measures_of_a_year_and_an_executor(national_plan, client):
    in_2020_mz = [m["number"] for m in client.get(
        "/api/v1/plan/measures", {"year": 2020, "executor": "МЗ"}).json()]
    assert 16 in in_2020_mz and 84 in in_2020_mz and 83 in in_2020_mz
    assert all(n >= 14 for n in in_2020_mz)
