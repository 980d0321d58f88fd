"""Every page renders for those it is for, in each language, with one h1."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from tendik.core.models import Role
from tendik.workforce import services
from tests.factories import UserFactory
from tests.workforce.conftest import TODAY, World

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_the_pages_render_with_one_heading(language, world: World, client, client_for):
    assignment = services.choose_worker(world.person, world.worker, by=world.recipient,
                                        start=TODAY - dt.timedelta(days=3))
    services.log_visit(assignment, by=world.worker_user, date=TODAY, minutes=60,
                       services=["home_care"])
    volunteer = services.register_volunteer(
        by=world.case_manager, region=world.almaty, organisation=world.employer,
        last_name="Волонтёрова", first_name="Аружан", training="Курс", trained_on=TODAY)
    link = services.link_volunteer(world.worker, volunteer, by=world.case_manager)
    services.log_volunteer_hours(link, by=world.case_manager, date=TODAY,
                                 hours=Decimal(2), activity="Прогулка")
    analyst = UserFactory(role=Role.ANALYST, organisation=world.akimat.organisation.__class__
                          .objects.get(code="МТСЗН"), username="analyst")
    pages = [
        (client, ""), (client, "?region=750000000&service=home_care&language=kk&free=on"),
        (client, "dashboard/"), (client, f"{world.worker.pk}/"),
        (client_for(world.recipient), f"{world.other_worker.pk}/choose/"),
        (client_for(world.recipient), "mine/"),
        (client_for(world.recipient), f"assignments/{assignment.pk}/"),
        (client_for(world.worker_user), "caseload/"),
        (client_for(world.case_manager), "volunteers/"),
        (client_for(world.akimat), "volunteers/"),
        (client_for(world.akimat), "assistants/"),
        (client_for(world.akimat), f"{world.worker.pk}/"),
        (client_for(world.akimat), f"{world.worker.pk}/certificates/"),
        (client_for(world.akimat), "register/"),
        (client_for(analyst), "dashboard/"),
    ]
    for page_client, path in pages:
        response = page_client.get(f"/{language}/social-workers/{path}")
        assert response.status_code == 200, path
        assert response.content.decode().count("<h1") == 1, path


def test_the_akimat_registers_a_worker_and_certifies_them(world: World, client_for):
    client = client_for(world.akimat)
    response = client.post("/en/social-workers/register/", {
        "last_name": "Новикова", "first_name": "Анна", "employer": world.employer.pk,
        "qualification": "vocational", "category": "second", "services": ["household"],
        "languages": ["ru", "sign"], "regions": [world.almaty.pk], "capacity": 5})
    assert response.status_code == 302
    worker = world.employer.social_workers.get(last_name="Новикова")
    with pytest.raises(Exception, match="certificate"):
        services.choose_worker(world.person, worker, by=world.recipient)
    response = client.post(f"/en/social-workers/{worker.pk}/certificates/", {
        "number": "НО-2026-001", "issued_on": TODAY.isoformat(),
        "expires_on": (TODAY + dt.timedelta(days=1095)).isoformat(),
        "assessor": "Центр независимой оценки"})
    assert response.status_code == 302
    assert services.choose_worker(world.person, worker, by=world.recipient).pk
    # The employer's staff do not certify their own workers.
    assert client_for(world.case_manager).get(
        f"/en/social-workers/{worker.pk}/certificates/").status_code == 403


def test_the_demo_loads_twice_the_same(reference, capsys):
    from tendik.core.demo import load_demo as load_accounts
    from tendik.portal.demo import load_demo as load_portal
    from tendik.portal.services import load_classifier
    from tendik.workforce import demo
    from tendik.workforce.models import (
        Assignment,
        AssistantPayment,
        SocialWorker,
        Visit,
        Volunteer,
    )

    assert demo.load_demo() == demo.load_demo()  # nothing to serve: still the same line
    SocialWorker.objects.all().delete()
    load_accounts()
    load_classifier()
    load_portal()
    first = demo.load_demo()
    assert demo.load_demo() == first
    social = SocialWorker.objects.get(account__username="demo.social")
    assert social.certificate_on(TODAY) is not None
    recipient = Assignment.objects.get(person__account__username="demo.recipient")
    assert recipient.worker == social
    assert recipient.visits.filter(confirmed_at__isnull=True).exists()
    assert SocialWorker.objects.count() >= 40
    assert SocialWorker.objects.certified_on(TODAY).count() < SocialWorker.objects.count()
    assert Visit.objects.filter(confirmed_at__isnull=True).exists()
    assert Volunteer.objects.get(account__username="demo.volunteer").links.get().worker == \
        social
    assert AssistantPayment.objects.exists()
    assert all(a.worker.certificate_on(a.start) for a in Assignment.objects.all())
    full = [w for w in SocialWorker.objects.with_figures(TODAY) if w.free_places == 0]
    assert full
    call_command("check")
