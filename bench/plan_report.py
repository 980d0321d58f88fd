"""The consolidated report and the reporting dashboard at national scale.

Builds MEASURES measures (default all 95 of the national plan) × EXECUTORS executors
(default 33: the ministries and the akimats) × YEARS years (default 7: 2019–2025) of
reports (21,945 reports, filled in as executors fill them), then times the DOCX, PDF and
XLSX of the last year (wall and CPU time: the CPU's is the figure to compare on a busy
machine) and the dashboard page (REPEAT requests, default 15). Runs on a throw-away test
database: in-memory SQLite by default, or the PostgreSQL server named by
BENCH_DATABASE_URL. Prints figures against the aims (each file under 5 s, the dashboard
under 150 ms); it asserts nothing. FORMATS=pdf times one format; PROFILE=1 prints the
cProfile of each file's build.

    .venv/bin/python bench/plan_report.py
    MIGRATE=0 MEASURES=3 EXECUTORS=4 YEARS=1 REPEAT=2 .venv/bin/python bench/plan_report.py
    FORMATS=pdf PROFILE=1 .venv/bin/python bench/plan_report.py
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/tendik_bench \\
        .venv/bin/python bench/plan_report.py
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
workdir = tempfile.mkdtemp(prefix="tendik-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tendik.settings")
os.environ.update(TENDIK_VAR_DIR=workdir, DEBUG="0", SECURE_SSL_REDIRECT="0",
                  ALLOWED_HOSTS="testserver",
                  DATABASE_URL=os.environ.get("BENCH_DATABASE_URL",
                                              f"sqlite:///{workdir}/bench.sqlite3"))

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

AIM_FILE_S = 5.0
AIM_DASHBOARD_MS = 150.0
MEASURES = int(os.environ.get("MEASURES", "0"))  # 0: every measure of the plan
EXECUTORS = int(os.environ.get("EXECUTORS", "33"))
YEARS = range(2026 - int(os.environ.get("YEARS", "7")), 2026)
REPEAT = int(os.environ.get("REPEAT", "15"))  # requests of the dashboard timed
FORMATS = [f for f in os.environ.get("FORMATS", "").split(",") if f]  # default: all three
PROFILE = os.environ.get("PROFILE", "") == "1"


def build() -> tuple[object, object]:
    from django.utils import timezone

    from tendik.core.models import Organisation, Role, User
    from tendik.core.reference import load_reference_data
    from tendik.plan.models import ExecutorReport, Measure, Plan, ReportingCycle
    from tendik.plan.services import load_national_plan

    load_reference_data()
    load_national_plan()
    plan = Plan.objects.get()
    ministries = list(Organisation.objects.filter(kind__in=["ministry", "commission"]))
    analyst = User.objects.create(username="bench.analyst", role=Role.ANALYST,
                                  organisation=Organisation.objects.get(code="МТСЗН"))
    # Every measure, every year, every ministry and every akimat: 33 executors.
    executors = (ministries + list(Organisation.objects.filter(kind="akimat")))[:EXECUTORS]
    ministries = [organisation for organisation in executors if organisation in ministries]
    Measure.objects.filter(plan=plan).update(
        in_source=True, title_ru="Мероприятие плана", deadline_kind="annual", start_year=None,
        end_year=None, includes_akimats=len(executors) > len(ministries),
        completion_form_text="информация в МТСЗН")
    measures = list(Measure.objects.filter(plan=plan))
    measures = measures[:MEASURES] if MEASURES else measures  # the report shows these only
    for measure in measures:
        measure.executors.set(ministries)
    statuses = ["completed", "partially_completed", "in_progress", "not_completed"]
    states = ["accepted", "accepted", "submitted", "under_review", "returned", "draft"]
    for year in YEARS:
        cycle = ReportingCycle.objects.create(
            plan=plan, year=year, opened_by=analyst,
            executor_deadline=timezone.datetime(year + 1, 1, 20).date(),
            consolidation_deadline=timezone.datetime(year + 1, 2, 15).date())
        submitted = timezone.make_aware(timezone.datetime(year + 1, 1, 15, 10))
        ExecutorReport.objects.bulk_create([
            ExecutorReport(
                cycle=cycle, measure=measure, organisation=organisation,
                state=states[(i + j) % len(states)], status=statuses[(i * j) % 4],
                narrative_ru=("В отчётном году проведена работа по мероприятию: охвачено "
                              f"{100 + i * j} человек, проведено {i % 9 + 1} совещаний."),
                submitted_at=None if states[(i + j) % len(states)] == "draft" else submitted)
            for i, measure in enumerate(measures) for j, organisation in enumerate(executors)
        ], batch_size=2000)
    return plan, analyst


def main() -> None:
    creation = connection.creation
    # MIGRATE=0: the tables straight from the models, without replaying every migration
    # (the same schema in half a second rather than seven: the tests' size).
    connection.settings_dict["TEST"]["MIGRATE"] = os.environ.get("MIGRATE", "1") != "0"
    name = creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        setup_test_environment()
        run(name)
    finally:
        creation.destroy_test_db(name, verbosity=0)
        shutil.rmtree(workdir, ignore_errors=True)


def run(name: str) -> None:
    from django.test import Client
    from django.utils.translation import override
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tendik.plan import consolidation
    from tendik.plan.models import ExecutorReport, ReportingCycle

    started = time.perf_counter()
    _plan, analyst = build()
    print(f"database: {connection.vendor} ({name})")
    print(f"data: {ExecutorReport.objects.count()} reports in {len(YEARS)} years, "
          f"built in {time.perf_counter() - started:.1f} s")
    cycle = ReportingCycle.objects.get(year=max(YEARS))
    reports = ExecutorReport.objects.filter(cycle=cycle)
    print(f"consolidated report of the last year ({reports.values('measure').distinct().count()}"
          f" measures × {reports.values('organisation').distinct().count()} executors):")
    for fmt, builder in consolidation.BUILDERS.items():
        if FORMATS and fmt not in FORMATS:
            continue
        for language in ("ru", "kk"):
            profile = cProfile.Profile() if PROFILE else None
            start, cpu = time.perf_counter(), time.process_time()
            with override(language):
                if profile:
                    profile.enable()
                size = len(builder(cycle, language, lambda _p: None))
                if profile:
                    profile.disable()
            seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
            print(f"  {fmt} {language}: {seconds:6.2f} s, CPU {cpu:6.2f} s, "
                  f"{size / 1024:8.0f} KiB ({seconds / AIM_FILE_S:.2f} of the "
                  f"{AIM_FILE_S:.0f} s aim)", flush=True)
            if profile:
                out = io.StringIO()
                pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(40)
                print(out.getvalue())
    client = Client()
    client.force_login(analyst, backend="django.contrib.auth.backends.ModelBackend")
    device = TOTPDevice.objects.create(user=analyst, name="bench", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    url = f"/ru/plan/reports/{cycle.year}/dashboard/"
    assert client.get(url).status_code == 200
    samples = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
    median = statistics.median(samples)
    print(f"dashboard {url}: median {median:.0f} ms, best {min(samples):.0f} ms of {REPEAT} "
          f"({median / AIM_DASHBOARD_MS:.2f} of the {AIM_DASHBOARD_MS:.0f} ms aim)")


if __name__ == "__main__":
    main()
