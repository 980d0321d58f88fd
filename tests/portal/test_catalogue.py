"""The classifier of aids and services, its price caps, and the public catalogue API."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tendik.core.models import Region
from tendik.portal.models import AidGroup, CatalogueItem, PriceCap, cap_for
from tendik.portal.services import load_classifier
from tests.conftest import ALMATY


@pytest.fixture
def classifier(reference):
    load_classifier()


@pytest.mark.django_db
def test_the_classifier_has_every_group_and_at_least_55_aids(classifier):
    assert set(AidGroup.objects.values_list("code", flat=True)) == {
        "PO", "HE", "VI", "MO", "HY", "CO", "SE"}
    aids = CatalogueItem.objects.exclude(group__code="SE")
    assert aids.count() >= 55
    for group in ("PO", "HE", "VI", "MO", "HY", "CO"):
        assert aids.filter(group__code=group).count() >= 4
    sign_language = CatalogueItem.objects.filter(group__code="SE", unit="hour",
                                                 yearly_quantity=60)
    assert sign_language.exists()
    assert all(item.caps.count() == 1 for item in CatalogueItem.objects.all())
    assert load_classifier()["items kept"] == CatalogueItem.objects.count()
    assert PriceCap.objects.count() == CatalogueItem.objects.count()  # not added twice


@pytest.mark.django_db
def test_the_cap_in_force_is_the_regions_own_or_else_the_national(classifier):
    item = CatalogueItem.objects.filter(group__code="MO").first()
    national = item.caps.get()
    almaty = Region.objects.get(kato=ALMATY)
    regional = PriceCap.objects.create(item=item, region=almaty, amount=Decimal("99000"),
                                       valid_from=dt.date(2026, 1, 1),
                                       valid_to=dt.date(2026, 12, 31), legal_act="Приказ")
    assert cap_for(item, almaty, dt.date(2026, 6, 1)) == regional
    assert cap_for(item, almaty, dt.date(2027, 1, 1)) == national
    assert cap_for(item, None, dt.date(2026, 6, 1)) == national
    assert cap_for(item, almaty, dt.date(2024, 6, 1)) is None  # before any cap
    overlapping = PriceCap(item=item, region=almaty, amount=1, valid_from=dt.date(2026, 12, 1),
                           legal_act="x")
    with pytest.raises(ValidationError):
        overlapping.full_clean()


@pytest.mark.django_db
def test_the_public_catalogue_api(classifier, client):
    everything = client.get("/api/v1/catalogue/items").json()
    assert len(everything) == CatalogueItem.objects.filter(active=True).count()
    wheelchairs = client.get("/api/v1/catalogue/items", {"group": "MO"}).json()
    assert wheelchairs and {i["group"] for i in wheelchairs} == {"MO"}
    first = wheelchairs[0]
    assert first["cap"]["currency"] == "KZT" and first["cap"]["region"] is None
    assert set(first["name"]) == {"ru", "kk", "en"}
    before = client.get("/api/v1/catalogue/items", {"group": "MO", "on": "2020-01-01"}).json()
    assert all(i["cap"] is None for i in before)
    assert client.get("/api/v1/catalogue/items", {"region": "000"}).status_code == 404
