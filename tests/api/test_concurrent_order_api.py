"""Two POSTs of one order with the same Idempotency-Key at the same moment (a retry that
overtook the first request) give the same order, on PostgreSQL where they really run
side by side: not a second order, and not «nothing is left on this entitlement»."""

from __future__ import annotations

import threading
import time

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test import Client

from tendik.portal.models import Entitlement, Order, OrderEvent
from tests.conftest import sign_in
from tests.portal.conftest import Market

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def waiting_for_locks() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
        return cursor.fetchone()[0]


@pytest.mark.skipif(not ON_POSTGRESQL, reason="two requests at once need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_requests_with_one_key_at_once_give_one_order(market: Market):
    browsers = [sign_in(Client(), market.recipient) for _ in range(2)]
    body = {"entitlement": market.entitlement.pk, "offer": market.offer.pk,
            "delivery": "home", "address": "с. Каскелен"}
    answers: list = [None, None]

    def post(index: int) -> None:
        try:
            answers[index] = browsers[index].post(
                "/api/v1/me/orders", body, content_type="application/json",
                HTTP_IDEMPOTENCY_KEY="same-moment")
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(i,)) for i in range(2)]
    # Hold the entitlement's lock until both requests have found no order with the key
    # and wait for that lock: the moment two simultaneous requests share.
    with transaction.atomic():
        Entitlement.objects.select_for_update().get(pk=market.entitlement.pk)
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 20
        while waiting_for_locks() < 2:
            assert time.monotonic() < deadline, "the requests never met at the lock"
            time.sleep(0.05)
    for thread in threads:
        thread.join(30)
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [200, 201], [a.json() for a in answers]
    assert answers[0].json()["id"] == answers[1].json()["id"]
    assert Order.objects.count() == 1
    assert OrderEvent.objects.count() == 1
