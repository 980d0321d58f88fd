"""Suppliers: BIN, accreditation by region and period, offers, co-payment; ИПР
entitlements; the public suppliers API."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from tendik.core.models import Organisation, Region
from tendik.people.iin import check_bin, make_bin, make_iin
from tendik.people.models import Person
from tendik.portal.models import (
    Accreditation,
    CatalogueItem,
    Entitlement,
    Ipr,
    Offer,
    cap_for,
    is_accredited,
)
from tendik.portal.services import load_classifier
from tests.conftest import ALMATY, ASTANA

TODAY = timezone.localdate()


@pytest.fixture
def market(reference):
    load_classifier()
    supplier = Organisation.objects.create(
        code="SUP-ORTHO", kind=Organisation.Kind.SUPPLIER, name_ru="ТОО «Орто»",
        name_kk="«Орто» ЖШС", name_en="Orto LLP", bin=make_bin(2018, 2, 4, 77),
        region=Region.objects.get(kato=ALMATY))
    Accreditation.objects.create(supplier=supplier, region=Region.objects.get(kato=ALMATY),
                                 valid_from=TODAY - dt.timedelta(days=30),
                                 valid_to=TODAY + dt.timedelta(days=300),
                                 decision="Решение № 12")
    wheelchair = CatalogueItem.objects.filter(group__code="MO", needs_fitting=True).first()
    cap = cap_for(wheelchair, None, TODAY)
    offer = Offer.objects.create(supplier=supplier, item=wheelchair, title="Ortonica Base",
                                 price=cap.amount + 15000, delivery=["home"],
                                 lead_time_days=10, fitting=True)
    return {"supplier": supplier, "item": wheelchair, "offer": offer, "cap": cap}


def test_a_bin_is_checked_like_an_iin():
    check_bin(make_bin(2020, 11, 4, 5))
    for wrong, code in (("12345", "format"), ("201340000015", "month"),
                        ("201170000015", "kind")):
        with pytest.raises(ValidationError) as invalid:
            check_bin(wrong)
        assert invalid.value.code == code


@pytest.mark.django_db
def test_accreditation_covers_a_region_and_a_period(market):
    supplier = market["supplier"]
    almaty, astana = (Region.objects.get(kato=k) for k in (ALMATY, ASTANA))
    assert is_accredited(supplier, almaty, TODAY)
    assert not is_accredited(supplier, astana, TODAY)
    assert not is_accredited(supplier, almaty, TODAY + dt.timedelta(days=400))
    supplier.bin = "180240012345"  # a typing error
    supplier.save()
    bad = Accreditation(supplier=supplier, region=astana, valid_from=TODAY,
                        valid_to=TODAY - dt.timedelta(days=1), decision="x")
    with pytest.raises(ValidationError) as invalid:
        bad.full_clean()
    assert set(invalid.value.message_dict) == {"supplier", "valid_to"}


@pytest.mark.django_db
def test_an_offer_above_the_cap_shows_the_copayment(market):
    offer, cap = market["offer"], market["cap"]
    assert offer.copayment(cap) == Decimal(15000)
    offer.price = cap.amount - 1
    assert offer.copayment(cap) == 0
    no_fitting = Offer(supplier=market["supplier"], item=market["item"], title="x", price=1,
                       delivery=["teleport"], lead_time_days=1, fitting=False)
    with pytest.raises(ValidationError) as invalid:
        no_fitting.full_clean()
    assert set(invalid.value.message_dict) == {"delivery", "fitting"}


@pytest.mark.django_db
def test_an_ipr_entitles_items_once_each(market):
    person = Person.objects.create(
        iin=make_iin(dt.date(1980, 1, 2), "male", 3), last_name="Сапаров", first_name="Ерлан",
        birth_date=dt.date(1980, 1, 2), sex="male", region=Region.objects.get(kato=ALMATY),
        address="ул. Абая, 2")
    ipr = Ipr.objects.create(person=person, number="ИПР-1", issued_on=TODAY,
                             valid_from=TODAY, valid_to=TODAY + dt.timedelta(days=365))
    Entitlement.objects.create(ipr=ipr, item=market["item"], quantity=1)
    assert ipr.is_valid_on(TODAY) and not ipr.is_valid_on(TODAY + dt.timedelta(days=400))
    with pytest.raises(IntegrityError), transaction.atomic():
        Entitlement.objects.create(ipr=ipr, item=market["item"], quantity=2)


@pytest.mark.django_db
def test_the_public_suppliers_api(market, client):
    listed = client.get("/api/v1/suppliers", {"region": ALMATY}).json()
    assert [s["code"] for s in listed] == ["SUP-ORTHO"]
    offer = listed[0]["offers"][0]
    assert offer["copayment"] == 15000.0 and offer["delivery"] == ["home"]
    assert listed[0]["regions"] == [ALMATY]
    assert client.get("/api/v1/suppliers", {"region": ASTANA}).json() == []
    assert client.get("/api/v1/suppliers", {"item": "PO-99-99"}).json() == []
    assert client.get("/api/v1/suppliers", {"item": market["item"].code}).json()[0][
        "code"] == "SUP-ORTHO"
