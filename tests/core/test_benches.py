"""Every benchmark in bench/ runs at a tiny size, as a script on its own throw-away SQLite
database, so that none rots unnoticed when a model gains a field or a page moves. They
check that each bench runs to the end and prints its figures, not how fast anything is."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The knobs of every bench: none may leak in from the environment of the suite.
KNOBS = {"BENCH_DATABASE_URL", "FACILITIES", "SAMPLES", "MEASURES", "EXECUTORS", "YEARS",
         "REPEAT", "FORMATS", "PROFILE", "PERSONS", "ORDERS", "EVENTS", "KEEP", "REUSE",
         "SHOW_SQL", "PAGES", "TIMED_PERSONS", "REPEATS", "ENTITLEMENTS", "AUDIT_EVENTS",
         "TRACEMALLOC", "EXPLAIN", "SCALE", "ROUNDS", "DEMO", "MIGRATE"}
SECONDS = r"\d+\.\d+ s"
MS = r"\d+\.\d+ ms"


def run_bench(name: str, **sizes: str) -> str:
    env = {key: value for key, value in os.environ.items() if key not in KNOBS}
    # The schema straight from the models: replaying every migration five times would
    # cost more than the benches themselves (the suite's own database replays them).
    env.update(MIGRATE="0", **sizes)
    done = subprocess.run([sys.executable, f"bench/{name}.py"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, f"{done.stdout[-3000:]}\n{done.stderr[-5000:]}"
    assert "Traceback" not in done.stderr, done.stderr[-5000:]
    return done.stdout


def lines(pattern: str, out: str) -> list[str]:
    return re.findall(pattern, out, flags=re.MULTILINE)


def test_the_access_map_bench_times_both_queries():
    out = run_bench("access_map", FACILITIES="2000", SAMPLES="5")
    assert re.search(r"^data: 2,000 facilities inserted in " + SECONDS, out, re.MULTILINE)
    for label in ("whole country", "city (Almaty)"):
        assert lines(rf"^{re.escape(label)}: \d+ features for [\d,]+ facilities; request p95 "
                     rf"{MS} \(.*\), raw SQL p95 {MS}, request / SQL", out), out


def test_the_plan_report_bench_builds_every_file_and_times_the_dashboard():
    out = run_bench("plan_report", MEASURES="3", EXECUTORS="4", YEARS="1", REPEAT="2")
    assert "data: 12 reports in 1 years" in out
    assert "(3 measures × 4 executors)" in out
    files = lines(rf"^  (docx|pdf|xlsx) (ru|kk): +{SECONDS}, CPU +{SECONDS}, +\d+ KiB", out)
    assert sorted(files) == sorted((fmt, language) for fmt in ("docx", "pdf", "xlsx")
                                   for language in ("ru", "kk")), out
    assert lines(r"^dashboard /ru/plan/reports/2025/dashboard/: median \d+ ms", out), out


def test_the_portal_bench_times_the_card_and_the_queue():
    out = run_bench("portal", PERSONS="300", ORDERS="1000", TIMED_PERSONS="3", REPEATS="2")
    assert "data: 1,000 orders with their events" in out
    assert not lines(r"^  ! ", out), out  # every page answered 200
    for label in ("card as the recipient", "card as akimat official",
                  "card as the recipient, heaviest persons",
                  "card as akimat official, heaviest persons"):
        assert lines(rf"^{re.escape(label)}: request p95 {MS}", out), (label, out)
    queue = lines(rf"^  order queue .*: request p95 {MS} .* raw SQL p95 {MS}", out)
    assert len(queue) == 12, out  # six filters and pages, in Almaty and in Ulytau


def test_the_proactive_bench_runs_every_run_and_shows_the_plans():
    out = run_bench("proactive", PERSONS="500", ENTITLEMENTS="1000", AUDIT_EVENTS="500")
    for label in ("full run", "incremental run after 1,000 changes",
                  "incremental run the next day, no changes", "second full run the same day"):
        assert lines(rf"^{re.escape(label)} \(as of [\d-]+\): {SECONDS} \(", out), (label, out)
    assert lines(r"^  reexamination-due +\d+ +\d+\.\d+s", out), out
    assert "second full run: 0 new hits (0 expected)" in out
    assert "plans of each rule's main query in the full run:" in out
    assert lines(rf"^summary \(sqlite\): full {SECONDS} \(aim 60\), incremental", out), out


def test_the_foundation_bench_times_the_audit_the_scope_http_and_the_demo():
    out = run_bench("run", SCALE="0.02", ROUNDS="2", DEMO="tendik.core")
    assert len(lines(r"^  \S.* +\d+\.\d+ µs/op$", out)) == 8, out
    assert len(lines(r"^ +\d+ req/s on one core$", out)) == 4, out
    assert lines(r"^  ratio audited / unaudited: \d+\.\d+x", out), out
    assert lines(r"^  ratio scoped / unscoped: \d+\.\d+x", out), out
    assert lines(rf"^  tendik\.core +first +{SECONDS} \( *\d+ queries\) +again +"
                 rf"{SECONDS}", out), out
