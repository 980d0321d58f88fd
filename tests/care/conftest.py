"""Providers, recipients and rates for the care tests: a state provider in Almaty (the
akimat persona's region) and one in Astana (another region)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest

from tendik.care.models import Capacity, CareForm, Ownership, Placement, Provider, Rate
from tendik.core.models import Organisation, Region, Role, User
from tendik.people.iin import make_iin
from tendik.people.models import Person
from tests.conftest import ALMATY, ASTANA

RESIDENTIAL = Decimal("547200")  # 18,000 × 30.4
HOME = Decimal("152000")  # 5,000 × 30.4


@pytest.fixture
def make_provider(reference) -> Callable[..., Provider]:
    def make(code: str = "CARE-ALMATY", kato: str = ALMATY,
             places: dict[str, int] | None = None, kind: str = Organisation.Kind.SERVICE_PROVIDER,
             ownership: str = Ownership.STATE) -> Provider:
        organisation = Organisation.objects.create(
            code=code, kind=kind, region=Region.objects.get(kato=kato),
            name_ru=f"Центр {code}", name_kk=f"Орталық {code}", name_en=f"Centre {code}")
        provider = Provider.objects.create(organisation=organisation, ownership=ownership)
        for form, number in (places or {CareForm.RESIDENTIAL: 3, CareForm.HOME: 5}).items():
            Capacity.objects.create(provider=provider, form=form, places=number)
        return provider

    return make


@pytest.fixture
def make_person(reference) -> Callable[..., Person]:
    serials = iter(range(100, 10000, 20))

    def make(kato: str = ALMATY, last_name: str = "Сапарова", first_name: str = "Айгерим"
             ) -> Person:
        birth = dt.date(1980, 5, 17)
        return Person.objects.create(
            iin=make_iin(birth, "female", next(serials)), last_name=last_name,
            first_name=first_name, birth_date=birth, sex="female",
            region=Region.objects.get(kato=kato), address="ул. Абая, 1")

    return make


@pytest.fixture
def provider(make_provider) -> Provider:
    return make_provider()


@pytest.fixture
def astana_provider(make_provider) -> Provider:
    return make_provider(code="CARE-ASTANA", kato=ASTANA)


@pytest.fixture
def rates(reference) -> None:
    """2026 rates of Almaty and Astana; Astana's residential rate is higher; 2025 lower."""
    for kato, residential in ((ALMATY, RESIDENTIAL), (ASTANA, Decimal("600000"))):
        region = Region.objects.get(kato=kato)
        Rate.objects.create(form=CareForm.RESIDENTIAL, region=region, year=2026,
                            amount=residential, legal_act="Приказ № 1")
        Rate.objects.create(form=CareForm.HOME, region=region, year=2026, amount=HOME,
                            legal_act="Приказ № 1")
    Rate.objects.create(form=CareForm.RESIDENTIAL, region=Region.objects.get(kato=ALMATY),
                        year=2025, amount=Decimal("500000"), legal_act="Приказ № 2")


@pytest.fixture
def place_directly() -> Callable[..., Placement]:
    """A placement saved without the service (and its permission check), still validated."""
    def make(person: Person, provider: Provider, start: dt.date, end: dt.date | None = None,
             form: str = CareForm.RESIDENTIAL) -> Placement:
        placement = Placement(person=person, provider=provider, form=form, start=start,
                              end=end, region_id=person.region_id, basis="Решение № 7")
        placement.full_clean()
        placement.save()
        return placement

    return make


@pytest.fixture
def provider_staff(make_user, provider) -> User:
    return make_user(Role.SOCIAL_WORKER, provider.organisation.code, username="p.social")


@pytest.fixture(autouse=True)
def english_messages():
    """Services' messages are asserted in the English of the code: the tests run outside
    a request, in the language the test process happens to have active."""
    from django.utils import translation

    with translation.override("en"):
        yield
