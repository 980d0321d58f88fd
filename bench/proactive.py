"""Proactive rules at national scale: 700,000 persons and 1,500,000 entitlements.

Loads PERSONS persons (default 700,000) over the 20 regions with their disability records
(groups I/II/III/child; some with a re-examination within 60 days, some ended), ИПР
versions valid from the last three years with ENTITLEMENTS entitlements (default
1,500,000), orders for most of them (mostly received; aids replaced when their term runs
out, a few not), enrolments for most children, job searches for some adults, family cards
for a fifth of the persons and a few family assistants, and AUDIT_EVENTS rows of audit
history (default 1,000,000) from before the runs. Then times tendik.cases.rules.run_rules:

  1. a full run on the fresh data (aim: 60 s on SQLite, 20 s on PostgreSQL);
  2. 1,000 changes through the ORM, so that they are audited, then an incremental run
     (aim: 2 s);
  3. the next day, an incremental run with no changes;
  4. a second full run on that day, when everything has been found already (0 new hits:
     anything else is what the incremental runs missed).

For each run: the seconds against the aim, the new hits by rule, the time of each rule's
query (iterating its candidates), of handing its new hits to the writer and of writing them
(hits, offers and tasks: in writer threads on PostgreSQL, overlapping the query), the
statements run on every connection, and the resident memory: before, the peak during the run
(/proc VmHWM, reset before each run) and the growth (aim: under 1 GB). Then the plan of
each rule's main query in the full run, and the slowest statements of the incremental run
replayed one by one with their plans.

Runs on a throw-away database: an SQLite file in a temporary directory by default, or a
database created on the PostgreSQL server named by BENCH_DATABASE_URL. Asserts nothing.

    .venv/bin/python bench/proactive.py
    PERSONS=50000 ENTITLEMENTS=110000 AUDIT_EVENTS=50000 .venv/bin/python bench/proactive.py
    MIGRATE=0 PERSONS=500 ENTITLEMENTS=1000 AUDIT_EVENTS=500 .venv/bin/python bench/proactive.py
    PROFILE=1 .venv/bin/python bench/proactive.py   # cProfile of the first full run
    EXPLAIN=analyze …   # EXPLAIN ANALYZE on PostgreSQL (EXPLAIN=0: no plans)
    KEEP=1 .venv/bin/python bench/proactive.py      # keep the database to EXPLAIN afterwards
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/tendik_bench_rules \\
        .venv/bin/python bench/proactive.py
"""

from __future__ import annotations

import bisect
import cProfile
import dataclasses
import datetime as dt
import gc
import io
import os
import pstats
import random
import resource
import shutil
import sys
import tempfile
import threading
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

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

from django.db import connection, transaction  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

PERSONS = int(os.environ.get("PERSONS", "700000"))
ENTITLEMENTS = int(os.environ.get("ENTITLEMENTS", "1500000"))
AUDIT_EVENTS = int(os.environ.get("AUDIT_EVENTS", "1000000"))
KEEP = os.environ.get("KEEP", "") == "1"
PROFILE = os.environ.get("PROFILE", "") == "1"
TRACE = os.environ.get("TRACEMALLOC", "") == "1"  # Python allocations too (slower)
EXPLAIN = os.environ.get("EXPLAIN", "1")  # "0": none; "analyze": EXPLAIN ANALYZE (PG)
POSTGRES = connection.vendor == "postgresql"
AIM_FULL = 20.0 if POSTGRES else 60.0
AIM_INCREMENTAL = 2.0
AIM_MEMORY_MB = 1024.0
CHUNK = 50_000  # persons a transaction while loading
SEED = 2027

AS_OF = timezone.localdate()
TODAY = AS_OF.toordinal()
ISO = {n: dt.date.fromordinal(n).isoformat()
       for n in range(dt.date(1935, 1, 1).toordinal(), TODAY + 4000)}
# Datetimes go in as text: naive UTC on SQLite (as Django stores them), with the offset on
# PostgreSQL.
TZ = "+00" if POSTGRES else ""

# The shape of the registry.
REGION_WEIGHTS = {
    "750000000": 12.0, "710000000": 10.0, "790000000": 6.0, "610000000": 9.0,
    "190000000": 7.0, "310000000": 5.7, "350000000": 5.5, "150000000": 4.5,
    "390000000": 4.2, "430000000": 4.1, "110000000": 3.8, "470000000": 3.8,
    "550000000": 3.7, "630000000": 3.7, "230000000": 3.5, "330000000": 3.5,
    "270000000": 3.3, "100000000": 3.2, "590000000": 2.7, "620000000": 1.1,
}
ADULT_GROUPS = [("1", 0.13), ("2", 0.50), ("3", 0.37)]  # of adults; under 18: "child"
RECORD_ENDED = 0.06  # the latest МСЭ decision ended (no current disability)
INDEFINITE = 0.50  # of adults' current decisions: no end, no re-examination
OLDER_RECORD = 0.10  # an earlier, ended decision as well
REEXAM_SPREAD = 1400  # days ahead over which fixed-term re-examinations fall
HAS_IPR, TWO_VERSIONS = 0.62, 0.15
NO_ORDER, ONLY_CANCELLED = 0.015, 0.005  # of entitlements of ИПР in force, 30+ days old
CANCELLED_FIRST = 0.03  # a cancelled or declined attempt before the order that went on
OLD_VERSION_ORDERED, NEW_IPR_ORDERED = 0.85, 0.5
REPLACED = 0.975  # an aid past its term is replaced (else: a hit)
ENROLLED, ENROLMENT_ENDED = 0.95, 0.02  # of persons aged 5–18
JOB_SEEKERS, JOB_ENDED = 0.045, 0.35  # of persons aged 20–60
IN_FAMILY, ASSISTED = 0.20, 0.25  # group I in a family with a member: has an assistant
AUDIT_LABELS = [("portal.order", 50), ("portal.orderevent", 0), ("portal.reimbursement", 10),
                ("portal.entitlement", 8), ("portal.ipr", 4), ("people.person", 10),
                ("people.disabilityrecord", 8), ("cases.enrolment", 3),
                ("cases.jobsearch", 2), ("people.familymember", 2), ("core.user", 3)]
