"""bench/startup.py at the suite's size: without the demo and without the old chain of
commands, two starts of scripts/run.sh on a throw-away database, each to its first 200.
It checks that the benchmark runs and reports every step, not how fast it is."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "startup.py"


def load_bench():
    spec = importlib.util.spec_from_file_location("bench_startup", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_the_startup_bench_runs_two_starts_at_tiny_size(capsys):
    bench = load_bench()
    figures = bench.main(demo=False, before=False, timeout=240)
    assert set(figures) == {"first", "second"}
    assert all(value > 0 for value in figures.values())
    out = capsys.readouterr().out
    assert out.count("first 200 after") == 2
    assert "ratio second / first start" in out
    # Every step of prepare is reported on both starts.
    for title in ("database schema", "reference data", "classifier", "background jobs"):
        assert out.count(title) == 2


def test_it_reads_each_step_and_its_time_from_prepares_output():
    bench = load_bench()
    output = ("[1/3] database schema …\n  up to date, nothing to apply in 0.1 s\n"
              "[2/3] the demonstration accounts and data …\n"
              "  core: 18 audited rows in 1.1 s — 16 demo accounts\n"
              "  12 audited rows written in 6.3 s\nDemo logins …\n")
    assert bench.steps_of(output) == [("database schema", 0.1),
                                      ("the demonstration accounts and data", 6.3)]
