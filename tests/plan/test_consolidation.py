import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook
from pypdf import PdfReader

from tendik.core.models import Role
from tendik.plan import consolidation, reporting
from tendik.plan.consolidation import suggest_status
from tendik.plan.models import ConsolidatedReport, ExecutorReport, Plan
from tendik.plan.services import NATIONAL_PLAN_CODE

S = ExecutorReport.Status


@pytest.mark.parametrize("answers,expected", [
    ([], ""), (["completed", "completed"], "completed"),
    (["completed", "in_progress"], "partially_completed"),
    (["partially_completed"], "partially_completed"),
    (["in_progress", "not_completed"], "in_progress"),
    (["not_completed", "not_completed"], "not_completed"),
    (["not_due", "not_due"], "not_due"), (["not_due", "completed"], "completed"),
])
def test_the_suggested_status(answers, expected):
    assert suggest_status(answers) == expected


@pytest.fixture
def cycle(small_plan, make_user):
    analyst = make_user(Role.ANALYST, "МТСЗН", username="analyst")
    cycle = reporting.open_cycle(Plan.objects.get(code=NATIONAL_PLAN_CODE), 2021, by=analyst)
    mz = make_user(Role.AGENCY_EXECUTOR, "МЗ", username="mz")
    report = ExecutorReport.objects.get(cycle=cycle, organisation__code="МЗ")
    reporting.save_report(report, {"status": "completed", "narrative_ru": "Приказ принят.",
                                   "narrative_kk": "Бұйрық қабылданды.", "act_kind": "order",
                                   "act_number": "7", "act_date": "2021-05-05"}, by=mz)
    reporting.submit_report(report, by=mz)
    almaty = make_user(Role.AKIMAT_OFFICIAL, "AKIMAT-750000000", username="almaty")
    akimat_report = ExecutorReport.objects.get(cycle=cycle,
                                               organisation__code="AKIMAT-750000000")
    reporting.save_report(akimat_report, {"status": "in_progress",
                                          "narrative_ru": "Мониторинг ведётся."}, by=almaty)
    reporting.submit_report(akimat_report, by=almaty)
    return cycle


@pytest.mark.django_db
def test_lines_suggest_from_submitted_reports_only(cycle):
    lines = {line.measure.number: line for line in consolidation.measure_lines(cycle)}
    assert lines[21].suggested_status == "completed"
    assert lines[20].suggested_status == "in_progress"
    assert len(lines[20].counted) == 1 and len(lines[20].reports) == 21
    assert lines[20].information("ru") == "город Алматы: Мониторинг ведётся."
    assert lines[21].information("kk") == "МЗ: Бұйрық қабылданды."


@pytest.mark.django_db
def test_only_an_analyst_assesses_and_the_text_is_required(cycle, make_user):
    from tendik.plan.models import Measure

    analyst = make_user(Role.ANALYST, "МТСЗН", username="analyst")
    measure = Measure.objects.get(number=21)
    with pytest.raises(ValidationError):
        consolidation.assess_measure(cycle, measure, status="completed", text_ru=" ",
                                     text_kk="", by=analyst)
    with pytest.raises(PermissionDenied):
        consolidation.assess_measure(cycle, measure, status="completed", text_ru="x",
                                     text_kk="", by=make_user(Role.AGENCY_EXECUTOR, "МЗ",
                                                              username="mz2"))
    consolidation.assess_measure(cycle, measure, status="partially_completed",
                                 text_ru="Исполнено частично.", text_kk="", by=analyst)
    line = next(x for x in consolidation.measure_lines(cycle) if x.measure.number == 21)
    assert line.status() == "partially_completed"
    assert line.information("kk") == "Исполнено частично."  # Russian until translated


def generated(cycle, fmt, language, analyst, capture):
    with capture(execute=True):
        report = consolidation.request_report(cycle, fmt, language, by=analyst)
    report.refresh_from_db()
    assert report.status == ConsolidatedReport.Status.DONE, report.error
    assert report.progress == 100
    return report, report.file.read()


