"""The plan's reporting cycle in the browser: executors fill and submit, analysts review.

The executor's path is driven with the keyboard alone; the review, the scope of an akimat
and axe-core (WCAG 2.2 A/AA, no horizontal scrolling) run on every reporting page in each
language and in the low-vision modes.

The tests do not hard-code translated texts: a state shown on a page is compared with the
model's own label in the page's language, so the catalogues may change under them.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from tendik.core.models import Organisation, User
from tendik.plan import reporting
from tendik.plan.models import ExecutorReport, LegalAct, Plan, ReportingCycle
from tendik.plan.reporting_views import REPORTS_PER_PAGE
from tests.conftest import ALMATY, ASTANA
from tests.e2e.support import focused, has_visible_focus_indicator
from tests.e2e.test_accessibility import MODES, Audit
from tests.e2e.test_keyboard import assert_focus_is_visible, tab

pytestmark = pytest.mark.e2e

State = ExecutorReport.State
YEAR = 2019
# МЗ's obligations in 2019: 18 (information), 30 (an order: the legal act is required once
# completed) and 83 (information, with yearly targets); 83 is also every akimat's (МИО).
INFORMATION, ORDER, WITH_TARGETS = 18, 30, 83
MAX_TABS = 40


def minimal_pdf(text: str = "Teńdik") -> bytes:
    """A small, well-formed one-page PDF (with a correct cross-reference table)."""
    stream = f"BT /F1 24 Tf 72 720 Td ({text.encode('ascii', 'replace').decode()}) Tj ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode())
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n"
              "%%EOF\n".encode())
    return out.getvalue()


def label(choice: Any, language: str) -> str:
    """A choice's label as the page in `language` shows it."""
    with translation.override(language):
        return str(choice.label)


# --- Data -----------------------------------------------------------------------------

@pytest.fixture
def media(settings, tmp_path: Path) -> Path:
    """Attachments go to a temporary directory (the live server runs in this process)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def cycle(personas: dict[str, User], media) -> ReportingCycle:
    """The reporting for 2019 opened by the МТСЗН analyst: 279 obligations."""
    plan = Plan.objects.get(code="np-2019-326")
    return reporting.open_cycle(plan, YEAR, by=personas["analyst"])


def report_of(cycle: ReportingCycle, number: int, organisation: str) -> ExecutorReport:
    return ExecutorReport.objects.get(cycle=cycle, measure__number=number,
                                      organisation__code=organisation)


def url(report: ExecutorReport, language: str = "ru") -> str:
    return f"/{language}/plan/reports/{report.pk}/"


def submit(report: ExecutorReport, executor: User, **values: Any) -> ExecutorReport:
    report = reporting.save_report(report, {"status": "in_progress",
                                            "narrative_ru": "Работа ведётся.", **values},
                                   by=executor)
    return reporting.submit_report(report, by=executor)


def attach(report: ExecutorReport, executor: User, name: str = "справка.pdf") -> None:
    content = minimal_pdf()
    reporting.attach_file(report, io.BytesIO(content), name, len(content), by=executor)


# --- Keyboard and page helpers --------------------------------------------------------

ACTIVE = """() => { const el = document.activeElement;
  return el ? {id: el.id, name: el.getAttribute('name'), type: el.getAttribute('type'),
               value: el.value, checked: !!el.checked,
               focusWithin: el.matches(':focus-within')} : null; }"""


def active(page: Page) -> dict[str, Any]:
    return page.evaluate(ACTIVE)


def to_main(page: Page) -> None:
    """The skip link, then Enter: the keyboard continues from the main content."""
    # Chromium moves the focus to a fragment's target only once the page has loaded.
    page.wait_for_load_state()
    if page.url.endswith("#main"):
        # A form without an action posts to the page's address, #main included, and the
        # page that answers keeps it: the browser has already moved the focus there.
        expect(page.locator("main#main")).to_be_focused()
        return
    skip = tab(page)
    assert skip["href"] == "#main", skip
    assert_focus_is_visible(skip)
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()


def assert_focus_shown(element: dict[str, Any], state: dict[str, Any]) -> None:
    """The focus is visible; in a date field, Tab also stops on the calendar button inside
    it, and the field itself then matches :focus-within, not :focus-visible."""
    if state["type"] == "date" and not element["focusVisible"]:
        assert state["focusWithin"], element
        assert has_visible_focus_indicator(element), (
            f"no focus indicator on the date field {element['id']!r} while its calendar "
            f"button has the focus: outline {element['outlineStyle']} "
            f"{element['outlineWidth']}px, box-shadow {element['boxShadow']!r}")
    else:
        assert_focus_is_visible(element)


def tab_to(page: Page, wanted: Callable[[dict[str, Any], dict[str, Any]], bool], what: str,
           *, shift: bool = False) -> dict[str, Any]:
    """Tab (or Shift+Tab) until the wanted element has the focus; every stop on the way
    must show where the focus is."""
    visited = []
    for _ in range(MAX_TABS):
        element = tab(page, shift=shift)
        state = active(page)
        assert_focus_shown(element, state)
        visited.append(element["id"] or element["href"] or state["name"] or element["tag"])
        if wanted(element, state):
            return element
    pytest.fail(f"{MAX_TABS} Tabs never reached {what}; visited {visited}")


def by_id(field_id: str) -> Callable[[dict[str, Any], dict[str, Any]], bool]:
    return lambda element, state: element["id"] == field_id


def by_href(href: str) -> Callable[[dict[str, Any], dict[str, Any]], bool]:
    return lambda element, state: element["href"] == href


def button(name: str) -> Callable[[dict[str, Any], dict[str, Any]], bool]:
    return lambda element, state: element["tag"] == "button" and state["name"] == name


def type_date(page: Page, year: int, month: int, day: int) -> None:
    """Types a date into the day, month and year boxes, the day's box focused: each box is
    one Tab from the last, as in GOV.UK's date input."""
    page.keyboard.type(str(day))
    page.keyboard.press("Tab")
    page.keyboard.type(str(month))
    page.keyboard.press("Tab")
    page.keyboard.type(str(year))


