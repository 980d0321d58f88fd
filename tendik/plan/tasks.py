"""Background jobs of the plan, run by `manage.py db_worker`."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django_tasks import task

# The consolidated report's job lives beside the code it runs; named here too so that jobs
# queued under this path still run.
from tendik.plan.consolidation import generate_consolidated_report

__all__ = ["generate_consolidated_report", "next_morning", "schedule_reminders",
           "send_plan_reminders"]

REMINDER_HOUR = 9  # local time: reminders arrive at the start of the working day


def next_morning(now: dt.datetime | None = None) -> dt.datetime:
    local = timezone.localtime(now or timezone.now())
    morning = local.replace(hour=REMINDER_HOUR, minute=0, second=0, microsecond=0)
    return morning if morning > local else morning + dt.timedelta(days=1)


@task()
def send_plan_reminders() -> dict[str, int]:
    """Send the reporting reminders due today, then book tomorrow's run."""
    from tendik.plan.reporting import send_due_reminders

    run = send_due_reminders()
    schedule_reminders()
    return {**run.sent, "no_address": run.skipped_no_address}


def schedule_reminders() -> bool:
    """Make sure one run of the reminders waits in the queue; True when one was added.

    Only the database backend keeps jobs for later; with another backend the daily run
    comes from `manage.py send_plan_reminders` in the system's scheduler (cron, a
    systemd timer).
    """
    if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        return False
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    path = f"{send_plan_reminders.func.__module__}.{send_plan_reminders.func.__name__}"
    waiting = DBTaskResult.objects.filter(task_path=path, status=TaskResultStatus.READY,
                                          run_after__gt=timezone.now())
    if waiting.exists():
        return False
    send_plan_reminders.using(run_after=next_morning()).enqueue()
    return True
