"""The accessibility statement and its report form pass axe in every mode, are reached
from the footer with the keyboard alone, and after a failed send focus is on the error
summary whose links lead to the fields; the МТСЗН's queue and a report pass axe too."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tendik.feedback import services
from tendik.feedback.models import AccessibilityReport
from tests.e2e.test_accessibility import MODES, Audit

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("mode", list(MODES))
def test_the_statement_form_and_queue_pass_axe(mode: str,
                                               new_context: Callable[..., BrowserContext],
                                               personas):
    language, display, width = MODES[mode]
    audit = Audit(display)
    base = f"/{language}/accessibility-statement/"

    visitor = new_context(None, display=display, width=width).new_page()
    audit.visit(visitor, f"{base}?from=/{language}/plan/")
    expect(visitor.locator("#id_page")).to_have_value(f"/{language}/plan/")
    audit.check(visitor, "statement")
    visitor.locator("#id_kind_1").check()  # another format, but none chosen
    visitor.locator("main form[method=post] button[type=submit]").click()
    expect(visitor.locator("#error-summary")).to_be_visible()
    audit.check(visitor, "statement with errors")
    visitor.locator("#id_description").fill("Нужен план в формате «лёгкое чтение».")
    visitor.locator("#id_wanted_format_2").check()
    visitor.locator("main form[method=post] button[type=submit]").click()
    expect(visitor.locator("main h1")).to_be_visible()
    audit.check(visitor, "report sent")
    report = AccessibilityReport.objects.get()
    assert report.wanted_format == AccessibilityReport.Format.EASY_READ

    analyst = new_context(personas["analyst"], display=display, width=width).new_page()
    audit.visit(analyst, f"/{language}/office/accessibility-reports/")
    expect(analyst.locator("main table tbody tr")).to_have_count(1)
    audit.check(analyst, "queue")
    audit.visit(analyst, f"/{language}/office/accessibility-reports/{report.pk}/")
    analyst.locator("main form[method=post] button[type=submit]").click()
    expect(analyst.locator("#error-summary")).to_be_visible()
    audit.check(analyst, "report with an empty answer")
    services.answer_report(report, "Готовим, пришлём до конца недели.", by=personas["analyst"])
    audit.visit(analyst, f"/{language}/office/accessibility-reports/{report.pk}/")
    audit.check(analyst, "report answered")

    assert len(audit.checked) == 6
    assert not (audit.found or audit.overflowing), (
        f"WCAG 2.2 A/AA failures ({mode}):\n{audit.report()}")


def test_the_statement_is_reached_from_the_footer_and_sent_with_keys_alone(
        new_context: Callable[..., BrowserContext]):
    page: Page = new_context(None).new_page()
    page.goto("/ru/search/")
    link = page.locator("footer a[href^='/ru/accessibility-statement/']")
    link.focus()
    page.keyboard.press("Enter")
    expect(page.locator("main h1")).to_have_text("Заявление о доступности платформы Teńdik")
    expect(page.locator("#id_page")).to_have_value("/ru/search/")

    # Sent empty: focus goes to the summary, whose first link leads to the first field.
    page.locator("main form[method=post] button[type=submit]").focus()
    page.keyboard.press("Enter")
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    summary.locator("a").first.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#id_kind_0")).to_be_focused()

    page.keyboard.press("Space")  # a barrier
    page.locator("#id_description").focus()
    page.keyboard.type("Поиск не объявляет число результатов.")
    page.locator("main form[method=post] button[type=submit]").focus()
    page.keyboard.press("Enter")
    expect(page.locator("main h1")).to_have_text("Ваше сообщение отправлено")
    assert AccessibilityReport.objects.get().page == "/ru/search/"


def test_after_a_failed_sign_in_focus_is_on_the_summary_one_tab_from_the_first_error(
        new_context: Callable[..., BrowserContext]):
    page: Page = new_context(None).new_page()
    page.goto("/ru/accounts/login/")
    page.locator("main form button[type=submit]").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary.locator("a").first).to_have_text("Введите имя пользователя.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#id_username")).to_be_focused()
    # Screen readers hear «Ошибка:» before the inline message; it is not seen.
    prefix = page.locator("#id_username-error .visually-hidden")
    expect(prefix).to_have_text("Ошибка: ")
    assert prefix.bounding_box()["width"] <= 1  # type: ignore[index]
