"""A slow job for the worker crash test: it notes its start and its end in a file."""

from __future__ import annotations

import os
import time
from pathlib import Path

from django_tasks import task


@task()
def slow_job(path: str, seconds: float) -> str:
    log = Path(path)
    with log.open("a") as file:
        file.write(f"start {os.getpid()}\n")
    time.sleep(seconds)
    with log.open("a") as file:
        file.write(f"end {os.getpid()}\n")
    return "done"
