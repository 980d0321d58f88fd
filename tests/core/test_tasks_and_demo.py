import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from tendik.core.demo import DEMO_ACCOUNTS
from tendik.core.models import Role, User
from tendik.core.tasks import send_email


@pytest.mark.django_db
def test_the_email_task_sends_through_djangos_backend():
    result = send_email.enqueue(["a@example.kz"], "Тема", "Текст")
    assert result.return_value == 1
    assert mail.outbox[0].subject == "Тема"


@pytest.mark.django_db
def test_the_demo_has_one_account_per_role_and_is_idempotent(reference, settings, capsys):
    settings.DEBUG = True
    call_command("load_demo")
    first = capsys.readouterr().out
    call_command("load_demo")
    second = capsys.readouterr().out
    assert first == second
    assert {a.role for a in DEMO_ACCOUNTS} == set(Role.values)
    assert User.objects.filter(username__startswith="demo.").count() == len(DEMO_ACCOUNTS)
    for user in User.objects.filter(username__startswith="demo."):
        assert user.check_password("Tendik-demo-2026")
        has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        assert has_device == user.is_staff_role, user.username
        if user.is_staff_role:
            assert "TOTP secret" in next(line for line in first.splitlines()
                                         if user.username in line)


@pytest.mark.django_db
def test_the_demo_refuses_a_production_database(reference, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("load_demo")


@pytest.mark.django_db
def test_the_demo_has_a_2024_reporting_with_every_kind_of_report(reference, settings,
                                                                 capsys):
    from tendik.plan.models import ExecutorReport, ReportingCycle
    from tendik.plan.services import load_national_plan

    settings.DEBUG = True
    load_national_plan()
    call_command("load_demo")
    assert "2024 reporting with" in capsys.readouterr().out
    cycle = ReportingCycle.objects.get(year=2024)
    states = set(ExecutorReport.objects.filter(cycle=cycle).values_list("state", flat=True))
    assert states == {"draft", "submitted", "under_review", "returned", "accepted"}
    today = cycle.executor_deadline.replace(year=2026)
    flags = {r.timeliness(today) for r in ExecutorReport.objects.filter(cycle=cycle)}
    assert flags == {"on_time", "late", "overdue"}
    # The people who report for organisations without a published demo account cannot
    # sign in.
    assert not User.objects.get(username__startswith="demo.officer.",
                                organisation__code="МП").has_usable_password()
    call_command("load_demo")
    assert ExecutorReport.objects.filter(cycle=cycle).count() == cycle.reports.count()
    assert ReportingCycle.objects.count() == 1
