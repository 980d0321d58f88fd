"""A session ends after a time without activity: soon for staff, after twenty hours for
everyone else (WCAG 2.2.1), and its owner is told so on the sign-in page."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone

from tendik.core.models import AuditEvent
from tendik.core.sessions import ACTIVE_AT


@pytest.fixture
def clock():
    """The clock stands still unless a test moves it (the suite's own clock ticks)."""
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def minutes(n: float) -> dt.timedelta:
    return dt.timedelta(minutes=n)


def sent_to_sign_in(response, page: str) -> bool:
    return response.status_code == 302 and \
        response["Location"] == f"/en/accounts/login/?{urlencode({'next': page})}"


def signed_in(client) -> bool:
    return SESSION_KEY in client.session


@pytest.mark.django_db
def test_staff_are_signed_out_after_thirty_minutes_without_a_request(personas, client_for,
                                                                    clock):
    client = client_for(personas["analyst"])
    assert client.get("/en/office/").status_code == 200
    clock.shift(minutes(29))
    assert client.get("/en/office/").status_code == 200
    clock.shift(minutes(29))
    assert client.get("/en/office/").status_code == 200
    clock.shift(minutes(32))
    response = client.get("/en/office/?tab=reports")
    assert sent_to_sign_in(response, "/en/office/?tab=reports")
    assert not signed_in(client)
    page = client.get(response["Location"]).content.decode()
    assert "You were signed out after 30 minutes without activity." in page
    assert "Anything you had not sent is not saved." in page
    event = AuditEvent.objects.get(action=AuditEvent.Action.LOGOUT)
    assert event.actor == personas["analyst"] and "without activity" in event.reason
    # Gone for good: the next page asks for a sign-in like any other visitor's.
    assert client.get("/en/office/").status_code == 302
    assert AuditEvent.objects.filter(action=AuditEvent.Action.LOGOUT).count() == 1


@pytest.mark.django_db
def test_a_recipient_keeps_a_session_for_twenty_hours(personas, client_for, clock):
    client = client_for(personas["recipient"])
    assert client.get("/en/portal/").status_code == 200
    # A long form, left overnight, is still there in the morning.
    clock.shift(dt.timedelta(hours=19, minutes=50))
    assert client.get("/en/portal/").status_code == 200
    assert signed_in(client)
    clock.shift(dt.timedelta(hours=20, minutes=2))
    response = client.get("/en/portal/")
    assert sent_to_sign_in(response, "/en/portal/") and not signed_in(client)
    page = client.get(response["Location"]).content.decode()
    assert "You were signed out after 20 hours without activity." in page


@pytest.mark.django_db
def test_a_form_sent_after_the_timeout_is_said_to_be_unsaved(personas, client_for, clock):
    client = client_for(personas["recipient"])
    assert client.get("/en/accessibility/").status_code == 200
    clock.shift(dt.timedelta(hours=21))
    response = client.post("/en/accessibility/", {"text_size": "large"})
    assert sent_to_sign_in(response, "/en/accessibility/")
    page = client.get(response["Location"]).content.decode()
    assert "What you had just sent was not saved." in page
    assert "You were signed out after 20 hours without activity." in page


@pytest.mark.django_db
def test_the_sign_in_form_still_works_after_a_timeout(personas, client_for, clock):
    from tests.factories import PASSWORD

    client = client_for(personas["recipient"])
    assert client.get("/en/portal/").status_code == 200
    clock.shift(dt.timedelta(hours=21))
    response = client.post("/en/accounts/login/", {"username": "p.recipient",
                                                   "password": PASSWORD})
    assert response.status_code == 302 and signed_in(client)
    assert client.get("/en/portal/").status_code == 200


@pytest.mark.django_db
def test_staff_are_signed_out_twelve_hours_after_signing_in(personas, client_for, clock):
    client = client_for(personas["analyst"])
    for _ in range(12 * 3):
        assert client.get("/en/office/").status_code == 200
        clock.shift(minutes(20))
    response = client.get("/en/office/")
    assert sent_to_sign_in(response, "/en/office/")
    page = client.get(response["Location"]).content.decode()
    assert "Staff are signed out 12 hours after signing in." in page


@pytest.mark.django_db
def test_the_staff_timeout_is_a_setting(personas, client_for, clock, settings):
    settings.STAFF_IDLE_MINUTES = 5
    client = client_for(personas["auditor"])
    assert client.get("/en/office/").status_code == 200
    clock.shift(minutes(4))
    assert client.get("/en/office/").status_code == 200
    clock.shift(minutes(7))
    response = client.get("/en/office/")
    assert sent_to_sign_in(response, "/en/office/")
    assert "after 5 minutes without" in client.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_an_active_session_is_written_at_most_once_a_minute(personas, client_for, clock):
    client = client_for(personas["recipient"])
    assert client.get("/en/portal/").status_code == 200
    row = Session.objects.get()

    def unchanged() -> bool:
        now = Session.objects.get()
        return (now.session_data, now.expire_date) == (row.session_data, row.expire_date)

    for _ in range(3):
        clock.shift(dt.timedelta(seconds=15))
        assert client.get("/en/portal/").status_code == 200
        assert unchanged()
    clock.shift(dt.timedelta(seconds=20))
    assert client.get("/en/portal/").status_code == 200
    assert not unchanged()
    assert client.session[ACTIVE_AT] == int(timezone.now().timestamp())
