"""Prometheus metrics at /metrics, for the operator's monitoring only.

Request latency is measured in every web process; under gunicorn the processes share
their figures through PROMETHEUS_MULTIPROC_DIR (set by `manage.py serve`), so whichever
process answers /metrics reports them all. The queue's depth, its failed jobs and the
workers alive are read from the database at each scrape: the same truth /readyz tells.
Only addresses in METRICS_ALLOWED (networks; loopback by default) get an answer; the
rest get a 404, as if there were nothing.
"""

from __future__ import annotations

import ipaddress
import os
import time
from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client import multiprocess as prometheus_multiprocess

REQUEST_SECONDS = Histogram(
    "tendik_request_seconds", "Time to answer a request, by method and class of status",
    ["method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))


class RequestMetricsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        method = request.method if request.method in {"GET", "HEAD", "POST", "PUT", "PATCH",
                                                      "DELETE"} else "other"
        REQUEST_SECONDS.labels(method, f"{response.status_code // 100}xx").observe(
            time.perf_counter() - started)
        return response


def _allowed(request: HttpRequest) -> bool:
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(network, strict=False)
               for network in settings.METRICS_ALLOWED)


def _queue_gauges(registry: CollectorRegistry) -> None:
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    from tendik.core import jobs

    by_status = Gauge("tendik_jobs", "Background jobs by status", ["status"],
                      registry=registry)
    counts = dict(DBTaskResult.objects.values_list("status").annotate(n=Count("id"))
                  .values_list("status", "n"))
    for status in ("READY", "RUNNING", "FAILED", "SUCCESSFUL"):
        by_status.labels(status.lower()).set(counts.get(status, 0))
    oldest = DBTaskResult.objects.ready().order_by("enqueued_at") \
        .values_list("enqueued_at", flat=True).first()
    Gauge("tendik_jobs_oldest_ready_seconds", "How long the oldest ready job has waited",
          registry=registry).set((timezone.now() - oldest).total_seconds() if oldest else 0)
    Gauge("tendik_workers_alive", "Job workers with a fresh heartbeat",
          registry=registry).set(jobs.WorkerBeat.alive(timezone.now()).count())


def metrics(request: HttpRequest) -> HttpResponse:
    if not _allowed(request):
        raise Http404
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        prometheus_multiprocess.MultiProcessCollector(registry)
        body = generate_latest(registry)
    else:
        from prometheus_client import REGISTRY

        body = generate_latest(REGISTRY)
    queue = CollectorRegistry()
    _queue_gauges(queue)
    return HttpResponse(body + generate_latest(queue), content_type=CONTENT_TYPE_LATEST)
