import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tendik.core.models import AccessRecord, Role
from tendik.plan import reporting
from tendik.plan.models import ExecutorReport, Plan, ReportAttachment
from tendik.plan.services import NATIONAL_PLAN_CODE

State = ExecutorReport.State
PDF_BYTES = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def people(small_plan, make_user):
    return {
        "analyst": make_user(Role.ANALYST, "МТСЗН", username="analyst"),
        "mz": make_user(Role.AGENCY_EXECUTOR, "МЗ", username="mz"),
        "mp": make_user(Role.AGENCY_EXECUTOR, "МП", username="mp"),
        "almaty": make_user(Role.AKIMAT_OFFICIAL, "AKIMAT-750000000", username="almaty"),
        "astana": make_user(Role.AKIMAT_OFFICIAL, "AKIMAT-710000000", username="astana"),
        "auditor": make_user(Role.AUDITOR, username="auditor"),
    }


@pytest.fixture
def cycle(people):
    return reporting.open_cycle(Plan.objects.get(code=NATIONAL_PLAN_CODE), 2021,
                                by=people["analyst"])


def report_of(cycle, number, code):
    return ExecutorReport.objects.get(cycle=cycle, measure__number=number,
                                      organisation__code=code)


REPORT_FORM = {"status": "completed", "narrative_ru": "Приказ утверждён.",
               "narrative_kk": "", "spending": "", "act_kind": "order", "act_number": "12",
               "act_date": "2021-06-01", "target_2021": "9.5", "target_2020": ""}


@pytest.mark.django_db
def test_an_analyst_opens_a_year_from_the_page(people, client_for):
    client = client_for(people["analyst"])
    response = client.post("/ru/plan/reports/open/", {"year": "2022"}, follow=True)
    assert response.status_code == 200
    assert Plan.objects.get().cycles.filter(year=2022).exists()
    assert client_for(people["mz"]).post("/ru/plan/reports/open/",
                                         {"year": "2023"}).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("who,visible", [
    ("analyst", 22), ("mz", 1), ("mp", 0), ("almaty", 1), ("astana", 1), ("auditor", 22),
])
def test_each_executor_lists_only_its_own_reports(people, cycle, client_for, who, visible):
    response = client_for(people[who]).get("/ru/plan/reports/", {"year": 2021})
    assert len(response.context["rows"]) == visible


@pytest.mark.django_db
@pytest.mark.parametrize("who,number,code,status", [
    ("mz", 21, "МЗ", 200), ("mp", 21, "МЗ", 404),
    ("almaty", 20, "AKIMAT-750000000", 200), ("almaty", 20, "AKIMAT-710000000", 404),
    ("astana", 20, "AKIMAT-750000000", 404), ("analyst", 20, "AKIMAT-710000000", 200),
])
def test_a_report_of_another_scope_is_not_found(people, cycle, client_for, who, number,
                                                code, status):
    report = report_of(cycle, number, code)
    client = client_for(people[who])
    assert client.get(f"/ru/plan/reports/{report.pk}/").status_code == status
    response = client.post(f"/ru/plan/reports/{report.pk}/", {**REPORT_FORM, "save": ""})
    assert response.status_code in ({302} if status == 200 and who != "analyst" else
                                    {403, 404})
    if status == 404:
        assert ExecutorReport.objects.get(pk=report.pk).narrative_ru == ""


@pytest.mark.django_db
def test_an_executor_fills_attaches_and_submits(people, cycle, client_for, settings,
                                                tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = report_of(cycle, 21, "МЗ")
    client = client_for(people["mz"])
    response = client.post(f"/ru/plan/reports/{report.pk}/", {**REPORT_FORM, "save": ""})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == State.DRAFT and report.target_values == {"2021": 9.5}
    upload = SimpleUploadedFile("приказ.pdf", PDF_BYTES, content_type="application/pdf")
    client.post(f"/ru/plan/reports/{report.pk}/attachments/", {"file": upload})
    attachment = ReportAttachment.objects.get(report=report)
    download = client.get(f"/ru/plan/reports/{report.pk}/attachments/{attachment.pk}/")
    assert b"".join(download.streaming_content) == PDF_BYTES
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00", content_type="application/pdf")
    page = client.post(f"/ru/plan/reports/{report.pk}/attachments/", {"file": fake},
                       follow=True)
    assert ReportAttachment.objects.filter(report=report).count() == 1
    assert "PDF, DOCX, XLSX" in page.content.decode() or "PDF" in page.content.decode()
    response = client.post(f"/ru/plan/reports/{report.pk}/", {**REPORT_FORM, "submit": ""})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == State.SUBMITTED
    # A submitted report is read-only for its executor.
    page = client.get(f"/ru/plan/reports/{report.pk}/")
    assert page.context["form"] is None


@pytest.mark.django_db
def test_an_incomplete_report_shows_the_errors_and_stays_a_draft(people, cycle, client_for):
    report = report_of(cycle, 21, "МЗ")
    response = client_for(people["mz"]).post(
        f"/ru/plan/reports/{report.pk}/",
        {**REPORT_FORM, "narrative_ru": "", "act_number": "", "submit": ""})
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"narrative_ru", "act_number"}
    assert 'class="error-summary"' in response.content.decode()
    report.refresh_from_db()
    assert report.state == State.DRAFT


