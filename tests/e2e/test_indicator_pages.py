"""axe-core on the indicator pages: the dashboard, an indicator with its chart and table
(the country, and the country with a region), and a region compared with the country, in
every mode of the accessibility suite; the chart is readable without colour."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tendik.indicators.demo import load_demo
from tendik.indicators.services import load_plan_indicators
from tests.conftest import ALMATY
from tests.e2e.test_accessibility import MODES, Audit

pytestmark = pytest.mark.e2e


@pytest.fixture
def indicators(reference) -> None:
    load_plan_indicators()
    load_demo()


@pytest.mark.parametrize("mode", list(MODES))
def test_the_indicator_pages_pass_axe(mode: str, new_context, indicators):
    language, display, width = MODES[mode]
    audit = Audit(display)
    page: Page = new_context(None, display=display, width=width).new_page()
    for name, path in [
        ("indicators dashboard", f"/{language}/indicators/"),
        ("indicator with its chart", f"/{language}/indicators/primary-disability-rate/"),
        ("indicator with a region", f"/{language}/indicators/primary-disability-rate/"
                                    f"?region={ALMATY}"),
        ("indicator without data for a filter", f"/{language}/indicators/"
                                                "primary-disability-rate/?sex=female"),
        ("region compared with the country", f"/{language}/indicators/regions/{ALMATY}/"),
    ]:
        audit.visit(page, path)
        audit.check(page, name)
    assert len(audit.checked) == 5
    assert not (audit.found or audit.overflowing), (
        f"WCAG 2.2 A/AA failures ({mode}):\n{audit.report()}")


def test_the_chart_has_a_text_alternative_and_its_numbers_in_the_table(new_context,
                                                                       indicators):
    page: Page = new_context(None).new_page()
    page.goto(f"/ru/indicators/primary-disability-rate/?region={ALMATY}")
    chart = page.locator("figure.chart svg[role=img]").first
    expect(chart).to_have_attribute("aria-labelledby", "chart-title chart-desc")
    labels = page.locator("figure.chart svg .chart-value").all_text_contents()
    cells = page.locator("main table tbody td.number").all_inner_texts()
    assert labels and set(labels) <= {cell for cell in cells if cell != "—"}
    # Series differ by line and marker shape, not colour alone.
    expect(page.locator(".chart-series-1 circle").first).to_be_visible()
    expect(page.locator(".chart-series-2 rect").first).to_be_visible()
    dashes = page.locator(".chart-series-2 path").first.get_attribute("stroke-dasharray")
    assert dashes


@pytest.mark.parametrize("mode", list(MODES))
def test_the_analysts_indicator_pages_pass_axe(mode: str, new_context, indicators,
                                               personas):
    language, display, width = MODES[mode]
    audit = Audit(display)
    page: Page = new_context(personas["analyst"], display=display, width=width).new_page()
    base = f"/{language}/indicators/primary-disability-rate"
    audit.visit(page, f"{base}/import/")
    audit.check(page, "import of observations")
    page.locator("#id_file").set_input_files({"name": "data.csv", "mimeType": "text/csv",
                                              "buffer": b"Year,GeoCode,Value\n20x4,1,a\n"})
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#import-errors-caption")).to_be_visible()
    audit.check(page, "import with row errors")
    audit.visit(page, f"{base}/status/")
    audit.check(page, "correction of a status")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#error-summary")).to_be_visible()
    audit.check(page, "correction with errors")
    assert len(audit.checked) == 4
    assert not (audit.found or audit.overflowing), (
        f"WCAG 2.2 A/AA failures ({mode}):\n{audit.report()}")
