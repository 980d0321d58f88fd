"""bench/load.py at the suite's size: the production server on a throw-away SQLite
database without the demo, a few anonymous visitors for a few seconds, then the floor.
It checks that the benchmark runs and reports its figures, not how fast anything is."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_load_bench_runs_the_mix_and_the_floor_at_tiny_size(tmp_path):
    env = {key: value for key, value in os.environ.items()
           if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "PYTEST_CURRENT_TEST"}}
    done = subprocess.run(
        [sys.executable, "bench/load.py", "--users", "3", "--seconds", "4", "--no-demo",
         "--var-dir", str(tmp_path)], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert re.search(r"the mix: [\d.]+ requests/s, [1-9]\d* requests, \d+ failures", out), out
    assert re.search(r"the floor \(a static file\): [\d.]+ requests/s", out), out
    assert "ratio mix / floor:" in out
    # Each kind of anonymous request was made and is reported on its own line.
    for name in ("/api/v1/facilities", "/{lang}/plan/"):
        assert name in out
