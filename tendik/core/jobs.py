"""Background jobs that survive a crash: each worker holds a lease on its running job by
a heartbeat, and a job whose worker stopped beating is run again by another.

- Every worker (`manage.py run_worker`) writes its heartbeat (`WorkerBeat`) every quarter
  of the lease, from a thread of its own, also while a long job runs.
- Every worker, on each beat, looks for jobs that are "running" on a worker whose last
  beat is older than the lease (killed, out of memory, machine lost) and puts them back in
  the queue; after the last attempt such a job is marked failed, with the reason.
- A job that fails is tried again after a growing pause (30 s, 2 min, 8 min…), up to
  TASK_MAX_ATTEMPTS; then it stays failed, with its error, in the back office.

A job therefore runs at least once and, when it completes, exactly once; each job of the
platform is written so that running it again does no harm (it recomputes, or it checks
what is done). The claim of a job stays the library's (a row lock with SKIP LOCKED on
PostgreSQL, an immediate transaction on SQLite), so two workers never take the same one.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_tasks_db.models import DBTaskResult


class WorkerLost(Exception):
    """The worker that ran the job stopped answering before the job ended."""


def lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.TASK_LEASE_SECONDS)


def max_attempts() -> int:
    return int(settings.TASK_MAX_ATTEMPTS)


def retry_delay(attempt: int) -> dt.timedelta:
    """The pause before attempt number `attempt + 1`: 30 s, 2 min, 8 min, … at most 1 h."""
    return dt.timedelta(seconds=min(30 * 4 ** (attempt - 1), 3600))


class WorkerBeat(models.Model):
    worker_id = models.CharField(_("worker"), max_length=64, unique=True)
    host = models.CharField(_("host"), max_length=255)
    pid = models.PositiveIntegerField(_("process"))
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    beat_at = models.DateTimeField(_("last heartbeat"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("background worker")
        verbose_name_plural = _("background workers")

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.host}, {self.pid})"

    @classmethod
    def beat(cls, worker_id: str) -> None:
        now = timezone.now()
        updated = cls.objects.filter(worker_id=worker_id).update(beat_at=now)
        if not updated:
            cls.objects.update_or_create(worker_id=worker_id, defaults={
                "host": socket.gethostname()[:255], "pid": os.getpid(), "started_at": now,
                "beat_at": now})

    @classmethod
    def alive(cls, now: dt.datetime | None = None) -> models.QuerySet[WorkerBeat]:
        return cls.objects.filter(beat_at__gte=(now or timezone.now()) - lease())


def attempts(result: DBTaskResult) -> int:
    """How many times the job was claimed: the library appends each claimer's id."""
    return len(result.worker_ids or [])


def recover_abandoned(now: dt.datetime | None = None) -> list[str]:
    """Put back in the queue (or fail, after the last attempt) every running job whose
    worker's lease has run out. Returns the ids of the jobs recovered."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    alive = set(WorkerBeat.alive(now).values_list("worker_id", flat=True))
    recovered = []
    for result in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING,
                                              started_at__lt=now - lease()):
        worker = (result.worker_ids or [""])[-1]
        if worker in alive:
            continue
        changes: dict[str, object]
        if attempts(result) >= max_attempts():
            changes = {"status": TaskResultStatus.FAILED, "finished_at": now,
                       "exception_class_path": f"{WorkerLost.__module__}.WorkerLost",
                       "traceback": f"The worker {worker} stopped answering; the job was "
                                    f"tried {attempts(result)} times."}
        else:
            changes = {"status": TaskResultStatus.READY, "run_after": now}
        # Lock-free: only the first worker to see the job abandoned moves it.
        if DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING,
                                       worker_ids=result.worker_ids).update(**changes):
            recovered.append(str(result.pk))
    return recovered


def retry_if_attempts_left(result: DBTaskResult, now: dt.datetime | None = None) -> bool:
    """A failed job goes back in the queue after a pause, while it has attempts left."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    done = attempts(result)
    if result.status != TaskResultStatus.FAILED or done >= max_attempts():
        return False
    run_after = (now or timezone.now()) + retry_delay(done)
    return bool(DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.FAILED)
                .update(status=TaskResultStatus.READY, run_after=run_after,
                        finished_at=None))
