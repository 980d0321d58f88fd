"""Jobs survive a crash: a job whose worker stopped beating goes back in the queue (or
fails after its last attempt), a failed job is retried after a pause, and /readyz tells
whether a worker is alive and the queue moves."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tendik.core import jobs
from tendik.core.jobs import WorkerBeat

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def running(worker: str, *, attempts: int = 1, started_ago: float = 600) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING, args_kwargs={"args": [], "kwargs": {}},
        task_path="tests.core.crash_tasks.slow_job", backend_name="default",
        run_after=timezone.now(), worker_ids=[f"earlier-{i}" for i in range(attempts - 1)]
        + [worker], started_at=timezone.now() - dt.timedelta(seconds=started_ago))


def test_a_job_of_a_silent_worker_goes_back_in_the_queue(settings):
    settings.TASK_LEASE_SECONDS = 60
    lost = running("lost")
    busy = running("busy")
    WorkerBeat.beat("busy")
    young = running("starting", started_ago=5)
    assert jobs.recover_abandoned() == [str(lost.pk)]
    lost.refresh_from_db()
    assert lost.status == TaskResultStatus.READY
    busy.refresh_from_db()
    young.refresh_from_db()
    assert busy.status == young.status == TaskResultStatus.RUNNING


def test_after_its_last_attempt_a_lost_job_fails_with_the_reason(settings):
    settings.TASK_MAX_ATTEMPTS = 3
    result = running("lost", attempts=3)
    jobs.recover_abandoned()
    result.refresh_from_db()
    assert result.status == TaskResultStatus.FAILED
    assert result.exception_class_path == "tendik.core.jobs.WorkerLost"
    assert "tried 3 times" in result.traceback


def test_a_failed_job_is_retried_after_a_growing_pause(settings):
    settings.TASK_MAX_ATTEMPTS = 3
    result = running("w", attempts=2)
    DBTaskResult.objects.filter(pk=result.pk).update(status=TaskResultStatus.FAILED)
    result.refresh_from_db()
    now = timezone.now()
    assert jobs.retry_if_attempts_left(result, now)
    result.refresh_from_db()
    assert result.status == TaskResultStatus.READY
    assert result.run_after == now + dt.timedelta(minutes=2)
    DBTaskResult.objects.filter(pk=result.pk).update(
        status=TaskResultStatus.FAILED, worker_ids=["a", "b", "c"])
    result.refresh_from_db()
    assert not jobs.retry_if_attempts_left(result, now)


def test_readyz_tells_the_truth_about_the_worker_and_the_queue(client, reference, settings):
    settings.TASK_LEASE_SECONDS = 60
    assert client.get("/healthz").status_code == 200
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["database"]["ok"] and body["checks"]["migrations"]["ok"]
    assert not body["checks"]["worker"]["ok"]
    WorkerBeat.beat("w1")
    assert client.get("/readyz").status_code == 200
    # A job ready for longer than five leases: nobody takes it.
    DBTaskResult.objects.create(args_kwargs={"args": [], "kwargs": {}}, backend_name="default",
                                task_path="tests.core.crash_tasks.slow_job",
                                run_after=timezone.now() - dt.timedelta(minutes=10))
    DBTaskResult.objects.update(enqueued_at=timezone.now() - dt.timedelta(minutes=10))
    response = client.get("/readyz")
    assert response.status_code == 503 and not response.json()["checks"]["queue"]["ok"]


def manage(environment: dict[str, str], *args: str, **kwargs) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "manage.py", *args], cwd=ROOT, env=environment,
                            text=True, **kwargs)


@pytest.mark.django_db(transaction=False)
def test_a_job_killed_mid_run_completes_exactly_once_on_another_worker(tmp_path):
    """The bar: SIGKILL the worker in the middle of a job; another worker runs the job
    again once the lease is over, and it completes once."""
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'jobs.sqlite3'}",
                   "TENDIK_VAR_DIR": str(tmp_path), "TASK_LEASE_SECONDS": "2", "DEBUG": "1",
                   "PYTHONDONTWRITEBYTECODE": "1"}
    assert manage(environment, "migrate", "-v", "0").wait(timeout=300) == 0
    log = tmp_path / "job.log"
    enqueue = ("from tests.core.crash_tasks import slow_job; "
               f"print(slow_job.enqueue({str(log)!r}, 4).id)")
    shell = manage(environment, "shell", "-c", enqueue, stdout=subprocess.PIPE)
    job_id = shell.communicate(timeout=120)[0].strip().splitlines()[-1]
    worker_args = ("run_worker", "--queue-name", "*", "--no-reload", "--interval", "0.2",
                   "--no-startup-delay")
    first = manage(environment, *worker_args, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not (log.exists() and "start" in log.read_text()):
        assert time.monotonic() < deadline, "the first worker never started the job"
        time.sleep(0.2)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    killed_at = time.monotonic()
    second = manage(environment, *worker_args, stderr=subprocess.DEVNULL)
    try:
        while "end" not in log.read_text():
            assert time.monotonic() < killed_at + 120, log.read_text()
            time.sleep(0.2)
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)
    lines = log.read_text().split()
    assert lines.count("start") == 2 and lines.count("end") == 1
    status = manage(environment, "shell", "-c",
                    "import json; from django_tasks_db.models import DBTaskResult; "
                    f"r = DBTaskResult.objects.get(pk={job_id!r}); "
                    "print(json.dumps([r.status, len(r.worker_ids)]))",
                    stdout=subprocess.PIPE).communicate(timeout=120)[0]
    assert json.loads(status.strip().splitlines()[-1]) == ["SUCCESSFUL", 2]
