"""The social services portal at national scale: the recipient card and the region's order
queue with 700,000 persons and 3,000,000 orders.

Loads PERSONS persons (default 700,000) over the 20 regions (the cities and the populous
oblasts larger), their disability records, ИПР versions and ~2.1 entitlements each, 150
suppliers with their accreditations and offers, then ORDERS orders (default 3,000,000) from
2019 to today, skewed over the persons (a log-normal weight each, 15 % with none), in
every state (mostly received; recent ones still open), with a reimbursement for every
received order, complaints for the disputed ones and ratings for some. The order log
(OrderEvent) holds the "placed" event of every order and the whole chain (placed →
accepted → … → received → claim → paid) for the orders of the persons whose cards are
timed; EVENTS=full writes the whole chain for every order. Reimbursement checks and
payments are written for the timed persons' orders only.

Then times, through the whole Django stack, the recipient card (as the person and as an
akimat official of their region; persons at random plus the heaviest) and the order queue
of Almaty and of Ulytau (filters and pages), and re-executes the same reads as raw SQL,
printing the 95th percentile against the 150 ms aim and the ratio of the request to its
SQL. Staff sign in as after the TOTP step (a confirmed device in the session), so the
second factor costs what it costs in production. Runs on a throw-away database: an SQLite
file in a temporary directory by default, or a database created on the PostgreSQL server
named by BENCH_DATABASE_URL. Asserts nothing. PAGES=card or PAGES=queue times one page.

    .venv/bin/python bench/portal.py
    PERSONS=20000 ORDERS=80000 .venv/bin/python bench/portal.py
    MIGRATE=0 PERSONS=300 ORDERS=1000 TIMED_PERSONS=3 REPEATS=2 .venv/bin/python bench/portal.py
    KEEP=1 .venv/bin/python bench/portal.py   # keep the database to EXPLAIN afterwards
    REUSE=/tmp/tendik-bench-…/test_portal.sqlite3 .venv/bin/python bench/portal.py  # re-time it
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/tendik_bench_portal \\
        .venv/bin/python bench/portal.py
"""

from __future__ import annotations

import bisect
import datetime as dt
import os
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
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

PERSONS = int(os.environ.get("PERSONS", "700000"))
ORDERS = int(os.environ.get("ORDERS", "3000000"))
FULL_EVENTS = os.environ.get("EVENTS", "") == "full"
KEEP = os.environ.get("KEEP", "") == "1"  # leave the database for EXPLAIN afterwards
REUSE = os.environ.get("REUSE", "")  # time a kept database again: its file or name
SHOW_SQL = int(os.environ.get("SHOW_SQL", "300"))  # characters of the slowest statement
PAGES = os.environ.get("PAGES", "card,queue").split(",")  # which pages to time
AIM_MS = 150.0
CHUNK = 50_000
RANDOM_PERSONS = int(os.environ.get("TIMED_PERSONS", "25"))  # cards timed, beside the heaviest
HEAVIEST_PERSONS = 5
# REPEATS=n times every page n times; by default a card 3 times, the heaviest cards 8 times
# and each page of the queue 30 times.
REPEATS = int(os.environ.get("REPEATS", "0"))
CARD_REPEATS, HEAVY_REPEATS, QUEUE_REPEATS = (REPEATS,) * 3 if REPEATS else (3, 8, 30)
SEED = 2026

START = dt.date(2019, 1, 1)
END = min(dt.date.today(), dt.date(2026, 12, 31))
ISO = {n: dt.date.fromordinal(n).isoformat()
       for n in range(dt.date(1935, 1, 1).toordinal(), dt.date(2032, 12, 31).toordinal())}
# Datetimes go in as text: naive UTC on SQLite (as Django stores them), with the offset on
# PostgreSQL.
TZ = "+00" if connection.vendor == "postgresql" else ""

# Share of the persons by region (KATO): the three cities and the populous south larger.
REGION_WEIGHTS = {
    "750000000": 12.0, "710000000": 10.0, "790000000": 6.0, "610000000": 9.0,
    "190000000": 7.0, "310000000": 5.7, "350000000": 5.5, "150000000": 4.5,
    "390000000": 4.2, "430000000": 4.1, "110000000": 3.8, "470000000": 3.8,
    "550000000": 3.7, "630000000": 3.7, "230000000": 3.5, "330000000": 3.5,
    "270000000": 3.3, "100000000": 3.2, "590000000": 2.7, "620000000": 1.1,
}
ALMATY, SMALL_REGION = "750000000", "620000000"  # Almaty and Ulytau

LAST_MALE = ["Ахметов", "Сулейменов", "Жумабаев", "Нурланов", "Касымов", "Искаков", "Омаров",
             "Абдрахманов", "Садыков", "Бекмуратов", "Иванов", "Тлеубаев", "Мухамеджанов",
             "Ержанов", "Смагулов", "Кенжебаев", "Попов", "Байжанов", "Рахимов", "Утегенов"]
