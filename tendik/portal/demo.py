"""Demonstration recipients, suppliers, offers and orders in every state, with claims
checked, approved and paid. Never loaded on a production database: every name says
«демо»; the persons' IINs are valid in form but belong to nobody.

Logins: demo.recipient has an ИПР with a wheelchair, crutches and a hearing aid;
demo.representative is the guardian of a child; demo.supplier serves Almaty and its
neighbours; demo.accountant and demo.head approve Almaty's claims.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from tendik.core.audit import acting_as
from tendik.core.bulk import create_audited
from tendik.core.models import Organisation, Region, Role, User
from tendik.people.iin import make_bin, make_iin
from tendik.people.models import DisabilityRecord, Person, Representative
from tendik.portal import reimbursement
from tendik.portal.models import (
    Accreditation,
    CatalogueItem,
    Complaint,
    Entitlement,
    Ipr,
    Offer,
    Order,
    OrderEvent,
    SupplierRating,
    cap_for,
)

MARK = "(демо)"
PERSONS = 320
ALMATY, ASTANA = "750000000", "710000000"
SUPPLIERS = [  # code, Russian name, English name, home region, regions served
    ("DEMO-SUPPLIER-ORTHO", "", "", ALMATY, [ALMATY, "190000000", "330000000"]),
    ("DEMO-SUPPLIER-SURDO", "ТОО «Сурдотехника» (демо)", "Surdotekhnika LLP (demo)",
     ASTANA, None),
    ("DEMO-SUPPLIER-MOBILITY", "ТОО «Мобильность» (демо)", "Mobilnost LLP (demo)",
     ASTANA, None),
    ("DEMO-SUPPLIER-SHYMKENT", "ТОО «Оңтүстік Орто» (демо)", "Ontustik Orto LLP (demo)",
     "790000000", ["790000000", "610000000", "330000000"]),
    ("DEMO-SUPPLIER-HYGIENE", "ТОО «Гигиена Плюс» (демо)", "Gigiena Plus LLP (demo)",
     "710000000", None),
    ("DEMO-SUPPLIER-NORTH", "ТОО «Солтүстік Медтехника» (демо)",
     "Soltustik Medtekhnika LLP (demo)", "590000000", ["590000000", "390000000",
                                                        "110000000", "550000000"]),
]
# Which groups of the classifier each supplier offers.
SUPPLIER_GROUPS = {"DEMO-SUPPLIER-ORTHO": ("PO", "MO"), "DEMO-SUPPLIER-SURDO": ("HE", "VI"),
                   "DEMO-SUPPLIER-MOBILITY": ("MO",), "DEMO-SUPPLIER-SHYMKENT": ("PO", "MO",
                                                                                  "HY"),
                   "DEMO-SUPPLIER-HYGIENE": ("HY",), "DEMO-SUPPLIER-NORTH": ("MO", "HY",
                                                                             "HE")}
FIRST = {"male": ["Ерлан", "Асхат", "Бауыржан", "Дмитрий", "Нурлан", "Серик", "Тимур"],
         "female": ["Айгуль", "Гульнара", "Динара", "Елена", "Жанар", "Сауле", "Мадина"]}
LAST = ["Абенов", "Ахметов", "Бекетов", "Жумабаев", "Иванов", "Касымов", "Нуров",
        "Омаров", "Сапаров", "Туленов"]
STATES = ([Order.State.RECEIVED] * 12 + [Order.State.PLACED, Order.State.ACCEPTED,
                                         Order.State.FITTING, Order.State.DELIVERED,
                                         Order.State.DISPUTED, Order.State.CANCELLED,
                                         Order.State.DECLINED])
PATH: dict[str, list[str]] = {  # the steps that lead to each state, after «placed»
    Order.State.PLACED: [], Order.State.ACCEPTED: ["accepted"],
    Order.State.FITTING: ["accepted", "fitting"],
    Order.State.DELIVERED: ["accepted", "delivered"],
    Order.State.RECEIVED: ["accepted", "delivered", "received"],
    Order.State.DISPUTED: ["accepted", "delivered", "disputed"],
    Order.State.CANCELLED: ["cancelled"], Order.State.DECLINED: ["declined"],
}


# Each supplier's own product line, and the models of a line: made-up names, as on a
# price list («Кресло-коляска механическая — Қадам Комфорт 46»).
LINES = {"DEMO-SUPPLIER-ORTHO": "Қадам", "DEMO-SUPPLIER-SURDO": "Сезім",
         "DEMO-SUPPLIER-MOBILITY": "Алға", "DEMO-SUPPLIER-SHYMKENT": "Оңтүстік",
         "DEMO-SUPPLIER-HYGIENE": "Таза", "DEMO-SUPPLIER-NORTH": "Солтүстік"}
MODELS = ["Стандарт", "Комфорт", "Актив", "Лайт", "Про", "Мини", "Плюс"]
# How each supplier's customers rate it: the suppliers differ.
STARS = {"DEMO-SUPPLIER-ORTHO": [5, 5, 4, 5, 4, 5], "DEMO-SUPPLIER-MOBILITY": [3, 4, 3, 2, 4],
         "DEMO-SUPPLIER-SURDO": [4, 4, 5, 3], "DEMO-SUPPLIER-SHYMKENT": [4, 3, 4, 5],
         "DEMO-SUPPLIER-HYGIENE": [5, 4, 4], "DEMO-SUPPLIER-NORTH": [3, 3, 4, 5]}


def product_title(code: str, item: CatalogueItem, rng: random.Random) -> str:
    return (f"{item.name_ru[:60]} — {LINES.get(code, 'Демо')} {rng.choice(MODELS)} "
            f"{rng.choice([10, 20, 30, 40, 46, 50, 100])}")


def monthly_quantity(entitlement: Entitlement) -> int:
    """What one order holds: one aid, or a month's supply of consumables (a year's 1,825
    catheters come as about 150 a month, not all at once)."""
    yearly = entitlement.item.yearly_quantity
    if yearly is None:
        return 1
    return min(entitlement.quantity, yearly if yearly <= 12 else -(-yearly // 12))


def surname(last: str, sex: str) -> str:
    return last + ("а" if sex == "female" else "")


def _officers(region: Region, akimat: Organisation) -> tuple[User, User]:
    """The akimat's accountant and head: the demo logins in Almaty, officers who cannot
    sign in elsewhere."""
    accountants, _c = Group.objects.get_or_create(name=reimbursement.ACCOUNTANTS_GROUP)
    accountants.permissions.add(Permission.objects.get(codename="approve_as_accountant"))
    heads, _c = Group.objects.get_or_create(name=reimbursement.HEADS_GROUP)
    heads.permissions.add(Permission.objects.get(codename="approve_as_head"))
    pair = []
    # Made-up officers, a different pair in each region.
    first_names = ["Айгерим", "Ерлан", "Гульнара", "Нурлан", "Салтанат", "Бауыржан", "Динара"]
    last_names = ["Сейткалиева", "Жумабаев", "Омарова", "Искаков", "Бекова", "Тулеуов",
                  "Касенова"]
    serial = int(region.kato[:2])
    for duty, group in (("accountant", accountants), ("head", heads)):
        username = f"demo.{duty}" if region.kato == ALMATY else f"officer.{duty}.{region.kato}"
        user = User.objects.filter(username=username).first()
        if user is None:
            index = (serial + (0 if duty == "accountant" else 3)) % len(first_names)
            user = User(username=username, role=Role.AKIMAT_OFFICIAL, organisation=akimat,
                        first_name=first_names[index], last_name=last_names[index])
            user.set_unusable_password()
            user.save()
        user.groups.add(group)
        pair.append(User.objects.get(pk=user.pk))
    return pair[0], pair[1]


def _suppliers(rng: random.Random, regions: dict[str, Region], today: dt.date) -> list:
    made = []
    for serial, (code, name_ru, name_en, home, served) in enumerate(SUPPLIERS, start=1):
        supplier = Organisation.objects.filter(code=code).first()
        if supplier is None:
            supplier = Organisation.objects.create(
                code=code, kind=Organisation.Kind.SUPPLIER, name_ru=name_ru,
                name_kk=name_ru.replace("ТОО", "ЖШС"), name_en=name_en,
                region=regions[home], bin=make_bin(2015 + serial, 3, 4, 500 + serial))
        for kato in served or list(regions):
            Accreditation.objects.get_or_create(
                supplier=supplier, region=regions[kato],
                defaults={"valid_from": dt.date(2024, 1, 1),
                          "valid_to": dt.date(today.year + 1, 12, 31),
                          "decision": f"Решение акимата № {100 + serial} {MARK}"})
        items = CatalogueItem.objects.filter(group__code__in=SUPPLIER_GROUPS[code])
        for item in items:
            if rng.random() < 0.45 and item.code not in ("MO-01-02", "MO-04-02", "HE-01-01"):
                continue
            cap = cap_for(item, None, today)
            base = cap.amount if cap else Decimal(50000)
            price = (base * Decimal(rng.choice(["0.85", "0.95", "1", "1", "1.08",
                                                "1.2"]))).quantize(Decimal(1))
            Offer.objects.get_or_create(
                supplier=supplier, item=item, defaults={
                    "title": product_title(code, item, rng),
                    "price": price, "specifications": "Сертификат соответствия ЕАЭС.",
                    "delivery": ["home", "pickup"] if rng.random() < 0.7 else ["home"],
                    "lead_time_days": 30 if item.needs_fitting else rng.choice([3, 7, 14]),
                    "fitting": item.needs_fitting})
        made.append(supplier)
    return made


def _person(rng: random.Random, serial: int, region: Region, today: dt.date, *,
            child: bool = False, account: User | None = None,
            names: tuple[str, str] | None = None
            ) -> tuple[Person, DisabilityRecord, User | None]:
    """A demo person with their disability record and (an adult without one) their
    account, not yet saved: `save_persons` writes them all at once."""
    sex = rng.choice(["male", "female"])
    if names:
        sex = "male" if not names[1].endswith("а") else "female"
    born = dt.date(2015 if child else rng.randint(1950, 2000), rng.randint(1, 12),
                   rng.randint(1, 28))
    first, last = names or (rng.choice(FIRST[sex]), surname(rng.choice(LAST), sex))
    person = Person(
        iin=make_iin(born, sex, 9000 + serial), last_name=last, first_name=first,
        birth_date=born, sex=sex, region=region, kato=region.kato,
        address=f"{region.centre}, ул. Демонстрационная, {serial} {MARK}",
        phone=f"+7 700 {serial:03d} {serial % 100:02d} 00", account=account,
        language=rng.choice(["kk", "ru"]),
        communication_needs=rng.choice([[], [], ["large_print"], ["sign_language"]]))
    # An indefinite group has no re-examination; a group for a term is re-examined a
    # month before it ends, and the terms in force end after today.
    indefinite = not child and rng.random() < 0.5
    if indefinite:
        start, end, again = dt.date(rng.randint(2012, 2023), rng.randint(1, 12), 1), None, None
    else:
        start = today - dt.timedelta(days=rng.randint(30, 1000))
        end = start + dt.timedelta(days=(2 if child else 3) * 365)
        again = end - dt.timedelta(days=30)
    record = DisabilityRecord(
        person=person, group="child" if child else rng.choice(["1", "2", "2", "3"]),
        cause="childhood" if child else rng.choice(["general", "general", "work_injury",
                                                    "childhood"]),
        start=start, end=end, reexamination=again,
        decision_number=f"МСЭ-{serial:05d}", decision_date=start)
    user = None
    if account is None and not child:
        # Every recipient who orders on the portal signs in (through eGov): an account.
        user = User(username=f"recipient.{serial:04d}", role=Role.RECIPIENT,
                    first_name=first, last_name=last,
                    password=UNUSABLE_PASSWORD_PREFIX)  # these never sign in
        person.account = user
    return person, record, user


def save_persons(made: list[tuple[Person, DisabilityRecord, User | None]]) -> list[Person]:
    """The accounts, the persons and their records in a few statements each, with the
    audit event of every row."""
    create_audited([user for _p, _r, user in made if user is not None])
    persons = create_audited([person for person, _r, _u in made])
    create_audited([record for _p, record, _u in made])
    return persons


@transaction.atomic
def load_demo() -> str:
    if not CatalogueItem.objects.exists():
        return "portal demo: no classifier (run load_classifier first)"
    if Order.objects.filter(idempotency_key__startswith="demo-").exists():
        return summary()
    rng = random.Random(326)
    today = timezone.localdate()
    regions = {r.kato: r for r in Region.objects.all()}
    akimats = {o.region_id: o for o in Organisation.objects.filter(
        kind=Organisation.Kind.AKIMAT)}
    counts: dict[str, int] = {"orders": 0, "paid": 0}
    with acting_as(label="load_demo"):
        suppliers = _suppliers(rng, regions, today)
        officers = {r.pk: _officers(r, akimats[r.pk]) for r in regions.values()}
        supplier_staff = {s.pk: User.objects.filter(organisation=s).first() for s in
                          suppliers}
        weighted = [regions[ALMATY]] * 6 + [regions[ASTANA]] * 4 + list(regions.values())
        made = []
        recipient = User.objects.filter(username="demo.recipient").first()
        if recipient is not None:
            made.append(_person(rng, 1, regions[ALMATY], today, account=recipient,
                                names=("Ерлан", "Жумабаев")))
        made.append(_person(rng, 2, regions[ALMATY], today, child=True,
                            names=("Алихан", "Касымов")))  # Сауле Касымова's son
        child = made[-1][0]
        for serial in range(3, PERSONS + 1):
            made.append(_person(rng, serial, rng.choice(weighted), today))
        persons = save_persons(made)
        guardian = User.objects.filter(username="demo.representative").first()
        if guardian is not None:
            Representative.objects.create(
                person=child, account=guardian, basis=Representative.Basis.PARENT,
                document=f"Свидетельство о рождении {MARK}", valid_from=child.birth_date)
        items = list(CatalogueItem.objects.exclude(group__code="SE").filter(
            offers__isnull=False).distinct())
        almaty_items = list(CatalogueItem.objects.exclude(group__code="SE").filter(
            offers__supplier__accreditations__region=regions[ALMATY]).exclude(
            code__startswith="HY").distinct().order_by("code"))
        for index, person in enumerate(persons):
            start = today - dt.timedelta(days=rng.randint(20, 650))
            if index < 2:
                start = today - dt.timedelta(days=120)
            ipr = Ipr.objects.create(person=person, number=f"ИПР-{person.pk:06d}",
                                     issued_on=start, valid_from=start,
                                     valid_to=start + dt.timedelta(days=3 * 365))
            chosen = rng.sample(items, rng.randint(1, 3))
            if person == child:
                chosen = rng.sample(almaty_items, 2)
            if index == 0:
                chosen = list(CatalogueItem.objects.filter(
                    code__in=["MO-01-02", "MO-04-02", "HE-01-01"]))
            for item in chosen:
                entitlement = Entitlement.objects.create(
                    ipr=ipr, item=item, quantity=item.yearly_quantity or 1)
                if index == 0 and item.code != "MO-04-02":
                    continue  # left for the demo recipient to order
                if person == child and item == chosen[1]:
                    continue  # left for the demo representative to order
                if rng.random() < 0.15 and person != child:
                    continue  # not ordered yet
                counts["orders"] += _order(
                    rng, entitlement, person, start, today, supplier_staff, officers, counts,
                    state=Order.State.DELIVERED if person == child else None,
                    placed_by=guardian if person == child else None)
        counts["orders"] += _second_wheelchair(rng, persons[3], today, supplier_staff,
                                               officers, counts)
    return summary()


def summary() -> str:
    """The same line on every run: what the demo holds."""
    from tendik.portal.models import Payment

    demo = Order.objects.filter(idempotency_key__startswith="demo-")
    return (f"portal demo: {Ipr.objects.values('person').distinct().count()} recipients "
            f"with ИПР, {demo.values('supplier').distinct().count()} suppliers, "
            f"{demo.count()} orders, {Payment.objects.count()} claims paid")


def _second_wheelchair(rng: random.Random, person: Person, today: dt.date,
                       supplier_staff: dict[int, Any],
                       officers: dict[int, tuple[User, User]], counts: dict[str, int]) -> int:
    """A wheelchair received, then a new ИПР version granting another within the
    replacement term: its claim is rejected with REPL-TERM."""
    wheelchair = CatalogueItem.objects.get(code="MO-01-02")
    made = 0
    for version, days_ago in ((2, 300), (3, 100)):
        start = today - dt.timedelta(days=days_ago)
        ipr = Ipr.objects.create(person=person, number=f"ИПР-{person.pk:06d}",
                                 version=version, issued_on=start, valid_from=start,
                                 valid_to=start + dt.timedelta(days=3 * 365))
        entitlement = Entitlement.objects.create(ipr=ipr, item=wheelchair, quantity=1)
        made += _order(rng, entitlement, person, start, today, supplier_staff, officers,
                       counts, state=Order.State.RECEIVED)
    return made


def _order(rng: random.Random, entitlement: Entitlement, person: Person, start: dt.date,
           today: dt.date, supplier_staff: dict[int, Any],
           officers: dict[int, tuple[User, User]], counts: dict[str, int],
           state: str | None = None, placed_by: User | None = None) -> int:
    offers = list(Offer.objects.filter(
        item=entitlement.item, supplier__accreditations__region=person.region).distinct())
    if not offers:
        return 0
    offer = rng.choice(offers)
    state = state or rng.choice(STATES)
    placed = start + dt.timedelta(days=rng.randint(3, 40))
    if placed > today - dt.timedelta(days=2):
        placed = today - dt.timedelta(days=2)
    cap = cap_for(offer.item, person.region, placed)
    quantity = monthly_quantity(entitlement)
    state_pays, copayment = Order.split(offer.price, cap.amount if cap else None, quantity)
    moment = timezone.make_aware(dt.datetime.combine(placed, dt.time(10)))
    order = Order.objects.create(
        idempotency_key=f"demo-{entitlement.pk}", person=person, entitlement=entitlement,
        offer=offer, supplier=offer.supplier, item=offer.item, region=person.region,
        quantity=quantity, ordered_on=placed, unit_price=offer.price,
        unit_cap=cap.amount if cap else None, state_pays=state_pays, copayment=copayment,
        delivery=offer.delivery[0], address=person.address,
        placed_by=placed_by or person.account or officers[person.region_id][0],
        placed_at=moment)
    OrderEvent.objects.create(order=order, to_state="placed", at=moment,
                              by=order.placed_by)
    previous, supplier_user = "placed", supplier_staff.get(offer.supplier_id)
    for step in PATH[state]:
        moment += dt.timedelta(days=rng.randint(1, offer.lead_time_days or 7))
        moment = min(moment, timezone.now())
        by = order.placed_by if step in ("received", "disputed", "cancelled") else \
            supplier_user
        comment = {"disputed": "Не тот размер подножки", "declined": "Нет на складе",
                   }.get(step, "")
        OrderEvent.objects.create(order=order, from_state=previous, to_state=step,
                                  at=moment, by=by, comment=comment)
        previous = step
        if step == "delivered":
            order.delivered_at = moment
        if step == "received":
            order.received_at = moment
    order.state = state
    order.save()
    if state == Order.State.RECEIVED:
        claim = reimbursement.file_claim(order)
        accountant, head = officers[person.region_id]
        if claim.state == claim.State.ACCOUNTANT and rng.random() < 0.75:
            claim = reimbursement.approve(claim, claim.State.ACCOUNTANT, by=accountant)
            if rng.random() < 0.8:
                reimbursement.approve(claim, claim.State.HEAD, by=head)
                counts["paid"] += 1
        if rng.random() < 0.5:
            SupplierRating.objects.create(
                order=order, supplier=order.supplier,
                stars=rng.choice(STARS.get(order.supplier.code, [3, 4, 4, 5])))
    if state in (Order.State.DISPUTED, Order.State.RECEIVED) and rng.random() < 0.12:
        answered = rng.random() < 0.5
        Complaint.objects.create(
            order=order, supplier=order.supplier, region=order.region,
            text="Доставили с опозданием на две недели, не предупредили.",
            filed_by=order.placed_by,
            state=Complaint.State.ANSWERED if answered else Complaint.State.OPEN,
            answer="Задержка из-за поставки с завода." if answered else "",
            answered_at=timezone.now() if answered else None)
    return 1
