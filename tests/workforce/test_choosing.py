"""The reviewer's path: a recipient finds and chooses a certified worker; an uncertified
one cannot be assigned; capacity and region hold."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError, connection, connections

from tendik.workforce import services
from tendik.workforce.models import Assignment, Certificate
from tests.portal.conftest import make_person
from tests.workforce.conftest import TODAY, World, make_worker

pytestmark = pytest.mark.django_db


def test_a_recipient_finds_and_chooses_a_certified_worker(world: World, client_for):
    client = client_for(world.recipient)
    found = client.get("/en/social-workers/", {"region": world.almaty.kato,
                                                "service": "home_care", "language": "kk",
                                                "free": "on"}).content.decode()
    assert world.worker.full_name in found
    assert world.uncertified.full_name not in found  # no free place without a certificate
    assert world.astana_worker.full_name not in found
    page = client.get(f"/en/social-workers/{world.worker.pk}/choose/")
    assert page.status_code == 200
    response = client.post(f"/en/social-workers/{world.worker.pk}/choose/",
                           {"person": world.person.pk})
    assignment = Assignment.objects.get(person=world.person)
    assert response.status_code == 302
    assert response["Location"] == f"/en/social-workers/assignments/{assignment.pk}/"
    assert assignment.worker == world.worker and assignment.start == TODAY
    assert assignment.chosen_by == world.recipient
    assert world.person.full_name in client.get(response["Location"]).content.decode()


def test_an_uncertified_worker_cannot_be_assigned(world: World, client_for):
    response = client_for(world.recipient).post(
        f"/en/social-workers/{world.uncertified.pk}/choose/", {"person": world.person.pk})
    assert response.status_code == 200
    assert "нет действующего сертификата" in response.content.decode() or \
        "no valid certificate" in response.content.decode()
    assert not Assignment.objects.exists()
    with pytest.raises(ValidationError, match="certificate"):
        services.choose_worker(world.person, world.uncertified, by=world.recipient)


def test_an_expired_or_future_certificate_does_not_count(world: World):
    Certificate.objects.create(worker=world.uncertified, number="OLD-1",
                               issued_on=TODAY - dt.timedelta(days=1200),
                               expires_on=TODAY - dt.timedelta(days=1), assessor="Центр")
    Certificate.objects.create(worker=world.uncertified, number="NEW-1",
                               issued_on=TODAY + dt.timedelta(days=1),
                               expires_on=TODAY + dt.timedelta(days=900), assessor="Центр")
    with pytest.raises(ValidationError, match="certificate"):
        services.choose_worker(world.person, world.uncertified, by=world.recipient)
    # Valid on the start day: a choice starting tomorrow is accepted.
    assignment = services.choose_worker(world.person, world.uncertified, by=world.recipient,
                                        start=TODAY + dt.timedelta(days=1))
    assert assignment.pk


def test_the_choice_beyond_capacity_is_refused(world: World):
    for _n in range(world.worker.capacity):
        services.choose_worker(make_person(world.almaty), world.worker, by=world.akimat)
    with pytest.raises(ValidationError, match="no free place"):
        services.choose_worker(world.person, world.worker, by=world.recipient)
    assert world.worker.assignments.count() == 2
    # A place frees when a recipient leaves.
    services.end_assignment(world.worker.assignments.first(), by=world.akimat,
                            end=TODAY - dt.timedelta(days=0), reason="Переезд")
    tomorrow = TODAY + dt.timedelta(days=1)
    assert services.choose_worker(world.person, world.worker, by=world.recipient,
                                  start=tomorrow).pk


def test_a_worker_of_another_region_or_inactive_cannot_be_chosen(world: World):
    with pytest.raises(ValidationError, match="does not serve"):
        services.choose_worker(world.person, world.astana_worker, by=world.recipient)
    world.other_worker.active = False
    world.other_worker.save()
    with pytest.raises(ValidationError, match="no longer"):
        services.choose_worker(world.person, world.other_worker, by=world.recipient)


def test_the_same_worker_is_not_chosen_twice(world: World):
    services.choose_worker(world.person, world.worker, by=world.recipient)
    with pytest.raises(ValidationError, match="already served"):
        services.choose_worker(world.person, world.worker, by=world.representative)


def test_the_representative_chooses_and_a_stranger_cannot(world: World, client_for):
    with pytest.raises(PermissionDenied):
        services.choose_worker(world.person, world.worker, by=world.stranger)
    with pytest.raises(PermissionDenied):
        services.choose_worker(world.person, world.worker, by=world.akimat_astana)
    # The stranger's form offers only their own record.
    response = client_for(world.stranger).post(
        f"/en/social-workers/{world.worker.pk}/choose/", {"person": world.person.pk})
    assert response.status_code == 200 and not Assignment.objects.exists()
    assignment = services.choose_worker(world.person, world.worker, by=world.representative)
    assert assignment.chosen_by == world.representative


def test_a_recipient_may_leave_and_choose_another(world: World, client_for):
    first = services.choose_worker(world.person, world.worker, by=world.recipient)
    client = client_for(world.recipient)
    assert client.post(f"/en/social-workers/assignments/{first.pk}/end/",
                       {"reason": ""}).status_code == 302
    first.refresh_from_db()
    assert first.end == TODAY
    assert services.choose_worker(world.person, world.other_worker, by=world.recipient).pk


@pytest.mark.django_db(transaction=True)
def test_two_choices_of_the_last_place_at_once_take_it_once(reference):
    """Four recipients choose the worker's last free place in parallel: one gets it. On
    PostgreSQL the row lock makes the others wait for the first and then see the worker
    full."""
    from tendik.core.models import Organisation, Region, Role
    from tests.factories import UserFactory
    from tests.workforce.conftest import provider

    almaty = Region.objects.get(kato="750000000")
    worker = make_worker(provider("SW-RACE", almaty), [almaty], capacity=1)
    official = UserFactory(role=Role.AKIMAT_OFFICIAL,
                           organisation=Organisation.objects.get(code="AKIMAT-750000000"))
    persons = [make_person(almaty) for _n in range(4)]
    barrier = threading.Barrier(len(persons))
    outcomes: list[str] = []

    def choose(person):
        try:
            barrier.wait()
            services.choose_worker(person, worker, by=official)
            outcomes.append("chosen")
        except ValidationError:
            outcomes.append("full")
        except OperationalError:
            # SQLite lets one writer in and turns the others away («table is locked»);
            # PostgreSQL makes them wait on the row lock and then find the worker full.
            outcomes.append("busy")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=choose, args=(p,)) for p in persons]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("chosen") == 1 and len(outcomes) == 4
    if connection.vendor == "postgresql":
        assert sorted(outcomes) == ["chosen", "full", "full", "full"]
    assert worker.assignments.count() == 1