def expect_state(page: Page, state: str, language: str = "ru") -> None:
    """The page shows the report's state (waiting for the page after a submit)."""
    expect(page.locator("main dl.summary").first.locator("dd strong")).to_have_text(
        label(State(state), language))


def history(page: Page) -> list[str]:
    return [text.strip() for text in page.locator("main ol > li").all_inner_texts()]


# --- 1. The executor's path with the keyboard alone -----------------------------------

def test_an_executor_fills_attaches_and_submits_with_the_keyboard_alone(
        new_context, personas, cycle, tmp_path: Path):
    executor = personas["agency_executor"]
    report = report_of(cycle, ORDER, "МЗ")
    assert report.requires_act()
    pdf = tmp_path / "приказ-МЗ.pdf"
    pdf.write_bytes(minimal_pdf("Order of the Ministry of Health"))
    page = new_context(executor).new_page()

    # From the office to the list of reports, then to the report on measure 30.
    page.goto("/ru/office/")
    to_main(page)
    tab_to(page, by_href("/ru/plan/reports/"), "the link to the reports")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/ru/plan/reports/$"))
    to_main(page)
    tab_to(page, by_href(url(report)), "the report on measure 30")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"{url(report)}$"))
    expect_state(page, State.DRAFT)

    # The form: the status (a radio group), the narrative, the legal act.
    to_main(page)
    radio = tab_to(page, lambda element, state: state["type"] == "radio", "the status")
    assert radio["id"] == "id_status_0", radio  # nothing chosen: the group's first radio
    page.keyboard.press("Space")
    expect(page.locator("#id_status_0")).to_be_checked()
    assert active(page)["value"] == ExecutorReport.Status.COMPLETED

    assert tab(page)["id"] == "id_narrative_ru"
    assert_focus_is_visible(focused(page))
    narrative = "Приказ министра здравоохранения утверждён; стандарт внедрён в 20 регионах."
    page.keyboard.type(narrative)
    tab_to(page, by_id("id_act_kind"), "the type of the legal act")
    for _ in range(LegalAct.Kind.values.index(LegalAct.Kind.ORDER) + 1):  # after "---------"
        page.keyboard.press("ArrowDown")
    expect(page.locator("#id_act_kind")).to_have_value(LegalAct.Kind.ORDER)
    assert tab(page)["id"] == "id_act_number"
    assert_focus_is_visible(focused(page))
    page.keyboard.type("123-ҚР/2019")
    assert tab(page)["id"] == "id_act_date_0"  # the day, in the group «Date of the act»
    assert_focus_is_visible(focused(page))
    type_date(page, 2019, 3, 15)
    assert active(page)["id"] == "id_act_date_2"
    for part, value in (("0", "15"), ("1", "3"), ("2", "2019")):
        expect(page.locator(f"#id_act_date_{part}")).to_have_value(value)

    # Save the draft before attaching: the file has a form of its own.
    tab_to(page, button("save"), "the button that saves the draft")
    page.keyboard.press("Enter")
    expect(page.locator("main .messages")).to_be_visible()
    # The saved page's scripts have run before the keys go on: on a busy machine they ran
    # after the Tab below, and the Space reached another element than the file input.
    page.wait_for_load_state("load")
    report.refresh_from_db()
    assert (report.state, report.status, report.narrative_ru) == (
        State.DRAFT, ExecutorReport.Status.COMPLETED, narrative)
    assert (report.act_kind, report.act_number, str(report.act_date)) == (
        LegalAct.Kind.ORDER, "123-ҚР/2019", "2019-03-15")
    expect(page.locator("#id_status_0")).to_be_checked()

    # Attach the PDF: Space on the focused file input opens the browser's file chooser.
    to_main(page)
    tab_to(page, by_id("id_file"), "the file input")
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(pdf)
    tab_to(page, lambda element, state: element["tag"] == "button", "the button that attaches")
    page.keyboard.press("Enter")
    attachment = page.locator(f'main a[href*="/plan/reports/{report.pk}/attachments/"]')
    expect(attachment).to_have_text(pdf.name)
    stored = report.attachments.get()
    assert (stored.original_name, stored.content_type, stored.size) == (
        pdf.name, "application/pdf", pdf.stat().st_size)

    # Submit.
    to_main(page)
    tab_to(page, button("submit"), "the button that submits")
    page.keyboard.press("Enter")
    expect_state(page, State.SUBMITTED)
    expect(page.locator("main .messages")).to_be_visible()
    report.refresh_from_db()
    assert report.state == State.SUBMITTED and report.submitted_at is not None
    expect(attachment).to_have_text(pdf.name)
    # Submitted: no longer editable, the form and the file input are gone.
    expect(page.locator("main form #id_status_0")).to_have_count(0)
    expect(page.locator("#id_file")).to_have_count(0)
    assert history(page)[-1].count(label(State.SUBMITTED, "ru")) == 1


