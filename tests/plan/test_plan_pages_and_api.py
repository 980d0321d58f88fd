import csv
import io

import pytest

from tendik.core.models import Role


@pytest.mark.django_db
def test_the_api_returns_measures_under_the_data_file_names(small_plan, client):
    response = client.get("/api/v1/plan/measures")
    assert response.status_code == 200
    measures = response.json()
    assert [m["number"] for m in measures] == [1, 20, 21]
    m21 = measures[2]
    assert set(m21) == {"number", "in_source", "direction", "title", "completion_form",
                        "executors", "deadline", "cost", "funding", "targets"}
    assert m21["deadline"] == {"kind": "range", "start_year": 2020, "end_year": 2022,
                               "text": "2020–2022 годы"}
    assert m21["targets"]["2021"] == {"value": 10.0, "unit": "%"}
    assert m21["funding"] == {"code": "099", "name": "Программа"}
    assert measures[0]["title"] is None and measures[0]["in_source"] is False


@pytest.mark.django_db
@pytest.mark.parametrize("query,numbers", [
    ({"executor": "МИО"}, [20]), ({"executor": "МЗ"}, [21]),
    ({"executor": "AKIMAT-790000000"}, [20]), ({"executor": "NOPE"}, []),
    ({"direction": 3}, [20, 21]), ({"year": 2019}, [20]), ({"year": 2021}, [20, 21]),
])
def test_the_api_filters_measures(small_plan, client, query, numbers):
    found = [m["number"] for m in client.get("/api/v1/plan/measures", query).json()]
    assert found == numbers


@pytest.mark.django_db
def test_one_measure_and_a_missing_one(small_plan, client):
    assert client.get("/api/v1/plan/measures/20").json()["executors"] == ["МТСЗН", "МИО"]
    assert client.get("/api/v1/plan/measures/99").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_the_public_pages_show_the_plan(small_plan, client, language):
    page = client.get(f"/{language}/plan/")
    assert page.status_code == 200
    assert "Мониторинг трудоустройства лиц с инвалидностью" in page.content.decode()
    detail = client.get(f"/{language}/plan/measures/21/").content.decode()
    assert "2020–2022" in detail and "099" in detail
    assert client.get(f"/{language}/plan/measures/77/").status_code == 404


@pytest.mark.django_db
def test_the_overview_filters_and_offers_open_data(small_plan, client):
    page = client.get("/ru/plan/", {"executor": "МЗ"})
    assert [m.number for m in page.context["measures"]] == [21]
    response = client.get("/ru/plan/measures.csv", {"executor": "МЗ"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r["id"] for r in rows] == ["np-2019-326/21"]
    assert rows[0]["executors"] == "МЗ"
    data = client.get("/ru/plan/measures.json").json()
    assert data["plan"] == "np-2019-326" and len(data["measures"]) == 3


@pytest.mark.django_db
def test_a_bad_filter_value_is_reported_not_ignored(small_plan, client):
    page = client.get("/ru/plan/", {"year": "1990"})
    assert page.context["form"].errors["year"]
    assert "error-summary" in page.content.decode()


@pytest.fixture
def assessed(small_plan, make_user):
    from tendik.plan import consolidation, reporting
    from tendik.plan.models import ExecutorReport, Measure, Plan

    analyst = make_user(Role.ANALYST, "МТСЗН", username="analyst")
    mz = make_user(Role.AGENCY_EXECUTOR, "МЗ", username="mz")
    cycle = reporting.open_cycle(Plan.objects.get(), 2021, by=analyst)
    report = ExecutorReport.objects.get(cycle=cycle, organisation__code="МЗ")
    reporting.save_report(report, {"status": "completed", "narrative_ru": "Приказ № 7 принят.",
                                   "act_kind": "order", "act_number": "7",
                                   "act_date": "2021-05-05"}, by=mz)
    reporting.submit_report(report, by=mz)
    reporting.accept_report(report, by=analyst)
    draft = ExecutorReport.objects.get(cycle=cycle, organisation__code="МТСЗН")
    reporting.save_report(draft, {"narrative_ru": "Черновик, не для публикации."},
                          by=make_user(Role.AGENCY_EXECUTOR, "МТСЗН", username="mt"))
    consolidation.assess_measure(cycle, Measure.objects.get(number=21), status="completed",
                                 text_ru="Исполнено: приказ МЗ № 7.", text_kk="", by=analyst)
    return cycle


@pytest.mark.django_db
def test_the_overview_counts_statuses_by_year(assessed, client):
    page = client.get("/ru/plan/")
    (row,) = page.context["status_rows"]
    assert row["year"] == 2021 and row["active"] == 2
    assert row["counts"][0] == 1 and row["not_assessed"] == 1


@pytest.mark.django_db
@pytest.mark.parametrize("query,numbers", [
    ({"year": 2021, "status": "completed"}, [21]),
    ({"year": 2021, "status": "not_assessed"}, [20]),
    ({"year": 2021, "status": "in_progress"}, []),
    ({"region": "750000000"}, [20]),
])
def test_the_overview_filters_by_status_and_region(assessed, client, query, numbers):
    page = client.get("/ru/plan/", query)
    assert [m.number for m in page.context["measures"]] == numbers


@pytest.mark.django_db
def test_a_status_without_a_year_is_an_error(assessed, client):
    page = client.get("/ru/plan/", {"status": "completed"})
    assert page.context["form"].errors["year"]


@pytest.mark.django_db
def test_a_measure_page_publishes_only_accepted_reports(assessed, client):
    body = client.get("/ru/plan/measures/21/").content.decode()
    assert "Исполнено: приказ МЗ № 7." in body and "Приказ № 7 принят." in body
    other = client.get("/ru/plan/measures/20/").content.decode()
    assert "Черновик, не для публикации." not in other


@pytest.mark.django_db
def test_the_api_filters_by_status_in_a_year(assessed, client):
    found = client.get("/api/v1/plan/measures", {"year": 2021, "status": "completed"}).json()
    assert [m["number"] for m in found] == [21]
    response = client.get("/api/v1/plan/measures", {"status": "completed"},
                          HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "year"


@pytest.mark.django_db
def test_the_directions_show_statuses_of_the_latest_year(assessed, client):
    page = client.get("/ru/plan/")
    assert page.context["status_year"] == 2021
    (direction,) = [d for d in page.context["directions"] if d.number == 3]
    assert direction.active_count == 2
    assert direction.status_counts[0] == 1 and direction.not_assessed == 1
