"""Every file Teńdik generates for people reads as a Kazakh official document: A4, dates
as dd.mm.yyyy, amounts with their thousands apart, organisations by name, and nothing
printed over anything else on the first page (each page 1 is rendered to an image, then
its words' boxes are compared)."""

from __future__ import annotations

import io
import itertools
import re
import zipfile

import pdfplumber
import pytest
from openpyxl import load_workbook

from tendik.core.models import Role, User
from tendik.plan import consolidation
from tendik.plan.models import ConsolidatedReport

A4_MM = (297.0, 210.0)  # landscape
POINTS_PER_MM = 72 / 25.4
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def generated(cycle, fmt: str, language: str, settings, tmp_path) -> bytes:
    settings.MEDIA_ROOT = tmp_path
    analyst = User.objects.get(username="analyst")
    report = ConsolidatedReport.objects.create(cycle=cycle, format=fmt, language=language,
                                               version=1 + ConsolidatedReport.objects.count(),
                                               requested_by=analyst)
    report = consolidation.generate(report.pk)
    assert report.status == ConsolidatedReport.Status.DONE, report.error
    return report.file.read()


def overlapping(boxes: list[dict], tolerance: float = 0.5) -> list[tuple[str, str]]:
    """Pairs of words whose boxes share more than `tolerance` points both ways."""
    found = []
    for a, b in itertools.combinations(boxes, 2):
        width = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
        height = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
        if width > tolerance and height > tolerance:
            found.append((a["text"], b["text"]))
    return found


def crossing_rules(page, boxes: list[dict]) -> list[str]:
    """Words that run across a vertical rule of the table: out of their column."""
    rules = [edge for edge in page.edges if edge["orientation"] == "v"]
    crossing = []
    for word in boxes:
        for rule in rules:
            if (word["x0"] + 0.5 < rule["x0"] < word["x1"] - 0.5
                    and rule["top"] < word["bottom"] and word["top"] < rule["bottom"]):
                crossing.append(word["text"])
    return crossing


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_pdf_is_a4_and_nothing_on_page_one_overlaps(reported_cycle, language, settings,
                                                         tmp_path):
    pdf = generated(reported_cycle, "pdf", language, settings, tmp_path)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        assert (round(page.width / POINTS_PER_MM), round(page.height / POINTS_PER_MM)) == A4_MM
        image = page.to_image(resolution=96)
        image.save(tmp_path / f"page-1-{language}.png")
        assert image.original.size == (round(page.width * 96 / 72),
                                       round(page.height * 96 / 72))
        words = page.extract_words(keep_blank_chars=False, use_text_flow=False)
        assert len(words) > 50
        assert overlapping(words) == []
        assert crossing_rules(page, words) == []
        text = page.extract_text()
    header = {"ru": ["Исполнители", "Срок", "исполнения"],
              "kk": ["Орындаушылар", "Орындау", "мерзімі"]}[language]
    assert all(word in text for word in header), text[:400]
    assert re.search(r"\b\d{2}\.\d{2}\.\d{4}\b", text)  # the date it was generated
    assert not ISO_DATE.search(text)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_docx_is_a4_landscape_and_its_columns_fit_the_page(reported_cycle, language,
                                                               settings, tmp_path):
    from docx import Document
    from docx.shared import Mm

    data = generated(reported_cycle, "docx", language, settings, tmp_path)
    document = Document(io.BytesIO(data))
    section = document.sections[0]
    assert (round(section.page_width / Mm(1)), round(section.page_height / Mm(1))) == A4_MM
    usable = section.page_width - section.left_margin - section.right_margin
    table = document.tables[0]
    widths = [cell.width for cell in table.rows[0].cells]
    assert sum(widths) <= usable
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    grid = [int(w) for w in re.findall(r'<w:gridCol w:w="(\d+)"', xml)]
    assert len(grid) == 7 and sum(grid) * 635 <= usable  # twentieths of a point → EMU
    text = "\n".join(p.text for p in document.paragraphs)
    assert re.search(r"\b\d{2}\.\d{2}\.\d{4}\b", text)
    assert not ISO_DATE.search(xml)
    styles = zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml").decode()
    assert f'w:lang w:val="{language}-KZ"' in styles


@pytest.mark.django_db
def test_the_xlsx_prints_on_a4_with_names_dates_and_amounts_as_people_read_them(
        reported_cycle, settings, tmp_path):
    data = generated(reported_cycle, "xlsx", "ru", settings, tmp_path)
    workbook = load_workbook(io.BytesIO(data))
    for sheet in workbook.worksheets:
        assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
        assert sheet.page_setup.orientation == "landscape"
    reports = workbook.worksheets[1]
    header = [c.value for c in reports[1]]
    rows = [dict(zip(header, (c for c in row), strict=True))
            for row in reports.iter_rows(min_row=2)]
    mz = next(r for r in rows if r["Исполнитель"].value == "Министерство здравоохранения "
                                                           "Республики Казахстан")
    executors = {r["Исполнитель"].value for r in rows}
    assert not any(code.startswith("AKIMAT-") for code in executors)
    assert "Акимат города Алматы" in executors
    assert mz["Правовой акт"].value == "приказ министра № 7 от 05.05.2021"
    assert mz["Фактические расходы, тыс. тенге"].number_format == "#,##0.0"
    assert mz["Достигнутые значения"].value == "2021: 9,5"
    for column in ("Дата первого представления", "Принято"):
        assert mz[column].number_format == "DD.MM.YYYY HH:MM"
    for row in reports.iter_rows(min_row=2, values_only=True):
        assert not any(isinstance(v, str) and ISO_DATE.search(v) for v in row)


@pytest.mark.django_db
def test_the_plans_xlsx_prints_on_a4_with_the_acts_date_as_a_date(small_plan):
    import datetime as dt

    from tendik.plan import interchange
    from tendik.plan.models import Plan

    plan = Plan.objects.get()
    workbook = load_workbook(io.BytesIO(interchange.export_xlsx(plan)))
    for sheet in workbook.worksheets:
        assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
    cells = {row[0].value: row[1] for row in workbook["plan"].iter_rows()}
    assert cells["approved_by_date"].number_format == "DD.MM.YYYY"
    assert cells["approved_by_date"].value.date() == plan.approved_by.date
    assert interchange.read_date("15.01.2026") == dt.date(2026, 1, 15)
    assert interchange.read_date("2026-01-15") == dt.date(2026, 1, 15)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ru", "kk"])
def test_page_one_of_the_national_plans_pdf_has_nothing_overlapping(reference, make_user,
                                                                    language, settings,
                                                                    tmp_path):
    """The real measures' titles, forms and lists of executors, as the decree has them."""
    from tendik.plan import reporting
    from tendik.plan.models import Plan
    from tendik.plan.services import NATIONAL_PLAN_CODE, load_national_plan

    load_national_plan()
    make_user(Role.ANALYST, "МТСЗН", username="analyst")
    cycle = reporting.open_cycle(Plan.objects.get(code=NATIONAL_PLAN_CODE), 2021,
                                 by=User.objects.get(username="analyst"))
    pdf = generated(cycle, "pdf", language, settings, tmp_path)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        page.to_image(resolution=96).save(tmp_path / f"national-{language}.png")
        words = page.extract_words()
        assert len(words) > 100
        assert overlapping(words) == []
        assert crossing_rules(page, words) == []
