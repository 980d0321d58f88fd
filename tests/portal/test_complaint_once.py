"""A complaint is filed once however often its form is sent: the sendings of one order's
complaints wait for each other on the order, and the same text again gives the first."""

from __future__ import annotations

import re
import threading
import time

import pytest
from django.db import connection
from django.test import Client

from tendik.portal import journey
from tendik.portal.models import Complaint
from tests.access.test_sent_once import ON_POSTGRESQL
from tests.conftest import sign_in
from tests.portal.conftest import build_market
from tests.portal.test_journey import deliver, place


@pytest.mark.django_db
def test_a_complaint_sent_twice_is_one_complaint(market, client_for):
    order = deliver(market, place(market))
    browser = client_for(market.recipient)
    for _ in range(2):
        sent = browser.post(f"/en/portal/orders/{order.pk}/complaint/",
                            {"text": "Привезли не ту коляску"})
        assert sent.status_code == 302
    assert Complaint.objects.count() == 1
    # Another complaint, in other words, is another complaint.
    browser.post(f"/en/portal/orders/{order.pk}/complaint/", {"text": "И без подножек"})
    assert Complaint.objects.count() == 2


@pytest.mark.django_db
def test_the_form_key_makes_a_resent_form_one_complaint_and_a_new_form_another(market,
                                                                              client_for):
    order = deliver(market, place(market))
    browser = client_for(market.recipient)
    page = browser.get(f"/en/portal/orders/{order.pk}/").content.decode()
    key = re.search(r'name="key" value="([0-9a-f]{32})"', page).group(1)
    for _ in range(2):  # the same form sent twice: a double click, a reload
        sent = browser.post(f"/en/portal/orders/{order.pk}/complaint/",
                            {"text": "Привезли не ту коляску", "key": key})
        assert sent.status_code == 302
    assert list(Complaint.objects.values_list("idempotency_key", flat=True)) == [key]
    # A new form is a new complaint, even in the same words.
    browser.post(f"/en/portal/orders/{order.pk}/complaint/",
                 {"text": "Привезли не ту коляску", "key": "f" * 32})
    assert Complaint.objects.count() == 2


@pytest.mark.skipif(not ON_POSTGRESQL, reason="two writers at once need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_complaints_sent_at_the_same_instant_are_one(reference, monkeypatch):
    market = build_market()
    order = deliver(market, place(market))
    real = journey.acting_as

    def slowly(*args, **kwargs):  # the first holds the order's row a while
        time.sleep(0.3)
        return real(*args, **kwargs)
    monkeypatch.setattr(journey, "acting_as", slowly)
    browsers = [sign_in(Client(), market.recipient) for _ in range(2)]
    barrier = threading.Barrier(2, timeout=10)
    answers: list = [None, None]

    def send(index: int) -> None:
        try:
            barrier.wait()
            answers[index] = browsers[index].post(
                f"/en/portal/orders/{order.pk}/complaint/", {"text": "Сломалась через день"})
        finally:
            connection.close()
    threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert [a.status_code for a in answers] == [302, 302]
    assert Complaint.objects.count() == 1