# --- 2. The error summary ---------------------------------------------------------------

def test_an_incomplete_report_shows_the_error_summary_and_its_links_lead_to_the_fields(
        new_context, personas, cycle):
    report = report_of(cycle, WITH_TARGETS, "МЗ")
    page = new_context(personas["agency_executor"]).new_page()
    page.goto(url(report))
    expect(page.locator("#id_target_2020")).to_be_visible()  # a yearly target of measure 83
    to_main(page)
    tab_to(page, button("submit"), "the button that submits")
    page.keyboard.press("Enter")

    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_have_attribute("role", "alert")
    links = summary.locator("a")
    expect(links).to_have_count(2)
    assert [links.nth(i).get_attribute("href") for i in range(2)] == [
        "#id_status_0", "#id_narrative_ru"]
    report.refresh_from_db()
    assert report.state == State.DRAFT
    expect(page).to_have_title(re.compile(r"^\S.*: "))  # "Error: …" before the page's title

    # Inline errors, tied to their fields.
    status = page.locator("fieldset.field-error:has(#id_status_0)")
    expect(status.locator("#id_status-error")).to_be_visible()
    expect(status).to_have_attribute("aria-describedby", re.compile(r"\bid_status-error\b"))
    narrative = page.locator("#id_narrative_ru")
    expect(page.locator("#id_narrative_ru-error")).to_be_visible()
    expect(narrative).to_have_attribute("aria-invalid", "true")
    expect(narrative).to_have_attribute("aria-describedby",
                                        re.compile(r"\bid_narrative_ru-error\b"))
    expect(page.locator(".field-error")).to_have_count(2)

    # The summary comes first in the main content; Enter on a link moves the focus to
    # its field.
    to_main(page)
    first = tab(page)
    assert first["href"] == "#id_status_0", first
    assert_focus_is_visible(first)
    page.keyboard.press("Enter")
    target = focused(page)
    assert target is not None and target["id"] == "id_status_0", target
    assert_focus_is_visible(target)
    back = tab_to(page, by_href("#id_narrative_ru"), "the second link of the summary",
                  shift=True)
    assert back["inMain"]
    page.keyboard.press("Enter")
    target = focused(page)
    assert target is not None and target["id"] == "id_narrative_ru", target
    assert_focus_is_visible(target)
    page.keyboard.type("Работа ведётся.")
    expect(narrative).to_have_value("Работа ведётся.")


