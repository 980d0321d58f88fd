"""The order form asks in GOV.UK's way: the quantity in a text box with a numeric
keyboard and a message that gives the range, the address with its autocomplete."""

from __future__ import annotations

import pytest

from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


def order_page(client, market) -> str:
    return (f"/ru/portal/entitlements/{market.entitlement.pk}/offers/{market.offer.pk}"
            "/order/")


def test_the_quantity_is_a_numeric_text_box_and_the_address_autocompletes(client, market):
    html = sign_in(client, market.recipient).get(order_page(client, market)).content.decode()
    assert 'type="number"' not in html
    assert 'name="quantity"' in html and 'inputmode="numeric"' in html
    assert 'autocomplete="street-address"' in html


@pytest.mark.parametrize("typed", ["", "0", "99", "два"])
def test_a_wrong_quantity_says_the_range(client, market, typed):
    left = market.entitlement.quantity
    response = sign_in(client, market.recipient).post(order_page(client, market), {
        "quantity": typed, "delivery": market.offer.delivery[0], "address": "Алматы",
        "key": "k" * 32})
    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="#id_quantity">Укажите количество от 1 до {left}.</a>' in html