FIRST_MALE = ["Нурлан", "Ерлан", "Асхат", "Данияр", "Айдар", "Бауыржан", "Серик", "Ержан",
              "Алексей", "Тимур", "Марат", "Арман", "Дастан", "Қайрат", "Ильяс"]
FIRST_FEMALE = ["Айгуль", "Гульнара", "Жанар", "Сауле", "Динара", "Асель", "Мадина", "Алия",
                "Елена", "Айгерим", "Жансая", "Камила", "Меруерт", "Ботагоз", "Лаура"]
FATHERS = ["Серик", "Нурлан", "Марат", "Ерлан", "Болат", "Кайрат", "Асхат", "Арман"]
STREETS = ["ул. Абая", "пр. Назарбаева", "ул. Толе би", "мкр. Самал", "ул. Сейфуллина",
           "пр. Республики", "ул. Кабанбай батыра", "ул. Ауэзова", "мкр. Жетысу"]
NEEDS = ['["sign_language"]', '["braille"]', '["large_print"]', '["easy_read"]']

# Order states by the age of the order: (state, weight).
STATES_RECENT = [("placed", 35), ("accepted", 25), ("fitting", 10), ("delivered", 15),
                 ("received", 10), ("declined", 2), ("cancelled", 3)]
STATES_MONTH = [("placed", 5), ("accepted", 8), ("fitting", 5), ("delivered", 10),
                ("disputed", 2), ("received", 62), ("declined", 3), ("cancelled", 5)]
STATES_OLD = [("received", 900), ("cancelled", 50), ("declined", 30), ("disputed", 3),
              ("delivered", 5), ("accepted", 5), ("placed", 2), ("fitting", 2)]
REASONS = ["ENT-VALID", "ENT-BALANCE", "PRICE-CAP", "PRICE-NOCAP", "SUP-ACCRED", "REPL-TERM",
           "NOT-RECEIVED"]


def p95(samples: Sequence[float]) -> float:
    if len(samples) < 2:
        return samples[0] if samples else float("nan")
    return statistics.quantiles(samples, n=20)[-1]


def cumulative(pairs: list[tuple[str, int]]) -> tuple[list[str], list[float]]:
    total = sum(w for _s, w in pairs)
    running, bounds = 0.0, []
    for _s, w in pairs:
        running += w / total
        bounds.append(running)
    bounds[-1] = 1.0  # random() < 1.0: bisect never runs past the last state
    return [s for s, _w in pairs], bounds


def stamp(day: int, seconds: int) -> str:
    return f"{ISO[day]} {seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}{TZ}"


def unset_defaults(table: str, columns: Sequence[str]) -> dict[str, Any]:
    """The value the ORM would write in each NOT NULL column of `table` not in `columns`."""
    from django.apps import apps

    model = next(m for m in apps.get_models() if m._meta.db_table == table)
    defaults = {}
    for field in model._meta.concrete_fields:
        if field.column in columns or field.primary_key or field.null:
            continue
        if (value := field.get_default()) is not None:  # "" for text fields without one
            defaults[field.column] = field.get_db_prep_save(value, connection)
    return defaults


class Loader:
    """Plain INSERTs (executemany) on SQLite, COPY on PostgreSQL; a transaction a chunk."""

    def __init__(self) -> None:
        self.tables: dict[str, str] = {}
        self.rest: dict[str, tuple[Any, ...]] = {}
        self.counts: Counter[str] = Counter()
        self.postgres = connection.vendor == "postgresql"

    def table(self, name: str, columns: Sequence[str]) -> None:
        # Every NOT NULL column the rows leave out gets what the ORM would write there, so
        # that a field the model gains later does not break the load.
        defaults = unset_defaults(name, columns)
        columns = [*columns, *defaults]
        self.rest[name] = tuple(defaults.values())
        quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
        if self.postgres:
            self.tables[name] = f"COPY {name} ({quoted}) FROM STDIN"
        else:
            self.tables[name] = (f"INSERT INTO {name} ({quoted}) "  # noqa: S608
                                 f"VALUES ({', '.join(['%s'] * len(columns))})")

    def write(self, batches: dict[str, list[tuple[Any, ...]]]) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            for name, rows in batches.items():
                if not rows:
                    continue
                statement, rest = self.tables[name], self.rest[name]
                if rest:
                    rows[:] = [row + rest for row in rows]
                if self.postgres:
                    with cursor.cursor.copy(statement) as copy:
                        for row in rows:
                            copy.write_row(row)
                else:
                    cursor.executemany(statement, rows)
                self.counts[name] += len(rows)
                rows.clear()


class World:
    """What the generator needs to remember between the people and their orders."""

    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.regions: dict[int, str] = {}  # region pk → KATO
        self.officials: dict[int, Any] = {}  # region pk → akimat official
        self.person_region = array("h")
        self.weights: list[float] = []
        self.v1_first, self.v1_n = array("l"), array("b")
        self.v2_first, self.v2_n, self.v2_from = array("l"), array("b"), array("l")
        self.ent_item = array("h", [0])
        self.items: dict[int, dict[str, Any]] = {}
        self.offers: dict[tuple[int, int], list[tuple[int, int, int, list[str], int]]] = {}
        self.caps: dict[int, tuple[int, int]] = {}  # item → (cap before 2025, from 2025)
        self.supplier_users: dict[int, int] = {}
        self.sampled: dict[int, Any] = {}  # person pk → their account
        self.region_of: dict[int, int] = {}  # sampled person pk → region pk
        self.heaviest: list[int] = []
        self.orders_of: Counter[int] = Counter()


