"""Benchmarks of the foundation: what the audit trail and the scope filter cost.

Runs against a throw-away in-memory SQLite test database, or a test database beside the one
named by BENCH_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/tendik_bench, which it
creates and drops). Prints figures and ratios; it asserts nothing. SCALE multiplies the
calls timed a round (default 1: 100–300 calls), ROUNDS is the rounds (default 5), and DEMO
names the domains whose demonstration data is loaded (default all; DEMO=none loads none).

    .venv/bin/python bench/run.py
    MIGRATE=0 SCALE=0.02 ROUNDS=2 DEMO=tendik.core .venv/bin/python bench/run.py  # tests' size
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/tendik_bench .venv/bin/python bench/run.py
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
workdir = tempfile.mkdtemp(prefix="tendik-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tendik.settings")
os.environ["TENDIK_VAR_DIR"] = workdir
os.environ["DEBUG"] = "0"
os.environ["SECURE_SSL_REDIRECT"] = "0"
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL",
                                            f"sqlite:///{workdir}/bench.sqlite3")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

SCALE = float(os.environ.get("SCALE", "1"))
ROUNDS = int(os.environ.get("ROUNDS", "5"))
DEMO = os.environ.get("DEMO", "all")  # "all", "none" or app names: tendik.core,tendik.plan


def timed(label: str, func: Callable[[], object], repeat: int) -> float:
    """Median seconds per call over ROUNDS rounds of `repeat` calls (times SCALE)."""
    repeat = max(1, round(repeat * SCALE))
    samples = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for _ in range(repeat):
            func()
        samples.append((time.perf_counter() - start) / repeat)
    median = statistics.median(samples)
    print(f"  {label:<58} {median * 1e6:10.1f} µs/op")
    return median


def main() -> None:
    from django.db.backends.base.creation import BaseDatabaseCreation

    creation: BaseDatabaseCreation = connection.creation
    # MIGRATE=0: the tables straight from the models, without replaying every migration
    # (the same schema in half a second rather than seven: the tests' size).
    connection.settings_dict["TEST"]["MIGRATE"] = os.environ.get("MIGRATE", "1") != "0"
    test_db = creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        setup_test_environment()
        call_command("load_reference", stdout=open(os.devnull, "w"))  # noqa: SIM115
        run(test_db)
    finally:
        creation.destroy_test_db(test_db, verbosity=0)
        shutil.rmtree(workdir, ignore_errors=True)


def run(db_name: str) -> None:
    from tendik.core.audit import Actor, acting_as
    from tendik.core.models import AuditEvent, Organisation, Role, User

    print(f"database: {connection.vendor} ({db_name})")
    official = User.objects.create(username="bench.akimat", role=Role.AKIMAT_OFFICIAL,
                                   organisation=Organisation.objects.get(
                                       code="AKIMAT-750000000"))
    org = Organisation.objects.get(code="МКС")
    counter = iter(range(10**9))

    print("audit trail: one field changed on an organisation")
    with acting_as(Actor(user=official, ip_address="127.0.0.1")):
        def audited() -> None:
            org.note = f"n{next(counter)}"
            org.save(update_fields=["note"])

        def unaudited() -> None:
            Organisation.objects.filter(pk=org.pk).update(note=f"n{next(counter)}")

        with_audit = timed("save() with its audit event", audited, 200)
        without = timed("queryset.update() without audit", unaudited, 200)
    print(f"  ratio audited / unaudited: {with_audit / without:.2f}x "
          f"({AuditEvent.objects.count()} events written)")

    print("scope filter: organisations an akimat official may see")
    plain = timed("Organisation.objects.all() (list)",
                  lambda: list(Organisation.objects.all()), 300)
    scoped = timed("Organisation.objects.visible_to(official) (list)",
                   lambda: list(Organisation.objects.visible_to(official)), 300)
    print(f"  ratio scoped / unscoped: {scoped / plain:.2f}x (rows: "
          f"{Organisation.objects.visible_to(official).count()} of "
          f"{Organisation.objects.count()}; the filter is one indexed join, so a smaller "
          f"result costs less)")

    print("HTTP through the full middleware stack (Django test client)")
    client = Client()
    for path in ["/api/v1/regions", "/api/v1/organisations?kind=akimat", "/ru/", "/kk/regions/"]:
        per_request = timed(f"GET {path}", lambda p=path: client.get(p), 100)
        print(f"  {'':<58} {1 / per_request:10.0f} req/s on one core")

    demo_loads()


def demo_loads() -> None:
    """What `make run` spends on the demonstration data, per domain, first time and again."""
    from tendik.core.demo import domain_loaders
    from tendik.core.demo import load_demo as load_accounts

    if DEMO == "none":
        return
    print("demonstration data (make run): first load, then the same again")
    for command in ["load_plan", "load_indicators", "load_criteria", "load_classifier"]:
        call_command(command, stdout=open(os.devnull, "w"))  # noqa: SIM115
    loaders: list[tuple[str, Callable[[], object]]] = [("tendik.core", load_accounts)]
    loaders += domain_loaders()
    if DEMO != "all":
        wanted = DEMO.split(",")
        loaders = [(name, load) for name, load in loaders if name in wanted]
    for name, load in loaders:
        figures = []
        for _ in range(2):
            statements = [0]

            def count(execute, sql, params, many, context, statements=statements):
                statements[0] += 1
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                start = time.perf_counter()
                load()
                figures.append((time.perf_counter() - start, statements[0]))
        (first, first_queries), (again, again_queries) = figures
        print(f"  {name:<24} first {first:7.2f} s ({first_queries:6d} queries)   "
              f"again {again:6.2f} s ({again_queries:4d} queries)")


if __name__ == "__main__":
    main()
