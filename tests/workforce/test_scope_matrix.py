"""Who reaches what, as a matrix of personas × pages: the recipient, their representative,
another recipient, the worker, another worker, the akimat of the region and of another,
an anonymous visitor. Out of reach is a 404; within reach without the right to act, 403;
anonymous visitors are sent to sign in."""

import datetime as dt

import pytest

from tendik.core.models import AccessRecord
from tendik.workforce import services
from tendik.workforce.models import Visit
from tests.workforce.conftest import TODAY, World

pytestmark = pytest.mark.django_db
WHO = ["self", "representative", "other_recipient", "worker", "other_worker", "akimat",
       "akimat_other", "anonymous"]
SIGN_IN = 302

READ_ASSIGNMENT = {"self": 200, "representative": 200, "other_recipient": 404,
                   "worker": 200, "other_worker": 404, "akimat": 200, "akimat_other": 404,
                   "anonymous": SIGN_IN}
CONFIRM_VISIT = {"self": 302, "representative": 302, "other_recipient": 404,
                 "worker": 403, "other_worker": 404, "akimat": 403, "akimat_other": 404,
                 "anonymous": SIGN_IN}
LOG_VISIT = {"self": 403, "representative": 403, "other_recipient": 404, "worker": 302,
             "other_worker": 404, "akimat": 403, "akimat_other": 404, "anonymous": SIGN_IN}
CASELOAD = {"self": 404, "representative": 404, "other_recipient": 404, "worker": 200,
            "other_worker": 200, "akimat": 404, "akimat_other": 404, "anonymous": SIGN_IN}
PUBLIC = dict.fromkeys(WHO, 200)


def persona(world: World, who: str):
    return {"self": world.recipient, "representative": world.representative,
            "other_recipient": world.stranger, "worker": world.worker_user,
            "other_worker": world.other_worker_user, "akimat": world.akimat,
            "akimat_other": world.akimat_astana}.get(who)


@pytest.fixture
def served(world: World):
    assignment = services.choose_worker(world.person, world.worker, by=world.recipient,
                                        start=TODAY - dt.timedelta(days=7))
    visit = services.log_visit(assignment, by=world.worker_user,
                               date=TODAY - dt.timedelta(days=1), minutes=60,
                               services=["home_care"])
    return assignment, visit


def client_of(world, who, client, client_for):
    user = persona(world, who)
    return client if user is None else client_for(user)


@pytest.mark.parametrize("who", WHO)
def test_an_assignment_is_read_by_its_parties(who, world, served, client, client_for):
    assignment, _visit = served
    response = client_of(world, who, client, client_for).get(
        f"/en/social-workers/assignments/{assignment.pk}/")
    assert response.status_code == READ_ASSIGNMENT[who]
    if response.status_code == 200:
        assert world.person.full_name in response.content.decode()


@pytest.mark.parametrize("who", WHO)
def test_a_visit_is_confirmed_by_the_recipient_side(who, world, served, client, client_for):
    _assignment, visit = served
    response = client_of(world, who, client, client_for).post(
        f"/en/social-workers/visits/{visit.pk}/confirm/")
    assert response.status_code == CONFIRM_VISIT[who]
    if who != "anonymous":
        assert Visit.objects.get().is_confirmed == (CONFIRM_VISIT[who] == 302)


@pytest.mark.parametrize("who", WHO)
def test_a_visit_is_logged_by_the_worker(who, world, served, client, client_for):
    assignment, _visit = served
    response = client_of(world, who, client, client_for).post(
        f"/en/social-workers/assignments/{assignment.pk}/visits/",
        {"date": TODAY.isoformat(), "minutes": 30, "services": ["escort"]})
    assert response.status_code == LOG_VISIT[who]
    assert Visit.objects.count() == (2 if who == "worker" else 1)


@pytest.mark.parametrize("who", WHO)
def test_the_caseload_is_the_workers_own(who, world, served, client, client_for):
    response = client_of(world, who, client, client_for).get("/en/social-workers/caseload/")
    assert response.status_code == CASELOAD[who]
    if response.status_code == 200:
        assert (world.person.full_name in response.content.decode()) == (who == "worker")


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("page", ["", "dashboard/", "{pk}/"])
def test_the_search_profile_and_dashboard_are_public(who, page, world, served, client,
                                                     client_for):
    response = client_of(world, who, client, client_for).get(
        "/en/social-workers/" + page.format(pk=world.worker.pk))
    assert response.status_code == PUBLIC[who]
    text = response.content.decode()
    assert world.person.full_name not in text and world.person.last_name not in text


def test_the_caseload_page_records_who_saw_whom(world: World, served, client_for):
    client_for(world.worker_user).get("/en/social-workers/caseload/")
    record = AccessRecord.objects.get(path="/en/social-workers/caseload/")
    assert record.actor == world.worker_user
    assert record.model == "people.person"
    assert record.object_ids == [str(world.person.pk)]


def test_staff_reading_an_assignment_is_recorded_but_the_recipient_is_not(
        world: World, served, client_for):
    assignment, _visit = served
    path = f"/en/social-workers/assignments/{assignment.pk}/"
    client_for(world.recipient).get(path)
    assert not AccessRecord.objects.filter(path=path).exists()
    client_for(world.akimat).get(path)
    assert AccessRecord.objects.get(path=path).actor == world.akimat