# --- 3. Review: return with a comment, resubmit, accept ---------------------------------

def decide(page: Page, action: str, comment: str = "") -> None:
    form = page.locator('main form[action$="/review/"]')
    form.locator(f'input[name=action][value="{action}"]').check()
    form.locator("#id_comment").fill(comment)
    form.locator("button[type=submit]").click()


def test_the_analyst_returns_the_executor_resubmits_and_the_analyst_accepts(
        new_context, personas, cycle):
    executor, analyst_user = personas["agency_executor"], personas["analyst"]
    report = submit(report_of(cycle, INFORMATION, "МЗ"), executor)
    analyst = new_context(analyst_user).new_page()
    analyst.goto(url(report))
    expect_state(analyst, State.SUBMITTED)
    expect(analyst.locator("main form #id_status_0")).to_have_count(0)  # not the executor's

    # «Return for changes» without a comment: refused, with the error on the comment.
    decide(analyst, "return")
    expect(analyst.locator("#error-summary")).to_be_visible()
    expect(analyst.locator("#error-summary a")).to_have_attribute("href", "#id_comment")
    expect(analyst.locator("#id_comment-error")).to_be_visible()
    expect(analyst.locator("#id_comment")).to_have_attribute("aria-invalid", "true")
    report.refresh_from_db()
    assert report.state == State.SUBMITTED

    comment = "Укажите число медицинских организаций, внедривших стандарт."
    decide(analyst, "return", comment)
    expect(analyst.locator("main .messages")).to_be_visible()
    expect_state(analyst, State.RETURNED)
    expect(analyst.locator('main form[action$="/review/"]')).to_have_count(0)

    # The executor sees the comment, corrects and submits again.
    page = new_context(executor).new_page()
    page.goto(url(report))
    expect_state(page, State.RETURNED)
    notice = page.locator("main .notice")
    expect(notice).to_have_attribute("role", "note")
    expect(notice.locator("p")).to_have_text(comment)
    expect(page.locator("#id_narrative_ru")).to_have_value("Работа ведётся.")
    page.locator("#id_narrative_ru").fill("Стандарт внедрён в 214 медицинских организациях.")
    page.locator("main form button[name=submit]").click()
    expect(page.locator("main .messages")).to_be_visible()
    expect_state(page, State.SUBMITTED)
    expect(page.locator("main .notice")).to_have_count(0)

    # The analyst takes it for review, then accepts it.
    analyst.goto(url(report))
    decide(analyst, "start_review")
    expect_state(analyst, State.UNDER_REVIEW)
    expect(analyst.locator("main .messages")).to_be_visible()
    decide(analyst, "accept")
    expect_state(analyst, State.ACCEPTED)
    expect(analyst.locator("main .messages")).to_be_visible()
    expect(analyst.locator('main form[action$="/review/"]')).to_have_count(0)

    # The history, in order, with who did what and the comment.
    moves = [State.SUBMITTED, State.RETURNED, State.SUBMITTED, State.UNDER_REVIEW,
             State.ACCEPTED]
    authors = [executor, analyst_user, executor, analyst_user, analyst_user]
    assert list(report.transitions.values_list("to_state", flat=True)) == moves
    page.reload()
    for items in (history(analyst), history(page)):  # both see the same history
        assert len(items) == len(moves), items
        for item, state in zip(items, moves, strict=True):
            assert f": {label(state, 'ru')} — " in item, (item, state)
        assert comment in items[1]
        for item, author in zip(items, authors, strict=True):
            assert (author.get_full_name() or author.username) in item, (item, author)


# --- 4. Scope of an akimat --------------------------------------------------------------

