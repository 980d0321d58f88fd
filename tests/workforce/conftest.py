"""A small registry: in Almaty a certified worker (two places) with an account, an
uncertified worker and a worker of another provider; in Astana a certified worker.
Recipients: one with an account, their representative, and a stranger with their own
record; akimat officials of Almaty and Astana."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from tendik.core.models import Organisation, Region, Role, User
from tendik.people.models import Person, Representative
from tendik.portal.services import load_classifier
from tendik.workforce.models import Certificate, SocialWorker
from tests.conftest import ALMATY, ASTANA
from tests.factories import UserFactory
from tests.portal.conftest import make_person

TODAY = timezone.localdate()


def make_worker(employer: Organisation, regions: list[Region], *, account: User | None = None,
                certified: bool = True, capacity: int = 2, last_name: str = "Работникова",
                services: list[str] | None = None, languages: list[str] | None = None,
                number: str | None = None) -> SocialWorker:
    worker = SocialWorker.objects.create(
        account=account, employer=employer, last_name=last_name, first_name="Дана",
        qualification="higher", category="first",
        services=services or ["home_care", "escort"], languages=languages or ["kk", "ru"],
        capacity=capacity)
    worker.regions.set(regions)
    if certified:
        Certificate.objects.create(worker=worker, number=number or f"С-{worker.pk}",
                                   issued_on=TODAY - dt.timedelta(days=100),
                                   expires_on=TODAY + dt.timedelta(days=600),
                                   assessor="Центр оценки")
    return worker


def provider(code: str, region: Region) -> Organisation:
    return Organisation.objects.create(code=code, kind=Organisation.Kind.SERVICE_PROVIDER,
                                       region=region, name_ru=f"Центр {code}",
                                       name_kk=f"Орталық {code}", name_en=f"Centre {code}")


@dataclass
class World:
    almaty: Region
    astana: Region
    employer: Organisation
    worker_user: User
    worker: SocialWorker
    uncertified: SocialWorker
    other_worker_user: User
    other_worker: SocialWorker
    astana_worker: SocialWorker
    recipient: User
    person: Person
    representative: User
    stranger: User
    stranger_person: Person
    akimat: User
    akimat_astana: User
    case_manager: User


@pytest.fixture
def world(reference) -> World:
    load_classifier()
    almaty, astana = (Region.objects.get(kato=k) for k in (ALMATY, ASTANA))
    employer = provider("SW-ALMATY", almaty)
    other_employer = provider("SW-ALMATY-2", almaty)
    worker_user = UserFactory(role=Role.SOCIAL_WORKER, organisation=employer,
                              username="worker")
    other_worker_user = UserFactory(role=Role.SOCIAL_WORKER, organisation=other_employer,
                                    username="other.worker")
    recipient = UserFactory(role=Role.RECIPIENT, username="recipient")
    person = make_person(almaty, account=recipient, phone="+7 701 555 12 34",
                         email="aigul@example.kz")
    representative = UserFactory(role=Role.RECIPIENT, username="representative")
    Representative.objects.create(person=person, account=representative,
                                  basis=Representative.Basis.GUARDIAN, document="№ 5",
                                  valid_from=TODAY - dt.timedelta(days=400))
    stranger = UserFactory(role=Role.RECIPIENT, username="stranger")
    return World(
        almaty=almaty, astana=astana, employer=employer, worker_user=worker_user,
        worker=make_worker(employer, [almaty], account=worker_user, last_name="Сертифицирова"),
        uncertified=make_worker(employer, [almaty], certified=False,
                                last_name="Безсертификатова"),
        other_worker_user=other_worker_user,
        other_worker=make_worker(other_employer, [almaty], account=other_worker_user,
                                 last_name="Другова"),
        astana_worker=make_worker(provider("SW-ASTANA", astana), [astana],
                                  last_name="Астанова"),
        recipient=recipient, person=person, representative=representative,
        stranger=stranger, stranger_person=make_person(almaty, account=stranger),
        akimat=UserFactory(role=Role.AKIMAT_OFFICIAL,
                           organisation=Organisation.objects.get(code=f"AKIMAT-{ALMATY}"),
                           username="akimat"),
        akimat_astana=UserFactory(role=Role.AKIMAT_OFFICIAL,
                                  organisation=Organisation.objects.get(
                                      code=f"AKIMAT-{ASTANA}"), username="akimat.astana"),
        case_manager=UserFactory(role=Role.CASE_MANAGER, organisation=employer,
                                 username="case.manager"),
    )


@pytest.fixture(autouse=True)
def english_messages():
    """Services' messages are asserted in the English of the code."""
    from django.utils import translation

    with translation.override("en"):
        yield
