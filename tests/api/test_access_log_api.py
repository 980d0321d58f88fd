"""Personal data read through the API is in the access log, as a page's reading is: which
persons, by which token (and so which organisation) or user, through which endpoint."""

from __future__ import annotations

import pytest

from tendik.core import services
from tendik.core.models import AccessRecord, ApiToken
from tests.portal.conftest import Market, make_person
from tests.portal.test_journey import place
from tests.portal.test_reimbursement import received


def bearer(market: Market) -> tuple[ApiToken, dict[str, str]]:
    issued = services.issue_api_token(market.supplier, "ERP", by=None)
    return issued.token, {"HTTP_AUTHORIZATION": f"Bearer {issued.raw_key}"}


def only_record(path: str) -> AccessRecord:
    records = AccessRecord.objects.filter(path=path)
    assert records.count() == 1, list(records.values("path", "object_ids"))
    return records.get()


def assert_names_the_token(record: AccessRecord, token: ApiToken) -> None:
    assert record.api_token == token and record.actor is None
    assert token.key_prefix in record.actor_repr
    assert token.organisation.code in record.actor_repr
    assert record.model == "people.person"


@pytest.mark.django_db
def test_it_logs_the_persons_whose_orders_a_supplier_token_lists(market: Market, client):
    first = place(market)
    other = make_person(market.almaty)  # no order: never shown, never logged
    token, auth = bearer(market)
    assert AccessRecord.objects.count() == 0
    listed = client.get("/api/v1/supplier/orders", **auth)
    assert listed.status_code == 200 and listed.json()[0]["address"]
    record = only_record("/api/v1/supplier/orders")
    assert_names_the_token(record, token)
    assert record.object_ids == [str(first.person_id)]
    assert str(other.pk) not in record.object_ids


@pytest.mark.django_db
def test_it_logs_one_order_read_and_moved_by_a_token(market: Market, client):
    order = place(market)
    token, auth = bearer(market)
    path = f"/api/v1/supplier/orders/{order.pk}"
    assert client.get(path, **auth).status_code == 200
    assert_names_the_token(only_record(path), token)
    assert only_record(path).object_ids == [str(order.person_id)]
    moved = client.post(f"{path}/moves", {"to": "accepted"},
                        content_type="application/json", **auth)
    assert moved.status_code == 200
    assert only_record(f"{path}/moves").object_ids == [str(order.person_id)]


@pytest.mark.django_db
def test_an_empty_answer_logs_nothing(market: Market, client):
    _token, auth = bearer(market)
    assert client.get("/api/v1/supplier/orders", **auth).json() == []
    assert not AccessRecord.objects.exists()


@pytest.mark.django_db
def test_it_logs_claims_read_by_a_token(market: Market, client):
    order = received(market)
    token, auth = bearer(market)
    claims = client.get("/api/v1/supplier/claims", **auth)
    assert claims.status_code == 200 and len(claims.json()) == 1
    assert_names_the_token(only_record("/api/v1/supplier/claims"), token)
    claim_id = claims.json()[0]["id"]
    assert client.get(f"/api/v1/supplier/claims/{claim_id}", **auth).status_code == 200
    record = only_record(f"/api/v1/supplier/claims/{claim_id}")
    assert record.object_ids == [str(order.person_id)]


@pytest.mark.django_db
def test_a_supplier_session_reading_orders_is_logged_under_the_user(market: Market,
                                                                   client_for):
    order = place(market)
    client = client_for(market.supplier_user)
    assert client.get("/api/v1/supplier/orders").status_code == 200
    record = only_record("/api/v1/supplier/orders")
    assert record.actor == market.supplier_user and record.api_token is None
    assert record.object_ids == [str(order.person_id)]


@pytest.mark.django_db
def test_a_representative_reading_entitlements_is_logged_the_person_themselves_is_not(
        market: Market, client_for):
    assert client_for(market.recipient).get("/api/v1/me/entitlements").status_code == 200
    assert not AccessRecord.objects.exists()
    response = client_for(market.representative).get("/api/v1/me/entitlements")
    assert [e["person"] for e in response.json()] == [market.person.pk]
    record = only_record("/api/v1/me/entitlements")
    assert record.actor == market.representative
    assert record.object_ids == [str(market.person.pk)]
