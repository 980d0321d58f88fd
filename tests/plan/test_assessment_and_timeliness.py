"""The analyst's assessment takes in every accepted report and says when a newer one came;
timeliness is judged by the submission that counts, the last one."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from tendik.core.models import User
from tendik.plan import consolidation, reporting
from tendik.plan.models import ExecutorReport, Measure

State = ExecutorReport.State


def aware(*args: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


def line_of(cycle, number: int) -> consolidation.MeasureLine:
    return next(x for x in consolidation.measure_lines(cycle) if x.measure.number == number)


def accept_almaty(cycle) -> ExecutorReport:
    report = ExecutorReport.objects.get(cycle=cycle, organisation__code="AKIMAT-750000000")
    return reporting.accept_report(report, by=User.objects.get(username="analyst"))


@pytest.mark.django_db
def test_a_report_accepted_after_the_assessment_is_flagged_and_not_left_out(
        reported_cycle, client_for):
    analyst = User.objects.get(username="analyst")
    with time_machine.travel(aware(2022, 2, 1, 10), tick=False):
        consolidation.assess_measure(reported_cycle, Measure.objects.get(number=20),
                                     status="in_progress", text_ru="Мониторинг начат.",
                                     text_kk="Мониторинг басталды.", by=analyst)
    assert line_of(reported_cycle, 20).newer_reports == []
    with time_machine.travel(aware(2022, 2, 5, 10), tick=False):
        accept_almaty(reported_cycle)

    line = line_of(reported_cycle, 20)
    assert [r.organisation.code for r in line.newer_reports] == ["AKIMAT-750000000"]
    assert line.information("ru") == ("Мониторинг начат.\n"
                                      "город Алматы: Мониторинг ведётся ежеквартально.")
    assert line.information("kk") == ("Мониторинг басталды.\n"
                                      "Алматы қаласы: Мониторинг тоқсан сайын жүргізіледі.")

    client = client_for(analyst)
    page = client.get("/ru/plan/reports/2021/consolidated/measures/20/")
    body = page.content.decode()
    assert 'id="newer-reports"' in body
    assert "Акимат города Алматы" in body and "05.02.2022" in body
    assert "Мониторинг ведётся ежеквартально." in body  # the report's own text
    form = page.context["form"]
    assert form.initial["text_ru"].endswith("город Алматы: Мониторинг ведётся ежеквартально.")
    assert form.initial["text_ru"].startswith("Мониторинг начат.")
    overview = client.get("/ru/plan/reports/2021/consolidated/").content.decode()
    assert "1 отчёт принят после оценки" in overview

    # Saved again, the assessment takes the report in and the flag goes.
    with time_machine.travel(aware(2022, 2, 6, 10), tick=False):
        saved = client.post("/ru/plan/reports/2021/consolidated/measures/20/",
                            {**form.initial, "status": "in_progress"})
    assert saved.status_code == 302
    line = line_of(reported_cycle, 20)
    assert line.newer_reports == []
    assert "Алматы" in line.information("ru")
    assert 'id="newer-reports"' not in client.get(
        "/ru/plan/reports/2021/consolidated/measures/20/").content.decode()


@pytest.mark.django_db
def test_the_assessment_page_shows_every_submitted_report_with_its_text(reported_cycle,
                                                                       client_for):
    page = client_for(User.objects.get(username="analyst")).get(
        "/ru/plan/reports/2021/consolidated/measures/21/")
    body = page.content.decode()
    assert "Министерство здравоохранения Республики Казахстан" in body
    assert "проведено 14 семинаров" in body
    assert 'lang="kk"' in body and "14 семинар өткізілді" in body
    assert page.context["reports"][0]["timeliness"] in {"on_time", "late"}
    kk = client_for(User.objects.get(username="analyst")).get(
        "/kk/plan/reports/2021/consolidated/measures/20/").content.decode()
    assert "Мониторинг ведётся ежеквартально." in kk
    assert "20 more executors" not in kk


@pytest.fixture
def returned_in_time(reported_cycle):
    """Almaty's report: submitted before the deadline, then returned for changes."""
    report = ExecutorReport.objects.get(cycle=reported_cycle,
                                        organisation__code="AKIMAT-750000000")
    ExecutorReport.objects.filter(pk=report.pk).update(submitted_at=aware(2022, 1, 10, 12))
    with time_machine.travel(aware(2022, 1, 15, 10), tick=False):
        return reporting.return_report(report, "Добавьте цифры.",
                                       by=User.objects.get(username="analyst"))


@pytest.mark.django_db
def test_a_resubmission_after_the_deadline_is_late(returned_in_time, make_user, client_for):
    report = returned_in_time
    assert report.cycle.executor_deadline == dt.date(2022, 1, 20)
    assert report.timeliness(dt.date(2022, 1, 18)) == "open"
    assert report.timeliness(dt.date(2022, 1, 22)) == "overdue"  # waiting for the new one
    assert list(ExecutorReport.objects.overdue(dt.date(2022, 1, 22)).filter(pk=report.pk)) \
        == [report]

    almaty = User.objects.get(username="almaty")
    with time_machine.travel(aware(2022, 1, 25, 11), tick=False):
        report = reporting.submit_report(report, by=almaty)
    assert report.submitted_at == aware(2022, 1, 10, 12)  # the first stays recorded
    assert report.resubmitted_at == aware(2022, 1, 25, 11)
    assert report.timeliness(dt.date(2022, 3, 1)) == "late"

    analyst = client_for(User.objects.get(username="analyst"))
    detail = analyst.get(f"/ru/plan/reports/{report.pk}/").content.decode()
    assert "С опозданием" in detail or "Late" in detail
    assert "В срок" not in detail and "On time" not in detail
    assert "10.01.2022 12:00" in detail and "25.01.2022 11:00" in detail  # first and last
    assert report in ExecutorReport.objects.filter(pk=report.pk).exclude(
        pk__in=ExecutorReport.objects.overdue(dt.date(2022, 3, 1)))
    listing = analyst.get("/ru/plan/reports/?year=2021&state=submitted").context
    flags = {r.pk: flag for r, flag in listing["rows"]}
    assert flags[report.pk] == "late"
    dashboard = analyst.get("/ru/plan/reports/2021/dashboard/").context
    row = next(r for r in dashboard["by_executor"]
               if r["organisation__code"] == "AKIMAT-750000000")
    assert (row["on_time"], row["late"]) == (0, 1)


@pytest.mark.django_db
def test_a_resubmission_before_the_deadline_stays_in_time(returned_in_time):
    with time_machine.travel(aware(2022, 1, 19, 11), tick=False):
        report = reporting.submit_report(returned_in_time,
                                         by=User.objects.get(username="almaty"))
    assert report.timeliness(dt.date(2022, 3, 1)) == "on_time"


