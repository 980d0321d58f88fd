"""Who sees what in the portal: every persona against every page that holds someone's
data. 404 means «as if it did not exist»."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tendik.core.models import AccessRecord, Organisation, Role
from tests.factories import UserFactory
from tests.portal.conftest import make_person
from tests.portal.test_reimbursement import received

PERSONAS = ["recipient", "representative", "other_recipient", "supplier", "other_supplier",
            "accountant", "astana", "analyst", "auditor", "anonymous"]
# page: the personas that get 200; everyone else gets 404 (anonymous: the sign-in page).
EXPECTED = {
    "card": {"recipient", "representative", "accountant", "auditor"},
    "order": {"recipient", "representative", "supplier", "accountant", "analyst", "auditor"},
    "claim": {"accountant", "analyst", "auditor"},
    "office_orders": {"accountant", "astana", "analyst", "auditor"},
    "supplier_orders": {"supplier", "other_supplier"},
    "recipients": {"accountant", "astana", "auditor"},
}


@pytest.fixture
def world(market, make_user):
    order = received(market)
    other = Organisation.objects.create(code="SUP-OTHER", kind=Organisation.Kind.SUPPLIER,
                                        name_ru="Другой", name_kk="Басқа", name_en="Other")
    other_recipient = make_user(Role.RECIPIENT, username="other")
    make_person(market.almaty, account=other_recipient)
    users = {
        "recipient": market.recipient, "representative": market.representative,
        "other_recipient": other_recipient, "supplier": market.supplier_user,
        "other_supplier": UserFactory(role=Role.SUPPLIER, organisation=other,
                                      username="other.supplier"),
        "accountant": market.accountant, "astana": market.akimat_astana,
        "analyst": make_user(Role.ANALYST, "МТСЗН", username="analyst"),
        "auditor": make_user(Role.AUDITOR, username="auditor"), "anonymous": None,
    }
    urls = {
        "card": reverse("portal:card", args=[market.person.pk]),
        "order": reverse("portal:order", args=[order.pk]),
        "claim": reverse("portal:claim", args=[order.reimbursement.pk]),
        "office_orders": reverse("portal:office_orders"),
        "supplier_orders": reverse("portal:supplier_orders"),
        "recipients": reverse("portal:office_recipients"),
    }
    return users, urls, order


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_sees_only_what_it_needs(world, persona, client, client_for, market):
    users, urls, order = world
    user = users[persona]
    browser = client_for(user) if user else client
    for page, url in urls.items():
        response = browser.post(url, {"q": market.person.iin}) if page == "recipients" \
            else browser.get(url)
        if user is None:
            assert response.status_code == 302 and "login" in response.url, page
        elif persona in EXPECTED[page]:
            assert response.status_code == 200, (persona, page)
        else:
            assert response.status_code == 404, (persona, page)
    if persona == "astana":  # the other region's search finds nobody
        page = browser.post(urls["recipients"], {"q": market.person.iin}).content.decode()
        assert market.person.full_name not in page
    if persona == "other_supplier":
        assert order.number not in browser.get(urls["supplier_orders"]).content.decode()


@pytest.mark.django_db
def test_a_search_by_iin_is_recorded(world, client_for, market):
    _users, urls, _order = world
    page = client_for(market.accountant).post(urls["recipients"],
                                              {"q": market.person.iin}).content.decode()
    assert market.person.full_name in page and market.person.masked_iin in page
    assert page.count(market.person.iin) == 1  # only in the search box
    assert AccessRecord.objects.filter(path=reverse("portal:office_recipients"),
                                       object_ids=[str(market.person.pk)]).exists()
