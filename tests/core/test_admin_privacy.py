"""The back office (Django's admin) shows personal data only with an access-log record
naming the persons shown, and never shows a staff member's TOTP secret."""

from __future__ import annotations

import base64
import datetime as dt
from decimal import Decimal

import pytest
from django.contrib import admin
from django.db import models
from django_otp.plugins.otp_totp.models import TOTPDevice

from tendik.care.models import BillLine, CareForm, MonthlyBill, Ownership, Placement, Provider
from tendik.core.admin import PersonalDataAdmin
from tendik.core.models import AccessRecord, Organisation, Region
from tendik.people.iin import make_iin
from tendik.people.models import Person
from tests.conftest import ALMATY

BIRTH = dt.date(1980, 5, 17)


def make_person(serial: int = 100, last_name: str = "Сапарова") -> Person:
    return Person.objects.create(
        iin=make_iin(BIRTH, "female", serial), last_name=last_name, first_name="Айгерим",
        birth_date=BIRTH, sex="female", region=Region.objects.get(kato=ALMATY),
        address="ул. Абая, 1")


def make_placement(person: Person) -> Placement:
    organisation = Organisation.objects.create(
        code="CARE-ALMATY", kind=Organisation.Kind.SERVICE_PROVIDER,
        region=Region.objects.get(kato=ALMATY), name_ru="Центр", name_kk="Орталық",
        name_en="Centre")
    provider = Provider.objects.create(organisation=organisation, ownership=Ownership.STATE)
    provider.capacities.create(form=CareForm.RESIDENTIAL, places=3)
    return Placement.objects.create(person=person, provider=provider, form=CareForm.RESIDENTIAL,
                                    start=dt.date(2026, 1, 5), region_id=person.region_id,
                                    basis="Решение № 7")


def accesses(path: str) -> list[AccessRecord]:
    return list(AccessRecord.objects.filter(path=path))


@pytest.fixture
def administrator(personas, client_for):
    return client_for(personas["administrator"])


@pytest.mark.django_db
def test_it_logs_an_administrator_opening_a_placement(personas, administrator):
    person = make_person()
    placement = make_placement(person)
    url = f"/ru/admin/care/placement/{placement.pk}/change/"
    page = administrator.get(url)
    assert page.status_code == 200 and "Сапарова" in page.content.decode()
    [record] = accesses(url)
    assert record.model == "people.person" and record.object_ids == [str(person.pk)]
    assert record.actor == personas["administrator"]


@pytest.mark.django_db
def test_it_logs_the_placements_found_by_an_iin(administrator):
    person = make_person()
    make_placement(person)
    make_person(serial=120, last_name="Другая")
    assert administrator.get("/ru/admin/care/placement/", {"q": person.iin}).status_code == 200
    [record] = accesses("/ru/admin/care/placement/")
    assert record.object_ids == [str(person.pk)]


@pytest.mark.django_db
def test_a_bills_page_logs_the_residents_on_its_lines(administrator):
    person = make_person()
    placement = make_placement(person)
    bill = MonthlyBill.objects.create(provider=placement.provider, year=2026, month=1,
                                      total=Decimal("100"))
    BillLine.objects.create(bill=bill, placement=placement, days_served=27, days_in_month=31,
                            rate=Decimal("547200"), amount=Decimal("100"))
    assert administrator.get("/ru/admin/care/monthlybill/").status_code == 200
    assert accesses("/ru/admin/care/monthlybill/") == []
    url = f"/ru/admin/care/monthlybill/{bill.pk}/change/"
    assert administrator.get(url).status_code == 200
    [record] = accesses(url)
    assert record.model == "people.person" and record.object_ids == [str(person.pk)]


@pytest.mark.django_db
def test_a_persons_history_and_deletion_pages_are_logged(administrator):
    person = make_person()
    for page in ("history", "delete"):
        url = f"/ru/admin/people/person/{person.pk}/{page}/"
        assert administrator.get(url).status_code == 200
        [record] = accesses(url)
        assert record.object_ids == [str(person.pk)]
    assert Person.objects.filter(pk=person.pk).exists()


@pytest.mark.django_db
def test_a_lookup_of_a_person_by_iin_is_logged(administrator):
    person = make_person()
    make_person(serial=120, last_name="Другая")
    response = administrator.get("/ru/admin/autocomplete/", {
        "app_label": "portal", "model_name": "ipr", "field_name": "person",
        "term": person.iin})
    assert [r["id"] for r in response.json()["results"]] == [str(person.pk)]
    [record] = accesses("/ru/admin/autocomplete/")
    assert record.model == "people.person" and record.object_ids == [str(person.pk)]


def names_a_person(model: type[models.Model], depth: int = 3) -> bool:
    """Whether a model is a person's record or points at one within a few links."""
    if model is Person:
        return True
    if depth == 0:
        return False
    return any(isinstance(field, models.ForeignKey | models.OneToOneField)
               and names_a_person(field.related_model, depth - 1)
               for field in model._meta.concrete_fields)


def test_every_admin_that_shows_a_recipient_logs_its_views():
    unlogged = []
    for model, model_admin in admin.site._registry.items():
        shown = [model, *(inline.model for inline in model_admin.inlines)]
        if any(names_a_person(m) for m in shown) \
                and not isinstance(model_admin, PersonalDataAdmin):
            unlogged.append(model._meta.label)
    assert unlogged == []


@pytest.mark.django_db
def test_the_admin_never_shows_a_totp_secret(personas, administrator):
    device = TOTPDevice.objects.get(user=personas["analyst"])
    secret_hex = device.key
    secret_base32 = base64.b32encode(device.bin_key).decode()
    pages = [administrator.get("/en/admin/otp_totp/totpdevice/"),
             administrator.get(f"/en/admin/otp_totp/totpdevice/{device.pk}/change/")]
    assert [p.status_code for p in pages] == [200, 200]
    for page in pages:
        text = page.content.decode()
        assert secret_hex not in text and secret_base32 not in text
        assert secret_base32.rstrip("=") not in text and "qrcode" not in text.lower()
    # django_otp's own views of the key and its QR code are gone.
    for view in ("config", "qrcode"):
        assert administrator.get(
            f"/en/admin/otp_totp/totpdevice/{device.pk}/{view}/").status_code in (302, 404)
    # Devices are enrolled on the platform's own page, which shows the secret once.
    assert administrator.get("/en/admin/otp_totp/totpdevice/add/").status_code == 403


@pytest.mark.django_db
def test_a_device_may_still_be_switched_off(personas, administrator):
    device = TOTPDevice.objects.get(user=personas["analyst"])
    key = device.key
    response = administrator.post(f"/en/admin/otp_totp/totpdevice/{device.pk}/change/",
                                  {"name": "phone", "confirmed": ""})
    assert response.status_code == 302
    device.refresh_from_db()
    assert not device.confirmed and device.name == "phone" and device.key == key
