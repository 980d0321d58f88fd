"""The production server and its background workers under one supervisor.

Starts gunicorn (deploy/gunicorn.conf.py) and JOB_WORKERS job workers
(`manage.py run_worker`). A job worker that dies is started again after a pause that
grows while it keeps dying, and the jobs it held are taken over through their lease
(tendik/core/jobs.py). If the web server stops, everything stops, so that the
operator's own supervisor (systemd, the container runtime) sees it and restarts the
whole. SIGTERM or SIGINT stop the children gracefully, then firmly.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

GUNICORN_CONFIG = Path(settings.BASE_DIR) / "deploy" / "gunicorn.conf.py"
MANAGE = Path(settings.BASE_DIR) / "manage.py"
STOP_GRACE_SECONDS = 30
RESTART_PAUSE_MAX_SECONDS = 30.0


@dataclass
class Child:
    name: str
    argv: list[str]
    process: subprocess.Popen[bytes] | None = None
    restarts: int = 0
    pause: float = 1.0
    started_at: float = field(default=0.0)
    restart_at: float | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(self.argv)  # noqa: S603 — our own commands
        self.started_at = time.monotonic()

    def exited(self) -> int | None:
        return None if self.process is None else self.process.poll()


class Command(BaseCommand):
    help = ("Run the production web server (gunicorn) and the background job workers, "
            "restarting a worker that dies. Sized by WEB_WORKERS, WEB_THREADS and "
            "JOB_WORKERS; listens on BIND (default 127.0.0.1:PORT).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--job-workers", type=int,
                            default=int(os.environ.get("JOB_WORKERS") or 1),
                            help="How many background job workers to run (JOB_WORKERS).")

    def handle(self, *args: Any, **options: Any) -> None:
        # The web processes share their request metrics through files here (/metrics);
        # figures of processes from an earlier run must not be added to this one's.
        metrics_dir = Path(settings.VAR_DIR) / "metrics"
        shutil.rmtree(metrics_dir, ignore_errors=True)
        metrics_dir.mkdir(parents=True)
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
        web = Child("web", [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONFIG),
                            "tendik.wsgi:application"])
        workers = [Child(f"worker {number}",
                         [sys.executable, str(MANAGE), "run_worker", "--queue-name", "*",
                          "--no-reload"])
                   for number in range(1, options["job_workers"] + 1)]
        stopping = False

        def stop(signum: int, frame: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        for child in [web, *workers]:
            child.start()
        try:
            while not stopping:
                if web.exited() is not None:
                    self.stderr.write(f"The web server stopped (exit {web.exited()}).")
                    break
                for worker in workers:
                    self.restart_if_dead(worker)
                time.sleep(0.5)
        finally:
            self.stop_all([web, *workers])
        if not stopping:
            sys.exit(web.exited() or 1)

    def restart_if_dead(self, worker: Child) -> None:
        code = worker.exited()
        if code is None:
            return
        now = time.monotonic()
        if worker.restart_at is None:
            # A worker that ran for a while before dying is restarted at once; one that
            # keeps dying on start waits longer each time instead of spinning.
            if now - worker.started_at > 60:
                worker.pause = 1.0
            worker.restart_at = now + worker.pause
            self.stderr.write(f"The job {worker.name} stopped (exit {code}); starting it "
                              f"again in {worker.pause:.0f} s.")
            worker.pause = min(worker.pause * 2, RESTART_PAUSE_MAX_SECONDS)
        elif now >= worker.restart_at:
            worker.restart_at = None
            worker.restarts += 1
            worker.start()

    @staticmethod
    def stop_all(children: list[Child]) -> None:
        running = [child.process for child in children
                   if child.process is not None and child.process.poll() is None]
        for process in running:
            process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for process in running:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
