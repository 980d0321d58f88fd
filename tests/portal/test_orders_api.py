"""Orders through the API: a supplier's token works its own orders and offers only; a
recipient's retried POST makes one order."""

from __future__ import annotations

import pytest

from tendik.core import services
from tendik.core.models import Organisation
from tendik.portal.models import Order, OrderEvent
from tests.portal.conftest import Market
from tests.portal.test_journey import place


def bearer(organisation: Organisation) -> dict[str, str]:
    key = services.issue_api_token(organisation, "ERP", by=None).raw_key
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.mark.django_db
def test_a_supplier_token_works_its_orders(market: Market, client):
    order = place(market)
    auth = bearer(market.supplier)
    listed = client.get("/api/v1/supplier/orders", {"state": "placed"}, **auth).json()
    assert [o["number"] for o in listed] == [order.number]
    assert listed[0]["moves"] == ["accepted", "declined"]
    assert listed[0]["copayment"] == "15000.00"
    url = f"/api/v1/supplier/orders/{order.pk}/moves"
    for _attempt in range(2):  # a retry after a timeout
        response = client.post(url, {"to": "accepted"}, content_type="application/json",
                               **auth)
        assert response.status_code == 200 and response.json()["state"] == "accepted"
    assert OrderEvent.objects.filter(order=order, to_state="accepted").count() == 1
    refused = client.post(url, {"to": "received"}, content_type="application/json", **auth)
    assert refused.status_code == 422


@pytest.mark.django_db
def test_another_suppliers_order_does_not_exist_for_a_token(market: Market, client):
    order = place(market)
    other = Organisation.objects.create(code="SUP-OTHER", kind=Organisation.Kind.SUPPLIER,
                                        name_ru="Другой", name_kk="Басқа", name_en="Other")
    auth = bearer(other)
    assert client.get("/api/v1/supplier/orders", **auth).json() == []
    assert client.get(f"/api/v1/supplier/orders/{order.pk}", **auth).status_code == 404
    assert client.post(f"/api/v1/supplier/orders/{order.pk}/moves", {"to": "accepted"},
                       content_type="application/json", **auth).status_code == 404
    akimat = bearer(Organisation.objects.get(code="AKIMAT-750000000"))
    assert client.get("/api/v1/supplier/orders", **akimat).status_code == 403


@pytest.mark.django_db
def test_a_supplier_token_adds_and_changes_offers(market: Market, client):
    auth = bearer(market.supplier)
    created = client.post("/api/v1/supplier/offers", {
        "item": "MO-04-02", "title": "Crutch X", "price": "17000", "delivery": ["post"],
        "lead_time_days": 3}, content_type="application/json", **auth)
    assert created.status_code == 201, created.json()
    offer_id = created.json()["id"]
    bad = client.patch(f"/api/v1/supplier/offers/{offer_id}", {"delivery": ["drone"]},
                       content_type="application/json", **auth)
    assert bad.status_code == 422
    assert bad.json()["error"]["details"][0]["field"] == "delivery"
    changed = client.patch(f"/api/v1/supplier/offers/{offer_id}", {"price": "16500"},
                           content_type="application/json", **auth)
    assert changed.json()["price"] == "16500"
    assert market.supplier.offers.get(pk=offer_id).price == 16500


@pytest.mark.django_db
def test_posting_the_same_order_twice_through_the_api_creates_one(market: Market,
                                                                  client_for):
    client = client_for(market.recipient)
    entitlements = client.get("/api/v1/me/entitlements").json()
    assert [(e["item"], e["left"]) for e in entitlements] == [("MO-01-02", 1)]
    body = {"entitlement": market.entitlement.pk, "offer": market.offer.pk,
            "delivery": "home", "address": "с. Каскелен"}
    headers = {"HTTP_IDEMPOTENCY_KEY": "3f1c-retry"}
    first = client.post("/api/v1/me/orders", body, content_type="application/json",
                        **headers)
    second = client.post("/api/v1/me/orders", body, content_type="application/json",
                         **headers)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert Order.objects.count() == 1
    missing = client.post("/api/v1/me/orders", body, content_type="application/json")
    assert missing.status_code == 422


@pytest.mark.django_db
def test_the_public_suppliers_list_carries_the_rating(market: Market, client):
    from tendik.portal import journey
    from tests.portal.test_reimbursement import received

    journey.rate_supplier(received(market), 4, "", by=market.recipient)
    listed = client.get("/api/v1/suppliers", {"region": "750000000"}).json()
    assert (listed[0]["rating"], listed[0]["ratings"]) == (4.0, 1)
