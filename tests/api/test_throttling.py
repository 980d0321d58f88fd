"""The API's call limits: per client address for anonymous calls, per token otherwise,
counted in the shared cache, answered 429 in the API's error shape with Retry-After."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from tendik.core import services
from tendik.core.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_counts():
    cache.clear()
    yield
    cache.clear()


def test_anonymous_calls_are_limited_per_client_address(client, reference, settings):
    settings.API_ANONYMOUS_RATE = "3/m"
    for _ in range(3):
        assert client.get("/api/v1/regions", REMOTE_ADDR="192.0.2.1").status_code == 200
    refused = client.get("/api/v1/regions", REMOTE_ADDR="192.0.2.1",
                         HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "too_many_requests"
    assert "Too many requests" in refused.json()["error"]["message"]
    assert int(refused["Retry-After"]) >= 1
    # Another address has its own count; behind no trusted proxy, X-Forwarded-For is
    # not believed, so a caller cannot reset its count by sending one.
    assert client.get("/api/v1/regions", REMOTE_ADDR="192.0.2.2").status_code == 200
    assert client.get("/api/v1/regions", REMOTE_ADDR="192.0.2.1",
                      HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429


def test_a_token_has_its_own_larger_count(client, reference, settings):
    settings.API_ANONYMOUS_RATE = "1/m"
    settings.API_IDENTIFIED_RATE = "4/m"
    key = services.issue_api_token(Organisation.objects.get(code="МЗ"), "ИС", by=None).raw_key
    assert client.get("/api/v1/regions").status_code == 200
    assert client.get("/api/v1/regions").status_code == 429
    for _ in range(4):
        assert client.get("/api/v1/regions",
                          HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    assert client.get("/api/v1/regions",
                      HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 429
