"""The proactive rules as a nightly background job, run by `manage.py db_worker`."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from tendik.plan.tasks import next_morning


@task()
def run_proactive_rules(full: bool = False) -> dict[str, int]:
    """Run the rules (incrementally unless asked), then book the next night's run."""
    from tendik.cases.rules import run_rules

    result = run_rules(incremental=not full)
    schedule_rules()
    return result.by_rule


def schedule_rules() -> bool:
    """Make sure one run waits in the queue; True when one was added. Without the
    database task backend, run `manage.py run_rules` from the system's scheduler."""
    if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        return False
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    path = f"{run_proactive_rules.func.__module__}.{run_proactive_rules.func.__name__}"
    if DBTaskResult.objects.filter(task_path=path, status=TaskResultStatus.READY,
                                   run_after__gt=timezone.now()).exists():
        return False
    run_proactive_rules.using(run_after=next_morning()).enqueue()
    return True
