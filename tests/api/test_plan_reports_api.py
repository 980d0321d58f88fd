import pytest

from tendik.core import services
from tendik.core.models import Organisation, Role
from tendik.plan import reporting
from tendik.plan.models import ExecutorReport, Plan, ReportTransition
from tendik.plan.services import NATIONAL_PLAN_CODE


@pytest.fixture
def cycle(small_plan, make_user):
    analyst = make_user(Role.ANALYST, "МТСЗН", username="analyst")
    return reporting.open_cycle(Plan.objects.get(code=NATIONAL_PLAN_CODE), 2021, by=analyst)


def token_for(code: str) -> str:
    return services.issue_api_token(Organisation.objects.get(code=code), "ИС", by=None).raw_key


def bearer(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.mark.django_db
def test_a_token_sees_only_its_organisations_reports(cycle, client):
    mz = client.get("/api/v1/plan/reports", **bearer(token_for("МЗ"))).json()
    assert [(r["measure"], r["executor"]) for r in mz] == [(21, "МЗ")]
    almaty = client.get("/api/v1/plan/reports", {"year": 2021},
                        **bearer(token_for("AKIMAT-750000000"))).json()
    assert [r["executor"] for r in almaty] == ["AKIMAT-750000000"]
    assert client.get("/api/v1/plan/reports").status_code == 401


@pytest.mark.django_db
def test_a_token_fills_and_submits_its_report(cycle, client):
    key = token_for("МЗ")
    report = ExecutorReport.objects.get(organisation__code="МЗ")
    response = client.patch(f"/api/v1/plan/reports/{report.pk}", {
        "status": "completed", "narrative_ru": "Приказ утверждён.", "act_kind": "order",
        "act_number": "45", "act_date": "2021-09-01", "target_values": {"2021": 9.0},
    }, content_type="application/json", **bearer(key))
    assert response.status_code == 200, response.json()
    assert response.json()["target_values"] == {"2021": 9.0}
    response = client.post(f"/api/v1/plan/reports/{report.pk}/submit", **bearer(key))
    assert response.status_code == 200 and response.json()["state"] == "submitted"
    transition = ReportTransition.objects.get(report=report)
    assert transition.by is None and transition.api_token.organisation.code == "МЗ"


@pytest.mark.django_db
def test_another_organisations_report_is_not_found(cycle, client):
    report = ExecutorReport.objects.get(organisation__code="МЗ")
    key = token_for("МП")
    assert client.get(f"/api/v1/plan/reports/{report.pk}", **bearer(key)).status_code == 404
    response = client.patch(f"/api/v1/plan/reports/{report.pk}", {"narrative_ru": "x"},
                            content_type="application/json", **bearer(key))
    assert response.status_code == 404
    assert ExecutorReport.objects.get(pk=report.pk).narrative_ru == ""


@pytest.mark.django_db
def test_an_incomplete_submission_gets_field_errors(cycle, client):
    report = ExecutorReport.objects.get(organisation__code="МЗ")
    response = client.post(f"/api/v1/plan/reports/{report.pk}/submit",
                           **bearer(token_for("МЗ")), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    error = response.json()["error"]
    assert {d["field"] for d in error["details"]} == {"status", "narrative_ru"}


@pytest.mark.django_db
def test_the_session_of_an_executor_works_and_stays_in_scope(cycle, make_user, client_for):
    official = make_user(Role.AKIMAT_OFFICIAL, "AKIMAT-710000000", username="astana")
    client = client_for(official)
    reports = client.get("/api/v1/plan/reports").json()
    assert [r["executor"] for r in reports] == ["AKIMAT-710000000"]
    other = ExecutorReport.objects.get(organisation__code="AKIMAT-750000000")
    assert client.get(f"/api/v1/plan/reports/{other.pk}").status_code == 404


@pytest.mark.django_db
def test_a_national_viewer_reads_but_cannot_write(cycle, make_user, client_for):
    analyst_client = client_for(make_user(Role.ANALYST, "МТСЗН", username="analyst2"))
    assert len(analyst_client.get("/api/v1/plan/reports").json()) == 22
    report = ExecutorReport.objects.get(organisation__code="МЗ")
    response = analyst_client.patch(f"/api/v1/plan/reports/{report.pk}",
                                    {"narrative_ru": "x"}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


@pytest.fixture
def quota_indicator(small_plan):
    from tendik.indicators.models import Indicator
    from tendik.plan.models import Measure

    indicator = Indicator.objects.create(code="quota-places", name_ru="Места по квоте",
                                         unit="percent", kind="percent")
    indicator.measures.add(Measure.objects.get(number=20))
    return indicator


@pytest.mark.django_db
def test_a_token_gives_indicator_figures_all_or_nothing(quota_indicator, cycle, client):
    from tendik.indicators.models import ReportedValue

    key = token_for("AKIMAT-750000000")
    report = ExecutorReport.objects.get(organisation__code="AKIMAT-750000000",
                                        measure__number=20)
    url = f"/api/v1/plan/reports/{report.pk}/figures"
    asked = client.get(url, **bearer(key)).json()
    assert asked == [{"indicator": "quota-places", "name": "Места по квоте",
                      "unit": "percent", "region": "750000000", "value": None,
                      "numerator": None, "denominator": None, "comment": ""}]
    refused = client.put(url, [{"indicator": "quota-places", "value": 140}],
                         content_type="application/json", **bearer(key))
    assert refused.status_code == 422
    assert refused.json()["error"]["details"][0]["field"] == "0.value"
    unknown = client.put(url, [{"indicator": "schools", "value": 1}],
                         content_type="application/json", **bearer(key))
    assert unknown.status_code == 422 and not ReportedValue.objects.exists()
    saved = client.put(url, [{"indicator": "quota-places", "numerator": 3, "denominator": 8}],
                       content_type="application/json", **bearer(key))
    assert saved.status_code == 200
    assert float(saved.json()[0]["value"]) == 37.5
    other = client.put(url, [{"indicator": "quota-places", "value": 1}],
                       content_type="application/json", **bearer(token_for("МЗ")))
    assert other.status_code == 404
    assert ReportedValue.objects.get().value == 37.5


@pytest.mark.django_db
def test_null_target_values_clear_them(cycle, client):
    key = token_for("МЗ")
    report = ExecutorReport.objects.get(organisation__code="МЗ")
    url = f"/api/v1/plan/reports/{report.pk}"
    client.patch(url, {"target_values": {"2021": 9.0}}, content_type="application/json",
                 **bearer(key))
    response = client.patch(url, {"target_values": None}, content_type="application/json",
                            **bearer(key))
    assert response.status_code == 200, response.json()
    assert response.json()["target_values"] == {}
    assert ExecutorReport.objects.get(pk=report.pk).target_values == {}
