"""A placement's invariants: dates in order, one placement per person and form at a time,
a form the provider offers, a provider of the person's region, and free places."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from tendik.care import services
from tendik.care.models import CareForm, Placement
from tests.conftest import ASTANA

pytestmark = pytest.mark.django_db
JAN, MAR = dt.date(2026, 1, 1), dt.date(2026, 3, 1)


def place(person, provider, by, start=JAN, end=None, form=CareForm.RESIDENTIAL):
    return services.place(person, provider, by=by, form=form, start=start, end=end,
                          basis="Решение № 12")


def test_it_places_a_recipient_in_the_persons_region(provider, make_person, personas):
    person = make_person()
    placement = place(person, provider, personas["akimat_official"])
    assert placement.region == person.region
    assert list(person.care_placements.all()) == [placement]


def test_it_refuses_an_end_before_the_start(provider, make_person, personas):
    with pytest.raises(ValidationError) as refused:
        place(make_person(), provider, personas["akimat_official"], start=MAR, end=JAN)
    assert "end" in refused.value.message_dict


def test_the_database_refuses_an_end_before_the_start_too(provider, make_person):
    person = make_person()
    with pytest.raises(IntegrityError), transaction.atomic():
        Placement.objects.create(person=person, provider=provider, form=CareForm.HOME,
                                 region=person.region, start=MAR, end=JAN, basis="x")


def test_it_refuses_a_second_placement_in_the_same_form_at_the_same_time(
        provider, make_person, personas):
    person, official = make_person(), personas["akimat_official"]
    place(person, provider, official)
    with pytest.raises(ValidationError, match="already has a placement"):
        place(person, provider, official, start=MAR)
    assert Placement.objects.count() == 1


def test_the_database_allows_one_open_placement_per_person_and_form(provider, make_person):
    person = make_person()
    values = {"person": person, "provider": provider, "form": CareForm.HOME,
              "region": person.region, "basis": "x"}
    Placement.objects.create(start=JAN, **values)
    with pytest.raises(IntegrityError), transaction.atomic():
        Placement.objects.create(start=MAR, **values)


def test_it_allows_another_form_or_a_later_period(provider, make_person, personas):
    person, official = make_person(), personas["akimat_official"]
    place(person, provider, official, end=dt.date(2026, 2, 28))
    place(person, provider, official, start=MAR)
    place(person, provider, official, form=CareForm.HOME)
    assert person.care_placements.count() == 3


def test_it_refuses_a_form_the_provider_does_not_offer(provider, make_person, personas):
    with pytest.raises(ValidationError) as refused:
        place(make_person(), provider, personas["akimat_official"], form=CareForm.DAY_CARE)
    assert "form" in refused.value.message_dict


def test_it_refuses_a_provider_of_another_region(astana_provider, make_person, make_user):
    official = make_user("akimat_official", f"AKIMAT-{ASTANA}")
    with pytest.raises(ValidationError) as refused:
        place(make_person(), astana_provider, official)  # an Almaty resident
    assert "provider" in refused.value.message_dict


def test_it_refuses_more_recipients_than_places(provider, make_person, personas):
    official = personas["akimat_official"]
    for name in ("Ахметова", "Ким", "Омарова"):  # three residential places
        place(make_person(last_name=name), provider, official)
    with pytest.raises(ValidationError, match="no free place"):
        place(make_person(last_name="Исаева"), provider, official, start=MAR)


def test_a_place_freed_by_an_ended_placement_can_be_taken(provider, make_person, personas):
    official = personas["akimat_official"]
    place(make_person(last_name="Ахметова"), provider, official, end=dt.date(2026, 2, 15))
    place(make_person(last_name="Ким"), provider, official)
    place(make_person(last_name="Омарова"), provider, official)
    place(make_person(last_name="Исаева"), provider, official, start=dt.date(2026, 2, 16))
    with pytest.raises(ValidationError, match="no free place"):
        # From 1 February, while Ахметова is still there, all three places are taken.
        place(make_person(last_name="Петрова"), provider, official,
              start=dt.date(2026, 2, 1))


def test_a_later_start_inside_the_period_counts_for_capacity(provider, make_person,
                                                            personas):
    official = personas["akimat_official"]
    place(make_person(last_name="Ахметова"), provider, official)
    place(make_person(last_name="Ким"), provider, official)
    place(make_person(last_name="Омарова"), provider, official, start=dt.date(2026, 6, 1))
    # Free from January to May, but full from June: an open-ended placement does not fit.
    with pytest.raises(ValidationError, match=r"01\.06\.2026"):
        place(make_person(last_name="Исаева"), provider, official, start=MAR)
    assert place(make_person(last_name="Петрова"), provider, official, start=MAR,
                 end=dt.date(2026, 5, 31)).pk


@pytest.mark.parametrize("role", ["registered", "supplier", "agency_executor", "analyst",
                                  "auditor", "recipient"])
def test_only_the_regions_akimat_places(role, provider, make_person, personas):
    with pytest.raises(PermissionDenied):
        place(make_person(), provider, personas[role])


def test_the_akimat_of_another_region_does_not_place(provider, make_person, make_user):
    with pytest.raises(PermissionDenied):
        place(make_person(), provider, make_user("akimat_official", f"AKIMAT-{ASTANA}"))


def test_ending_a_placement_after_an_approved_month_is_allowed_but_not_before(
        provider, rates, make_person, personas):
    official = personas["akimat_official"]
    placement = place(make_person(), provider, official)
    services.approve_bill(services.compute_bill(provider, 2026, 3, by=official), by=official)
    with pytest.raises(ValidationError, match=r"03\.2026"):
        services.end_placement(placement, by=official, end=dt.date(2026, 3, 20),
                               reason="Moved to another provider")
    with pytest.raises(ValidationError) as no_reason:  # ending affects the recipient
        services.end_placement(placement, by=official, end=dt.date(2026, 4, 10), reason=" ")
    assert "reason" in no_reason.value.message_dict
    services.end_placement(placement, by=official, end=dt.date(2026, 4, 10),
                           reason="Moved to another provider")
    placement.refresh_from_db()
    assert placement.end == dt.date(2026, 4, 10)
    assert placement.end_reason == "Moved to another provider"
    assert services.compute_bill(provider, 2026, 4, by=official).total == \
        (Decimal("547200") / 3).quantize(Decimal("1"))


def test_places_cannot_drop_below_the_recipients_present(provider, make_person, personas):
    official = personas["akimat_official"]
    place(make_person(last_name="Ахметова"), provider, official)
    place(make_person(last_name="Ким"), provider, official)
    with pytest.raises(ValidationError, match="keep at least"):
        services.register_provider(provider.organisation, by=official, ownership="state",
                                   capacities={CareForm.RESIDENTIAL: 1})
    services.register_provider(provider.organisation, by=official, ownership="state",
                               capacities={CareForm.RESIDENTIAL: 2, CareForm.DAY_CARE: 4},
                               licence_number="KZ-123")
    assert dict(provider.capacities.values_list("form", "places")) == {
        "residential": 2, "home": 5, "day_care": 4}


def test_only_providers_and_ngos_register(make_provider, personas):
    from tendik.core.models import Organisation

    ministry = Organisation.objects.get(code="МЗ")
    with pytest.raises(ValidationError):
        services.register_provider(ministry, by=personas["analyst"], ownership="state",
                                   capacities={})
