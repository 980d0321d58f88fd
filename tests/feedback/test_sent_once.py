"""An accessibility report is filed once however often its form is sent, and its sender
and the staff hear of it once."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.test import Client

from tendik.core.models import Role
from tendik.feedback import services
from tendik.feedback.models import AccessibilityReport
from tests.access.test_sent_once import ON_POSTGRESQL, side_by_side

REPORT = {"kind": "barrier", "description": "Кнопка «Отправить» не читается.",
          "email": "aigul@example.kz"}


@pytest.mark.django_db
def test_a_report_sent_twice_is_one_report(client, make_user,
                                           django_capture_on_commit_callbacks):
    make_user(Role.ANALYST, "МТСЗН", email="analyst@enbek.kz")
    page = client.get("/en/accessibility-statement/")
    key = page.context["form"]["key"].value()
    assert f'type="hidden" name="key" value="{key}"' in page.content.decode()
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            sent = client.post("/en/accessibility-statement/", REPORT | {"key": key})
        assert sent.status_code == 302
    report = AccessibilityReport.objects.get()
    assert report.idempotency_key == key
    assert sorted(m.to[0] for m in mail.outbox) == ["aigul@example.kz", "analyst@enbek.kz"]
    assert str(report.number) in client.get(sent["Location"]).content.decode()


@pytest.mark.django_db
def test_without_a_key_each_report_is_its_own(client, reference):
    for _ in range(2):
        client.post("/en/accessibility-statement/", REPORT)
    assert AccessibilityReport.objects.count() == 2


@pytest.mark.skipif(not ON_POSTGRESQL, reason="two writers at once need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_reports_sent_at_the_same_instant_are_one(make_user, monkeypatch):
    make_user(Role.ANALYST, "МТСЗН", email="analyst@enbek.kz")
    browsers = [Client() for _ in range(2)]
    answers = side_by_side(monkeypatch, services, *[
        (lambda b=b: b.post("/en/accessibility-statement/", REPORT | {"key": "same"}))
        for b in browsers])
    assert [a.status_code for a in answers] == [302, 302]
    assert AccessibilityReport.objects.count() == 1
    # The request that lost the race sent no e-mail: its savepoint took them back.
    assert sorted(m.to[0] for m in mail.outbox) == ["aigul@example.kz", "analyst@enbek.kz"]
    connection.close()
