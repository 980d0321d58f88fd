"""Indicator figures in an executor's report, in the browser: entered with the keyboard
alone, refused with an error summary whose links lead to the fields, read by the analyst;
axe-core in every mode of the accessibility suite."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tendik.core.models import User
from tendik.indicators.models import ReportedValue
from tendik.indicators.services import load_plan_indicators
from tendik.plan import reporting
from tendik.plan.models import ExecutorReport, Plan
from tests.e2e.test_accessibility import MODES, Audit
from tests.e2e.test_keyboard import tab

pytestmark = pytest.mark.e2e

# Measure 83 (screening coverage, with yearly targets) is МЗ's; its indicator is a share.
MEASURE, INDICATOR = 83, "measure-83-screening-coverage"


@pytest.fixture
def report(personas: dict[str, User]) -> ExecutorReport:
    load_plan_indicators()
    cycle = reporting.open_cycle(Plan.objects.get(code="np-2019-326"), 2021,
                                 by=personas["analyst"])
    return ExecutorReport.objects.get(cycle=cycle, measure__number=MEASURE,
                                      organisation__code="МЗ")


def figures_url(report: ExecutorReport, language: str = "ru") -> str:
    return f"/{language}/indicators/reports/{report.pk}/"


def test_an_executor_gives_a_figure_with_the_keyboard_alone(new_context, personas, report):
    page: Page = new_context(personas["agency_executor"]).new_page()
    page.goto(f"/ru/plan/reports/{report.pk}/")
    page.locator(f'main a[href="{figures_url(report)}"]').focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{page.url.split('/ru/')[0]}{figures_url(report)}")

    for _ in range(30):  # from the top of the page to the numerator field
        if tab(page)["id"] == f"id_{INDICATOR}-numerator":
            break
    else:
        pytest.fail("Tab never reached the numerator")
    page.keyboard.type("45")
    tab(page)
    page.keyboard.type("50")
    page.keyboard.press("Enter")  # submits the form from a text field

    expect(page.locator("main h1")).to_contain_text(str(MEASURE))
    figure = ReportedValue.objects.get(report=report)
    assert (figure.value, figure.numerator, figure.denominator) == (90, 45, 50)
    expect(page.locator("main")).to_contain_text("90")


def test_a_wrong_figure_is_named_and_its_link_leads_to_the_field(new_context, personas,
                                                                   report):
    page: Page = new_context(personas["agency_executor"]).new_page()
    page.goto(figures_url(report))
    page.locator(f"#id_{INDICATOR}-value").fill("150")
    page.locator("main form button[type=submit]").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    assert page.title().startswith("Ошибка")
    summary.locator("a").first.click()
    expect(page.locator(f"#id_{INDICATOR}-value")).to_be_focused()
    expect(page.locator(f"#id_{INDICATOR}-value")).to_have_attribute("aria-invalid", "true")
    assert not ReportedValue.objects.exists()


@pytest.mark.parametrize("mode", list(MODES))
def test_the_figures_pages_pass_axe(mode: str, new_context, personas, report):
    language, display, width = MODES[mode]
    audit = Audit(display)
    executor = new_context(personas["agency_executor"], display=display,
                           width=width).new_page()
    audit.visit(executor, figures_url(report, language))
    expect(executor.locator(f"#id_{INDICATOR}-value")).to_be_visible()
    audit.check(executor, "figures form")
    executor.locator(f"#id_{INDICATOR}-numerator").fill("3")
    executor.locator("main form button[type=submit]").click()
    expect(executor.locator("#error-summary")).to_be_visible()
    audit.check(executor, "figures form with errors")
    executor.locator(f"#id_{INDICATOR}-denominator").fill("4")
    executor.locator("main form button[type=submit]").click()
    expect(executor.locator("main h1")).to_contain_text(str(MEASURE))
    audit.check(executor, "report listing its figures")

    analyst = new_context(personas["analyst"], display=display, width=width).new_page()
    audit.visit(analyst, figures_url(report, language))
    expect(analyst.locator("main table")).to_contain_text("75")
    audit.check(analyst, "figures read by the analyst")
    assert len(audit.checked) == 4
    assert not (audit.found or audit.overflowing), (
        f"WCAG 2.2 A/AA failures ({mode}):\n{audit.report()}")
