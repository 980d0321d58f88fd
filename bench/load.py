"""Load: the production server (`manage.py serve`, gunicorn) under locust, on SQLite and
on PostgreSQL, against the floor of a static file served by the same server.

Prepares a database with the demo (kept between runs under var/bench-load/, so a second
run starts in seconds), starts the server on a free loopback port with the production
settings (DEBUG off, hashed static files, staff second factor on), signs a recipient and
an official in through the real pages (the official with a TOTP code), then runs locust
headless, bounded in users and time, over bench/locustfile.py's mix: anonymous pages and
open data, a recipient's journey to an order, an official's queue. Prints requests per
second, failures, median and 95th percentile, per kind of request and in all, and the
ratio to the floor. Asserts nothing.

    .venv/bin/python bench/load.py                        # SQLite, 200 users, 60 s
    .venv/bin/python bench/load.py --database postgres    # PostgreSQL (LOAD_POSTGRES_URL)
    .venv/bin/python bench/load.py --users 20 --seconds 10
"""

from __future__ import annotations

import argparse
import csv
import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
LOCUST = str(ROOT / ".venv" / "bin" / "locust")
POSTGRES_URL = os.environ.get("LOAD_POSTGRES_URL",
                              "postgres://postgres@127.0.0.1:5432/tendik_load")
ORDER_KEY = "load-bench-order"
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Figures:
    requests: int
    failures: int
    rps: float
    median_ms: float
    p95_ms: float


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def environment(var_dir: Path, database_url: str, port: int) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if key not in {"DJANGO_SETTINGS_MODULE", "PYTEST_CURRENT_TEST", "DEBUG"}}
    env.update(TENDIK_VAR_DIR=str(var_dir), DATABASE_URL=database_url, DEBUG="0",
               SECURE_SSL_REDIRECT="0", SECURE_COOKIES="0", SECURE_HSTS_SECONDS="0",
               STATIC_MANIFEST="1", BIND=f"127.0.0.1:{port}", PORT=str(port),
               SITE_URL=f"http://127.0.0.1:{port}", PYTHONUNBUFFERED="1",
               WEB_ACCESS_LOG="", EMAIL_URL="locmem://",
               # 200 simulated people call from one address, where real ones have theirs.
               API_ANONYMOUS_RATE="1000000/m", API_IDENTIFIED_RATE="1000000/m")
    return env


def prepare(env: dict[str, str], demo: bool) -> None:
    steps = [["collect_static"],
             ["prepare", "--no-schedule"] + (["--demo", "--allow-without-debug"] if demo else [])]
    for step in steps:
        subprocess.run([PY, "manage.py", *step], cwd=ROOT, env=env, check=True,  # noqa: S603
                       stdout=subprocess.DEVNULL)


def start_server(env: dict[str, str], base: str, log: Path) -> subprocess.Popen[bytes]:
    with log.open("w") as out:
        server = subprocess.Popen([PY, "manage.py", "serve"], cwd=ROOT, env=env,  # noqa: S603
                                  stdout=out, stderr=subprocess.STDOUT,
                                  start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server stopped:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=5) as answer:  # noqa: S310
                if answer.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    stop(server)
    raise RuntimeError(f"the server did not answer:\n{log.read_text()[-3000:]}")


def stop(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=40)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


