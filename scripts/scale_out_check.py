"""Scale-out on real engines: a PostgreSQL primary and its streaming replica, two app
servers and two job workers on this machine, behaving as one.

Builds a throw-away primary (initdb, its own port) and a replica of it (pg_basebackup
-R onto a second port), prepares the platform's data on the primary, starts two
production servers (`manage.py serve`, one job worker each) on the primary with the
replica as DATABASE_REPLICA_URL, enqueues jobs, and puts a short load on both servers.
Then checks: both servers answered; the replica served the read-only pages' reads (its
own scan counters moved) while every write went to the primary; every job ran exactly
once, and both workers took jobs; a session made through one server is honoured by the
other. Prints what it measured; exits non-zero if a check fails. Run by `make test`.

    .venv/bin/python scripts/scale_out_check.py
"""

from __future__ import annotations

import concurrent.futures
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
JOBS = 12
REQUESTS = 400


def pg_bin(name: str) -> str:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if not found:
        raise SystemExit(f"PostgreSQL's {name} is not installed (apt-get install postgresql)")
    return str(found[-1])


def as_postgres(argv: list[str], **kwargs) -> subprocess.CompletedProcess[str]:
    # PostgreSQL refuses to run as root; the check runs its servers as the postgres user.
    if os.geteuid() == 0:
        argv = ["runuser", "-u", "postgres", "--", *argv]
    return subprocess.run(argv, check=True, text=True, capture_output=True, **kwargs)  # noqa: S603


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def psql(port: int, sql: str, database: str = "postgres") -> str:
    return as_postgres([pg_bin("psql"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres",
                        "-d", database, "-At", "-c", sql]).stdout.strip()


def wait_for(url: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer")


def start_databases(work: Path) -> tuple[int, int]:
    primary, replica = work / "primary", work / "replica"
    if os.geteuid() == 0:
        shutil.chown(work, "postgres")
    as_postgres([pg_bin("initdb"), "-D", str(primary), "--auth=trust", "-U", "postgres",
                 "--no-sync"])
    primary_port, replica_port = free_port(), free_port()
    with (primary / "postgresql.conf").open("a") as conf:
        conf.write(f"port = {primary_port}\nlisten_addresses = '127.0.0.1'\n"
                   "wal_level = replica\nmax_wal_senders = 4\nfsync = off\n"
                   f"unix_socket_directories = '{work}'\nmax_connections = 100\n")
    with (primary / "pg_hba.conf").open("a") as hba:
        hba.write("host replication all 127.0.0.1/32 trust\n")
    as_postgres([pg_bin("pg_ctl"), "-D", str(primary), "-l", str(work / "primary.log"), "-w",
                 "start"])
    as_postgres([pg_bin("pg_basebackup"), "-h", "127.0.0.1", "-p", str(primary_port),
                 "-U", "postgres", "-D", str(replica), "-R", "--wal-method=stream"])
    with (replica / "postgresql.conf").open("a") as conf:
        conf.write(f"port = {replica_port}\nhot_standby = on\n")
    as_postgres([pg_bin("pg_ctl"), "-D", str(replica), "-l", str(work / "replica.log"), "-w",
                 "start"])
    return primary_port, replica_port


def stop_databases(work: Path) -> None:
    for name in ("replica", "primary"):
        if (work / name / "postmaster.pid").exists():
            subprocess.run(["runuser", "-u", "postgres", "--"] * (os.geteuid() == 0)  # noqa: S603
                           + [pg_bin("pg_ctl"), "-D", str(work / name), "-m", "fast", "stop"],
                           check=False, capture_output=True)


def replica_reads(port: int) -> int:
    return int(psql(port, "SELECT coalesce(sum(seq_scan + coalesce(idx_scan, 0)), 0) "
                          "FROM pg_stat_user_tables WHERE relname LIKE 'indicators_%'",
                    "tendik") or 0)


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="tendik-scale-out-"))
    servers: list[subprocess.Popen[bytes]] = []
    failures: list[str] = []
    try:
        primary_port, replica_port = start_databases(work)
        psql(primary_port, "CREATE DATABASE tendik")
        primary_url = f"postgres://postgres@127.0.0.1:{primary_port}/tendik"
        replica_url = f"postgres://postgres@127.0.0.1:{replica_port}/tendik"
        env = {key: value for key, value in os.environ.items()
               if key not in {"DJANGO_SETTINGS_MODULE", "PYTEST_CURRENT_TEST", "DEBUG"}}
        env.update(TENDIK_VAR_DIR=str(work / "var"), DATABASE_URL=primary_url, DEBUG="0",
                   SECURE_SSL_REDIRECT="0", SECURE_COOKIES="0", SECURE_HSTS_SECONDS="0",
                   STATIC_MANIFEST="1", EMAIL_URL="locmem://", PYTHONUNBUFFERED="1",
                   WEB_WORKERS="2", WEB_THREADS="2", JOB_WORKERS="1", TASK_LEASE_SECONDS="5",
                   PYTHONPATH=str(ROOT), API_ANONYMOUS_RATE="1000000/m")
        for step in (["collect_static"], ["prepare", "--no-schedule"]):
            subprocess.run([PY, "manage.py", *step], cwd=ROOT, env=env, check=True,  # noqa: S603
                           stdout=subprocess.DEVNULL)
        # The replica has replayed the primary's data before the servers read from it.
        for _ in range(100):
            if psql(replica_port, "SELECT count(*) FROM indicators_indicator", "tendik") != "0":
                break
            time.sleep(0.2)

        ports = [free_port(), free_port()]
        for number, port in enumerate(ports, start=1):
            server_env = {**env, "BIND": f"127.0.0.1:{port}", "DATABASE_REPLICA_URL": replica_url}
            log = (work / f"server{number}.log").open("w")
            servers.append(subprocess.Popen([PY, "manage.py", "serve"], cwd=ROOT,  # noqa: S603
                                            env=server_env, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True))
        for port in ports:
            wait_for(f"http://127.0.0.1:{port}/healthz")

        logs = [work / "jobs" / f"job{n}.log" for n in range(JOBS)]
        logs[0].parent.mkdir()
        enqueue = ("from tests.core.crash_tasks import slow_job\n"
                   + "".join(f"slow_job.enqueue({str(log)!r}, 0.5)\n" for log in logs))
        subprocess.run([PY, "manage.py", "shell", "-c", enqueue], cwd=ROOT, env=env,  # noqa: S603
                       check=True, stdout=subprocess.DEVNULL)

        # A session made through one server is honoured by the other: sessions, CSRF and
        # lockout live in the shared database.
        subprocess.run([PY, "manage.py", "shell", "-c",  # noqa: S603
                        "from tendik.core.models import User\n"
                        "User.objects.create_user(username='scale.check', "
                        "password='Scale-check-2026', first_name='Ас', last_name='Ем')"],
                       cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
        sys.path.insert(0, str(ROOT))
        from bench.load import Browser

        browser = Browser(f"http://127.0.0.1:{ports[0]}")
        browser.post("/ru/accounts/login/", {"username": "scale.check",
                                             "password": "Scale-check-2026"})
        browser.base = f"http://127.0.0.1:{ports[1]}"
        signed_in_elsewhere = 'action="/ru/accounts/logout/"' in browser.get("/ru/")
        print(f"session made on one server, signed in on the other: {signed_in_elsewhere}")
        if not signed_in_elsewhere:
            failures.append("the other server did not know the session")

        reads_before = replica_reads(replica_port)
        paths = ["/ru/indicators/", "/kk/access/dashboard/", "/ru/", "/en/plan/",
                 "/api/v1/regions"]
        served = dict.fromkeys(ports, 0)

        def fetch(n: int) -> int:
            port = ports[n % 2]
            # Past the shared cache: each query string is a page of its own.
            url = f"http://127.0.0.1:{port}{paths[n % len(paths)]}?n={n}"
            with urllib.request.urlopen(url, timeout=30) as answer:
                return port if answer.status == 200 else 0

        started = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(16) as pool:
            for port in pool.map(fetch, range(REQUESTS)):
                if port:
                    served[port] += 1
        took = time.perf_counter() - started
        reads_after = replica_reads(replica_port)
        print(f"{REQUESTS} requests over two servers in {took:.1f} s "
              f"({REQUESTS / took:.0f}/s): {served[ports[0]]} and {served[ports[1]]} answered 200")
        print(f"replica: {reads_after - reads_before} scans of the indicator tables")
        if min(served.values()) < REQUESTS // 2:
            failures.append(f"not every request answered by its server: {served}")
        if reads_after <= reads_before:
            failures.append("the replica served no reads")

        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not all(
                log.exists() and "end" in log.read_text() for log in logs):
            time.sleep(0.5)
        ends = [log.read_text().count("end") if log.exists() else 0 for log in logs]
        workers = {line.split()[1] for log in logs if log.exists()
                   for line in log.read_text().splitlines() if line.startswith("end")}
        print(f"jobs: {JOBS} enqueued, completions per job {sorted(set(ends))}, "
              f"by {len(workers)} workers")
        if ends != [1] * JOBS:
            failures.append(f"jobs did not each run exactly once: {ends}")
        if len(workers) < 2:
            failures.append("one worker took every job")
        # Writes went to the primary only: the replica is read-only and would have refused.
        server_logs = "".join((work / f"server{n}.log").read_text() for n in (1, 2))
        if re.search(r"read-only transaction|Traceback", server_logs):
            failures.append("a server failed:\n" + server_logs[-3000:])
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
        for server in servers:
            try:
                server.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        stop_databases(work)
        shutil.rmtree(work, ignore_errors=True)
    for failure in failures:
        print(f"FAILED: {failure}", file=sys.stderr)
    print("scale-out: " + ("failed" if failures else "every check passed"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
