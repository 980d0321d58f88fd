"""Input the API cannot take is answered 400, 413 or 422 with a message that says what
and where, never a server error: NUL characters (which PostgreSQL refuses), bodies over
the API's limit, pages out of range, years no date can be made of.

Run on PostgreSQL too (DATABASE_URL=postgres://…): that is where NULs failed."""

from __future__ import annotations

import json

import pytest

from tendik.api.inputs import MAX_BODY_BYTES
from tendik.core import services
from tendik.plan.models import ExecutorReport
from tendik.portal.models import Offer
from tests.api.test_plan_reports_api import cycle  # noqa: F401
from tests.portal.conftest import Market
from tests.portal.test_journey import place


def bearer(organisation) -> dict[str, str]:
    key = services.issue_api_token(organisation, "ERP", by=None).raw_key
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def refused(response, status: int, field: str | None = None) -> dict:
    assert response.status_code == status, response.content
    body = response.json()["error"]
    assert body["status"] == status and body["message"]
    if field is not None:
        assert field in [d["field"] for d in body["details"]], body
        assert all(d["message"] for d in body["details"])
    return body


@pytest.mark.django_db
def test_a_nul_in_a_json_body_is_refused_by_field(market: Market, client):
    auth = bearer(market.supplier)
    url = f"/api/v1/supplier/offers/{market.offer.pk}"
    body = refused(client.patch(url, {"title": "Ortonica\u0000Base"},
                                content_type="application/json", HTTP_ACCEPT_LANGUAGE="en",
                                **auth), 422, "title")
    assert "NUL" in body["details"][0]["message"]
    nested = client.patch(url, {"delivery": ["home", "pick\u0000up"]},
                          content_type="application/json", **auth)
    refused(nested, 422, "delivery.1")
    # A lone surrogate is no Unicode either; the database cannot keep it.
    raw = b'{"title": "\\ud800"}'
    refused(client.generic("PATCH", url, raw, content_type="application/json", **auth),
            422, "title")
    assert Offer.objects.get(pk=market.offer.pk).title == "Ortonica Base"


@pytest.mark.django_db
def test_a_nul_in_a_json_key_or_a_report_is_refused(cycle, client):  # noqa: F811
    from tendik.core.models import Organisation

    report = ExecutorReport.objects.get(organisation__code="МЗ")
    auth = bearer(Organisation.objects.get(code="МЗ"))
    url = f"/api/v1/plan/reports/{report.pk}"
    refused(client.patch(url, {"target_values": {"20\u000021": 1.0}},
                         content_type="application/json", **auth), 422,
            "target_values.20\u000021")
    refused(client.patch(url, {"narrative_ru": "\u0000"},
                         content_type="application/json", **auth), 422, "narrative_ru")
    refused(client.put(f"{url}/figures", [{"indicator": "x", "comment": "\u0000"}],
                       content_type="application/json", **auth), 422, "0.comment")
    assert ExecutorReport.objects.get(pk=report.pk).narrative_ru == ""


@pytest.mark.django_db
def test_a_nul_in_the_path_or_the_query_is_refused(reference, client):
    refused(client.get("/api/v1/regions/75%000000"), 422, "kato")
    refused(client.get("/api/v1/organisations", {"region": "75\u00000"}), 422, "region")
    refused(client.get("/api/v1/indicators", {"region\u0000": "1"}), 422)
    refused(client.get("/api/v1/facilities", {"q": "\u0000"}), 422, "q")


@pytest.mark.django_db
def test_a_body_over_the_limit_is_refused_before_anything_else(market: Market, client,
                                                              client_for):
    big = json.dumps({"title": "x" * (3 * 1024 * 1024)})
    assert len(big) > MAX_BODY_BYTES
    url = f"/api/v1/supplier/offers/{market.offer.pk}"
    body = refused(client.patch(url, big, content_type="application/json",
                                HTTP_ACCEPT_LANGUAGE="en", **bearer(market.supplier)), 413)
    assert "too large" in body["message"] and "1 MB" in body["message"]
    refused(client.post("/api/v1/me/orders", big, content_type="application/json"), 413)
    session = client_for(market.recipient)
    refused(session.post("/api/v1/me/orders", big, content_type="application/json",
                         HTTP_IDEMPOTENCY_KEY="k"), 413)
    # Just under the limit is the endpoint's to judge.
    fits = json.dumps({"specifications": "x" * (MAX_BODY_BYTES - 100)})
    assert client.patch(url, fits, content_type="application/json",
                        **bearer(market.supplier)).status_code in (200, 422)


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "field"), [
    ({"offset": -1}, "offset"), ({"limit": 0}, "limit"), ({"limit": 501}, "limit"),
    ({"offset": 10**20}, "offset"), ({"limit": 10**20}, "limit"),
])
def test_pages_out_of_range_are_refused(market: Market, client, query, field):
    place(market)
    auth = bearer(market.supplier)
    for path in ("/api/v1/supplier/orders", "/api/v1/supplier/claims"):
        body = refused(client.get(path, query, **auth), 422, field)
        assert body["code"] == "invalid"
    assert len(client.get("/api/v1/supplier/orders", {"offset": 0, "limit": 500},
                          **auth).json()) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("year", [-1, 0, 1, 1999, 2101, 99999, 10**20])
def test_years_out_of_range_are_refused(market: Market, cycle, client, year):  # noqa: F811
    from tendik.core.models import Organisation

    supplier = bearer(market.supplier)
    refused(client.get("/api/v1/supplier/claims/months", {"year": year}, **supplier), 422,
            "year")
    refused(client.get("/api/v1/supplier/claims", {"year": year}, **supplier), 422, "year")
    refused(client.get("/api/v1/plan/measures", {"year": year}), 422, "year")
    refused(client.get("/api/v1/plan/reports", {"year": year},
                       **bearer(Organisation.objects.get(code="МЗ"))), 422, "year")


@pytest.mark.django_db
def test_a_year_in_range_is_answered(market: Market, client):
    auth = bearer(market.supplier)
    months = client.get("/api/v1/supplier/claims/months", {"year": 2030}, **auth)
    assert months.status_code == 200 and months.json()["year"] == 2030


@pytest.mark.django_db
def test_an_order_too_long_for_the_database_is_refused(market: Market, client_for):
    client = client_for(market.recipient)
    body = {"entitlement": market.entitlement.pk, "offer": market.offer.pk,
            "delivery": "home", "address": "x" * 301}
    refused(client.post("/api/v1/me/orders", body, content_type="application/json",
                        HTTP_IDEMPOTENCY_KEY="k1"), 422, "address")
    body["address"] = "ул. Абая, 10"
    refused(client.post("/api/v1/me/orders", body, content_type="application/json",
                        HTTP_IDEMPOTENCY_KEY="k" * 65), 422)
