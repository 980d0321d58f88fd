"""axe-core on the МТСЗН analyst's other plan pages: the consolidated information with a
generated file, a measure's assessment, the plan import with row errors, and a measure's
change form with its error, in every mode of the accessibility suite."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tendik.core.models import User
from tendik.plan import consolidation, reporting
from tendik.plan.interchange import COLUMNS
from tendik.plan.models import ConsolidatedReport, ExecutorReport, Plan
from tests.e2e.test_accessibility import MODES, Audit

pytestmark = pytest.mark.e2e

BAD_PLAN_CSV = (",".join(COLUMNS) + "\n" + ",".join(
    {"number": "x", "in_source": "1", "executors": "МЗ;НЕТ"}.get(c, "") for c in COLUMNS)
    + "\n").encode()


@pytest.fixture
def cycle(personas: dict[str, User], settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    analyst, executor = personas["analyst"], personas["agency_executor"]
    cycle = reporting.open_cycle(Plan.objects.get(code="np-2019-326"), 2019, by=analyst)
    report = ExecutorReport.objects.get(cycle=cycle, measure__number=18,
                                        organisation__code="МЗ")
    reporting.save_report(report, {"status": "completed", "narrative_ru": "Исполнено."},
                          by=executor)
    reporting.submit_report(report, by=executor)
    done = ConsolidatedReport.objects.create(cycle=cycle, format="xlsx", language="ru",
                                             version=1, requested_by=analyst,
                                             finished_at=timezone.now())
    consolidation.generate(done.pk)
    ConsolidatedReport.objects.create(cycle=cycle, format="pdf", language="kk", version=1,
                                      requested_by=analyst, status="running", progress=40)
    return cycle


@pytest.mark.parametrize("mode", list(MODES))
def test_the_analysts_plan_pages_pass_axe(mode: str, new_context, personas, cycle):
    language, display, width = MODES[mode]
    audit = Audit(display)
    page: Page = new_context(personas["analyst"], display=display, width=width).new_page()

    audit.visit(page, f"/{language}/plan/reports/2019/consolidated/")
    expect(page.locator("main progress")).to_have_count(1)
    expect(page.locator('main a[href*="/consolidated/files/"]')).to_have_count(1)
    audit.check(page, "consolidated information with a ready and a running file")

    audit.visit(page, f"/{language}/plan/reports/2019/consolidated/measures/18/")
    audit.check(page, "assessment of a measure")
    page.locator("#id_text_ru").fill("")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#error-summary")).to_be_visible()
    audit.check(page, "assessment with an error")

    audit.visit(page, f"/{language}/plan/import/")
    audit.check(page, "plan import")
    page.locator("#id_file").set_input_files({"name": "plan.csv", "mimeType": "text/csv",
                                              "buffer": BAD_PLAN_CSV})
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#import-errors-caption")).to_be_visible()
    audit.check(page, "plan import with row errors")

    audit.visit(page, f"/{language}/plan/measures/30/edit/")
    audit.check(page, "change of a measure")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#error-summary")).to_be_visible()
    audit.check(page, "change of a measure with an error")

    assert len(audit.checked) == 7
    assert not (audit.found or audit.overflowing), (
        f"WCAG 2.2 A/AA failures ({mode}):\n{audit.report()}")
