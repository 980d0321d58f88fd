"""Every e-mail that speaks of a page gives its full address, at the platform's public
address (SITE_URL) and in the reader's language, and the reader can open it."""

from __future__ import annotations

import re
import uuid

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.test import Client

from tendik.core.models import Role
from tendik.plan import reporting
from tendik.plan.models import ExecutorReport, Plan, ReminderSent
from tendik.plan.services import NATIONAL_PLAN_CODE, load_national_plan
from tendik.portal import journey
from tests.conftest import sign_in
from tests.portal.conftest import build_market

SITE = "https://tendik.example.kz"


def links_in(body: str) -> list[str]:
    return re.findall(r"https?://\S+", body)


@pytest.fixture(autouse=True)
def public_address(settings) -> None:
    settings.SITE_URL = SITE


@pytest.mark.django_db
def test_order_emails_link_to_the_order_in_each_readers_language(
        reference, django_capture_on_commit_callbacks):
    market = build_market()
    market.supplier_user.preferred_language = "en"
    market.supplier_user.save()
    market.person.language = "kk"
    market.person.save()
    with django_capture_on_commit_callbacks(execute=True):
        order = journey.place_order(market.entitlement, market.offer, by=market.recipient,
                                    key=uuid.uuid4().hex, delivery="home",
                                    address="с. Узынагаш, ул. Байтерекова, 4")
        journey.move_order(order, "accepted", by=market.supplier_user)
    to_supplier, to_recipient = mail.outbox
    assert links_in(to_supplier.body) == [f"{SITE}/en/portal/orders/{order.pk}/"]
    assert links_in(to_recipient.body) == [f"{SITE}/kk/portal/orders/{order.pk}/"]
    for reader, body in ((market.supplier_user, to_supplier.body),
                         (market.recipient, to_recipient.body),
                         (market.representative, to_recipient.body)):
        path = links_in(body)[0].removeprefix(SITE)
        assert sign_in(Client(), reader).get(path).status_code == 200, reader


@pytest.mark.django_db
def test_report_reminders_link_to_the_report(make_user):
    load_national_plan()
    analyst = make_user(Role.ANALYST, "МТСЗН", username="analyst")
    executor = make_user(Role.AGENCY_EXECUTOR, "МЗ", username="mz", preferred_language="kk")
    cycle = reporting.open_cycle(Plan.objects.get(code=NATIONAL_PLAN_CODE), 2021, by=analyst)
    report = ExecutorReport.objects.filter(cycle=cycle, organisation=executor.organisation) \
        .first()
    assert report is not None
    for kind in (ReminderSent.Kind.OVERDUE, ReminderSent.Kind.DAYS_14):
        _subject, body = reporting.reminder_text(report, kind, executor)
        assert links_in(body) == [f"{SITE}/kk/plan/reports/{report.pk}/"]
    assert sign_in(Client(), executor).get(f"/kk/plan/reports/{report.pk}/").status_code == 200


@pytest.mark.django_db
def test_the_lockout_email_links_to_the_sign_in_page(make_user, client,
                                                     django_capture_on_commit_callbacks):
    make_user(Role.RECIPIENT, username="target", email="target@example.kz",
              preferred_language="en")
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(django_settings.AXES_FAILURE_LIMIT):
            client.post("/ru/accounts/login/", {"username": "target", "password": "wrong"})
    assert links_in(mail.outbox[0].body) == [f"{SITE}/en/accounts/login/"]
