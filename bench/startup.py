"""Start-up: from `make run` on a fresh checkout (its virtualenv already installed) to the
first page answered 200, then a second start on the same database.

Runs scripts/run.sh twice on a throw-away SQLite database and times, for each start, the
moment the home page first answers 200, with the time of each step `manage.py prepare`
printed. For comparison it times the chain of separate commands `make run` ran before
(migrate replaying every migration, then each load_* command in its own process), first
and again. Prints figures and ratios; it asserts nothing.

    .venv/bin/python bench/startup.py
    STARTUP_DEMO=0 .venv/bin/python bench/startup.py   # without the demo (the suite's size)
    STARTUP_BEFORE=0 .venv/bin/python bench/startup.py  # skip the chain of old commands
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
BASH = shutil.which("bash") or "/bin/bash"
OLD_CHAIN = [["migrate", "--no-input", "-v", "0"], ["load_reference"], ["load_plan"],
             ["load_indicators"], ["load_criteria"], ["load_classifier"], ["load_demo"],
             ["send_plan_reminders", "--schedule"], ["run_rules", "--schedule"]]
STEP = re.compile(r"^\[(\d+)/(\d+)\] (.*?) …$")
TOOK = re.compile(r"in (\d+\.\d) s")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def environment(workdir: str, port: int, demo: bool) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "PYTEST_CURRENT_TEST"}}
    env.update(TENDIK_VAR_DIR=workdir, PORT=str(port), DEBUG="0", DEMO="1" if demo else "0",
               PYTHONUNBUFFERED="1")
    return env


@dataclass
class Start:
    seconds: float
    steps: list[tuple[str, float]] = field(default_factory=list)
    output: str = ""


def start_once(workdir: str, demo: bool, timeout: float) -> Start:
    """scripts/run.sh until GET /ru/ answers 200; then it is stopped."""
    port = free_port()
    log = Path(workdir) / f"run-{port}.log"
    started = time.perf_counter()
    with log.open("w") as out:
        process = subprocess.Popen([BASH, str(ROOT / "scripts" / "run.sh")],  # noqa: S603
                                   cwd=ROOT,
                                   env=environment(workdir, port, demo), stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    try:
        took = None
        while time.perf_counter() - started < timeout:
            if process.poll() is not None:
                raise RuntimeError(f"run.sh stopped:\n{log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/ru/",
                                            timeout=30) as response:
                    if response.status == 200:
                        took = time.perf_counter() - started
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.1)
        if took is None:
            raise RuntimeError(f"no 200 within {timeout:.0f} s:\n{log.read_text()[-3000:]}")
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    output = log.read_text()
    return Start(took, steps_of(output), output)


def steps_of(output: str) -> list[tuple[str, float]]:
    """(step, seconds) from prepare's lines: a step's title, then its lines, the last
    of which ends «in N s»."""
    steps: list[tuple[str, float]] = []
    title = None
    for line in output.splitlines():
        if match := STEP.match(line):
            title = match.group(3)
            steps.append((title, 0.0))
        elif title is not None and (took := TOOK.search(line)) and line.startswith("  "):
            steps[-1] = (title, float(took.group(1)))
    return steps


def old_chain(workdir: str, demo: bool) -> float:
    env = environment(workdir, 0, demo)
    started = time.perf_counter()
    for command in OLD_CHAIN:
        if command[0] == "load_demo" and not demo:
            continue
        subprocess.run([PY, "manage.py", *command], cwd=ROOT, env=env,  # noqa: S603
                       check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main(demo: bool = True, before: bool = True, timeout: float = 900) -> dict[str, float]:
    figures: dict[str, float] = {}
    print(f"start-up on SQLite ({'with' if demo else 'without'} the demo), "
          f"{os.cpu_count()} cores")
    if before:
        workdir = tempfile.mkdtemp(prefix="tendik-startup-before-")
        try:
            figures["before first"] = old_chain(workdir, demo)
            figures["before again"] = old_chain(workdir, demo)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        print(f"  before: chain of commands, first {figures['before first']:6.1f} s, "
              f"again {figures['before again']:6.1f} s (migrations and loads only)")
    workdir = tempfile.mkdtemp(prefix="tendik-startup-")
    try:
        for label in ("first", "second"):
            start = start_once(workdir, demo, timeout)
            figures[label] = start.seconds
            print(f"  make run, {label} start: first 200 after {start.seconds:6.1f} s")
            for title, took in start.steps:
                print(f"    {took:6.1f} s  {title}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"  ratio second / first start: {figures['second'] / figures['first']:.2f}")
    if before:
        print(f"  ratio first start now / chain before: "
              f"{figures['first'] / figures['before first']:.2f} (the chain's figure "
              "leaves out starting the server)")
        print(f"  ratio second start now / chain again: "
              f"{figures['second'] / figures['before again']:.2f}")
    return figures


if __name__ == "__main__":
    main(demo=os.environ.get("STARTUP_DEMO", "1") != "0",
         before=os.environ.get("STARTUP_BEFORE", "1") != "0")
    sys.exit(0)
