"""A small market: an Almaty supplier with a wheelchair offer above the cap, a recipient
with an ИПР granting one wheelchair, a representative, and the akimat's accountant and
head."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from tendik.core.models import Organisation, Region, Role, User
from tendik.people.iin import make_bin, make_iin
from tendik.people.models import Person, Representative
from tendik.portal.models import (
    Accreditation,
    CatalogueItem,
    Entitlement,
    Ipr,
    Offer,
    PriceCap,
    cap_for,
)
from tendik.portal.services import load_classifier
from tests.conftest import ALMATY, ASTANA
from tests.factories import UserFactory

TODAY = timezone.localdate()
_serial = itertools.count(1)


def make_person(region: Region, account: User | None = None, **kwargs: Any) -> Person:
    serial = next(_serial)
    born = dt.date(1975, 1, 1) + dt.timedelta(days=serial * 37)
    return Person.objects.create(
        iin=make_iin(born, "female", 100 + serial), last_name=f"Тестова{serial}",
        first_name="Айгуль", birth_date=born, sex="female", region=region,
        address="ул. Абая, 10", account=account, **kwargs)


def entitle(person: Person, item: CatalogueItem, quantity: int = 1, *,
            valid_from: dt.date | None = None, version: int = 1) -> Entitlement:
    valid_from = valid_from or TODAY - dt.timedelta(days=10)
    ipr = Ipr.objects.create(person=person, number=f"ИПР-{person.pk}", version=version,
                             issued_on=valid_from, valid_from=valid_from,
                             valid_to=valid_from + dt.timedelta(days=730))
    return Entitlement.objects.create(ipr=ipr, item=item, quantity=quantity)


def grant(user: User, group_name: str, codename: str) -> User:
    group, _created = Group.objects.get_or_create(name=group_name)
    group.permissions.add(Permission.objects.get(codename=codename))
    user.groups.add(group)
    return User.objects.get(pk=user.pk)  # a fresh object: permissions are cached


@dataclass
class Market:
    almaty: Region
    astana: Region
    supplier: Organisation
    supplier_user: User
    wheelchair: CatalogueItem
    cap: PriceCap
    offer: Offer
    recipient: User
    person: Person
    entitlement: Entitlement
    representative: User
    accountant: User
    head: User
    akimat_astana: User


COPAYMENT = 15_000


def build_market(*, quantity: int = 1) -> Market:
    """The market's rows, for a database that has the reference data (the browser tests
    build it in their own transactional database). quantity: wheelchairs the ИПР grants."""
    today = timezone.localdate()
    load_classifier()
    almaty, astana = (Region.objects.get(kato=k) for k in (ALMATY, ASTANA))
    supplier = Organisation.objects.create(
        code="SUP-ORTHO", kind=Organisation.Kind.SUPPLIER, name_ru="ТОО «Орто»",
        name_kk="«Орто» ЖШС", name_en="Orto LLP", bin=make_bin(2018, 2, 4, 77),
        region=almaty)
    Accreditation.objects.create(supplier=supplier, region=almaty,
                                 valid_from=today - dt.timedelta(days=100),
                                 valid_to=today + dt.timedelta(days=300), decision="№ 12")
    wheelchair = CatalogueItem.objects.get(code="MO-01-02")
    cap = cap_for(wheelchair, almaty, today)
    assert cap is not None
    offer = Offer.objects.create(supplier=supplier, item=wheelchair, title="Ortonica Base",
                                 price=cap.amount + COPAYMENT, delivery=["home", "pickup"],
                                 lead_time_days=10)
    recipient = UserFactory(role=Role.RECIPIENT, username="recipient")
    person = make_person(almaty, account=recipient)
    representative = UserFactory(role=Role.RECIPIENT, username="representative")
    Representative.objects.create(person=person, account=representative,
                                  basis=Representative.Basis.GUARDIAN, document="№ 5",
                                  valid_from=today - dt.timedelta(days=400))
    akimat = Organisation.objects.get(code=f"AKIMAT-{ALMATY}")
    accountant = grant(UserFactory(role=Role.AKIMAT_OFFICIAL, organisation=akimat,
                                   username="accountant"),
                       "Akimat accountants", "approve_as_accountant")
    head = grant(UserFactory(role=Role.AKIMAT_OFFICIAL, organisation=akimat,
                             username="head"), "Akimat heads", "approve_as_head")
    return Market(
        almaty=almaty, astana=astana, supplier=supplier,
        supplier_user=UserFactory(role=Role.SUPPLIER, organisation=supplier,
                                  username="supplier"),
        wheelchair=wheelchair, cap=cap, offer=offer, recipient=recipient, person=person,
        entitlement=entitle(person, wheelchair, quantity), representative=representative,
        accountant=accountant, head=head,
        akimat_astana=UserFactory(role=Role.AKIMAT_OFFICIAL,
                                  organisation=Organisation.objects.get(
                                      code=f"AKIMAT-{ASTANA}"), username="astana"))


@pytest.fixture
def market(reference) -> Market:
    return build_market()
