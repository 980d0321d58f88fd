"""Demonstration data of special social services: five providers in four regions, the
per-capita rates of every region, a few dozen placements, bills of the last three months
(the older two approved) and the providers' spending, one of which spends much less than
it receives. Loaded by `manage.py load_demo`; every name says «демо».

The rates are the portal classifier's indicative daily caps (SE-04-01…04: home 5,000,
day care 9,000, inpatient 18,000, temporary stay 15,000 tenge) × 30.4 days: demonstration
figures, not legal values.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tendik.care.models import (
    Capacity,
    CareForm,
    MonthlyBill,
    Ownership,
    Placement,
    Provider,
    Rate,
    Spending,
    SpendingCategory,
    to_tenge,
)
from tendik.care.services import build_bill
from tendik.core.audit import acting_as
from tendik.core.models import Organisation, Region
from tendik.people.iin import make_bin, make_iin
from tendik.people.models import Person

DAILY_CAPS = {CareForm.HOME: 5000, CareForm.DAY_CARE: 9000, CareForm.RESIDENTIAL: 18000,
              CareForm.TEMPORARY: 15000}
DAYS_PER_MONTH = Decimal("30.4")
LEGAL_ACT = "Демонстрационный тариф: предельная цена классификатора × 30,4 дня (демо)"

PROVIDERS: list[dict[str, Any]] = [
    {"code": "DEMO-PROVIDER-ALMATY", "kind": Organisation.Kind.SERVICE_PROVIDER,
     "region": "750000000", "ownership": Ownership.STATE,
     "name_ru": "Центр оказания специальных социальных услуг г. Алматы (демо)",
     "name_kk": "Алматы қ. арнаулы әлеуметтік қызметтер көрсету орталығы (демо)",
     "name_en": "Almaty Special Social Services Centre (demo)",
     "places": {CareForm.RESIDENTIAL: 12, CareForm.DAY_CARE: 10}, "spends": Decimal("0.97")},
    {"code": "DEMO-CARE-NGO-ALMATY", "kind": Organisation.Kind.NGO, "region": "750000000",
     "ownership": Ownership.NGO,
     "name_ru": "ОФ «Мейірім» (демо)", "name_kk": "«Мейірім» ҚҚ (демо)",
     "name_en": "Meirim Public Foundation (demo)",
     "places": {CareForm.HOME: 10}, "spends": Decimal("0.62")},
    {"code": "DEMO-CARE-ASTANA", "kind": Organisation.Kind.SERVICE_PROVIDER,
     "region": "710000000", "ownership": Ownership.PRIVATE,
     "name_ru": "ТОО «Қамқор Астана» (демо)", "name_kk": "«Қамқор Астана» ЖШС (демо)",
     "name_en": "Qamqor Astana LLP (demo)",
     "places": {CareForm.TEMPORARY: 6, CareForm.HOME: 8}, "spends": Decimal("0.91")},
    {"code": "DEMO-CARE-SHYMKENT", "kind": Organisation.Kind.SERVICE_PROVIDER,
     "region": "790000000", "ownership": Ownership.STATE,
     "name_ru": "Дом-интернат для лиц с инвалидностью г. Шымкент (демо)",
     "name_kk": "Шымкент қ. мүгедектігі бар адамдарға арналған интернат үйі (демо)",
     "name_en": "Shymkent Residential Home for Persons with Disabilities (demo)",
     "places": {CareForm.RESIDENTIAL: 10, CareForm.DAY_CARE: 6}, "spends": Decimal("1.02")},
    {"code": "DEMO-CARE-KARAGANDA", "kind": Organisation.Kind.SERVICE_PROVIDER,
     "region": "350000000", "ownership": Ownership.STATE,
     "name_ru": "Центр социального обслуживания на дому г. Караганды (демо)",
     "name_kk": "Қарағанды қ. үйде әлеуметтік қызмет көрсету орталығы (демо)",
     "name_en": "Karaganda Home Care Centre (demo)",
     "places": {CareForm.HOME: 8}, "spends": Decimal("0.95")},
]
SPENDING_SHARES = {SpendingCategory.STAFF: Decimal("0.55"), SpendingCategory.FOOD:
                   Decimal("0.20"), SpendingCategory.MEDICINE: Decimal("0.10"),
                   SpendingCategory.UTILITIES: Decimal("0.10"),
                   SpendingCategory.OTHER: Decimal("0.05")}
LAST_NAMES = [("Ахметов", "Ахметова"), ("Жумабаев", "Жумабаева"), ("Сейткали", "Сейткали"),
              ("Ким", "Ким"), ("Омаров", "Омарова"), ("Исаев", "Исаева"),
              ("Нурланов", "Нурланова"), ("Касымов", "Касымова"), ("Петров", "Петрова"),
              ("Абенов", "Абенова")]
FIRST_NAMES = {"male": ["Ерлан", "Марат", "Бауыржан", "Тимур", "Нуржан", "Арман"],
               "female": ["Айгерим", "Гульнара", "Асель", "Жанна", "Динара", "Сауле"]}


def monthly_rate(form: str) -> Decimal:
    return to_tenge(DAILY_CAPS[CareForm(form)] * DAYS_PER_MONTH)


def recent_months(today: dt.date, count: int) -> list[tuple[int, int]]:
    """The `count` whole months before this one, oldest first."""
    months = []
    year, month = today.year, today.month
    for _i in range(count):
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        months.append((year, month))
    return months[::-1]


def demo_persons(region: Region, needed: int, serial: int) -> list[Person]:
    """Persons of the region who have no aids ordered to their home address (someone who
    lives in a residential home has them brought there), created with valid IINs when
    there are fewer than needed."""
    persons = list(Person.objects.filter(region=region, orders__isnull=True,
                                         account__isnull=True,
                                         representatives__isnull=True)
                   .order_by("pk")[:needed])
    index = len(persons)
    while len(persons) < needed:
        sex = "male" if index % 2 == 0 else "female"
        birth = dt.date(1950 + (index * 7) % 55, 1 + index % 12, 1 + (index * 5) % 28)
        iin = make_iin(birth, sex, serial)
        serial += 20
        if Person.objects.filter(iin=iin).exists():
            continue
        last = LAST_NAMES[index % len(LAST_NAMES)][0 if sex == "male" else 1]
        person = Person(iin=iin, last_name=last, first_name=FIRST_NAMES[sex][index % 6],
                        birth_date=birth, sex=sex, region=region,
                        address=f"{region.centre_ru}, ул. Демонстрационная, {index + 1} (демо)")
        person.full_clean()
        person.save()
        persons.append(person)
        index += 1
    return persons


def placement_dates(index: int, today: dt.date) -> tuple[dt.date, dt.date | None]:
    start = dt.date(2025, 1, 1) + dt.timedelta(days=(index * 37) % 600)
    start = min(start, today - dt.timedelta(days=60))
    # Every fourth placement ended mid-month, so that bills show partial months.
    end = start + dt.timedelta(days=200 + index * 3) if index % 4 == 3 else None
    return start, end


def load_providers() -> list[tuple[Provider, dict[str, Any]]]:
    result = []
    for index, spec in enumerate(PROVIDERS):
        region = Region.objects.get(kato=spec["region"])
        organisation = Organisation.objects.filter(code=spec["code"]).first()
        if organisation is None:
            organisation = Organisation.objects.create(
                code=spec["code"], kind=spec["kind"], region=region, name_ru=spec["name_ru"],
                name_kk=spec["name_kk"], name_en=spec["name_en"],
                bin=make_bin(2015 + index, 3 + index, 4, 7100 + index * 31))
        provider = Provider.objects.filter(organisation=organisation).first()
        if provider is None:
            provider = Provider(organisation=organisation, ownership=spec["ownership"],
                                address=f"{region.centre_ru} (демо)",
                                licence_number=f"ДЕМО-{index + 1:03d}",
                                licence_date=dt.date(2020 + index % 4, 2, 1))
            provider.full_clean()
            provider.save()
        for form, places in spec["places"].items():
            Capacity.objects.get_or_create(provider=provider, form=form,
                                           defaults={"places": places})
        result.append((provider, spec))
    return result


def load_rates(years: list[int]) -> None:
    existing = set(Rate.objects.filter(year__in=years).values_list("form", "region_id",
                                                                     "year"))
    for region in Region.objects.all():
        for year in years:
            for form in CareForm.values:
                if (form, region.pk, year) not in existing:
                    Rate.objects.create(form=form, region=region, year=year,
                                        amount=monthly_rate(form), legal_act=LEGAL_ACT)


def load_placements(providers: list[tuple[Provider, dict[str, Any]]], today: dt.date
                    ) -> None:
    taken: dict[int, int] = {}
    for index, (provider, spec) in enumerate(providers):
        if provider.placements.exists():
            continue
        region = provider.organisation.region
        assert region is not None
        # Two thirds of the places of each form, on persons of the region not placed here.
        wanted = [(form, places * 2 // 3) for form, places in spec["places"].items()]
        offset = taken.get(region.pk, 0)
        pool = demo_persons(region, offset + sum(n for _f, n in wanted),
                            serial=1000 + index * 900)[offset:]
        taken[region.pk] = offset + len(pool)
        position = 0
        for form, number in wanted:
            for _n in range(number):
                start, end = placement_dates(position + index, today)
                placement = Placement(person=pool[position], provider=provider, form=form,
                                      region=region, start=start, end=end,
                                      basis=f"ДЕМО-{region.kato[:2]}-{position + 1:04d}")
                try:
                    placement.full_clean()
                except ValidationError:
                    # A person of another demo already in this form: leave them be.
                    position += 1
                    continue
                placement.save()
                position += 1


def load_bills(providers: list[tuple[Provider, dict[str, Any]]], today: dt.date) -> None:
    months = recent_months(today, 3)
    for provider, spec in providers:
        for number, (year, month) in enumerate(months):
            bill = MonthlyBill.objects.filter(provider=provider, year=year, month=month).first()
            if bill is None:
                bill = build_bill(provider, year, month)
                if number < len(months) - 1:
                    bill.state, bill.approved_at = MonthlyBill.State.APPROVED, timezone.now()
                    bill.save(update_fields=["state", "approved_at"])
            if bill.is_locked and not Spending.objects.filter(
                    provider=provider, year=year, month=month).exists():
                spent = bill.total * spec["spends"]
                for category, share in SPENDING_SHARES.items():
                    Spending.objects.create(provider=provider, year=year, month=month,
                                            category=category, amount=to_tenge(spent * share))


@transaction.atomic
def load_demo() -> str:
    """Load what is missing; the summary counts what there is, so a second run prints the
    same line."""
    today = timezone.localdate()
    with acting_as(label="load_demo"):
        providers = load_providers()
        load_rates(sorted({2025, 2026, today.year}))
        load_placements(providers, today)
        load_bills(providers, today)
    bills = MonthlyBill.objects.all()
    return (f"special social services demo: {Provider.objects.count()} providers, "
            f"{Rate.objects.count()} rates, {Placement.objects.count()} placements, "
            f"{bills.count()} monthly bills "
            f"({bills.filter(state=MonthlyBill.State.APPROVED).count()} approved), "
            f"{Spending.objects.count()} spending rows")
