import datetime as dt
import io

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tendik.core.models import AuditEvent, Organisation, Role
from tendik.plan import reporting
from tendik.plan.models import (
    ExecutorReport,
    Plan,
    ReminderSent,
    ReportAttachment,
    ReportTransition,
)
from tendik.plan.services import NATIONAL_PLAN_CODE

State = ExecutorReport.State
PDF_BYTES = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def people(small_plan, make_user):
    return {
        "analyst": make_user(Role.ANALYST, "МТСЗН", username="analyst"),
        "mz": make_user(Role.AGENCY_EXECUTOR, "МЗ", username="mz", email="mz@gov.kz"),
        "mtszn": make_user(Role.AGENCY_EXECUTOR, "МТСЗН", username="mtszn",
                           email="mtszn@gov.kz"),
        "almaty": make_user(Role.AKIMAT_OFFICIAL, "AKIMAT-750000000", username="almaty",
                            email="almaty@akimat.kz"),
        "astana": make_user(Role.AKIMAT_OFFICIAL, "AKIMAT-710000000", username="astana",
                            email=""),
    }


@pytest.fixture
def cycle_2021(people):
    return reporting.open_cycle(Plan.objects.get(code=NATIONAL_PLAN_CODE), 2021,
                                by=people["analyst"])


def report_of(cycle, number: int, code: str) -> ExecutorReport:
    return ExecutorReport.objects.get(cycle=cycle, measure__number=number,
                                      organisation__code=code)


def complete(report, user, **extra):
    values = {"status": "completed", "narrative_ru": "Выполнено: приказ утверждён.",
              "act_kind": "order", "act_number": "12", "act_date": dt.date(2021, 6, 1)}
    return reporting.save_report(report, {**values, **extra}, by=user)


@pytest.mark.django_db
def test_opening_a_year_creates_one_obligation_per_measure_and_executor(cycle_2021):
    assert cycle_2021.executor_deadline == dt.date(2022, 1, 20)
    assert cycle_2021.consolidation_deadline == dt.date(2022, 2, 15)
    pairs = set(cycle_2021.reports.values_list("measure__number", "organisation__code"))
    akimats = {("20", code) for code in Organisation.objects.filter(
        kind="akimat").values_list("code", flat=True)}
    assert len(akimats) == 20
    assert pairs == {(20, "МТСЗН"), (21, "МЗ")} | {(20, code) for _n, code in akimats}
    assert cycle_2021.reports.filter(state=State.DRAFT).count() == 22


@pytest.mark.django_db
def test_a_year_is_opened_once_and_only_by_an_analyst(people, cycle_2021):
    plan = Plan.objects.get(code=NATIONAL_PLAN_CODE)
    with pytest.raises(ValidationError):
        reporting.open_cycle(plan, 2021, by=people["analyst"])
    with pytest.raises(PermissionDenied):
        reporting.open_cycle(plan, 2022, by=people["mz"])
    with pytest.raises(ValidationError):
        reporting.open_cycle(plan, 2030, by=people["analyst"])


@pytest.mark.django_db
def test_the_workflow_from_draft_to_accepted_is_audited(people, cycle_2021):
    report = report_of(cycle_2021, 21, "МЗ")
    complete(report, people["mz"])
    report = reporting.submit_report(report, by=people["mz"])
    assert report.state == State.SUBMITTED and report.submitted_at is not None
    report = reporting.start_review(report, by=people["analyst"])
    report = reporting.return_report(report, "Приложите приказ.", by=people["analyst"])
    assert report.state == State.RETURNED
    complete(report, people["mz"], narrative_ru="Приказ № 12 приложен.")
    report = reporting.submit_report(report, by=people["mz"])
    report = reporting.accept_report(report, by=people["analyst"])
    assert report.state == State.ACCEPTED and report.accepted_at is not None
    moves = list(ReportTransition.objects.filter(report=report)
                 .values_list("from_state", "to_state", "by__username"))
    assert moves == [("draft", "submitted", "mz"), ("submitted", "under_review", "analyst"),
                     ("under_review", "returned", "analyst"), ("returned", "submitted", "mz"),
                     ("submitted", "accepted", "analyst")]
    assert ReportTransition.objects.get(to_state="returned").comment == "Приложите приказ."
    states = [e.changes.get("state") for e in AuditEvent.objects.filter(
        model="plan.executorreport", object_id=str(report.pk), action="update")]
    assert ["returned", "submitted"] in states
    with pytest.raises(ValidationError):
        reporting.save_report(report, {"narrative_ru": "поздно"}, by=people["mz"])


@pytest.mark.django_db
def test_returning_needs_a_comment(people, cycle_2021):
    report = report_of(cycle_2021, 21, "МЗ")
    complete(report, people["mz"])
    reporting.submit_report(report, by=people["mz"])
    with pytest.raises(ValidationError) as error:
        reporting.return_report(report, "  ", by=people["analyst"])
    assert "comment" in error.value.message_dict


@pytest.mark.django_db
def test_an_incomplete_report_cannot_be_submitted(people, cycle_2021):
    report = report_of(cycle_2021, 21, "МЗ")
    with pytest.raises(ValidationError) as error:
        reporting.submit_report(report, by=people["mz"])
    assert set(error.value.message_dict) == {"status", "narrative_ru"}
    reporting.save_report(report, {"status": "completed", "narrative_kk": "Орындалды."},
                          by=people["mz"])
    with pytest.raises(ValidationError) as error:  # the form of completion is an order
        reporting.submit_report(report, by=people["mz"])
    assert set(error.value.message_dict) == {"act_number"}


