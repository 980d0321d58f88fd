"""The accessibility statement: reached from every page's footer, it takes a report of a
barrier or a request for another format from anyone, gives it a number and an answer
date, and tells the sender and the МТСЗН, each in their language."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import quote

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from tendik.core.calendar import add_working_days
from tendik.core.models import AuditEvent, Role
from tendik.feedback.models import AccessibilityReport

pytestmark = pytest.mark.django_db


def test_every_pages_footer_links_to_the_statement_with_the_page_it_is_on(client, reference):
    for path in ("/ru/", "/kk/search/", "/en/plan/"):
        html = client.get(path).content.decode()
        assert f'href="/{path.split("/")[1]}/accessibility-statement/?from={quote(path)}"' in html


@pytest.mark.parametrize(("language", "title", "conformance"), [
    ("ru", "Заявление о доступности платформы Teńdik", "частично соответствует"),
    ("kk", "Teńdik платформасының қолжетімділігі туралы мәлімдеме", "ішінара сәйкес келеді"),
    ("en", "Accessibility statement for Teńdik", "partially conforms"),
])
def test_the_statement_states_its_conformance_in_the_pages_language(client, reference, language,
                                                                    title, conformance):
    html = client.get(f"/{language}/accessibility-statement/").content.decode()
    assert f"<h1>{title}</h1>" in html
    assert conformance in html
    assert "WCAG" in html and "2.2" in html
    # The review date reads as a person writes it.
    assert re.search(r"\b\d{2}\.\d{2}\.\d{4}\b", html)
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", html)


def test_the_form_starts_with_the_page_it_came_from_and_never_another_site(client, reference):
    html = client.get("/ru/accessibility-statement/", {"from": "/ru/access/?region=1"}) \
        .content.decode()
    assert 'value="/ru/access/?region=1"' in html
    html = client.get("/ru/accessibility-statement/", {"from": "https://evil.example/x"}) \
        .content.decode()
    assert 'id="id_page" value' not in html


def test_anyone_reports_a_barrier_and_hears_when_the_answer_is_due(
        client, make_user, django_capture_on_commit_callbacks):
    analyst = make_user(Role.ANALYST, "МТСЗН", email="analyst@enbek.kz",
                        preferred_language="ru")
    make_user(Role.AKIMAT_OFFICIAL, "AKIMAT-750000000", email="akimat@almaty.kz")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/kk/accessibility-statement/", {
            "kind": "barrier", "page": "/kk/access/", "name": "Айгүл",
            "description": "Картадағы батырмаға пернетақтамен жете алмадым.",
            "email": "aigul@example.kz", "wanted_format": "braille"})
    assert response.status_code == 302
    assert response["Location"] == "/kk/accessibility-statement/sent/"

    report = AccessibilityReport.objects.get()
    today = timezone.localdate()
    assert report.language == "kk"
    assert report.page == "/kk/access/"
    assert report.wanted_format == ""  # a barrier asks for no format
    assert report.state == AccessibilityReport.State.WAITING
    assert report.answer_due == add_working_days(today, 15)
    assert report.filed_by is None
    assert AuditEvent.objects.filter(model="feedback.accessibilityreport",
                                     object_id=str(report.pk), action="create").exists()

    sent = client.get(response["Location"]).content.decode()
    due = report.answer_due.strftime("%d.%m.%Y")
    assert report.number in sent
    assert due in sent
    assert "aigul@example.kz" in sent

    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"aigul@example.kz", analyst.email}
    to_sender = by_address["aigul@example.kz"]
    assert "хабарламаңыз алынды" in to_sender.subject  # in the language of the page
    assert due in to_sender.body
    assert "/kk/accessibility-statement/" in to_sender.body
    to_ministry = by_address[analyst.email]
    assert f"ответить до {due}" in to_ministry.subject  # in the analyst's language
    assert f"/ru/office/accessibility-reports/{report.pk}/" in to_ministry.body


def test_a_request_for_another_format_names_the_format(client, reference,
                                                      django_capture_on_commit_callbacks):
    response = client.post("/ru/accessibility-statement/", {
        "kind": "format", "description": "Нужен сводный отчёт за 2025 год."})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Выберите нужный формат." in html
    assert 'href="#id_wanted_format_0"' in html
    assert not AccessibilityReport.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/ru/accessibility-statement/", {
            "kind": "format", "wanted_format": "easy_read",
            "description": "Нужен сводный отчёт за 2025 год."})
    report = AccessibilityReport.objects.get()
    assert report.get_wanted_format_display() == "текст в формате «лёгкое чтение»"
    assert mail.outbox == []  # no e-mail given, and no МТСЗН staff with one


def test_errors_say_what_to_do_and_keep_what_was_typed(client, reference):
    response = client.post("/ru/accessibility-statement/", {
        "description": "", "email": "not-an-address", "phone": "12",
        "page": "https://other.example/page", "name": "Ерлан"})
    html = response.content.decode()
    assert response.status_code == 200
    for message in ("Выберите, столкнулись ли вы с барьером или вам нужны материалы в другом "
                    "формате.", "Опишите проблему или нужные вам материалы.",
                    "Введите адрес электронной почты в виде name@example.kz.",
                    "Введите номер телефона в виде +7 701 123 45 67.",
                    "Укажите адрес страницы этого сайта или оставьте поле пустым."):
        assert message in html
    assert "Обязательное поле." not in html
    assert 'value="Ерлан"' in html
    assert not AccessibilityReport.objects.exists()


def test_a_signed_in_sender_is_recorded(client_for, make_user):
    recipient = make_user(Role.RECIPIENT)
    client_for(recipient).post("/en/accessibility-statement/", {
        "kind": "barrier", "description": "The order form's date field is unreadable."})
    report = AccessibilityReport.objects.get()
    assert report.filed_by == recipient
    assert report.language == "en"


def test_the_confirmation_is_only_for_its_sender(client, reference):
    client.post("/ru/accessibility-statement/", {"kind": "barrier", "description": "Текст"})
    other = Client()
    response = other.get("/ru/accessibility-statement/sent/")
    assert response.status_code == 302
    assert response["Location"] == "/ru/accessibility-statement/"


def test_the_answer_date_counts_working_days_from_the_day_it_was_sent(client, reference,
                                                                      monkeypatch):
    friday_before_independence_day = dt.datetime(2026, 12, 11, 10, tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: friday_before_independence_day)
    client.post("/ru/accessibility-statement/", {"kind": "barrier", "description": "Текст"})
    # 14, 15, 17, 18, 21–25, 28–31 December and 5–6 January: fifteen working days.
    assert AccessibilityReport.objects.get().answer_due == dt.date(2027, 1, 6)