FIRST = ["Нурлан", "Айгуль", "Ерлан", "Жанар", "Асхат", "Динара", "Алексей", "Мадина"]
LAST = ["Ахметов", "Сулейменова", "Жумабаев", "Касымова", "Искаков", "Омарова", "Иванов"]


def _accumulate(values: Iterable[float]) -> list[float]:
    total, out = 0.0, []
    for value in values:
        total += value
        out.append(total)
    return out


def stamp(day: int, hour: int = 5) -> str:
    return f"{ISO[day]} {hour:02d}:00:00{TZ}"


def years_ago(years: int) -> int:
    from tendik.cases.rules import years_before

    return years_before(AS_OF, years).toordinal()


class Loader:
    """Plain INSERTs (executemany) on SQLite, COPY on PostgreSQL; a transaction a chunk."""

    def __init__(self) -> None:
        self.statements: dict[str, str] = {}
        self.counts: Counter[str] = Counter()
        self.batches: dict[str, list[tuple[Any, ...]]] = {}

    def table(self, name: str, columns: Sequence[str]) -> list[tuple[Any, ...]]:
        quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
        if POSTGRES:
            self.statements[name] = f"COPY {name} ({quoted}) FROM STDIN"
        else:
            self.statements[name] = (f"INSERT INTO {name} ({quoted}) "  # noqa: S608
                                     f"VALUES ({', '.join(['%s'] * len(columns))})")
        self.batches[name] = []
        return self.batches[name]

    def write(self) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            for name, rows in self.batches.items():
                if not rows:
                    continue
                if POSTGRES:
                    with cursor.cursor.copy(self.statements[name]) as copy:
                        for row in rows:
                            copy.write_row(row)
                else:
                    cursor.executemany(self.statements[name], rows)
                self.counts[name] += len(rows)
                rows.clear()


@dataclasses.dataclass
class Item:
    code: str
    months: int
    yearly: int | None
    fitting: bool
    offers: list[tuple[int, int, int]]  # (offer, supplier, price)


class World:
    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.regions: dict[int, str] = {}
        self.items: dict[int, Item] = {}
        self.placer = 0
        self.ids: Counter[str] = Counter()


def build_reference(world: World) -> None:
    from tendik.core.models import Organisation, Region, Role, User
    from tendik.core.reference import load_reference_data
    from tendik.portal.models import CatalogueItem, Offer
    from tendik.portal.services import load_classifier

    load_reference_data()
    load_classifier()
    world.regions = {r.pk: r.kato for r in Region.objects.all()}
    world.placer = User.objects.create(username="bench.placer", role=Role.RECIPIENT).pk
    suppliers = Organisation.objects.bulk_create([
        Organisation(code=f"BENCH-SUP-{n}", kind=Organisation.Kind.SUPPLIER,
                     name_ru=f"ТОО «Поставщик {n}»", name_kk=f"«Жеткізуші {n}» ЖШС",
                     name_en=f"Supplier {n} LLP", region_id=next(iter(world.regions)))
        for n in range(3)])
    suppliers = list(Organisation.objects.filter(code__startswith="BENCH-SUP-"))
    items = list(CatalogueItem.objects.prefetch_related("caps"))
    offers = Offer.objects.bulk_create([
        Offer(supplier=supplier, item=item, title=f"Модель {item.code}-{n}",
              price=int(min(c.amount for c in item.caps.all())), delivery=["home"],
              lead_time_days=14, fitting=item.needs_fitting)
        for item in items for n, supplier in enumerate(suppliers)])
    by_item: dict[int, list[tuple[int, int, int]]] = {}
    for offer in offers:
        by_item.setdefault(offer.item_id, []).append(
            (offer.pk, offer.supplier_id, int(offer.price)))
    for item in items:
        world.items[item.pk] = Item(item.code, item.replacement_months,
                                    item.yearly_quantity, item.needs_fitting,
                                    by_item[item.pk])