def test_an_akimat_official_sees_only_the_reports_of_their_region(new_context, personas,
                                                                  cycle):
    page = new_context(personas["akimat_official"]).new_page()
    astana = report_of(cycle, WITH_TARGETS, f"AKIMAT-{ASTANA}")
    response = page.goto(url(astana))
    assert response is not None and response.status == 404
    response = page.goto(f"/ru/plan/reports/{astana.pk}/attachments/0/")
    assert response is not None and response.status == 404

    almaty = Organisation.objects.get(code=f"AKIMAT-{ALMATY}")
    expected = set(cycle.reports.filter(organisation__region__kato=ALMATY)
                   .values_list("pk", flat=True))
    assert expected == set(almaty.plan_reports.filter(cycle=cycle).values_list("pk", flat=True))
    assert expected and astana.pk not in expected
    response = page.goto(f"/ru/plan/reports/?year={YEAR}")
    assert response is not None and response.status == 200
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(len(expected))
    hrefs = rows.locator("th a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert {int(href.rstrip("/").rsplit("/", 1)[1]) for href in hrefs} == expected
    with translation.override("ru"):
        name = almaty.name
    assert set(rows.locator("td:nth-child(2)").all_inner_texts()) == {name}

    # An Almaty report opens, and its form is the akimat's to fill.
    response = page.goto(url(report_of(cycle, WITH_TARGETS, f"AKIMAT-{ALMATY}")))
    assert response is not None and response.status == 200
    expect(page.locator("main form #id_status_0")).to_have_count(1)


# --- 5. axe-core on every reporting page ------------------------------------------------

AXE_MODES = list(MODES)


@pytest.mark.parametrize("mode", AXE_MODES)
def test_every_reporting_page_passes_axe(mode: str, new_context, personas, cycle):
    language, display, width = MODES[mode]
    executor_user, analyst_user = personas["agency_executor"], personas["analyst"]
    draft = report_of(cycle, WITH_TARGETS, "МЗ")
    submitted = submit(report_of(cycle, INFORMATION, "МЗ"), executor_user)
    returned = report_of(cycle, ORDER, "МЗ")
    attach(returned, executor_user)
    returned = submit(returned, executor_user)
    reporting.return_report(returned, "Приложите текст приказа.", by=analyst_user)
    audit = Audit(display)

    def open_as(user: User) -> Page:
        return new_context(user, display=display, width=width).new_page()

    def check(page: Page, name: str) -> None:
        expect(page.locator("html")).to_have_attribute("lang", language)
        audit.check(page, name)

    executor = open_as(executor_user)
    audit.visit(executor, f"/{language}/plan/reports/")
    expect(executor.locator("main table tbody tr")).to_have_count(3)
    check(executor, "reports as an executor")

    audit.visit(executor, url(draft, language))
    expect(executor.locator("#id_target_2020")).to_be_visible()
    check(executor, "report with the executor's form")
    executor.locator("main form button[name=submit]").click()
    expect(executor.locator("#error-summary")).to_be_visible()
    check(executor, "report with the error summary")

    audit.visit(executor, url(returned, language))
    expect(executor.locator("main .notice")).to_be_visible()
    expect(executor.locator('main a[href*="/attachments/"]')).to_have_count(1)
    # The file input and its button follow the chosen text size, like the other fields.
    sizes = executor.evaluate("""() => {
      const style = (selector, pseudo) =>
        getComputedStyle(document.querySelector(selector), pseudo).fontSize;
      return [style('main'), style('#id_act_number'), style('#id_file'),
              style('#id_file', '::file-selector-button')]; }""")
    assert len(set(sizes)) == 1, sizes
    check(executor, "returned report with its notice")

    analyst = open_as(analyst_user)
    audit.visit(analyst, f"/{language}/plan/reports/")
    expect(analyst.locator('main form[action$="/reports/open/"] select')).to_be_visible()
    # The analyst's 279 reports come in pages, with the page links checked too.
    expect(analyst.locator("main table tbody tr")).to_have_count(
        min(cycle.reports.count(), REPORTS_PER_PAGE))
    expect(analyst.locator('main nav a[href*="page=2"]')).to_be_visible()
    check(analyst, "reports as an analyst, with the form that opens a year")

    audit.visit(analyst, url(submitted, language))
    expect(analyst.locator('main form[action$="/review/"]')).to_be_visible()
    check(analyst, "submitted report with the review form")
    decide(analyst, "return")
    expect(analyst.locator("#error-summary")).to_be_visible()
    check(analyst, "review with an error")

    audit.visit(analyst, f"/{language}/plan/reports/{YEAR}/dashboard/")
    expect(analyst.locator("main table")).to_have_count(2)
    check(analyst, "dashboard")

    assert len(audit.checked) == 8
    assert not (audit.found or audit.overflowing), (
        f"WCAG 2.2 A/AA failures ({mode}):\n{audit.report()}")
