"""The portal's pages: the whole journey by three personas, the card's access rule, the
back office's scope, the provision dashboard."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tendik.core.models import AccessRecord, AuditEvent, Role
from tendik.indicators.models import Indicator, Observation
from tendik.indicators.services import load_plan_indicators
from tendik.plan.services import load_national_plan
from tendik.portal.models import Order, Payment, Reimbursement
from tests.portal.conftest import Market, make_person

State = Order.State


def order_page(market: Market, client) -> str:
    url = reverse("portal:order_new", args=[market.entitlement.pk, market.offer.pk])
    return client.get(url).content.decode()


@pytest.mark.django_db
def test_the_whole_journey_ends_with_a_paid_order(market, client_for):
    recipient = client_for(market.recipient)
    home = recipient.get(reverse("portal:home")).content.decode()
    assert market.wheelchair.name_en in home or market.wheelchair.name_ru in home
    offers = recipient.get(reverse("portal:offers", args=[market.entitlement.pk]))
    assert market.offer.title in offers.content.decode()
    page = order_page(market, recipient)
    assert re.search(r"</dt><dd><strong>15\s000\s₸</strong>", page)  # what you pay
    key = re.search(r'name="key" value="([0-9a-f]+)"', page).group(1)
    url = reverse("portal:order_new", args=[market.entitlement.pk, market.offer.pk])
    form = {"quantity": 1, "delivery": "home", "address": "с. Узынагаш", "key": key}
    first = recipient.post(url, form)
    second = recipient.post(url, form)  # a double click
    order = Order.objects.get()
    assert first.url == second.url == reverse("portal:order", args=[order.pk])

    supplier = client_for(market.supplier_user)
    assert order.number in supplier.get(reverse("portal:supplier_orders")).content.decode()
    move = reverse("portal:order_move", args=[order.pk])
    supplier.post(move, {"to": "accepted", "accepted-to": "accepted"})
    supplier.post(move, {"to": "delivered", "delivered-to": "delivered"})
    recipient.post(move, {"to": "received", "received-to": "received"})
    order.refresh_from_db()
    assert order.state == State.RECEIVED
    claim = order.reimbursement

    accountant, head = client_for(market.accountant), client_for(market.head)
    queue = accountant.get(reverse("portal:office_claims")).content.decode()
    assert order.number in queue
    claim_url = reverse("portal:claim", args=[claim.pk])
    claim_page = accountant.get(claim_url).content.decode()
    # The rule by its name and what it found in words; its code stays a machine value.
    assert "Цена в пределах предельной" in claim_page and "PRICE-CAP" not in claim_page
    assert re.search(r"превышает предельную цену \d{3}\s\d{3}\s₸", claim_page)
    accountant.post(claim_url, {"action": "approve", "stage": "accountant"})
    head.post(claim_url, {"action": "approve", "stage": "head"})
    head.post(claim_url, {"action": "approve", "stage": "head"})
    claim.refresh_from_db()
    assert claim.state == Reimbursement.State.PAID
    assert Payment.objects.get().amount == market.cap.amount

    recipient.post(reverse("portal:order_rate", args=[order.pk]), {"stars": 5})
    assert market.supplier.ratings.get().stars == 5


@pytest.mark.django_db
def test_a_form_error_keeps_what_was_typed(market, client_for):
    recipient = client_for(market.recipient)
    url = reverse("portal:order_new", args=[market.entitlement.pk, market.offer.pk])
    response = recipient.post(url, {"quantity": 5, "delivery": "post", "address": "",
                                    "key": "abc"})
    page = response.content.decode()
    assert response.status_code == 200 and 'class="error-summary' in page
    assert not Order.objects.exists()


@pytest.mark.django_db
def test_the_card_is_for_the_person_their_akimat_and_nobody_else(market, client_for,
                                                                   make_user):
    url = reverse("portal:card", args=[market.person.pk])
    for user in (market.recipient, market.representative, market.accountant):
        response = client_for(user).get(url)
        assert response.status_code == 200, user
        assert market.person.iin in response.content.decode()
    assert AccessRecord.objects.filter(path=url).count() == 3

    other = make_user(Role.RECIPIENT, username="other")
    make_person(market.almaty, account=other)
    for user in (other, market.supplier_user, market.akimat_astana,
                 make_user(Role.ANALYST, "МТСЗН", username="analyst")):
        assert client_for(user).get(url).status_code == 404, user
    refused = AuditEvent.objects.filter(action=AuditEvent.Action.ACCESS_REFUSED,
                                        object_id=str(market.person.pk))
    assert refused.count() == 4
    assert refused.filter(actor=other).exists()
    assert AccessRecord.objects.filter(path=url).count() == 3


@pytest.mark.django_db
def test_an_order_is_seen_only_by_its_parties(market, client_for, make_user):
    from tests.portal.test_journey import place

    order = place(market)
    url = reverse("portal:order", args=[order.pk])
    for user in (market.recipient, market.supplier_user, market.accountant):
        assert client_for(user).get(url).status_code == 200
    for user in (market.akimat_astana, make_user(Role.RECIPIENT, username="x")):
        assert client_for(user).get(url).status_code == 404
    almaty_queue = client_for(market.accountant).get(reverse("portal:office_orders"))
    astana_queue = client_for(market.akimat_astana).get(reverse("portal:office_orders"))
    assert order.number in almaty_queue.content.decode()
    assert order.number not in astana_queue.content.decode()
    assert client_for(market.recipient).get(reverse("portal:office_orders")).status_code \
        == 404


@pytest.mark.django_db
def test_a_supplier_adds_an_offer(market, client_for):
    supplier = client_for(market.supplier_user)
    offer = {"item": market.wheelchair.pk, "title": "Ortonica Light", "price": "300000",
             "specifications": "12 kg", "delivery": ["home"], "lead_time_days": 5,
             "active": "on"}
    market.wheelchair.needs_fitting = True
    market.wheelchair.save()
    refused = supplier.post(reverse("portal:supplier_offer_new"), offer)
    assert set(refused.context["form"].errors) == {"fitting"}
    response = supplier.post(reverse("portal:supplier_offer_new"), {**offer, "fitting": "on"})
    assert response.status_code == 302
    assert market.supplier.offers.filter(title="Ortonica Light").exists()


@pytest.mark.django_db
def test_provision_feeds_the_indicator(market, client_for, make_user):
    from tests.portal.test_reimbursement import received

    load_national_plan()
    load_plan_indicators()
    received(market)
    year = market.entitlement.ipr.valid_from.year
    page = client_for(make_user()).get(reverse("portal:provision"), {"year": year})
    assert re.search(r'<td class="number">1</td><td class="number">1</td><td class="number">'
                     r"100,0</td>", page.content.decode())
    analyst = client_for(make_user(Role.ANALYST, "МТСЗН", username="analyst"))
    analyst.post(reverse("portal:provision"), {"year": year})
    indicator = Indicator.objects.get(code="technical-aids-provision-ipr")
    national = Observation.objects.get(indicator=indicator, year=year, region=None)
    assert (national.value, national.numerator, national.denominator) == (100, 1, 1)
    assert Observation.objects.filter(indicator=indicator, year=year,
                                      region=market.almaty).exists()


@pytest.mark.django_db
def test_an_offer_photo_is_described_and_stripped(market, client_for):
    import io

    from PIL import Image

    image = Image.new("RGB", (640, 480), (40, 110, 170))
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    raw = io.BytesIO()
    image.save(raw, format="JPEG", exif=exif)
    supplier = client_for(market.supplier_user)
    url = reverse("portal:supplier_offer_photo", args=[market.offer.pk])
    raw.seek(0)
    raw.name = "chair.jpg"
    refused = supplier.post(url, {"photo": raw, "alt_text": ""})
    assert "alt_text" in refused.context["photo_form"].errors
    raw.seek(0)
    supplier.post(url, {"photo": raw, "alt_text": "Кресло-коляска, вид сбоку"})
    photo = market.offer.photos.get()
    with Image.open(photo.image.path) as saved:
        assert not saved.getexif()
    offers = client_for(market.recipient).get(
        reverse("portal:offers", args=[market.entitlement.pk])).content.decode()
    assert 'alt="Кресло-коляска, вид сбоку"' in offers
    text = io.BytesIO(b"not an image at all")
    text.name = "chair.jpg"
    refused = supplier.post(url, {"photo": text, "alt_text": "x"})
    assert "photo" in refused.context["photo_form"].errors
    other = client_for(market.recipient).post(url, {"photo": text, "alt_text": "x"})
    assert other.status_code == 404


@pytest.mark.django_db
def test_the_back_office_logs_who_opened_a_persons_records(market, client_for, make_user):
    from tendik.people.models import Person

    admin = client_for(make_user(Role.ADMINISTRATOR, username="admin"))
    person_url = reverse("admin:people_person_change", args=[market.person.pk])
    assert admin.get(person_url).status_code == 200
    ipr_url = reverse("admin:portal_ipr_change", args=[market.entitlement.ipr.pk])
    assert admin.get(ipr_url).status_code == 200
    listed = admin.get(reverse("admin:people_person_changelist"))
    assert market.person.masked_iin in listed.content.decode()
    records = AccessRecord.objects.filter(model="people.person")
    assert {r.path for r in records} >= {person_url, ipr_url}
    assert all(r.object_ids == [str(market.person.pk)] for r in records)
    assert Person.objects.count() == 1
