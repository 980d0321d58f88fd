"""The platform's background worker: django-tasks' db_worker with a heartbeat lease,
recovery of jobs whose worker died and retries with back-off (tendik/core/jobs.py)."""

from __future__ import annotations

import threading
from typing import Any

from django.db import close_old_connections, connection
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from tendik.core import jobs


class LeasedWorker(db_worker.Worker):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._stopped = threading.Event()
        self._heart = threading.Thread(target=self._beat_forever, name="heartbeat",
                                       daemon=True)

    def _beat_once(self) -> None:
        close_old_connections()
        jobs.WorkerBeat.beat(self.worker_id)
        recovered = jobs.recover_abandoned()
        if recovered:
            db_worker.logger.warning("Jobs of a lost worker put back in the queue: %s",
                                     ", ".join(recovered))

    def _beat_forever(self) -> None:
        interval = jobs.lease().total_seconds() / 4
        try:
            while not self._stopped.is_set():
                try:
                    self._beat_once()
                except Exception:  # a busy database must not stop the heartbeat
                    db_worker.logger.exception("Heartbeat failed; trying again")
                self._stopped.wait(interval)
        finally:
            connection.close()

    def run(self) -> None:
        self._beat_once()
        self._heart.start()
        try:
            super().run()
        finally:
            self._stopped.set()
            jobs.WorkerBeat.objects.filter(worker_id=self.worker_id).delete()

    def run_task(self, db_task_result: DBTaskResult) -> None:
        super().run_task(db_task_result)
        db_task_result.refresh_from_db(fields=["status", "worker_ids"])
        if jobs.retry_if_attempts_left(db_task_result):
            db_worker.logger.warning("Job id=%s failed; it will be tried again",
                                     db_task_result.id)


class Command(db_worker.Command):
    help = ("Run background jobs with a heartbeat: a job whose worker dies is run again by "
            "another, failed jobs are retried with back-off (TASK_LEASE_SECONDS, "
            "TASK_MAX_ATTEMPTS).")

    def handle(self, *args: Any, **options: Any) -> None:
        original = db_worker.Worker
        db_worker.Worker = LeasedWorker  # type: ignore[misc]
        try:
            super().handle(*args, **options)
        finally:
            db_worker.Worker = original  # type: ignore[misc]
