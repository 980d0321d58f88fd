"""Visits are logged by the worker and confirmed by the recipient; only a recipient the
worker served (a confirmed visit) rates."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tendik.workforce import services
from tendik.workforce.models import Visit, WorkerRating
from tests.workforce.conftest import TODAY, World

pytestmark = pytest.mark.django_db
YESTERDAY = TODAY - dt.timedelta(days=1)


@pytest.fixture
def assignment(world: World):
    return services.choose_worker(world.person, world.worker, by=world.recipient,
                                  start=TODAY - dt.timedelta(days=10))


def test_a_recipient_who_was_never_served_cannot_rate(world: World, assignment, client_for):
    client = client_for(world.recipient)
    page = client.get(f"/en/social-workers/assignments/{assignment.pk}/").content.decode()
    assert f'action="/en/social-workers/assignments/{assignment.pk}/rate/"' not in page
    response = client.post(f"/en/social-workers/assignments/{assignment.pk}/rate/",
                           {"stars": 5, "comment": "Отлично"})
    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()
    assert not WorkerRating.objects.exists()
    # A visit logged but not confirmed does not make the recipient served either.
    services.log_visit(assignment, by=world.worker_user, date=YESTERDAY, minutes=60,
                       services=["home_care"])
    with pytest.raises(ValidationError, match="Only a recipient"):
        services.rate_worker(world.worker, world.person, by=world.recipient, stars=5)
    # Nor does being served by another worker.
    other = services.choose_worker(world.person, world.other_worker, by=world.recipient,
                                   start=TODAY - dt.timedelta(days=5))
    visit = services.log_visit(other, by=world.other_worker_user, date=YESTERDAY,
                               minutes=30, services=["escort"])
    services.confirm_visit(visit, by=world.recipient)
    with pytest.raises(ValidationError, match="Only a recipient"):
        services.rate_worker(world.worker, world.person, by=world.recipient, stars=5)
    assert not WorkerRating.objects.filter(worker=world.worker).exists()


def test_a_served_recipient_rates_once_and_may_change_it(world: World, assignment,
                                                         client_for):
    visit = services.log_visit(assignment, by=world.worker_user, date=YESTERDAY, minutes=90,
                               services=["home_care", "escort"], note="Поход в аптеку")
    client = client_for(world.representative)
    assert client.post(f"/en/social-workers/visits/{visit.pk}/confirm/").status_code == 302
    visit.refresh_from_db()
    assert visit.confirmed_by == world.representative and visit.confirmed_at is not None
    response = client.post(f"/en/social-workers/assignments/{assignment.pk}/rate/",
                           {"stars": 4, "comment": "Пунктуальна"})
    assert response.status_code == 302
    services.rate_worker(world.worker, world.person, by=world.recipient, stars=5)
    rating = WorkerRating.objects.get()
    assert rating.stars == 5 and rating.person == world.person
    with pytest.raises(PermissionDenied):
        services.rate_worker(world.worker, world.person, by=world.stranger, stars=1)


def test_only_the_worker_logs_visits_within_the_assignment(world: World, assignment):
    for someone in (world.recipient, world.other_worker_user, world.akimat,
                    world.case_manager):
        with pytest.raises(PermissionDenied):
            services.log_visit(assignment, by=someone, date=YESTERDAY, minutes=60,
                               services=["home_care"])
    with pytest.raises(ValidationError, match="future"):
        services.log_visit(assignment, by=world.worker_user,
                           date=TODAY + dt.timedelta(days=1), minutes=60,
                           services=["home_care"])
    with pytest.raises(ValidationError, match="not served"):
        services.log_visit(assignment, by=world.worker_user,
                           date=TODAY - dt.timedelta(days=30), minutes=60,
                           services=["home_care"])
    with pytest.raises(ValidationError, match="services you offer"):
        services.log_visit(assignment, by=world.worker_user, date=YESTERDAY, minutes=60,
                           services=["legal"])
    with pytest.raises(ValidationError):
        services.log_visit(assignment, by=world.worker_user, date=YESTERDAY, minutes=1,
                           services=["home_care"])
    assert not Visit.objects.exists()


def test_the_worker_logs_a_visit_from_the_caseload(world: World, assignment, client_for):
    client = client_for(world.worker_user)
    response = client.post("/en/social-workers/caseload/", {
        "assignment": assignment.pk, "date": YESTERDAY.isoformat(), "minutes": 45,
        "services": ["home_care"], "note": ""})
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert visit.logged_by == world.worker_user and not visit.is_confirmed
    mine = client_for(world.recipient).get("/en/social-workers/mine/").content.decode()
    assert world.worker.full_name in mine


def test_confirming_twice_changes_nothing_and_others_cannot(world: World, assignment):
    visit = services.log_visit(assignment, by=world.worker_user, date=YESTERDAY, minutes=60,
                               services=["home_care"])
    for someone in (world.worker_user, world.akimat, world.stranger):
        with pytest.raises(PermissionDenied):
            services.confirm_visit(visit, by=someone)
    first = services.confirm_visit(visit, by=world.recipient).confirmed_at
    assert services.confirm_visit(visit, by=world.representative).confirmed_at == first