class Browser:
    """Just enough of a browser to sign in through the platform's own pages."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=30) as answer:
            return str(answer.read().decode())

    def post(self, path: str, fields: dict[str, str]) -> str:
        token = CSRF_FIELD.search(self.get(path))
        assert token, f"no form at {path}"
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1), **fields})
        request = urllib.request.Request(self.base + path, data=data.encode(),  # noqa: S310
                                         headers={"Referer": self.base + path})
        with self.opener.open(request, timeout=30) as answer:
            return str(answer.geturl())

    def session(self) -> str:
        return next(cookie.value for cookie in self.jar if cookie.name == "sessionid"
                    and cookie.value is not None)


def sign_in(base: str, username: str, password: str, totp_key: str | None = None) -> str:
    browser = Browser(base)
    browser.post("/ru/accounts/login/", {"username": username, "password": password})
    if totp_key is not None:
        from django_otp.oath import TOTP

        browser.post("/ru/accounts/second-factor/",
                     {"token": f"{TOTP(bytes.fromhex(totp_key)).token():06d}"})
    return browser.session()


def context(env: dict[str, str], base: str, demo: bool) -> dict[str, object]:
    """Sessions and ids the simulated people use, read from the database being loaded."""
    os.environ.update({key: env[key] for key in ("TENDIK_VAR_DIR", "DATABASE_URL")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tendik.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.templatetags.static import static
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tendik.core.demo import DEMO_PASSWORD
    from tendik.core.models import User
    from tendik.indicators.models import Indicator
    from tendik.portal import journey
    from tendik.portal.models import Entitlement, Order

    result: dict[str, object] = {
        "base": base, "static": static("tendik/favicon.svg"),
        "indicators": list(Indicator.objects.values_list("code", flat=True)[:20])}
    if not demo:
        return result
    recipient = User.objects.get(username="demo.recipient")
    # One order for every run on this database: the first run places it, later runs and
    # every simulated person get it back, so repeated runs never use the entitlement up.
    placed = Order.objects.filter(idempotency_key=ORDER_KEY).select_related(
        "entitlement__ipr__person", "offer").first()
    if placed is not None:
        entitlement, offer = placed.entitlement, placed.offer
    else:
        entitlement = next(e for e in Entitlement.objects.filter(
            ipr__person__in=journey.persons_for(recipient)).select_related("ipr__person")
            if journey.matching_offers(e).exists() and e.balance.left > 0)
        offer = journey.matching_offers(entitlement).first()
    assert offer is not None
    person = entitlement.ipr.person
    result["recipient"] = {
        "session": sign_in(base, "demo.recipient", DEMO_PASSWORD),
        "offers": f"/ru/portal/entitlements/{entitlement.pk}/",
        "order_form": f"/ru/portal/entitlements/{entitlement.pk}/offers/{offer.pk}/order/",
        "delivery": offer.delivery[0], "address": person.address or "Алматы",
        "card": f"/ru/portal/card/{person.pk}/", "key": ORDER_KEY,
        "base": base}
    device = TOTPDevice.objects.get(user__username="demo.akimat.almaty", confirmed=True)
    result["official"] = {"session": sign_in(base, "demo.akimat.almaty", DEMO_PASSWORD,
                                             device.key)}
    return result


def run_locust(env: dict[str, str], base: str, users: int, seconds: int, workdir: Path,
               classes: list[str], name: str) -> tuple[Figures, list[list[str]]]:
    prefix = workdir / name
    argv = [LOCUST, "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
            "--users", str(users), "--spawn-rate", str(max(1, users // 5)),
            "--run-time", f"{seconds}s", "--host", base, "--csv", str(prefix),
            "--only-summary", "--stop-timeout", "5", "--loglevel", "WARNING", *classes]
    with (workdir / f"{name}.log").open("w") as log:  # exit 1 when a request failed
        subprocess.run(argv, cwd=ROOT, env=env, check=False,  # noqa: S603
                       stdout=log, stderr=subprocess.STDOUT, timeout=seconds + 120)
    with open(f"{prefix}_stats.csv", newline="") as stats:
        rows = list(csv.DictReader(stats))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    figures = Figures(int(total["Request Count"]), int(total["Failure Count"]),
                      float(total["Requests/s"]), float(total["Median Response Time"]),
                      float(total["95%"]))
    lines = [[row["Name"], row["Request Count"], row["Failure Count"],
              f"{float(row['Requests/s']):.1f}", row["Median Response Time"], row["95%"]]
             for row in rows if row["Name"] != "Aggregated"]
    return figures, lines


def main(database: str = "sqlite", users: int = 200, seconds: int = 60,
         demo: bool = True, var_dir: Path | None = None) -> dict[str, Figures]:
    var_dir = var_dir or ROOT / "var" / "bench-load" / database
    var_dir.mkdir(parents=True, exist_ok=True)
    database_url = (POSTGRES_URL if database == "postgres"
                    else f"sqlite:///{var_dir / 'tendik.sqlite3'}")
    if database == "postgres":
        ensure_postgres_database(database_url)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = environment(var_dir, database_url, port)
    started = time.perf_counter()
    prepare(env, demo)
    print(f"load on {database}: data ready in {time.perf_counter() - started:.1f} s; "
          f"{users} users for {seconds} s on {os.cpu_count()} cores")
    server = start_server(env, base, var_dir / "server.log")
    try:
        env["LOAD_CONTEXT"] = json.dumps(context(env, base, demo))
        mix, lines = run_locust(env, base, users, seconds, var_dir,
                                ["Visitor", "Recipient", "Official"] if demo else ["Visitor"],
                                "mix")
        floor, _ = run_locust(env, base, users, seconds, var_dir, ["Floor"], "floor")
    finally:
        stop(server)
    print(f"{'request':<44} {'count':>7} {'fail':>5} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7}")
    for line in sorted(lines):
        print(f"{line[0][:44]:<44} {line[1]:>7} {line[2]:>5} {line[3]:>7} {line[4]:>7} "
              f"{line[5]:>7}")
    for label, figures in (("the mix", mix), ("the floor (a static file)", floor)):
        print(f"{label}: {figures.rps:.1f} requests/s, {figures.requests} requests, "
              f"{figures.failures} failures, p50 {figures.median_ms:.0f} ms, "
              f"p95 {figures.p95_ms:.0f} ms")
    if floor.rps:
        print(f"ratio mix / floor: {mix.rps / floor.rps:.2f}")
    return {"mix": mix, "floor": floor}


def ensure_postgres_database(url: str) -> None:
    import psycopg

    parsed = urllib.parse.urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                  [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--no-demo", action="store_true",
                        help="Reference data only: anonymous visitors and the floor.")
    parser.add_argument("--var-dir", type=Path, default=None,
                        help="Where the SQLite database and the server's log are kept.")
    arguments = parser.parse_args()
    main(arguments.database, arguments.users, arguments.seconds, not arguments.no_demo,
         arguments.var_dir)
