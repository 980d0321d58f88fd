"""The МТСЗН's queue of accessibility reports: its analysts and the administrators read and
answer them, auditors read them; nobody else opens it. Reading a sender's contacts is
logged; the answer reaches the sender in the language they wrote in."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from tendik.core.audit import AccessRecord
from tendik.core.models import AuditEvent
from tendik.feedback import services
from tendik.feedback.models import AccessibilityReport

pytestmark = pytest.mark.django_db

QUEUE = "/ru/office/accessibility-reports/"


@pytest.fixture
def report(reference) -> AccessibilityReport:
    return services.file_report(kind="barrier", description="Кнопка «Заказать» не читается.",
                                language="kk", email="sender@example.kz", name="Асель")


@pytest.mark.parametrize(("persona", "reads", "answers"), [
    ("registered", False, False),
    ("recipient", False, False),
    ("supplier", False, False),
    ("akimat_official", False, False),
    ("agency_executor", False, False),
    ("analyst", True, True),
    ("auditor", True, False),
    ("administrator", True, True),
])
def test_only_the_ministry_and_auditors_open_the_queue(client_for, personas, report, persona,
                                                       reads, answers):
    client = client_for(personas[persona])
    detail = f"{QUEUE}{report.pk}/"
    assert client.get(QUEUE).status_code == (200 if reads else 403)
    response = client.get(detail)
    assert response.status_code == (200 if reads else 403)
    if reads:
        assert ('name="answer"' in response.content.decode()) == answers
    response = client.post(detail, {"answer": "Исправим до конца месяца."})
    assert response.status_code == (302 if answers else 403 if not reads else 404)
    report.refresh_from_db()
    assert report.state == (AccessibilityReport.State.ANSWERED if answers
                            else AccessibilityReport.State.WAITING)


def test_a_visitor_is_sent_to_sign_in(client, report):
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert "/ru/accounts/login/" in response["Location"]


def test_the_queue_lists_the_nearest_deadline_first_and_flags_the_overdue(client_for, personas,
                                                                         report):
    late = services.file_report(kind="format", wanted_format="braille", language="ru",
                                description="Нужен план мероприятий шрифтом Брайля.")
    AccessibilityReport.objects.filter(pk=late.pk).update(
        answer_due=timezone.localdate() - dt.timedelta(days=1))
    html = client_for(personas["analyst"]).get(QUEUE).content.decode()
    assert html.index(late.number) < html.index(report.number)
    assert "1 сообщение просрочено." in html
    assert "(просрочено)" in html
    assert "материалы в другом формате: шрифт Брайля".lower() in html.lower()
    # The list shows no contacts, so reading it logs nothing.
    assert "sender@example.kz" not in html
    assert not AccessRecord.objects.exists()


def test_reading_a_report_logs_the_sight_of_its_senders_contacts(client_for, personas, report):
    html = client_for(personas["auditor"]).get(f"{QUEUE}{report.pk}/").content.decode()
    assert "sender@example.kz" in html and "Асель" in html
    assert '<blockquote lang="kk">' in html  # written on a Kazakh page
    record = AccessRecord.objects.get()
    assert record.actor == personas["auditor"]
    assert record.object_ids == [str(report.pk)]


def test_the_answer_goes_to_the_sender_in_their_language_and_is_audited(
        client_for, personas, report, django_capture_on_commit_callbacks):
    client = client_for(personas["analyst"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{QUEUE}{report.pk}/", {"answer": "Батырманы түзеттік."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == AccessibilityReport.State.ANSWERED
    assert report.answered_by == personas["analyst"]
    (message,) = mail.outbox
    assert message.to == ["sender@example.kz"]
    assert "хабарламаңызға жауап" in message.subject
    assert "Батырманы түзеттік." in message.body
    assert AuditEvent.objects.filter(model="feedback.accessibilityreport",
                                     object_id=str(report.pk), action="update",
                                     actor=personas["analyst"]).exists()
    # Answered once: the form is gone and a second answer changes nothing.
    html = client.get(f"{QUEUE}{report.pk}/").content.decode()
    assert 'name="answer"' not in html and "Батырманы түзеттік." in html
    assert client.post(f"{QUEUE}{report.pk}/", {"answer": "Ещё раз"}).status_code == 404


def test_an_empty_answer_is_refused_with_what_to_do(client_for, personas, report):
    html = client_for(personas["analyst"]).post(f"{QUEUE}{report.pk}/", {"answer": " "}) \
        .content.decode()
    assert "Напишите ответ." in html
    report.refresh_from_db()
    assert report.state == AccessibilityReport.State.WAITING


def test_the_analysts_office_links_the_queue(client_for, personas):
    html = client_for(personas["analyst"]).get("/ru/office/").content.decode()
    assert f'href="{QUEUE}"' in html
    html = client_for(personas["akimat_official"]).get("/ru/office/").content.decode()
    assert f'href="{QUEUE}"' not in html