def build_reference(world: World, loader: Loader) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tendik.core.models import Organisation, Region, Role, User
    from tendik.core.reference import load_reference_data
    from tendik.people.iin import check_digit
    from tendik.portal.models import (
        Accreditation,
        CatalogueItem,
        Offer,
        PriceCap,
    )
    from tendik.portal.services import INDICATIVE_FROM, load_classifier

    rng = world.rng
    load_reference_data()
    load_classifier()
    for region in Region.objects.all():
        world.regions[region.pk] = region.kato
        akimat = Organisation.objects.get(code=f"AKIMAT-{region.kato}")
        official = User.objects.create(username=f"bench.akimat.{region.kato}",
                                       role=Role.AKIMAT_OFFICIAL, organisation=akimat)
        TOTPDevice.objects.create(user=official, name="bench", confirmed=True)
        world.officials[region.pk] = official
    for item in CatalogueItem.objects.select_related("group"):
        cap = int(item.caps.get().amount)
        world.caps[item.pk] = (int(cap * 0.85) // 100 * 100, cap)
        world.items[item.pk] = {"unit": item.unit, "yearly": item.yearly_quantity,
                                "fitting": item.needs_fitting, "group": item.group.code,
                                "popularity": rng.lognormvariate(0, 1.0)}
    PriceCap.objects.bulk_create([
        PriceCap(item_id=item, amount=older, valid_from=dt.date(2018, 1, 1),
                 valid_to=INDICATIVE_FROM - dt.timedelta(days=1),
                 legal_act="Предельная цена (бенчмарк), 2018–2024")
        for item, (older, _newer) in world.caps.items()])

    # 150 suppliers: 12 national ones serve every region, the others one to three.
    groups = sorted({i["group"] for i in world.items.values()})
    region_pks = list(world.regions)
    suppliers = []
    serial = 0
    while len(suppliers) < 150:
        serial += 1
        first = f"{rng.randrange(5, 24):02d}{rng.randrange(1, 13):02d}40{serial:05d}"
        digit = check_digit(first)
        if digit is None:
            continue
        number = len(suppliers)
        suppliers.append(Organisation(
            code=f"BENCH-SUP-{number:03d}", kind=Organisation.Kind.SUPPLIER,
            name_ru=f"ТОО «Поставщик ТСР {number}»", name_kk=f"«ТҚО жеткізушісі {number}» ЖШС",
            name_en=f"Aids supplier {number} LLP", bin=f"{first}{digit}",
            region_id=rng.choice(region_pks)))
    Organisation.objects.bulk_create(suppliers)
    suppliers = list(Organisation.objects.filter(code__startswith="BENCH-SUP-")
                     .order_by("code"))
    users = User.objects.bulk_create([
        User(username=f"bench.supplier.{s.code}", password="!", role=Role.SUPPLIER,
             organisation=s) for s in suppliers])
    world.supplier_users = {u.organisation_id: u.pk for u in
                            User.objects.filter(username__in=[u.username for u in users])}
    accreditations, offers = [], []
    for number, supplier in enumerate(suppliers):
        national = number < 12
        served = region_pks if national else rng.sample(region_pks, rng.randint(1, 3))
        own_groups = ([groups[number % len(groups)], groups[(number + 3) % len(groups)]]
                      if national else rng.sample(groups, rng.randint(1, 2)))
        for region in served:
            accreditations.append(Accreditation(
                supplier=supplier, region_id=region, valid_from=dt.date(2018, 1, 1),
                valid_to=dt.date(2027, 12, 31), decision=f"Приказ № {number}-{region}"))
        for item, info in world.items.items():
            if info["group"] not in own_groups or (not national and rng.random() < 0.4):
                continue
            price = int(world.caps[item][1] * rng.uniform(0.75, 1.3)) // 100 * 100
            delivery = rng.choice([["home"], ["home", "pickup"], ["pickup", "post"]])
            offers.append((Offer(supplier=supplier, item_id=item, title=f"Модель {item}-{number}",
                                 price=price, delivery=delivery,
                                 lead_time_days=rng.randint(3, 30),
                                 fitting=info["fitting"]), served))
    Accreditation.objects.bulk_create(accreditations)
    created = Offer.objects.bulk_create([offer for offer, _served in offers])
    for offer, (_o, served) in zip(created, offers, strict=True):
        for region in served:
            world.offers.setdefault((offer.item_id, region), []).append(
                (offer.pk, offer.supplier_id, int(offer.price), offer.delivery,
                 offer.lead_time_days))
    for item in world.items:  # every item can be ordered everywhere
        for region in region_pks:
            assert (item, region) in world.offers, (item, region)
    loader.counts.update(suppliers=len(suppliers), offers=len(created),
                         accreditations=len(accreditations))


def choose_sample(world: World) -> None:
    """The persons whose cards are timed: some at random and the heaviest, with accounts."""
    from tendik.core.models import Role, User

    rng = world.rng
    by_weight = sorted(range(PERSONS), key=world.weights.__getitem__, reverse=True)
    world.heaviest = [index + 1 for index in by_weight[:HEAVIEST_PERSONS]]
    chosen = set(world.heaviest)
    while len(chosen) < min(PERSONS, RANDOM_PERSONS + HEAVIEST_PERSONS):
        chosen.add(rng.randrange(PERSONS) + 1)
    for pk in sorted(chosen):
        world.sampled[pk] = User.objects.create(username=f"bench.recipient.{pk}",
                                                role=Role.RECIPIENT)


def build_people(world: World, loader: Loader) -> None:
    from tendik.people.iin import make_iin

    rng = world.rng
    rand, randrange = rng.random, rng.randrange
    region_pks = list(world.regions)
    region_cum = list(_accumulate(REGION_WEIGHTS[world.regions[r]] for r in region_pks))
    item_pks = list(world.items)
    item_cum = list(_accumulate(world.items[i]["popularity"] for i in item_pks))
    today = END.toordinal()
    born_from, born_to = dt.date(1940, 1, 1).toordinal(), dt.date(2016, 12, 31).toordinal()
    child_after = today - 18 * 365
    # Weights first: the heaviest persons must be known before their rows are written.
    for _ in range(PERSONS):
        world.weights.append(0.0 if rand() < 0.15 else rng.lognormvariate(0, 0.9))
    choose_sample(world)

    loader.table("people_person", ["id", "iin", "last_name", "first_name", "patronymic",
                                   "birth_date", "sex", "region_id", "kato", "address",
                                   "phone", "email", "language", "communication_needs",
                                   "account_id"])
    loader.table("people_disabilityrecord", ["id", "person_id", "group", "cause", "start",
                                             "end", "reexamination", "decision_number",
                                             "decision_date"])
    loader.table("portal_ipr", ["id", "person_id", "number", "version", "issued_on",
                                "valid_from", "valid_to"])
    loader.table("portal_entitlement", ["id", "ipr_id", "item_id", "quantity", "note"])
    batches: dict[str, list[tuple[Any, ...]]] = {name: [] for name in loader.tables}
    persons, records = batches["people_person"], batches["people_disabilityrecord"]
    iprs, entitlements = batches["portal_ipr"], batches["portal_entitlement"]
    iins: set[str] = set()
    record_id = ipr_id = ent_id = 0
    causes = ["general", "general", "general", "childhood", "work_injury", "occupational",
              "military", "other"]

    def entitle(ipr: int, count: int) -> int:
        nonlocal ent_id
        chosen: set[int] = set()
        while len(chosen) < count:
            chosen.add(item_pks[bisect.bisect(item_cum, rand() * item_cum[-1])])
        for item in chosen:
            ent_id += 1
            info = world.items[item]
            if info["yearly"]:
                quantity = info["yearly"] * randrange(1, 4)
            elif info["unit"] in ("hour", "day", "course"):
                quantity = randrange(10, 120)
            else:
                quantity = randrange(1, 3)
            entitlements.append((ent_id, ipr, item, quantity, ""))
            world.ent_item.append(item)
        return ent_id - count + 1

    def count() -> int:
        roll = rand()
        return 1 if roll < 0.55 else 2 if roll < 0.90 else 3 if roll < 0.98 else 4

    for index in range(PERSONS):
        pk = index + 1
        region = region_pks[bisect.bisect(region_cum, rand() * region_cum[-1])]
        world.person_region.append(region)
        born = randrange(born_from, born_to)
        sex = "male" if rand() < 0.5 else "female"
        iin = make_iin(dt.date.fromordinal(born), sex, randrange(10000))
        while iin in iins:
            iin = make_iin(dt.date.fromordinal(born), sex, randrange(10000))
        iins.add(iin)
        male = sex == "male"
        last = LAST_MALE[randrange(len(LAST_MALE))]
        first = (FIRST_MALE if male else FIRST_FEMALE)[randrange(15)]
        father = FATHERS[randrange(len(FATHERS))]
        account = world.sampled.get(pk)
        if account:
            world.region_of[pk] = region
        persons.append((
            pk, iin, last + "а" if not male and last.endswith(("ов", "ев", "ин")) else last,
            first, father + ("ович" if male else "овна"), ISO[born], sex, region, "",
            f"{STREETS[pk % len(STREETS)]}, {pk % 180 + 1}, кв. {pk % 97 + 1}",
            f"+7 70{pk % 8} {pk % 10_000_000:07d}", "", "kk" if rand() < 0.6 else "ru",
            NEEDS[randrange(4)] if rand() < 0.05 else "[]",
            account.pk if account else None))
        # МСЭ: the decision in force, and for a quarter an older one.
        start = randrange(max(born + 365, dt.date(2012, 1, 1).toordinal()), today - 30)
        group = "child" if born > child_after else "123"[randrange(3)]
        if rand() < 0.25:
            record_id += 1
            old = start - randrange(400, 1500)
            records.append((record_id, pk, "123"[randrange(3)], causes[randrange(8)],
                            ISO[old], ISO[start - 1], None, f"МСЭ-{record_id:08d}", ISO[old]))
        record_id += 1
        indefinite = rand() < 0.5
        records.append((record_id, pk, group, causes[randrange(8)], ISO[start],
                        None if indefinite else ISO[start + 365 * randrange(1, 4)],
                        None if indefinite else ISO[start + 365 * randrange(1, 3)],
                        f"МСЭ-{record_id:08d}", ISO[start]))
        # ИПР: version 1 from before 2019; for a third a version 2 that replaced it.
        v1_from = randrange(dt.date(2015, 1, 1).toordinal(), START.toordinal())
        second = rand() < 0.35
        v2_from = randrange(dt.date(2020, 1, 1).toordinal(), today - 60) if second else 0
        ipr_id += 1
        iprs.append((ipr_id, pk, f"ИПР-{pk:07d}", 1, ISO[v1_from - randrange(1, 20)],
                     ISO[v1_from], ISO[v2_from - 1] if second else None))
        n = count()
        world.v1_first.append(entitle(ipr_id, n))
        world.v1_n.append(n)
        if second:
            ipr_id += 1
            iprs.append((ipr_id, pk, f"ИПР-{pk:07d}", 2, ISO[v2_from - randrange(1, 20)],
                         ISO[v2_from], None))
            n = count()
            world.v2_first.append(entitle(ipr_id, n))
            world.v2_n.append(n)
        else:
            world.v2_first.append(0)
            world.v2_n.append(0)
        world.v2_from.append(v2_from)
        if len(persons) >= CHUNK:
            loader.write(batches)
    loader.write(batches)


def _accumulate(values: Iterable[float]) -> Iterable[float]:
    total = 0.0
    for value in values:
        total += value
        yield total


def build_orders(world: World, loader: Loader) -> None:
    rng = world.rng
    rand, randrange = rng.random, rng.randrange
    loader.table("portal_order", [
        "id", "idempotency_key", "person_id", "entitlement_id", "offer_id", "supplier_id",
        "item_id", "region_id", "quantity", "ordered_on", "unit_price", "unit_cap",
        "state_pays", "copayment", "delivery", "address", "state", "placed_by_id",
        "placed_at", "delivered_at", "received_at"])
    loader.table("portal_orderevent", ["id", "order_id", "at", "from_state", "to_state",
                                       "by_id", "by_token_id", "comment"])
    loader.table("portal_reimbursement", [
        "id", "order_id", "supplier_id", "region_id", "claimed", "approved_amount", "state",
        "checked_at", "accountant_id", "accountant_at", "head_id", "head_at",
        "rejection_comment"])
    loader.table("portal_reimbursementcheck", ["id", "reimbursement_id", "code", "passed",
                                               "blocking"])
    loader.table("portal_payment", ["id", "reimbursement_id", "amount", "reference",
                                    "paid_at"])
    loader.table("portal_complaint", [
        "id", "order_id", "supplier_id", "region_id", "text", "state", "answer",
        "answered_at", "decision", "decided_at", "decided_by_id", "filed_by_id", "filed_at"])
    loader.table("portal_supplierrating", ["id", "order_id", "supplier_id", "stars",
                                           "comment"])
    names = ["portal_order", "portal_orderevent", "portal_reimbursement",
             "portal_reimbursementcheck", "portal_payment", "portal_complaint",
             "portal_supplierrating"]
    batches: dict[str, list[tuple[Any, ...]]] = {name: [] for name in names}
    orders, events = batches["portal_order"], batches["portal_orderevent"]
    claims, checks = batches["portal_reimbursement"], batches["portal_reimbursementcheck"]
    payments, complaints = batches["portal_payment"], batches["portal_complaint"]
    ratings = batches["portal_supplierrating"]
    brackets = [cumulative(STATES_RECENT), cumulative(STATES_MONTH), cumulative(STATES_OLD)]
    officials = {region: user.pk for region, user in world.officials.items()}
    sampled = {pk: user.pk for pk, user in world.sampled.items()}
    cap_switch = dt.date(2025, 1, 1).toordinal()
    population = range(PERSONS)
    cum_weights = list(_accumulate(world.weights))
    first, last = START.toordinal(), END.toordinal()
    days = last - first + 1
    # More orders every year as the programme grows: from 1 to 2 a day, relatively.
    day_cum = list(_accumulate(1 + (d / days) for d in range(days)))
    oid = eid = rid = cid = pid = kid = sid = 0
    done = 0
    for offset in range(days):
        day = first + offset
        target = round(ORDERS * day_cum[offset] / day_cum[-1])
        count, done = target - done, target
        age = last - day
        states, bounds = brackets[0 if age <= 14 else 1 if age <= 60 else 2]
        for index in rng.choices(population, cum_weights=cum_weights, k=count):
            person = index + 1
            region = world.person_region[index]
            if world.v2_n[index] and day >= world.v2_from[index]:
                entitlement = world.v2_first[index] + randrange(world.v2_n[index])
            else:
                entitlement = world.v1_first[index] + randrange(world.v1_n[index])
            item = world.ent_item[entitlement]
            info = world.items[item]
            options = world.offers[(item, region)]
            offer, supplier, price, deliveries, lead = options[randrange(len(options))]
            cap = world.caps[item][0 if day < cap_switch else 1]
            if info["yearly"]:
                quantity = max(1, info["yearly"] // 12) * randrange(1, 4)
            elif info["unit"] in ("hour", "day"):
                quantity = randrange(2, 20)
            else:
                quantity = 1
            unit_state = min(price, cap)
            state = states[bisect.bisect(bounds, rand())]
            if state == "fitting" and not info["fitting"]:
                state = "accepted"
            oid += 1
            done_by = sampled.get(person) or officials[region]
            seconds = 10_800 + randrange(43_200)
            placed_at = stamp(day, seconds)
            delivered_day = min(day + lead, last)
            received_day = min(delivered_day + randrange(0, 6), last)
            delivered = state in ("delivered", "received", "disputed")
            orders.append((
                oid, f"{rng.getrandbits(128):032x}", person, entitlement, offer, supplier,
                item, region, quantity, ISO[day], price, cap, unit_state * quantity,
                (price - unit_state) * quantity, deliveries[0],
                f"{STREETS[person % len(STREETS)]}, {person % 180 + 1}, кв. {person % 97 + 1}",
                state, done_by, placed_at,
                stamp(delivered_day, seconds) if delivered else None,
                stamp(received_day, seconds + 3600) if state == "received" else None))
            full = person in sampled
            if full:
                world.orders_of[person] += 1
            supplier_user = world.supplier_users[supplier]
            if full or FULL_EVENTS:
                chain = [("", "placed", day, done_by)]
                if state not in ("placed", "declined") and not (
                        state == "cancelled" and rand() < 0.5):
                    chain.append(("placed", "accepted", min(day + 1, last), supplier_user))
                if state == "fitting" or (delivered and info["fitting"]):
                    chain.append(("accepted", "fitting", min(day + 2, last), supplier_user))
                if delivered:
                    chain.append((chain[-1][1], "delivered", delivered_day, supplier_user))
                if state in ("received", "disputed"):
                    chain.append(("delivered", state, received_day, done_by))
                if state == "declined":
                    chain.append(("placed", "declined", min(day + 1, last), supplier_user))
                if state == "cancelled":
                    chain.append((chain[-1][1], "cancelled", min(day + 2, last), done_by))
                for from_state, to_state, when, by in chain:
                    eid += 1
                    events.append((eid, oid, stamp(when, seconds), from_state, to_state, by,
                                   None, "Не подходит размер" if to_state in (
                                       "declined", "disputed") else ""))
            else:
                eid += 1
                events.append((eid, oid, placed_at, "", "placed", done_by, None, ""))
            if state == "received":
                checked = min(received_day + randrange(1, 8), last)
                if last - checked > 45:
                    roll = rand()
                    claim = ("paid" if roll < 0.93 else "rejected" if roll < 0.96
                             else "head" if roll < 0.98 else "accountant")
                else:
                    claim = ("accountant", "head", "paid")[randrange(3)]
                official = officials[region]
                approved = 0 if claim == "rejected" else unit_state * quantity
                signed = claim in ("head", "paid")
                rid += 1
                claims.append((
                    rid, oid, supplier, region, unit_state * quantity, approved, claim,
                    stamp(checked, seconds), official if signed else None,
                    stamp(min(checked + 2, last), seconds) if signed else None,
                    official if claim == "paid" else None,
                    stamp(min(checked + 4, last), seconds) if claim == "paid" else None,
                    "Повторная выдача до срока замены" if claim == "rejected" else ""))
                if full:
                    for code in REASONS:
                        kid += 1
                        failed = claim == "rejected" and code == "REPL-TERM"
                        checks.append((kid, rid, code, not failed, True))
                    eid += 1
                    events.append((eid, oid, stamp(checked, seconds), "received", claim,
                                   None, None, ""))
                    if claim == "paid":
                        pid += 1
                        payments.append((pid, rid, approved, f"PAY-{rid:010d}",
                                         stamp(min(checked + 5, last), seconds)))
                if rand() < (0.5 if full else 0.1):
                    sid += 1
                    ratings.append((sid, oid, supplier, 3 + randrange(3), ""))
            if state == "disputed" or (state == "received" and rand() < (
                    0.05 if full else 0.002)):
                cid += 1
                settled = state == "received" or age > 30
                complaints.append((
                    cid, oid, supplier, region, "Изделие не соответствует размеру.",
                    ("upheld" if rand() < 0.5 else "dismissed") if settled
                    else ("open" if rand() < 0.5 else "answered"),
                    "Заменим изделие." if settled else "", stamp(received_day, seconds)
                    if settled else None, "Решение принято." if settled else "",
                    stamp(min(received_day + 5, last), seconds) if settled else None,
                    officials[region] if settled else None, done_by,
                    stamp(received_day, seconds)))
            if len(orders) >= CHUNK:
                loader.write(batches)
                if oid % 500_000 < CHUNK:
                    print(f"  … {oid:,} orders", flush=True)
    loader.write(batches)


def finish_load(loader: Loader) -> None:
    """Sequences after explicit ids (PostgreSQL), then the statistics both planners use."""
    from django.apps import apps
    from django.core.management.color import no_style

    started = time.perf_counter()
    with connection.cursor() as cursor:
        if loader.postgres:
            models = [m for m in apps.get_models() if m._meta.db_table in loader.tables]
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA cache_size=-2000")
            cursor.execute("ANALYZE")
    print(f"statistics (ANALYZE{'; VACUUM' if loader.postgres else ''}) in "
          f"{time.perf_counter() - started:.1f} s")


def build(world: World) -> None:
    loader = Loader()
    if not loader.postgres:
        with connection.cursor() as cursor:  # for the load only: restored afterwards
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-400000")
    started = time.perf_counter()
    build_reference(world, loader)
    build_people(world, loader)
    people = time.perf_counter() - started
    print(f"data: {PERSONS:,} persons with their records, ИПР and entitlements in "
          f"{people:.1f} s", flush=True)
    build_orders(world, loader)
    orders = time.perf_counter() - started - people
    print(f"data: {ORDERS:,} orders with their events, claims, complaints and ratings in "
          f"{orders:.1f} s")
    print("rows: " + ", ".join(f"{name.rsplit('_', 1)[-1]} {n:,}"
                                for name, n in loader.counts.items()))
    finish_load(loader)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"generation: {time.perf_counter() - started:.1f} s in all; peak memory of this "
          f"process {peak:,.0f} MiB", flush=True)


Statement = tuple[str, Any]


def capture(get: Callable[[], Any]) -> tuple[Any, list[Statement], int]:
    """The response and the statements the request ran: (reads to replay, writes count)."""
    statements: list[tuple[str, Any, bool]] = []

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements.append((sql, params, many))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        response = get()
    reads = [(sql, params) for sql, params, many in statements
             if not many and sql.lstrip().upper().startswith(("SELECT", "WITH"))]
    return response, reads, len(statements) - len(reads)


def replay_ms(reads: list[Statement]) -> tuple[float, float, str]:
    """Milliseconds for all the reads, and the slowest one with its SQL."""
    total, slowest, text = 0.0, 0.0, ""
    with connection.cursor() as cursor:
        for sql, params in reads:
            start = time.perf_counter()
            cursor.execute(sql, params)
            cursor.fetchall()
            took = (time.perf_counter() - start) * 1000
            total += took
            if took > slowest:
                slowest, text = took, sql
        return total, slowest, text


class Group:
    """Samples of one page, over its cases (persons or filters)."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.request: list[float] = []
        self.sql: list[float] = []
        self.queries: list[int] = []
        self.writes: list[int] = []
        self.worst: tuple[float, str] = (0.0, "")
        self.slowest: tuple[float, str] = (0.0, "")

    def run(self, client: Any, url: str, repeats: int, note: str = "") -> None:
        response, reads, writes = capture(lambda: client.get(url))
        if response.status_code != 200:
            print(f"  ! {url}: HTTP {response.status_code} "
                  f"{response.get('Location', '')}", flush=True)
            return
        self.queries.append(len(reads) + writes)
        self.writes.append(writes)
        samples = []
        for _ in range(repeats):
            start = time.perf_counter()
            client.get(url)
            samples.append((time.perf_counter() - start) * 1000)
            total, slowest, text = replay_ms(reads)
            self.sql.append(total)
            if slowest > self.slowest[0]:
                self.slowest = (slowest, text)
        self.request.extend(samples)
        if max(samples) > self.worst[0]:
            self.worst = (max(samples), f"{url} {note}".strip())

    def report(self) -> None:
        if not self.request:
            print(f"{self.label}: no samples")
            return
        request, sql = p95(self.request), p95(self.sql)
        print(f"{self.label}: request p95 {request:.1f} ms ({request / AIM_MS:.2f} of the "
              f"{AIM_MS:.0f} ms aim; median {statistics.median(self.request):.1f} ms), "
              f"raw SQL p95 {sql:.1f} ms, queries "
              f"{statistics.median(self.queries):.0f} median / {max(self.queries)} max "
              f"({max(self.writes)} writes), request / SQL {request / sql:.1f}×; "
              f"n={len(self.request)}, worst {self.worst[0]:.0f} ms at {self.worst[1]}",
              flush=True)
        if SHOW_SQL:
            text = " ".join(self.slowest[1].split())
            if text.startswith("SELECT ") and " FROM " in text:  # the columns say little
                text = "SELECT … " + text[text.index(" FROM ") + 1:]  # noqa: S608
            print(f"    slowest statement {self.slowest[0]:.1f} ms: {text[:SHOW_SQL]}",
                  flush=True)


def signed_in(user: Any) -> Any:
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:  # staff: as after the TOTP step
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def time_pages(world: World) -> None:
    from django.db.models import Count
    from django.urls import reverse

    from tendik.core.models import Region
    from tendik.portal.models import Order

    officials = {pk: signed_in(user) for pk, user in world.officials.items()}
    print("load average before timing: {:.1f} {:.1f} {:.1f} on {} CPUs".format(
        *os.getloadavg(), os.cpu_count()), flush=True)
    heaviest = set(world.heaviest)
    print(f"timed persons: {len(world.sampled)} ({len(heaviest)} heaviest with "
          f"{', '.join(str(world.orders_of[pk]) for pk in world.heaviest)} orders; the others "
          f"{statistics.median(world.orders_of[pk] for pk in world.sampled if pk not in heaviest) if len(world.sampled) > len(heaviest) else 0:.0f} median)",  # noqa: E501
          flush=True)
    card_self, card_official = Group("card as the recipient"), Group("card as akimat official")
    heavy_self, heavy_official = (Group("card as the recipient, heaviest persons"),
                                  Group("card as akimat official, heaviest persons"))
    for pk, user in world.sampled.items() if "card" in PAGES else ():
        url = reverse("portal:card", args=[pk])
        note = f"({world.orders_of[pk]} orders)"
        region = world.region_of[pk]
        if pk in heaviest:
            heavy_self.run(signed_in(user), url, HEAVY_REPEATS, note)
            heavy_official.run(officials[region], url, HEAVY_REPEATS, note)
        else:
            card_self.run(signed_in(user), url, CARD_REPEATS, note)
            card_official.run(officials[region], url, CARD_REPEATS, note)
    for group in (card_self, card_official, heavy_self, heavy_official) \
            if "card" in PAGES else ():
        group.report()

    queue = reverse("portal:office_orders")
    for kato in (ALMATY, SMALL_REGION) if "queue" in PAGES else ():
        region = Region.objects.get(kato=kato)
        counts = dict(Order.objects.filter(region=region).order_by().values_list("state")
                      .annotate(n=Count("pk")))
        print(f"queue of {region.name_ru}: {sum(counts.values()):,} orders, "
              f"{counts.get('placed', 0):,} placed, "
              f"{sum(counts.get(s, 0) for s in Order.OPEN_STATES):,} open", flush=True)
        client = officials[region.pk]
        for query in ("", "?state=placed", "?state=delivered", "?state=received",
                      "?page=2", "?state=received&page=100"):
            group = Group(f"  order queue {query or '(default)'}")
            group.run(client, f"{queue}{query}", QUEUE_REPEATS)
            group.report()
    print("load average after timing: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))


def load_world() -> World:
    """What time_pages needs, read back from a database an earlier run kept."""
    from django.db.models import Count

    from tendik.core.models import User
    from tendik.people.models import Person
    from tendik.portal.models import Order

    world = World()
    for user in User.objects.filter(username__startswith="bench.akimat.") \
            .select_related("organisation"):
        world.officials[user.organisation.region_id] = user
    for user in User.objects.filter(username__startswith="bench.recipient."):
        world.sampled[int(user.username.rsplit(".", 1)[1])] = user
    world.region_of = dict(Person.objects.filter(pk__in=world.sampled)
                           .values_list("pk", "region_id"))
    world.orders_of.update(dict(Order.objects.filter(person_id__in=world.sampled).order_by()
                                .values_list("person_id").annotate(n=Count("pk"))))
    world.heaviest = [pk for pk, _n in world.orders_of.most_common(HEAVIEST_PERSONS)]
    return world


def main() -> None:
    from django.core.management import call_command
    from django.urls import reverse

    # The URLconf now, before a long load: a page that cannot be imported fails here.
    reverse("portal:card", args=[1]), reverse("portal:office_orders")
    if REUSE:
        connection.close()
        connection.settings_dict["NAME"] = REUSE
        try:
            setup_test_environment()
            call_command("migrate", verbosity=0)  # the models may have moved on since
            print(f"database: {connection.vendor} ({REUSE}), kept by an earlier run",
                  flush=True)
            time_pages(load_world())
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        return
    creation = connection.creation
    if connection.vendor == "sqlite":  # a file, not the in-memory default
        connection.settings_dict["TEST"]["NAME"] = str(Path(workdir) / "test_portal.sqlite3")
    # MIGRATE=0: the tables straight from the models, without replaying every migration
    # (the same schema in half a second rather than seven: the tests' size).
    connection.settings_dict["TEST"]["MIGRATE"] = os.environ.get("MIGRATE", "1") != "0"
    name = creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        setup_test_environment()
        print(f"database: {connection.vendor} ({name}); {PERSONS:,} persons, "
              f"{ORDERS:,} orders", flush=True)
        world = World()
        build(world)
        time_pages(world)
    finally:
        if KEEP:
            print(f"kept: {name} (time it again with REUSE={name})")
        else:
            creation.destroy_test_db(name, verbosity=0)
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