@pytest.mark.django_db
def test_docx_in_both_languages_with_the_table(cycle, make_user, settings, tmp_path,
                                               django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    analyst = make_user(Role.ANALYST, "МТСЗН", username="analyst")
    _ru, ru = generated(cycle, "docx", "ru", analyst, django_capture_on_commit_callbacks)
    document = zipfile.ZipFile(io.BytesIO(ru)).read("word/document.xml").decode()
    for text in ["Мероприятие", "Форма завершения", "Приказ принят.", "МТСЗН, МИО",
                 "2020–2022 годы", "w:tblHeader"]:
        assert text in document, text
    _kk, kk = generated(cycle, "docx", "kk", analyst, django_capture_on_commit_callbacks)
    document = zipfile.ZipFile(io.BytesIO(kk)).read("word/document.xml").decode()
    assert "Бұйрық қабылданды." in document and "Іс-шара" in document


@pytest.mark.django_db
def test_a_tagged_pdf_with_embedded_fonts(cycle, make_user, settings, tmp_path,
                                          django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    analyst = make_user(Role.ANALYST, "МТСЗН", username="analyst")
    _report, pdf = generated(cycle, "pdf", "kk", analyst, django_capture_on_commit_callbacks)
    reader = PdfReader(io.BytesIO(pdf))
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog and catalog["/MarkInfo"]["/Marked"]
    assert catalog["/Lang"] == "kk"
    assert "Қазақстан Республикасында" in reader.pages[0].extract_text()
    fonts = reader.pages[0]["/Resources"]["/Font"]
    for font in fonts.values():
        descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        assert "/FontFile2" in descriptor  # embedded


@pytest.mark.django_db
def test_xlsx_holds_every_report(cycle, make_user, settings, tmp_path,
                                 django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    analyst = make_user(Role.ANALYST, "МТСЗН", username="analyst")
    _report, data = generated(cycle, "xlsx", "ru", analyst, django_capture_on_commit_callbacks)
    workbook = load_workbook(io.BytesIO(data))
    consolidated, reports = workbook.worksheets
    assert [c.value for c in consolidated[1]][:2] == ["№", "Мероприятие"]
    assert consolidated.max_row == 3
    assert reports.max_row == 1 + ExecutorReport.objects.filter(cycle=cycle).count()


@pytest.mark.django_db
def test_each_request_is_a_new_version(cycle, make_user, settings, tmp_path,
                                       django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    analyst = make_user(Role.ANALYST, "МТСЗН", username="analyst")
    first, _ = generated(cycle, "xlsx", "ru", analyst, django_capture_on_commit_callbacks)
    second, _ = generated(cycle, "xlsx", "ru", analyst, django_capture_on_commit_callbacks)
    assert (first.version, second.version) == (1, 2)
    assert first.file.name != second.file.name


@pytest.mark.django_db
def test_the_pages_are_for_analysts(cycle, make_user, client_for, settings, tmp_path,
                                   django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    analyst = client_for(make_user(Role.ANALYST, "МТСЗН", username="analyst"))
    assert analyst.get("/ru/plan/reports/2021/consolidated/").status_code == 200
    executor = client_for(make_user(Role.AGENCY_EXECUTOR, "МЗ", username="mz3"))
    assert executor.get("/ru/plan/reports/2021/consolidated/").status_code == 404
    response = analyst.post("/ru/plan/reports/2021/consolidated/measures/21/",
                            {"status": "completed", "text_ru": "Исполнено.", "text_kk": ""})
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = analyst.post("/ru/plan/reports/2021/consolidated/generate/",
                                {"format": "pdf", "language": "ru"})
    assert response.status_code == 302
    done = ConsolidatedReport.objects.get()
    download = analyst.get(f"/ru/plan/reports/2021/consolidated/files/{done.pk}/")
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert executor.get(f"/ru/plan/reports/2021/consolidated/files/{done.pk}/"
                        ).status_code == 404
