"""A supplier's claims and payments, on its page and through its API: state, checks in
words, approvals, payment, totals per month; only its own, page by page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tendik.core.models import Organisation, Role
from tendik.people.iin import make_bin
from tendik.portal import claims, reimbursement, supplier_views
from tendik.portal.models import Payment, Reason, Reimbursement
from tests.factories import UserFactory
from tests.portal.conftest import Market, entitle
from tests.portal.test_orders_api import bearer
from tests.portal.test_reimbursement import received

Stage = Reimbursement.State


def paid(market: Market) -> Reimbursement:
    claim = received(market).reimbursement
    claim = reimbursement.approve(claim, Stage.ACCOUNTANT, by=market.accountant)
    return reimbursement.approve(claim, Stage.HEAD, by=market.head)


def another_supplier() -> tuple[Organisation, object]:
    other = Organisation.objects.create(
        code="SUP-OTHER", kind=Organisation.Kind.SUPPLIER, name_ru="ТОО «Другой»",
        bin=make_bin(2019, 5, 4, 12))
    return other, UserFactory(role=Role.SUPPLIER, organisation=other, username="other")


@pytest.mark.django_db
def test_the_supplier_sees_its_claims_with_checks_approvals_and_payments(market: Market,
                                                                        client_for):
    first = paid(market)
    second = received(market, entitle(market.person, market.wheelchair, version=2))
    page = client_for(market.supplier_user).get("/ru/portal/supplier/claims/")
    assert page.status_code == 200
    listed = list(page.context["page"])
    assert listed == [second.reimbursement, first]
    body = page.content.decode()
    payment = Payment.objects.get()
    amount = f"{int(payment.amount):,}".replace(",", "\u00a0")
    assert first.order.number in body and second.number in body
    assert f"{amount}\u00a0₸, {timezone.localtime(payment.paid_at):%d.%m.%Y}" in body
    assert f"бухгалтер: {timezone.localtime(first.accountant_at):%d.%m.%Y}" in body
    assert "отклонено проверкой правил" in body
    for code in Reason.values:
        assert code not in body
    # The month's totals: two claims, one rejected, one payment.
    year = page.context["months"]
    assert [(m.claims, m.rejected, m.payments) for m in year.months] == [(2, 1, 1)]
    assert year.total.paid == payment.amount == year.total.approved
    assert year.total.claimed == first.claimed + second.reimbursement.claimed
    detail = client_for(market.supplier_user).get(
        f"/ru/portal/supplier/claims/{first.pk}/")
    assert detail.status_code == 200 and payment.reference in detail.content.decode()


@pytest.mark.django_db
def test_the_claims_page_by_page_and_by_filters(market: Market, client_for, monkeypatch):
    first = paid(market)
    second = received(market, entitle(market.person, market.wheelchair, version=2))
    monkeypatch.setattr(supplier_views, "CLAIMS_PER_PAGE", 1)
    supplier = client_for(market.supplier_user)
    pages = [list(supplier.get("/ru/portal/supplier/claims/", {"page": n}).context["page"])
             for n in (1, 2)]
    assert pages == [[second.reimbursement], [first]]
    only_paid = supplier.get("/ru/portal/supplier/claims/", {"state": "paid"})
    assert list(only_paid.context["page"]) == [first]
    by_number = supplier.get("/ru/portal/supplier/claims/", {"q": first.order.number})
    assert list(by_number.context["page"]) == [first]
    last_year = timezone.localdate().year - 1
    assert not claims.of_supplier(market.supplier, year=last_year).exists()
    assert claims.by_month(market.supplier, last_year).months == []


@pytest.mark.django_db
def test_another_supplier_sees_none_of_them(market: Market, client_for, client):
    claim = paid(market)
    other, other_user = another_supplier()
    page = client_for(other_user).get("/ru/portal/supplier/claims/")
    assert list(page.context["page"]) == []
    assert page.context["months"].months == []
    assert claim.order.number not in page.content.decode()
    assert client_for(other_user).get(
        f"/ru/portal/supplier/claims/{claim.pk}/").status_code == 404
    auth = bearer(other)
    assert client.get("/api/v1/supplier/claims", **auth).json() == []
    assert client.get(f"/api/v1/supplier/claims/{claim.pk}", **auth).status_code == 404
    months = client.get("/api/v1/supplier/claims/months", **auth).json()
    assert months["months"] == [] and months["total"]["paid"] == "0"
    # Nor do the recipient or the akimat have the supplier's page.
    assert client_for(market.recipient).get("/ru/portal/supplier/claims/").status_code \
        == 404
    assert client_for(market.accountant).get("/ru/portal/supplier/claims/").status_code \
        == 404


@pytest.mark.django_db
def test_the_api_gives_codes_for_machines_and_words_for_people(market: Market, client):
    claim = paid(market)
    auth = bearer(market.supplier)
    listed = client.get("/api/v1/supplier/claims", {"state": "paid"}, **auth).json()
    assert [c["order_number"] for c in listed] == [claim.order.number]
    found = listed[0]
    assert found["state"] == "paid" and found["state_name"]["ru"] == "оплачено"
    cap = next(c for c in found["checks"] if c["code"] == Reason.CAP)
    assert cap["outcome"] == "noted" and not cap["blocking"]
    assert cap["name"] == {"ru": "Цена в пределах предельной цены",
                           "kk": "Баға шекті баға шегінде", "en": "Price within the cap"}
    assert cap["text"]["en"].startswith("The price ") and "₸" in cap["text"]["kk"]
    assert cap["facts"]["cap"] == str(market.cap.amount)
    assert found["accountant"]["by"] == market.accountant.get_full_name()
    assert found["payment"]["amount"] == f"{claim.approved_amount:.2f}"
    assert found["rejection"] is None
    one = client.get(f"/api/v1/supplier/claims/{claim.pk}", **auth).json()
    assert one["id"] == claim.pk
    months = client.get("/api/v1/supplier/claims/months", **auth).json()
    this_month = timezone.localdate().strftime("%Y-%m")
    assert [m["month"] for m in months["months"]] == [this_month]
    assert Decimal(months["total"]["paid"]) == claim.approved_amount
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert "REPL-TERM" in schema["CheckOut"]["properties"]["code"]["description"]


@pytest.mark.django_db
def test_a_rejection_through_the_api_says_who_and_why(market: Market, client):
    claim = reimbursement.reject(received(market).reimbursement, "Нет счёта",
                                 by=market.accountant)
    found = client.get("/api/v1/supplier/claims", **bearer(market.supplier)).json()[0]
    assert found["rejection"]["by"] == market.accountant.get_full_name()
    assert found["rejection"]["role"]["en"] == "accountant"
    assert found["rejection"]["comment"] == "Нет счёта" and not found["rejection"]["by_rules"]
    at = dt.datetime.fromisoformat(found["rejection"]["at"])
    assert abs(at - claim.rejected_at) < dt.timedelta(milliseconds=1)  # JSON keeps ms
