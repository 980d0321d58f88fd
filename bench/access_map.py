"""The accessibility map's bounding-box query with a million facilities.

Inserts FACILITIES facilities (default 1,000,000) around the regions' centres, denser in
the three cities, builds the cluster cells, then times GET /api/v1/facilities through the
whole Django stack for the whole country (zoom 5) and for a city (Almaty, zoom 12), and
the raw SQL of the same reads, printing the 95th percentile against the aims (50 ms and
30 ms) and the ratio of the request to its SQL. Runs on a throw-away test database:
SQLite by default, or the PostgreSQL server named by BENCH_DATABASE_URL. Asserts nothing.

    .venv/bin/python bench/access_map.py
    FACILITIES=200000 .venv/bin/python bench/access_map.py
    MIGRATE=0 FACILITIES=2000 SAMPLES=5 .venv/bin/python bench/access_map.py  # tests' size
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/tendik_bench \\
        .venv/bin/python bench/access_map.py
"""

from __future__ import annotations

import os
import random
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

FACILITIES = int(os.environ.get("FACILITIES", "1000000"))
SAMPLES = int(os.environ.get("SAMPLES", "60"))  # requests (and SQL reads) timed a query
QUERIES = {  # name: (bbox, zoom, aim in ms)
    "whole country": ("46.0,40.0,88.0,56.0", 5, 50.0),
    "city (Almaty)": ("76.80,43.18,77.05,43.32", 12, 30.0),
}


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]


def unset_defaults(model: type, columns: tuple[str, ...]) -> dict[str, object]:
    """The value the ORM would write in each NOT NULL column the bench's rows leave out, so
    that a field the model gains later does not break the plain INSERT."""
    defaults = {}
    for field in model._meta.concrete_fields:  # type: ignore[attr-defined]
        if field.column in columns or field.primary_key or field.null:
            continue
        if (value := field.get_default()) is not None:  # "" for text fields without one
            defaults[field.column] = field.get_db_prep_save(value, connection)
    return defaults


def build() -> float:
    from tendik.access import clusters
    from tendik.access.models import Facility, FacilityType, Level
    from tendik.core.reference import load_reference_data

    load_reference_data()
    from tendik.core.models import Region

    regions = list(Region.objects.all())
    cities = [r for r in regions if r.kind == Region.Kind.CITY]
    types = [t.value for t in FacilityType]
    levels = [lv.value for lv in Level]
    rng = random.Random(326)
    table = Facility._meta.db_table
    columns = ("name_ru", "name_kk", "address_ru", "address_kk", "region_id", "kato",
               "latitude", "longitude", "type", "osm_id", "status_code", "level",
               "access_k", "access_o", "access_s", "access_g", "access_u", "meets_standard",
               "needs_reinspection")
    defaults = unset_defaults(Facility, columns)
    columns += tuple(defaults)
    rest = tuple(defaults.values())
    sql = (f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608
           f"VALUES ({', '.join(['%s'] * len(columns))})")
    started = time.perf_counter()
    batch = []
    with connection.cursor() as cursor:
        for number in range(FACILITIES):
            region = rng.choice(cities) if rng.random() < 0.4 else rng.choice(regions)
            spread = 0.08 if region.kind == Region.Kind.CITY else 1.2
            latitude = min(55.4, max(40.6, rng.gauss(float(region.latitude), spread * 0.6)))
            longitude = min(87.3, max(46.5, rng.gauss(float(region.longitude), spread)))
            level = rng.choice(levels)
            access = [rng.choice([None, 0, 1, 2, 3]) for _ in range(5)]
            batch.append((f"Объект {number}", "", f"ул. Тестовая, {number}", "", region.pk,
                          "", latitude, longitude, rng.choice(types), "", "", level, *access,
                          level == "full", False, *rest))
            if len(batch) == 20000:
                cursor.executemany(sql, batch)
                batch.clear()
        if batch:
            cursor.executemany(sql, batch)
    inserted = time.perf_counter() - started
    started = time.perf_counter()
    cells = clusters.rebuild()
    print(f"data: {Facility.objects.count():,} facilities inserted in {inserted:.1f} s; "
          f"{cells:,} cluster cells built in {time.perf_counter() - started:.1f} s")
    return inserted


def raw_sql_ms(bbox: str, zoom: int) -> list[float]:
    """The same read as the endpoint, as one SQL statement with nothing around it."""
    from tendik.access import clusters
    from tendik.access.models import ClusterCell

    box = clusters.BBox.parse(bbox)
    size = clusters.cell_size(zoom)
    query = ClusterCell.objects.filter(
        zoom=zoom, x__gte=int((box.west + 180) // size), x__lte=int((box.east + 180) // size),
        y__gte=int((box.south + 90) // size), y__lte=int((box.north + 90) // size)).values()
    sql, params = query.query.sql_with_params()
    samples = []
    with connection.cursor() as cursor:
        for _ in range(SAMPLES):
            start = time.perf_counter()
            cursor.execute(sql, params)
            cursor.fetchall()
            samples.append((time.perf_counter() - start) * 1000)
    return samples


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

    print(f"database: {connection.vendor} ({name})")
    build()
    client = Client()
    for label, (bbox, zoom, aim) in QUERIES.items():
        url = f"/api/v1/facilities?bbox={bbox}&zoom={zoom}"
        first = client.get(url)
        features = first.json()["features"]
        counted = sum(f["properties"].get("count", 1) for f in features)
        samples = []
        for _ in range(SAMPLES):
            start = time.perf_counter()
            client.get(url)
            samples.append((time.perf_counter() - start) * 1000)
        request_p95 = p95(samples)
        sql_p95 = p95(raw_sql_ms(bbox, zoom))
        print(f"{label}: {len(features)} features for {counted:,} facilities; "
              f"request p95 {request_p95:.1f} ms ({request_p95 / aim:.2f} of the {aim:.0f} ms "
              f"aim), raw SQL p95 {sql_p95:.2f} ms, request / SQL {request_p95 / sql_p95:.1f}×")


if __name__ == "__main__":
    main()
