"""/metrics: request latency and the queue's state, for the monitoring server only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tendik.core.jobs import WorkerBeat

pytestmark = pytest.mark.django_db


def test_metrics_tell_latency_queue_depth_failed_jobs_and_workers(client, reference):
    client.get("/ru/organisations/")
    WorkerBeat.beat("w1")
    DBTaskResult.objects.create(args_kwargs={"args": [], "kwargs": {}}, backend_name="default",
                                task_path="tests.core.crash_tasks.slow_job",
                                run_after=timezone.now() - dt.timedelta(minutes=1))
    DBTaskResult.objects.create(args_kwargs={"args": [], "kwargs": {}}, backend_name="default",
                                task_path="tests.core.crash_tasks.slow_job", status="FAILED")
    body = client.get("/metrics").content.decode()
    assert 'tendik_request_seconds_count{method="GET",status="2xx"}' in body
    assert 'tendik_jobs{status="ready"} 1.0' in body
    assert 'tendik_jobs{status="failed"} 1.0' in body
    assert "tendik_workers_alive 1.0" in body


def test_metrics_are_not_there_for_anyone_else(client, settings):
    settings.METRICS_ALLOWED = ["10.0.0.0/8"]
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
