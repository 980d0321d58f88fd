"""The consolidated report and the reporting dashboard at national scale.

Builds 95 measures × 33 executors × 7 years of reports (21,945 reports, filled in as
executors fill them), then times the DOCX, PDF and XLSX of the last year and the
dashboard page. Runs on a throw-away test database: in-memory SQLite by default, or the
PostgreSQL server named by BENCH_DATABASE_URL. Prints figures against the aims (each file
under 5 s, the dashboard under 150 ms); it asserts nothing.

    .venv/bin/python bench/plan_report.py
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/tendik_bench \\
        .venv/bin/python bench/plan_report.py
"""

from __future__ import annotations

import os
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
YEARS = range(2019, 2026)


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
    Measure.objects.filter(plan=plan).update(
        in_source=True, title_ru="Мероприятие плана", deadline_kind="annual", start_year=None,
        end_year=None, includes_akimats=True, completion_form_text="информация в МТСЗН")
    for measure in Measure.objects.filter(plan=plan):
        measure.executors.set(ministries)
    executors = ministries + list(Organisation.objects.filter(kind="akimat"))
    statuses = ["completed", "partially_completed", "in_progress", "not_completed"]
    states = ["accepted", "accepted", "submitted", "under_review", "returned", "draft"]
    measures = list(Measure.objects.filter(plan=plan))
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
    name = creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        setup_test_environment()
        run(name)
    finally:
        creation.destroy_test_db(name, verbosity=0)


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
    print("consolidated report of the last year (95 measures × 33 executors):")
    for fmt, builder in consolidation.BUILDERS.items():
        for language in ("ru", "kk"):
            start = time.perf_counter()
            with override(language):
                size = len(builder(cycle, language, lambda _p: None))
            seconds = time.perf_counter() - start
            print(f"  {fmt} {language}: {seconds:6.2f} s, {size / 1024:8.0f} KiB "
                  f"({seconds / AIM_FILE_S:.2f} of the {AIM_FILE_S:.0f} s aim)")
    client = Client()
    client.force_login(analyst, backend="django.contrib.auth.backends.ModelBackend")
    device = TOTPDevice.objects.create(user=analyst, name="bench", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    url = f"/ru/plan/reports/{cycle.year}/dashboard/"
    assert client.get(url).status_code == 200
    samples = []
    for _ in range(15):
        start = time.perf_counter()
        client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
    median = statistics.median(samples)
    print(f"dashboard {url}: median {median:.0f} ms, best {min(samples):.0f} ms of 15 "
          f"({median / AIM_DASHBOARD_MS:.2f} of the {AIM_DASHBOARD_MS:.0f} ms aim)")


if __name__ == "__main__":
    main()
