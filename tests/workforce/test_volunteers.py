"""One plus two: a worker has at most two volunteers at a time; their hours are logged."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tendik.workforce import services
from tendik.workforce.models import VolunteerHours, VolunteerLink
from tests.factories import UserFactory
from tests.workforce.conftest import TODAY, World

pytestmark = pytest.mark.django_db


def register(world: World, n: int, **kwargs):
    return services.register_volunteer(
        by=world.case_manager, region=world.almaty, organisation=world.employer,
        last_name=f"Волонтёров{n}", first_name="Ерлан", training="Курс помощи, 36 ч",
        trained_on=TODAY - dt.timedelta(days=30), **kwargs)


def test_a_worker_has_at_most_two_volunteers(world: World):
    first, second, third = (register(world, n) for n in range(3))
    services.link_volunteer(world.worker, first, by=world.case_manager)
    services.link_volunteer(world.worker, second, by=world.akimat)
    with pytest.raises(ValidationError, match="at most two"):
        services.link_volunteer(world.worker, third, by=world.case_manager)
    with pytest.raises(ValidationError, match="already helps"):
        services.link_volunteer(world.worker, first, by=world.case_manager)
    # Ending a link frees the place.
    services.unlink_volunteer(VolunteerLink.objects.get(volunteer=first),
                              by=world.case_manager)
    assert services.link_volunteer(world.worker, third, by=world.case_manager).pk
    assert world.worker.volunteer_links.filter(end__isnull=True).count() == 2


def test_the_page_refuses_a_third_volunteer(world: World, client_for):
    volunteers = [register(world, n) for n in range(3)]
    client = client_for(world.case_manager)
    for number, volunteer in enumerate(volunteers):
        response = client.post("/en/social-workers/volunteers/", {
            "action": "link", "link-worker": world.worker.pk,
            "link-volunteer": volunteer.pk})
        assert response.status_code == (302 if number < 2 else 200)
    assert "at most two" in response.content.decode() or \
        "не больше двух" in response.content.decode()


def test_only_the_employer_or_the_akimat_links(world: World):
    volunteer = register(world, 1)
    for someone in (world.other_worker_user, world.akimat_astana, world.recipient):
        with pytest.raises(PermissionDenied):
            services.link_volunteer(world.worker, volunteer, by=someone)


def test_volunteer_hours_are_logged_within_the_link(world: World, client_for):
    account = UserFactory(username="volunteer")
    volunteer = register(world, 1, account=account)
    link = services.link_volunteer(world.worker, volunteer, by=world.case_manager,
                                   start=TODAY - dt.timedelta(days=10))
    services.log_volunteer_hours(link, by=world.worker_user, date=TODAY, hours=Decimal("2.5"),
                                 activity="Сопровождение")
    response = client_for(account).post(f"/en/social-workers/volunteers/links/{link.pk}/hours/",
                                        {"date": TODAY.isoformat(), "hours": "3",
                                         "note": "Покупки"})
    assert response.status_code == 302
    assert sorted(VolunteerHours.objects.values_list("hours", flat=True)) == [
        Decimal("2.5"), Decimal("3.0")]
    with pytest.raises(ValidationError, match="did not help"):
        services.log_volunteer_hours(link, by=world.worker_user,
                                     date=TODAY - dt.timedelta(days=20), hours=Decimal(1),
                                     activity="—")
    with pytest.raises(PermissionDenied):
        services.log_volunteer_hours(link, by=world.other_worker_user, date=TODAY,
                                     hours=Decimal(1), activity="—")


def test_a_volunteer_registered_without_an_organisation_belongs_to_the_employer(
        world: World, client_for):
    """The organisation is optional on the form: for the employer's staff an empty one
    means their own, not a refusal."""
    from tendik.core.models import AuditEvent
    from tendik.workforce.models import Volunteer

    response = client_for(world.case_manager).post("/en/social-workers/volunteers/", {
        "action": "register", "register-last_name": "Помощникова",
        "register-first_name": "Айжан", "register-region": world.almaty.pk,
        "register-organisation": "", "register-training": "Курс помощи, 36 ч",
        "register-trained_on": (TODAY - dt.timedelta(days=3)).isoformat()})
    assert response.status_code == 302
    volunteer = Volunteer.objects.get(last_name="Помощникова")
    assert volunteer.organisation == world.employer
    assert AuditEvent.objects.filter(model="workforce.volunteer", object_id=str(volunteer.pk),
                                     actor=world.case_manager).exists()
    # The akimat may register an independent volunteer: the organisation stays empty.
    independent = services.register_volunteer(
        by=world.akimat, region=world.almaty, last_name="Свободнова", first_name="Ая",
        training="Курс", trained_on=TODAY)
    assert independent.organisation is None
