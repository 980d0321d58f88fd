"""Family members as paid assistants: who may be registered, hours confirmed by the
recipient, the month's payment within the ИПР's yearly hours."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tendik.people.models import Family, FamilyMember
from tendik.portal.models import CatalogueItem
from tendik.workforce import services
from tendik.workforce.models import AssistantPayment
from tests.factories import UserFactory
from tests.portal.conftest import entitle, make_person
from tests.workforce.conftest import TODAY, World

pytestmark = pytest.mark.django_db
START = dt.date(TODAY.year, 1, 1) if TODAY.month > 2 else dt.date(TODAY.year - 1, 1, 1)


@pytest.fixture
def family(world: World):
    """The recipient, granted 2000 hours of a personal assistant, and their husband with an
    account of his own."""
    entitle(world.person, CatalogueItem.objects.get(code="SE-02"), 2000,
            valid_from=START - dt.timedelta(days=30))
    husband = make_person(world.almaty, account=UserFactory(username="husband"))
    card = Family.objects.create(name="Семья")
    FamilyMember.objects.create(family=card, person=world.person, role="head")
    FamilyMember.objects.create(family=card, person=husband, role="spouse")
    return husband


def register(world: World, husband, rate="1500"):
    return services.register_assistant(husband, world.person, by=world.akimat,
                                       hourly_rate=Decimal(rate), registered_on=START)


def test_it_registers_a_family_member_of_a_recipient_granted_an_assistant(world, family):
    registration = register(world, family)
    assert registration.relationship == "spouse"
    with pytest.raises(ValidationError, match="already"):
        register(world, family)


def test_it_refuses_the_recipient_themself_a_stranger_and_no_entitlement(world, family):
    with pytest.raises(ValidationError, match="own assistant"):
        services.register_assistant(world.person, world.person, by=world.akimat,
                                    hourly_rate=Decimal(1500))
    with pytest.raises(ValidationError, match="family"):
        services.register_assistant(world.stranger_person, world.person, by=world.akimat,
                                    hourly_rate=Decimal(1500))
    # The stranger has no ИПР granting an assistant.
    card = Family.objects.create(name="Другая семья")
    FamilyMember.objects.create(family=card, person=world.stranger_person, role="head")
    FamilyMember.objects.create(family=card, person=family, role="other")
    with pytest.raises(ValidationError, match="does not grant"):
        services.register_assistant(family, world.stranger_person, by=world.akimat,
                                    hourly_rate=Decimal(1500))
    # The sign-language specialist (SE-01) is not a personal assistant.
    entitle(world.stranger_person, CatalogueItem.objects.get(code="SE-01"), 60)
    with pytest.raises(ValidationError, match="does not grant"):
        services.register_assistant(family, world.stranger_person, by=world.akimat,
                                    hourly_rate=Decimal(1500))
    for someone in (world.akimat_astana, world.recipient, world.case_manager):
        with pytest.raises(PermissionDenied):
            services.register_assistant(family, world.person, by=someone,
                                        hourly_rate=Decimal(1500))


def log_month(world, registration, year, month, hours="8", days=10, confirm=True):
    for day in range(1, days + 1):
        row = services.log_assistant_hours(registration, by=registration.assistant.account,
                                           date=dt.date(year, month, day),
                                           hours=Decimal(hours))
        if confirm:
            services.confirm_assistant_hours(row, by=world.recipient)


def test_the_payment_is_confirmed_hours_times_the_rate(world, family):
    registration = register(world, family, rate="1250.50")
    log_month(world, registration, START.year, 1, hours="7.5", days=4)
    # An unconfirmed day is not paid.
    services.log_assistant_hours(registration, by=family.account,
                                 date=dt.date(START.year, 1, 20), hours=Decimal(8))
    payment = services.compute_assistant_payment(registration, START.year, 1,
                                                 by=world.akimat)
    assert payment.hours_confirmed == Decimal("30.0") == payment.hours_paid
    assert payment.amount == Decimal("37515")  # 30 × 1250.50 = 37515.00
    # Computing again changes nothing and makes no second row.
    again = services.compute_assistant_payment(registration, START.year, 1, by=world.akimat)
    assert again.pk == payment.pk and again.amount == payment.amount
    assert AssistantPayment.objects.count() == 1


def test_the_payment_is_capped_by_the_yearly_hours(world, family):
    registration = register(world, family)
    entitlement = services.assistant_entitlement(world.person, START)
    entitlement.quantity = 100
    entitlement.save()
    log_month(world, registration, START.year, 1, hours="8", days=10)  # 80 hours
    log_month(world, registration, START.year, 2, hours="8", days=5)  # 40 hours
    january = services.compute_assistant_payment(registration, START.year, 1,
                                                 by=world.akimat)
    february = services.compute_assistant_payment(registration, START.year, 2,
                                                  by=world.akimat)
    assert (january.hours_paid, february.hours_paid) == (Decimal(80), Decimal(20))
    assert february.hours_confirmed == Decimal(40) and february.capped
    assert february.amount == Decimal(20 * 1500)
    # Recomputing January does not count January twice.
    assert services.compute_assistant_payment(registration, START.year, 1,
                                              by=world.akimat).hours_paid == Decimal(80)


def test_nobody_confirms_their_own_hours(world, family):
    registration = register(world, family)
    row = services.log_assistant_hours(registration, by=family.account, date=START,
                                       hours=Decimal(4))
    with pytest.raises(PermissionDenied):
        services.confirm_assistant_hours(row, by=family.account)
    with pytest.raises(PermissionDenied):
        services.confirm_assistant_hours(row, by=world.stranger)
    with pytest.raises(PermissionDenied):
        services.log_assistant_hours(registration, by=world.recipient, date=START,
                                     hours=Decimal(4))
    services.confirm_assistant_hours(row, by=world.representative)
    with pytest.raises(ValidationError, match="confirmed already"):
        services.log_assistant_hours(registration, by=family.account, date=START,
                                     hours=Decimal(6))


def test_the_akimat_registers_and_computes_on_the_pages(world, family, client_for):
    client = client_for(world.akimat)
    response = client.post("/en/social-workers/assistants/", {
        "recipient": world.person.iin, "assistant": family.iin, "hourly_rate": "1500",
        "registered_on": START.isoformat()})
    assert response.status_code == 302
    registration = world.person.family_assistants.get()
    log_month(world, registration, START.year, 1, days=2)
    page = client.post(f"/en/social-workers/assistants/{registration.pk}/", {
        "action": "pay", "pay-year": START.year, "pay-month": 1})
    assert page.status_code == 302
    assert AssistantPayment.objects.get().amount == Decimal(16 * 1500)
    assert client_for(world.akimat_astana).get(
        f"/en/social-workers/assistants/{registration.pk}/").status_code == 404