@pytest.mark.django_db
def test_the_analyst_returns_with_a_comment_then_accepts(people, cycle, client_for):
    report = report_of(cycle, 21, "МЗ")
    client_for(people["mz"]).post(f"/ru/plan/reports/{report.pk}/",
                                  {**REPORT_FORM, "submit": ""})
    analyst = client_for(people["analyst"])
    response = analyst.post(f"/ru/plan/reports/{report.pk}/review/",
                            {"action": "return", "comment": ""})
    assert response.status_code == 200
    assert response.context["review_form"].errors["comment"]
    analyst.post(f"/ru/plan/reports/{report.pk}/review/",
                 {"action": "return", "comment": "Приложите приказ."})
    report.refresh_from_db()
    assert report.state == State.RETURNED
    page = client_for(people["mz"]).get(f"/ru/plan/reports/{report.pk}/")
    assert "Приложите приказ." in page.content.decode()
    client_for(people["mz"]).post(f"/ru/plan/reports/{report.pk}/",
                                  {**REPORT_FORM, "submit": ""})
    analyst.post(f"/ru/plan/reports/{report.pk}/review/", {"action": "accept", "comment": ""})
    report.refresh_from_db()
    assert report.state == State.ACCEPTED
    assert client_for(people["mz"]).post(f"/ru/plan/reports/{report.pk}/review/",
                                         {"action": "accept"}).status_code == 404


@pytest.mark.django_db
def test_the_dashboard_counts_by_executor_and_region(people, cycle, client_for):
    mz = report_of(cycle, 21, "МЗ")
    client_for(people["mz"]).post(f"/ru/plan/reports/{mz.pk}/", {**REPORT_FORM, "submit": ""})
    ExecutorReport.objects.filter(pk=mz.pk).update(
        submitted_at=dt.datetime(2022, 1, 25, 10, tzinfo=dt.UTC))
    response = client_for(people["analyst"]).get("/ru/plan/reports/2021/dashboard/")
    rows = {row["organisation__code"]: row for row in response.context["by_executor"]}
    assert rows["МЗ"]["submitted"] == 1 and rows["МЗ"]["late"] == 1
    assert rows["МТСЗН"]["submitted"] == 0
    assert len(response.context["by_region"]) == 20
    assert response.context["totals"]["total"] == 22
    own = client_for(people["almaty"]).get("/ru/plan/reports/2021/dashboard/")
    assert [r["organisation__code"] for r in own.context["by_executor"]] == [
        "AKIMAT-750000000"]


@pytest.mark.django_db
def test_reports_are_not_personal_data_pages(people, cycle, client_for):
    client_for(people["analyst"]).get("/ru/plan/reports/")
    assert not AccessRecord.objects.exists()


@pytest.mark.django_db
def test_a_long_list_of_reports_comes_in_pages(make_user, client_for):
    from tendik.plan.services import load_national_plan

    load_national_plan()
    analyst = make_user(Role.ANALYST, "МТСЗН", username="analyst")
    reporting.open_cycle(Plan.objects.get(), 2019, by=analyst)
    total = ExecutorReport.objects.count()
    assert total > 200
    client = client_for(analyst)
    first = client.get("/ru/plan/reports/", {"year": 2019})
    assert len(first.context["rows"]) == 100 and first.context["page"].paginator.count == total
    last = client.get("/ru/plan/reports/", {"year": 2019, "page": 99})  # clamps to the last
    assert len(last.context["rows"]) == total - 100 * (last.context["page"].number - 1)
    assert "page=2" in first.content.decode()