@pytest.mark.django_db
def test_executors_write_only_their_own_reports(people, cycle_2021):
    mz_report = report_of(cycle_2021, 21, "МЗ")
    almaty_report = report_of(cycle_2021, 20, "AKIMAT-750000000")
    with pytest.raises(PermissionDenied):
        complete(mz_report, people["mtszn"])
    with pytest.raises(PermissionDenied):
        complete(almaty_report, people["astana"])
    with pytest.raises(PermissionDenied):
        complete(almaty_report, people["analyst"])
    complete(almaty_report, people["almaty"])
    with pytest.raises(PermissionDenied):
        reporting.accept_report(almaty_report, by=people["almaty"])


@pytest.mark.django_db
def test_accepting_a_draft_is_refused(people, cycle_2021):
    with pytest.raises(ValidationError):
        reporting.accept_report(report_of(cycle_2021, 21, "МЗ"), by=people["analyst"])


@pytest.mark.django_db
def test_timeliness_flags(people, cycle_2021):
    report = report_of(cycle_2021, 21, "МЗ")
    assert report.timeliness(dt.date(2022, 1, 20)) == "open"
    assert report.timeliness(dt.date(2022, 1, 21)) == "overdue"
    report.submitted_at = timezone.make_aware(dt.datetime(2022, 1, 20, 23, 0))
    assert report.timeliness(dt.date(2022, 3, 1)) == "on_time"
    report.submitted_at = timezone.make_aware(dt.datetime(2022, 1, 21, 9, 0))
    assert report.timeliness(dt.date(2022, 3, 1)) == "late"


@pytest.mark.django_db
def test_attachments_are_checked_by_content(people, cycle_2021, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = report_of(cycle_2021, 21, "МЗ")
    attachment = reporting.attach_file(report, io.BytesIO(PDF_BYTES), "Приказ №12.pdf",
                                       len(PDF_BYTES), by=people["mz"])
    assert attachment.content_type == "application/pdf"
    assert attachment.file.name.endswith(".pdf")
    assert (tmp_path / attachment.file.name).read_bytes() == PDF_BYTES
    fake = b"MZ\x90\x00 not a pdf at all"
    with pytest.raises(ValidationError, match="PDF, DOCX, XLSX"):
        reporting.attach_file(report, io.BytesIO(fake), "report.pdf", len(fake),
                              by=people["mz"])
    with pytest.raises(ValidationError):
        reporting.attach_file(report, io.BytesIO(PDF_BYTES), "huge.pdf",
                              ReportAttachment.MAX_SIZE + 1, by=people["mz"])
    assert ReportAttachment.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("today,kind", [
    (dt.date(2022, 1, 5), None), (dt.date(2022, 1, 6), "days_14"),
    (dt.date(2022, 1, 17), "days_3"), (dt.date(2022, 1, 20), "days_3"),
    (dt.date(2022, 1, 21), "overdue"),
])
def test_which_reminder_is_due(people, cycle_2021, today, kind):
    assert reporting.reminder_due(report_of(cycle_2021, 21, "МЗ"), today) == kind


@pytest.mark.django_db
def test_reminders_go_out_exactly_once_each(people, cycle_2021,
                                            django_capture_on_commit_callbacks):
    report = report_of(cycle_2021, 21, "МЗ")
    with django_capture_on_commit_callbacks(execute=True):
        first = reporting.send_due_reminders(dt.date(2022, 1, 6))
        again = reporting.send_due_reminders(dt.date(2022, 1, 7))
    # МЗ, МТСЗН and the Almaty akimat have addresses; 19 akimats have no staff here.
    assert first.sent == {"days_14": 3} and first.skipped_no_address == 19
    assert again.sent == {}
    assert sorted(m.to[0] for m in mail.outbox) == ["almaty@akimat.kz", "mtszn@gov.kz",
                                                    "mz@gov.kz"]
    complete(report, people["mz"])
    reporting.submit_report(report, by=people["mz"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        overdue = reporting.send_due_reminders(dt.date(2022, 1, 21))
    assert overdue.sent == {"overdue": 2}  # МЗ has submitted
    assert "mz@gov.kz" not in [m.to[0] for m in mail.outbox]
    assert ReminderSent.objects.filter(report=report).count() == 1


@pytest.mark.django_db
def test_the_daily_run_books_itself_once(settings):
    import datetime as dt

    from django_tasks_db.models import DBTaskResult

    from tendik.plan.tasks import next_morning, schedule_reminders

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend",
                                  "QUEUES": ["default", "email"]}}
    assert schedule_reminders() is True
    assert schedule_reminders() is False
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "tendik.plan.tasks.send_plan_reminders"
    assert timezone.localtime(queued.run_after).hour == 9
    evening = timezone.make_aware(dt.datetime(2026, 1, 10, 18, 0))
    assert next_morning(evening) == timezone.make_aware(dt.datetime(2026, 1, 11, 9, 0))
    early = timezone.make_aware(dt.datetime(2026, 1, 10, 7, 0))
    assert next_morning(early) == timezone.make_aware(dt.datetime(2026, 1, 10, 9, 0))


@pytest.mark.django_db
def test_the_command_sends_what_is_due(people, cycle_2021, capsys,
                                       django_capture_on_commit_callbacks):
    from django.core.management import call_command

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_plan_reminders", "--date", "2022-01-18")
    out = capsys.readouterr().out
    assert "days_3: 3" in out and "without an e-mail address: 19" in out
    assert len(mail.outbox) == 3