def build_registry(world: World, loader: Loader) -> None:
    from tendik.people.iin import make_iin

    rng = world.rng
    rand, randrange = rng.random, rng.randrange
    region_pks = list(world.regions)
    region_cum = _accumulate(REGION_WEIGHTS.get(world.regions[r], 3.0) for r in region_pks)
    item_pks = list(world.items)
    item_cum = _accumulate(rng.lognormvariate(0, 1.0) for _ in item_pks)
    groups, group_cum = [g for g, _w in ADULT_GROUPS], _accumulate(w for _g, w in ADULT_GROUPS)
    born_from = dt.date(1940, 1, 1).toordinal()
    born_to = min(dt.date(2025, 12, 31).toordinal(), TODAY - 60)
    adult_by, child_after = years_ago(18), years_ago(18)
    school_from, school_to = years_ago(19), years_ago(5)
    work_from, work_to = years_ago(60), years_ago(20)
    preschool_after = years_ago(7)
    ipr_mean = ENTITLEMENTS / max(1.0, PERSONS * HAS_IPR * (1 + TWO_VERSIONS))
    ent_max = max(1, round(2 * ipr_mean - 1))
    serials: dict[tuple[int, str], int] = {}
    families: dict[int, tuple[int, int, list[tuple[int, str]]]] = {}  # region → open family

    persons = loader.table("people_person", [
        "id", "iin", "last_name", "first_name", "patronymic", "birth_date", "sex",
        "region_id", "kato", "address", "phone", "email", "language", "communication_needs",
        "account_id"])
    records = loader.table("people_disabilityrecord", [
        "id", "person_id", "group", "cause", "start", "end", "reexamination",
        "decision_number", "decision_date"])
    iprs = loader.table("portal_ipr", ["id", "person_id", "number", "version", "issued_on",
                                       "valid_from", "valid_to"])
    entitlements = loader.table("portal_entitlement", ["id", "ipr_id", "item_id", "quantity",
                                                       "note"])
    orders = loader.table("portal_order", [
        "id", "idempotency_key", "person_id", "entitlement_id", "offer_id", "supplier_id",
        "item_id", "region_id", "quantity", "ordered_on", "unit_price", "unit_cap",
        "state_pays", "copayment", "delivery", "address", "state", "placed_by_id",
        "placed_at", "delivered_at", "received_at"])
    enrolments = loader.table("cases_enrolment", ["id", "person_id", "kind", "institution",
                                                  "start", "end"])
    searches = loader.table("cases_jobsearch", ["id", "person_id", "registered_on",
                                                "ended_on", "centre"])
    family_rows = loader.table("people_family", ["id", "name"])
    members = loader.table("people_familymember", ["id", "family_id", "person_id", "role"])
    assistants = loader.table("workforce_familyassistant", [
        "id", "assistant_id", "recipient_id", "relationship", "registered_on", "ended_on",
        "hourly_rate", "registered_by_id"])
    ids = world.ids
    placer = world.placer

    def order(person: int, region: int, ent: int, item: int, info: Item, day: int,
              state: str, delivered: int | None = None, received: int | None = None) -> None:
        ids["order"] += 1
        oid = ids["order"]
        offer, supplier, price = info.offers[oid % len(info.offers)]
        quantity = 1 if info.yearly is None else max(1, info.yearly // 12)
        orders.append((
            oid, f"bench-{oid}", person, ent, offer, supplier, item, region, quantity,
            ISO[day], price, price, price * quantity, 0, "home", "ул. Абая, 1", state,
            placer, stamp(day), stamp(delivered) if delivered else None,
            stamp(received, 9) if received else None))

    def supply(person: int, region: int, ent: int, item: int, valid_from: int,
               replaced: bool) -> None:
        """The orders of one entitlement: mostly placed within 30 days and received; an
        aid replaced when its term runs out."""
        info = world.items[item]
        age = TODAY - valid_from
        roll = rand()
        if replaced:
            if roll > OLD_VERSION_ORDERED:
                return
        elif age < 30:
            if roll > NEW_IPR_ORDERED:
                return
        elif roll < NO_ORDER:
            return
        elif roll < NO_ORDER + ONLY_CANCELLED:
            day = valid_from + randrange(min(age, 30))
            order(person, region, ent, item, info, day,
                  "cancelled" if rand() < 0.7 else "declined")
            return
        span = min(age, 29) if rand() < 0.85 else age
        day = valid_from + randrange(max(1, span))
        if rand() < CANCELLED_FIRST:
            order(person, region, ent, item, info, day, "cancelled")
        while True:
            lead = randrange(3, 40)
            if day + lead > TODAY:  # still under way
                elapsed = TODAY - day
                if elapsed < 2:
                    order(person, region, ent, item, info, day, "placed")
                elif info.fitting and elapsed < lead - 5:
                    order(person, region, ent, item, info, day, "fitting")
                elif elapsed < lead - 2:
                    order(person, region, ent, item, info, day, "accepted")
                else:
                    order(person, region, ent, item, info, day, "delivered", TODAY)
                return
            got = day + lead
            roll = rand()
            if roll < 0.97:
                order(person, region, ent, item, info, day, "received", got, got)
            else:
                order(person, region, ent, item, info, day,
                      "disputed" if roll < 0.98 else "delivered", got)
                return
            if info.yearly is not None:
                return
            due = got + int(info.months * 30.44)
            if due > TODAY or rand() > REPLACED:
                return
            day = min(TODAY, max(got + 1, due + randrange(-20, 40)))

    def entitle(person: int, region: int, ipr: int, valid_from: int, replaced: bool) -> None:
        chosen: set[int] = set()
        wanted = randrange(1, ent_max + 1)
        while len(chosen) < wanted:
            chosen.add(item_pks[bisect.bisect(item_cum, rand() * item_cum[-1])])
        for item in chosen:
            ids["entitlement"] += 1
            info = world.items[item]
            quantity = info.yearly * randrange(1, 4) if info.yearly else randrange(1, 3)
            entitlements.append((ids["entitlement"], ipr, item, quantity, ""))
            supply(person, region, ids["entitlement"], item, valid_from, replaced)

    causes = ["general", "general", "general", "childhood", "work_injury", "occupational",
              "military", "other"]
    started = time.perf_counter()
    for pk in range(1, PERSONS + 1):
        region = region_pks[bisect.bisect(region_cum, rand() * region_cum[-1])]
        born = randrange(born_from, born_to)
        sex = "male" if rand() < 0.5 else "female"
        serial = serials.get((born, sex), 0)
        iin = make_iin(dt.date.fromordinal(born), sex, serial)
        serials[born, sex] = int(iin[7:11]) + 1
        persons.append((
            pk, iin, LAST[pk % len(LAST)], FIRST[pk % len(FIRST)], "", ISO[born], sex,
            region, "", f"ул. Абая, {pk % 180 + 1}", "", "", "kk" if rand() < 0.6 else "ru",
            '["large_print"]' if rand() < 0.05 else "[]", None))
        # МСЭ: the latest decision, and for some an earlier one that ended.
        child = born > child_after
        start = randrange(max(born + 30, TODAY - 12 * 365), TODAY)
        group = "child" if child else groups[bisect.bisect(group_cum, rand() * group_cum[-1])]
        roll = rand()
        end = reexamination = None
        if roll < RECORD_ENDED:
            end = randrange(start, TODAY)
        elif child or roll > RECORD_ENDED + INDEFINITE:
            reexamination = TODAY + randrange(REEXAM_SPREAD)
            end = reexamination + randrange(90)
        current = end is None or end >= TODAY
        if rand() < OLDER_RECORD and start - 1500 > born + 30:
            ids["record"] += 1
            older = start - randrange(400, 1500)
            records.append((ids["record"], pk, groups[randrange(3)] if born <= adult_by
                            else "child", causes[randrange(8)], ISO[older], ISO[start - 1],
                            None, f"МСЭ-{ids['record']}", ISO[older]))
        ids["record"] += 1
        records.append((ids["record"], pk, group, causes[randrange(8)], ISO[start],
                        ISO[end] if end else None,
                        ISO[reexamination] if reexamination else None,
                        f"МСЭ-{ids['record']}", ISO[start]))
        # ИПР: valid from within the last three years; for some a second version.
        if rand() < HAS_IPR:
            if rand() < TWO_VERSIONS:
                v1 = randrange(TODAY - 3 * 365, TODAY - 200)
                v2 = randrange(v1 + 120, TODAY)
                ids["ipr"] += 1
                iprs.append((ids["ipr"], pk, f"ИПР-{pk:07d}", 1, ISO[v1 - randrange(1, 20)],
                             ISO[v1], ISO[v2 - 1]))
                entitle(pk, region, ids["ipr"], v1, True)
                versions = [(2, v2)]
            else:
                versions = [(1, randrange(TODAY - 3 * 365, TODAY))]
            for version, valid_from in versions:
                ids["ipr"] += 1
                iprs.append((ids["ipr"], pk, f"ИПР-{pk:07d}", version,
                             ISO[valid_from - randrange(1, 20)], ISO[valid_from], None))
                entitle(pk, region, ids["ipr"], valid_from, False)
        # Education for most children; job searches for some adults.
        if school_from < born <= school_to:
            roll = rand()
            if roll < ENROLLED + ENROLMENT_ENDED:
                ids["enrolment"] += 1
                first = min(TODAY - 1, max(born + 6 * 365, TODAY - 4 * 365))
                ended = ISO[TODAY - randrange(30, 400)] if roll >= ENROLLED else None
                kind = ("preschool" if born > preschool_after else "home" if rand() < 0.07
                        else "school")
                enrolments.append((ids["enrolment"], pk, kind, f"Школа № {pk % 300 + 1}",
                                   ISO[first], ended))
        elif work_from < born <= work_to and rand() < JOB_SEEKERS:
            ids["search"] += 1
            registered = TODAY - randrange(1, 730)
            ended = (ISO[registered + randrange(1, max(2, TODAY - registered))]
                     if rand() < JOB_ENDED else None)
            searches.append((ids["search"], pk, ISO[registered], ended,
                             "Центр занятости населения"))
        # Family cards of two to four persons of a region; a few family assistants.
        if rand() < IN_FAMILY:
            family = families.get(region)
            if family is None or len(family[2]) >= family[1]:
                ids["family"] += 1
                family = (ids["family"], randrange(2, 5), [])
                families[region] = family
                family_rows.append((ids["family"], f"Семья {ids['family']}"))
            role = "head" if not family[2] else ("spouse", "child", "parent",
                                                  "other")[randrange(4)]
            ids["member"] += 1
            members.append((ids["member"], family[0], pk, role))
            if group == "1" and current and family[2] and rand() < ASSISTED:
                helper, helper_role = family[2][0]
                ids["assistant"] += 1
                registered = TODAY - randrange(30, 900)
                ended = (ISO[registered + randrange(1, TODAY - registered)]
                         if rand() < 0.2 else None)
                assistants.append((ids["assistant"], helper, pk, helper_role,
                                   ISO[registered], ended, 1500, None))
            family[2].append((pk, role))
        if pk % CHUNK == 0:
            loader.write()
            if pk % (CHUNK * 4) == 0:
                print(f"  … {pk:,} persons, {ids['order']:,} orders in "
                      f"{time.perf_counter() - started:.0f} s", flush=True)
    loader.write()


def build_audit_history(world: World, loader: Loader) -> None:
    """What the audit log holds from before: the incremental run reads it by model and
    time, so its size matters."""
    rng = world.rng
    rand, randrange = rng.random, rng.randrange
    labels = [label for label, weight in AUDIT_LABELS if weight]
    cum = _accumulate(weight for _label, weight in AUDIT_LABELS if weight)
    events = loader.table("core_auditevent", [
        "at", "actor_id", "actor_repr", "api_token_id", "ip_address", "action", "model",
        "object_id", "object_repr", "changes", "reason"])
    first = TODAY - 3 * 365
    for number in range(AUDIT_EVENTS):
        label = labels[bisect.bisect(cum, rand() * cum[-1])]
        day = first + number * (TODAY - 1 - first) // max(1, AUDIT_EVENTS)
        events.append((f"{ISO[day]} {randrange(24):02d}:{randrange(60):02d}:00{TZ}", None,
                       "system", None, None, "update" if rand() < 0.7 else "create", label,
                       str(randrange(1, 1_000_000)), "", "{}", ""))
        if len(events) >= CHUNK * 4:
            loader.write()
    loader.write()


def finish_load(loader: Loader) -> None:
    from django.apps import apps
    from django.core.management.color import no_style

    started = time.perf_counter()
    with connection.cursor() as cursor:
        if POSTGRES:
            models = [m for m in apps.get_models() if m._meta.db_table in loader.statements]
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA cache_size=-2000")  # the default, as in production
            cursor.execute("ANALYZE")
    print(f"statistics (ANALYZE{'; VACUUM' if POSTGRES else ''}) in "
          f"{time.perf_counter() - started:.1f} s", flush=True)


def build(world: World) -> float:
    loader = Loader()
    if not POSTGRES:
        with connection.cursor() as cursor:  # for the load only: restored afterwards
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-400000")
    started = time.perf_counter()
    build_reference(world)
    build_registry(world, loader)
    registry = time.perf_counter() - started
    print(f"data: {PERSONS:,} persons with records, ИПР, entitlements, orders, enrolments, "
          f"job searches and families in {registry:.1f} s", flush=True)
    build_audit_history(world, loader)
    print(f"data: {AUDIT_EVENTS:,} audit events of history in "
          f"{time.perf_counter() - started - registry:.1f} s", flush=True)
    print("rows: " + ", ".join(f"{name.split('_', 1)[1]} {n:,}"
                                for name, n in loader.counts.items()))
    finish_load(loader)
    took = time.perf_counter() - started
    print(f"generation: {took:.1f} s in all; peak RSS so far "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB", flush=True)
    describe_data()
    return took


def describe_data() -> None:
    from django.db.models import Count

    from tendik.portal.models import Order

    states = dict(Order.objects.order_by().values_list("state").annotate(n=Count("pk")))
    print("orders by state: " + ", ".join(f"{s} {n:,}" for s, n in
                                          sorted(states.items(), key=lambda p: -p[1])))


# --- Measuring a run ---------------------------------------------------------------------

@dataclasses.dataclass
class RuleTimes:
    find: float = 0.0  # iterating the rule's candidates, in the run's own thread
    handed: float = 0.0  # the run's own thread in HitWriter.write: writing, or waiting
    written: float = 0.0  # persist() of its chunks: hits, offers, tasks (summed over threads)
    act: float = 0.0  # of which act_on: the offers and tasks


class Meter:
    """Where a run's time goes: each rule's query, handing its new hits to the writer, and
    the chunks' writing. On PostgreSQL the chunks are written by HitWriter's threads on
    connections of their own, while the run reads on: their time overlaps the query's and
    the run waits for them only when WRITERS chunks are already being written, or at the
    end. Statements of every connection are counted, by rule and phase."""

    def __init__(self) -> None:
        self.rules: dict[str, RuleTimes] = {}
        self.code, self.phase = "", "setup"  # of the run's own thread
        self.statements: Counter[tuple[str, str]] = Counter()
        self.selects: dict[str, list[tuple[str, Any]]] = {}
        self.changed = self.finishing = 0.0
        self.lock = threading.Lock()

    def times(self, code: str) -> RuleTimes:
        with self.lock:
            return self.rules.setdefault(code, RuleTimes())

    def wrapper(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        """Counts the run's own statements; the selects of each rule's query are kept
        to be replayed with their plans."""
        try:
            return execute(sql, params, many, context)
        finally:
            self.count(self.code, self.phase)
            if self.phase == "find" and not many:
                selects = self.selects.setdefault(self.code, [])
                if len(selects) < 40:
                    selects.append((sql, list(params or ())))

    def count(self, code: str, phase: str) -> None:
        with self.lock:
            self.statements[(code, phase)] += 1


METER = Meter()


def instrument() -> None:
    """Wrap each rule's finder, the writer, the chunks' writing and the audit read."""
    from django.db import connection as thread_connection

    from tendik.cases import rules

    def timed_find(original: Callable[..., Iterable[Any]]) -> Callable[..., Iterator[Any]]:
        def find(spec: Any, window: Any, params: dict[str, Any]) -> Iterator[Any]:
            times = METER.times(spec.code)
            generator = iter(original(spec, window, params))
            while True:
                METER.code, METER.phase = spec.code, "find"
                began = time.perf_counter()
                try:
                    candidate = next(generator)
                except StopIteration:
                    return
                finally:
                    times.find += time.perf_counter() - began
                    METER.code, METER.phase = "", "setup"
                yield candidate
        return find

    for index, spec in enumerate(rules.RULES):
        rules.RULES[index] = dataclasses.replace(spec, find=timed_find(spec.find))

    write, finish = rules.HitWriter.write, rules.HitWriter.finish

    def timed_write(self: Any, batch: list[Any], rule: Any, spec: Any) -> None:
        began = time.perf_counter()
        METER.code, METER.phase = spec.code, "write"
        try:
            write(self, batch, rule, spec)
        finally:
            METER.times(spec.code).handed += time.perf_counter() - began
            METER.code, METER.phase = "", "setup"

    def timed_finish(self: Any) -> Any:
        began = time.perf_counter()
        try:
            return finish(self)
        finally:
            METER.finishing = time.perf_counter() - began

    rules.HitWriter.write = timed_write  # type: ignore[method-assign]
    rules.HitWriter.finish = timed_finish  # type: ignore[method-assign]
    persist, act = rules.persist, rules.act_on

    def timed_persist(batch: list[Any], run: Any, rule: Any, spec: Any, akimats: Any) -> int:
        # Runs in a writer thread on PostgreSQL: its statements go to that thread's own
        # connection, counted here under the rule.
        def counted(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            METER.count(spec.code, "write")
            return execute(sql, params, many, context)

        began = time.perf_counter()
        try:
            if threading.current_thread() is threading.main_thread():
                return persist(batch, run, rule, spec, akimats)
            with thread_connection.execute_wrapper(counted):
                return persist(batch, run, rule, spec, akimats)
        finally:
            spent = time.perf_counter() - began
            with METER.lock:
                METER.rules.setdefault(spec.code, RuleTimes()).written += spent

    def timed_act(hits: list[Any], spec: Any, as_of: dt.date, akimats: Any) -> None:
        began = time.perf_counter()
        try:
            act(hits, spec, as_of, akimats)
        finally:
            spent = time.perf_counter() - began
            with METER.lock:
                METER.rules.setdefault(spec.code, RuleTimes()).act += spent

    rules.persist = timed_persist  # type: ignore[assignment]
    rules.act_on = timed_act  # type: ignore[assignment]
    changed = rules.changed_persons

    def timed_changed(since: dt.datetime, specs: list[Any]) -> frozenset[int]:
        began = time.perf_counter()
        METER.phase = "audit"
        try:
            return changed(since, specs)
        finally:
            METER.changed = time.perf_counter() - began
            METER.phase = "setup"

    rules.changed_persons = timed_changed  # type: ignore[assignment]


def proc_kb(field: str) -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


@dataclasses.dataclass
class Outcome:
    label: str
    seconds: float
    hits: dict[str, int]
    selects: dict[str, list[tuple[str, Any]]]


def timed_run(label: str, as_of: dt.date, incremental: bool, aim: float,
              profile: bool = False) -> Outcome:
    from tendik.cases import rules

    global METER
    METER = Meter()
    gc.collect()
    reset = reset_peak()
    before = proc_kb("VmRSS")
    if TRACE:
        tracemalloc.start()
    profiler = cProfile.Profile() if profile else None
    began = time.perf_counter()
    with connection.execute_wrapper(METER.wrapper):
        if profiler:
            profiler.enable()
        result = rules.run_rules(as_of, incremental=incremental)
        if profiler:
            profiler.disable()
    seconds = time.perf_counter() - began
    peak = proc_kb("VmHWM") if reset else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    traced = tracemalloc.get_traced_memory()[1] if TRACE else 0
    if TRACE:
        tracemalloc.stop()
    hits = result.by_rule
    checked = result.run.persons_checked
    print(f"\n{label} (as of {as_of}): {seconds:.2f} s ({seconds / aim:.2f} of the {aim:.0f} s "
          f"aim{'; under cProfile' if profile else ''}), {sum(hits.values()):,} new hits"
          + (f", {checked:,} changed persons checked" if checked is not None else ""),
          flush=True)
    print(f"  memory: RSS {before / 1024:.0f} MB before, peak {peak / 1024:.0f} MB during "
          f"(+{(peak - before) / 1024:.0f} MB; {peak / 1024 / AIM_MEMORY_MB:.2f} of the "
          f"{AIM_MEMORY_MB:.0f} MB aim{'' if reset else '; peak of the whole process'})"
          + (f"; Python allocations peak {traced / 2**20:.0f} MB" if TRACE else ""))
    accounted = METER.finishing
    print(f"  {'rule':<28} {'hits':>7} {'query':>8} {'handed':>8} {'written':>8} {'of it act':>9}"
          "   statements (query / write)")
    for code, times in METER.rules.items():
        accounted += times.find + times.handed
        counts = [METER.statements[(code, phase)] for phase in ("find", "write")]
        print(f"  {code:<28} {hits.get(code, 0):>7,} {times.find:>7.2f}s {times.handed:>7.2f}s "
              f"{times.written:>7.2f}s {times.act:>8.2f}s   "
              f"{' / '.join(str(n) for n in counts)}")
    other = seconds - accounted
    print(f"  waiting for the last chunks {METER.finishing:.2f} s; the rest {other:.2f} s "
          f"(rules loaded, audit log read {METER.changed:.2f} s, run row, "
          "the triggers each rule hit before; "
          f"{sum(n for (c, _p), n in METER.statements.items() if not c)} statements)")
    print("  (query: the run's own thread reading the candidates; handed: its thread in "
          "HitWriter.write, writing a chunk itself or waiting for a writer; written: the "
          "chunks' transactions, in writer threads on PostgreSQL, overlapping the query)",
          flush=True)
    if profiler:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
        stats.print_stats(30)
        out.write("\n")
        stats.sort_stats("tottime").print_stats(20)
        print("\n".join("    " + line for line in out.getvalue().splitlines()
                        if line.strip()), flush=True)
    return Outcome(label, seconds, hits, METER.selects)


# --- The 1,000 audited changes -----------------------------------------------------------

def make_changes(world: World) -> None:
    """1,000 writes through the ORM, so that each leaves an AuditEvent: 300 entitlements
    added to ИПР in force for 40 days, 300 disability records given a re-examination within
    60 days, 200 job searches registered 100 days ago, 100 open orders cancelled and 100
    delivered ones received."""
    from django.db import models

    from tendik.cases.models import JobSearch
    from tendik.core.audit import acting_as
    from tendik.core.models import AuditEvent
    from tendik.people.models import DisabilityRecord, Person
    from tendik.portal.models import Entitlement, Ipr, Order

    rng = random.Random(SEED + 1)
    day = dt.timedelta(days=1)
    before = AuditEvent.objects.count()
    started = time.perf_counter()
    made: Counter[str] = Counter()
    with acting_as(label="bench"):
        iprs = list(Ipr.objects.filter(valid_to__isnull=True,
                                       valid_from__range=(AS_OF - 45 * day, AS_OF - 35 * day))
                    .order_by("pk").values_list("pk", flat=True)[:5000])
        chosen = rng.sample(iprs, min(300, len(iprs)))
        held: dict[int, set[int]] = {}
        for ipr, item in Entitlement.objects.filter(ipr_id__in=chosen).values_list(
                "ipr_id", "item_id"):
            held.setdefault(ipr, set()).add(item)
        items = list(world.items)
        for ipr in chosen:
            item = rng.choice([i for i in items if i not in held.get(ipr, set())])
            Entitlement.objects.create(ipr_id=ipr, item_id=item, quantity=1)
            made["entitlements added"] += 1

        top = DisabilityRecord.objects.order_by("-pk").values_list("pk", flat=True)[0]
        sample = rng.sample(range(1, top + 1), min(top, 3000))
        records = list(DisabilityRecord.objects.filter(
            pk__in=sample, end__isnull=True, reexamination__isnull=True).order_by("pk")[:300])
        for record in records:
            record.reexamination = AS_OF + rng.randrange(5, 55) * day
            record.save()
            made["re-examinations set"] += 1

        from tendik.cases.rules import years_before
        disabled = DisabilityRecord.objects.filter(
            person_id=models.OuterRef("pk"), start__lte=AS_OF, end__isnull=True).exclude(
            group="child")
        searching = JobSearch.objects.filter(person_id=models.OuterRef("pk"),
                                             ended_on__isnull=True)
        sample = rng.sample(range(1, PERSONS + 1), min(PERSONS, 6000))
        seekers = list(Person.objects.filter(
            pk__in=sample, birth_date__gt=years_before(AS_OF, 55),
            birth_date__lte=years_before(AS_OF, 25)).filter(models.Exists(disabled))
            .exclude(models.Exists(searching)).order_by("pk").values_list("pk", flat=True)[:200])
        for person in seekers:
            JobSearch.objects.create(person_id=person, registered_on=AS_OF - 100 * day,
                                     centre="Центр занятости населения")
            made["job searches registered"] += 1

        top = Order.objects.order_by("-pk").values_list("pk", flat=True)[0]
        sample = rng.sample(range(1, top + 1), min(top, 200_000))
        for state, to, note in ((("placed", "accepted"), "cancelled", "orders cancelled"),
                                (("delivered",), "received", "orders received")):
            for chunk in range(0, len(sample), 20_000):
                wanted = 100 - made[note]
                if wanted <= 0:
                    break
                for order in Order.objects.filter(pk__in=sample[chunk:chunk + 20_000],
                                                  state__in=state).order_by("pk")[:wanted]:
                    order.state = to
                    if to == "received":
                        order.received_at = timezone.now()
                    order.save()
                    made[note] += 1
    took = time.perf_counter() - started
    events = AuditEvent.objects.count() - before
    print(f"\nchanges: {sum(made.values()):,} through the ORM in {took:.1f} s "
          f"({', '.join(f'{n} {what}' for what, n in made.items())}); "
          f"{events:,} audit events written", flush=True)


# --- Plans ---------------------------------------------------------------------------------

def plan(sql: str, params: Sequence[Any]) -> list[str]:
    with connection.cursor() as cursor:
        if POSTGRES:
            prefix = ("EXPLAIN (ANALYZE, BUFFERS) " if EXPLAIN == "analyze" else "EXPLAIN ")
            cursor.execute(prefix + sql, params)
            return [row[0] for row in cursor.fetchall()]
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        depth: dict[int, int] = {0: 0}
        lines = []
        for node, parent, _unused, detail in cursor.fetchall():
            depth[node] = depth.get(parent, 0) + 1
            lines.append("  " * (depth[node] - 1) + detail)
        return lines


def short(sql: str, limit: int = 260) -> str:
    text = " ".join(sql.split())
    if text.startswith("SELECT ") and " FROM " in text:
        text = "SELECT … " + text[text.index(" FROM ") + 1:]  # noqa: S608
    return text if len(text) <= limit else text[:limit] + " …"


def show_plans(full: Outcome, incremental: Outcome) -> None:
    if EXPLAIN == "0":
        return
    print(f"\nplans of each rule's main query in the {full.label}:")
    for code, selects in full.selects.items():
        sql, params = max(selects, key=lambda s: len(s[0]))
        print(f"  {code}: {short(sql)}")
        for line in plan(sql, params)[:24]:
            print(f"      {line}")
    print(f"\nthe queries of the {incremental.label}, replayed one by one, slowest first:")
    timed = []
    with connection.cursor() as cursor:
        for code, selects in incremental.selects.items():
            for sql, params in selects:
                began = time.perf_counter()
                cursor.execute(sql, params)
                rows = len(cursor.fetchall())
                timed.append((time.perf_counter() - began, code, sql, params, rows))
    timed.sort(key=lambda t: -t[0])
    print(f"  {len(timed)} statements, {sum(t[0] for t in timed):.2f} s in all")
    for seconds, code, sql, params, rows in timed[:5]:
        print(f"  {seconds * 1000:.0f} ms, {rows:,} rows, {code}: {short(sql)}")
        for line in plan(sql, params)[:16]:
            print(f"      {line}")


def main() -> None:
    from tendik.cases import rules  # noqa: F401  (fails here, not after the load)

    creation = connection.creation
    if not POSTGRES:  # a file, not the in-memory default
        connection.settings_dict["TEST"]["NAME"] = str(Path(workdir) / "test_rules.sqlite3")
    # MIGRATE=0: the tables straight from the models, without replaying every migration
    # (the same schema in half a second rather than seven: the tests' size).
    connection.settings_dict["TEST"]["MIGRATE"] = os.environ.get("MIGRATE", "1") != "0"
    name = creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        setup_test_environment()
        print(f"database: {connection.vendor} ({name}); {PERSONS:,} persons, "
              f"{ENTITLEMENTS:,} entitlements aimed at, as of {AS_OF}; load average "
              "{:.1f} {:.1f} {:.1f} on {} CPUs".format(*os.getloadavg(), os.cpu_count()),
              flush=True)
        world = World()
        build(world)
        instrument()
        full = timed_run("full run", AS_OF, False, AIM_FULL, profile=PROFILE)
        make_changes(world)
        incremental = timed_run("incremental run after 1,000 changes", AS_OF, True,
                                AIM_INCREMENTAL)
        next_day = AS_OF + dt.timedelta(days=1)
        timed_run("incremental run the next day, no changes", next_day, True,
                  AIM_INCREMENTAL)
        second = timed_run("second full run the same day", next_day, False, AIM_FULL)
        missed = {code: n for code, n in second.hits.items() if n}
        print(f"  second full run: {sum(second.hits.values()):,} new hits (0 expected)"
              + (f"; missed by the incremental runs: {missed}" if missed else ""))
        show_plans(full, incremental)
        print(f"\nsummary ({connection.vendor}): full {full.seconds:.1f} s (aim "
              f"{AIM_FULL:.0f}), incremental {incremental.seconds:.2f} s (aim "
              f"{AIM_INCREMENTAL:.0f}), second full {second.seconds:.1f} s; peak RSS of the "
              f"process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB; "
              "load average {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    finally:
        if KEEP:
            print(f"kept: {name}")
        else:
            creation.destroy_test_db(name, verbosity=0)
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
