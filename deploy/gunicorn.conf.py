"""Gunicorn settings for Teńdik's production server (scripts/serve.sh).

Sized from the machine unless the environment says otherwise. Each worker process has a
fixed pool of threads and each thread keeps at most one database connection, so the
number of PostgreSQL connections is WEB_WORKERS × WEB_THREADS per server, never a
function of load (docs/deployment.md).
"""

import multiprocessing
import os

cores = multiprocessing.cpu_count()

bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_WORKERS") or cores + 1)
threads = int(os.environ.get("WEB_THREADS") or 4)
worker_class = "gthread"
# A request still running after this long is cut off and its worker replaced.
timeout = int(os.environ.get("WEB_TIMEOUT") or 60)
graceful_timeout = 30
keepalive = 5
# Recycled now and then, so that a slow leak in one worker never grows without bound.
max_requests = int(os.environ.get("WEB_MAX_REQUESTS") or 5000)
max_requests_jitter = max_requests // 10
# Loaded once in the master and forked: less memory and a faster start per worker.
preload_app = True
# X-Forwarded-Proto is believed only from the TLS proxy (TRUSTED_PROXIES).
forwarded_allow_ips = os.environ.get("TRUSTED_PROXIES", "127.0.0.1")
# WEB_ACCESS_LOG= (empty) turns the access log off.
accesslog = os.environ.get("WEB_ACCESS_LOG", "-") or None
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
proc_name = "tendik"


def when_ready(server):
    # Before the workers are forked: a connection the master opened while loading the
    # application must not be shared by every worker.
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        connection.close()


def child_exit(server, worker):
    # A worker's live gauges end with it (prometheus_client's multiprocess mode).
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
