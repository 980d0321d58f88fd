import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from tendik.core.models import AuditEvent, Role
from tendik.plan import interchange
from tendik.plan.models import Measure, Plan
from tendik.plan.services import NATIONAL_PLAN_CODE, load_national_plan


@pytest.fixture
def national(reference):
    load_national_plan()
    return Plan.objects.get(code=NATIONAL_PLAN_CODE)


def measures_table(plan: Plan) -> list[list[str]]:
    return [[str(v) for v in interchange.measure_row(m)] for m in interchange.measures_of(plan)]


def renamed_xlsx(data: bytes, code: str) -> bytes:
    workbook = load_workbook(io.BytesIO(data))
    for row in workbook["plan"].iter_rows():
        if row[0].value == "code":
            row[1].value = code
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.django_db
def test_an_xlsx_round_trip_gives_the_same_plan(national, make_user):
    analyst = make_user(Role.ANALYST, "МТСЗН", username="analyst")
    exported = interchange.export_xlsx(national)
    copy = interchange.import_plan(io.BytesIO(renamed_xlsx(exported, "np-copy")), "plan.xlsx",
                                   by=analyst)
    assert copy.measures.count() == 95
    assert measures_table(copy) == measures_table(national)
    assert (copy.start_year, copy.end_year, copy.approved_by) == (2019, 2025,
                                                                  national.approved_by)
    again = load_workbook(io.BytesIO(interchange.export_xlsx(copy)))["measures"]
    original = load_workbook(io.BytesIO(exported))["measures"]
    assert [[c.value for c in r] for r in again.iter_rows()] == \
        [[c.value for c in r] for r in original.iter_rows()]


@pytest.mark.django_db
def test_a_csv_round_trip_with_the_plan_from_the_form(national, make_user):
    analyst = make_user(Role.ANALYST, "МТСЗН", username="analyst")
    exported = interchange.export_csv(national)
    copy = interchange.import_plan(io.BytesIO(exported), "plan.csv", by=analyst, plan_fields={
        "code": "np-2026", "title_ru": "Новый план", "start_year": "2026",
        "end_year": "2030", "approved_by_kind": "government_decree",
        "approved_by_number": "1", "approved_by_date": "2026-01-15"})
    assert measures_table(copy) == measures_table(national)
    assert interchange.export_csv(copy) == exported


def bad_csv() -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(interchange.COLUMNS)
    good = dict.fromkeys(interchange.COLUMNS, "") | {
        "number": "1", "in_source": "1", "title_ru": "Мероприятие", "executors": "МЗ;МИО",
        "deadline_kind": "year", "start_year": "2026", "end_year": "2026"}
    writer.writerow([good[c] for c in interchange.COLUMNS])
    writer.writerow([(good | {"number": "1", "executors": "МЗ;ЖОҚ",
                              "completion_form_kind": "poem"})[c]
                     for c in interchange.COLUMNS])
    writer.writerow([(good | {"number": "x", "title_ru": "", "start_year": "2027",
                              "end_year": "2026", "targets": "{broken"})[c]
                     for c in interchange.COLUMNS])
    return buffer.getvalue().encode()


@pytest.mark.django_db
def test_a_bad_file_reports_every_row_and_imports_nothing(reference, make_user):
    analyst = make_user(Role.ANALYST, "МТСЗН", username="analyst")
    events = AuditEvent.objects.count()
    with pytest.raises(interchange.ImportRefused) as refused:
        interchange.import_plan(io.BytesIO(bad_csv()), "plan.csv", by=analyst, plan_fields={
            "code": "np-bad", "title_ru": "План", "start_year": "2026", "end_year": "2030",
            "approved_by_kind": "government_decree", "approved_by_number": "1",
            "approved_by_date": "2026-01-15"})
    found = {(e.row, e.column) for e in refused.value.errors}
    assert found == {(3, "number"), (3, "executors"), (3, "completion_form_kind"),
                     (4, "number"), (4, "title_ru"), (4, "end_year"), (4, "targets")}
    assert not Plan.objects.filter(code="np-bad").exists()
    assert not Measure.objects.exists()
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_missing_plan_fields_and_columns_are_reported(reference, make_user):
    analyst = make_user(Role.ANALYST, "МТСЗН", username="analyst")
    with pytest.raises(interchange.ImportRefused) as refused:
        interchange.import_plan(io.BytesIO(bad_csv()), "plan.csv", by=analyst)
    assert {"code", "title_ru", "start_year"} <= {e.column for e in refused.value.errors
                                                  if e.row == 0}
    workbook = Workbook()
    workbook.active.title = "measures"
    workbook.active.append(["number", "title_ru"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    with pytest.raises(interchange.ImportRefused) as refused:
        interchange.import_plan(buffer, "plan.xlsx", by=analyst)
    assert "executors" in refused.value.errors[0].column


@pytest.mark.django_db
def test_the_import_page_shows_row_errors_and_checks_the_file(reference, make_user,
                                                              client_for):
    analyst = client_for(make_user(Role.ANALYST, "МТСЗН", username="analyst"))
    upload = SimpleUploadedFile("plan.csv", bad_csv(), content_type="text/csv")
    page = analyst.post("/ru/plan/import/", {"file": upload, "code": "np-bad",
                                             "title_ru": "План", "start_year": "2026",
                                             "end_year": "2030",
                                             "approved_by_kind": "government_decree",
                                             "approved_by_number": "1",
                                             "approved_by_date": "2026-01-15"})
    assert page.status_code == 200
    assert len(page.context["errors"]) == 7
    assert 'class="error-summary"' in page.content.decode()
    fake = SimpleUploadedFile("plan.xlsx", b"this is not a workbook")
    page = analyst.post("/ru/plan/import/", {"file": fake})
    assert page.context["form"].errors["file"]
    assert not Plan.objects.exists()
    executor = client_for(make_user(Role.AGENCY_EXECUTOR, "МЗ", username="mz"))
    assert executor.get("/ru/plan/import/").status_code == 404


@pytest.mark.django_db
def test_anyone_downloads_a_plan(national, client):
    response = client.get(f"/ru/plan/export/{NATIONAL_PLAN_CODE}.xlsx")
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.content))["measures"].max_row == 96
    assert client.get("/ru/plan/export/nope.csv").status_code == 404


@pytest.mark.django_db
def test_a_csv_with_semicolons_from_a_spreadsheet_is_read(national, make_user):
    rows = list(csv.reader(io.StringIO(interchange.export_csv(national).decode("utf-8-sig"))))
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    parsed = interchange.parse(io.BytesIO(buffer.getvalue().encode()), "plan.csv", {
        "code": "np-semicolon", "title_ru": "План", "start_year": "2026", "end_year": "2030",
        "approved_by_kind": "government_decree", "approved_by_number": "2",
        "approved_by_date": "2026-02-01"})
    assert parsed.errors == []
    assert len(parsed.measures) == 95
    assert parsed.measures[47]["executors"] == ["МНЭ", "МИО"]
