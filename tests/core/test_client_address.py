"""The client's address, read through the trusted proxies only: lockout, the audit
trail and the access log name the person's address, never the proxy's, and nobody can
choose their own by sending X-Forwarded-For."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.test import Client, RequestFactory

from tendik.core.audit import AuditEvent
from tendik.core.models import Role
from tendik.core.network import client_ip
from tests.core.test_auth import password_step

PROXY = "10.0.0.5"


def address(remote: str, forwarded: str | None = None) -> str | None:
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **meta))


def test_without_a_trusted_proxy_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert address("203.0.113.9", "198.51.100.1") == "203.0.113.9"


def test_behind_a_trusted_proxy_the_rightmost_untrusted_hop_is_the_client(settings):
    settings.TRUSTED_PROXIES = [PROXY, "10.1.0.0/16"]
    assert address(PROXY, "198.51.100.1") == "198.51.100.1"
    # What the client wrote itself is to the left of what the proxies added.
    assert address(PROXY, "6.6.6.6, 198.51.100.1, 10.1.2.3") == "198.51.100.1"
    assert address(PROXY) == PROXY
    assert address(PROXY, "not-an-address") == PROXY
    # From anywhere else the header is not believed.
    assert address("203.0.113.9", "198.51.100.1") == "203.0.113.9"


@pytest.mark.django_db
def test_lockout_is_by_username_and_the_clients_address_behind_the_proxy(make_user,
                                                                         settings):
    settings.TRUSTED_PROXIES = [PROXY]
    make_user(Role.RECIPIENT, username="target")
    attacker = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.66")
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        password_step(attacker, "target", password="not-the-password")
    assert password_step(attacker, "target").status_code == 429
    # The owner, through the same proxy from another address, still signs in.
    owner = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.20")
    password_step(owner, "target")
    assert "_auth_user_id" in owner.session
    failed = AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN_FAILED).first()
    assert failed is not None and failed.ip_address == "198.51.100.66"
