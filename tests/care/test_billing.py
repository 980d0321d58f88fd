"""Monthly bills: rate × days served ÷ days in the month, rounded to the tenge, with the
rate of the provider's region and the bill's year."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tendik.care import services
from tendik.care.models import BillLine, CareForm, MonthlyBill
from tendik.core.models import AuditEvent
from tests.care.conftest import HOME, RESIDENTIAL
from tests.conftest import ASTANA

pytestmark = pytest.mark.django_db


def amounts(bill: MonthlyBill) -> list[tuple[int, Decimal]]:
    return [(line.days_served, line.amount) for line in bill.lines.order_by("amount")]


def test_it_bills_a_whole_month_at_the_rate(provider, rates, make_person, place_directly,
                                            personas):
    place_directly(make_person(), provider, dt.date(2026, 1, 10))
    bill = services.compute_bill(provider, 2026, 3, by=personas["akimat_official"])
    assert amounts(bill) == [(31, RESIDENTIAL)]
    assert bill.total == RESIDENTIAL
    assert bill.state == MonthlyBill.State.DRAFT


def test_it_bills_a_start_mid_month_by_the_days_served(provider, rates, make_person,
                                                      place_directly, personas):
    place_directly(make_person(), provider, dt.date(2026, 4, 11))  # 20 of 30 days
    bill = services.compute_bill(provider, 2026, 4, by=personas["akimat_official"])
    assert amounts(bill) == [(20, Decimal("364800"))]


def test_it_bills_an_end_mid_month_up_to_and_including_the_last_day(
        provider, rates, make_person, place_directly, personas):
    place_directly(make_person(), provider, dt.date(2026, 1, 1), dt.date(2026, 2, 14))
    bill = services.compute_bill(provider, 2026, 2, by=personas["akimat_official"])
    assert amounts(bill) == [(14, RESIDENTIAL / 2)]  # 14 of February's 28 days


def test_it_bills_a_placement_inside_one_month(provider, rates, make_person, place_directly,
                                              personas):
    place_directly(make_person(), provider, dt.date(2026, 5, 10), dt.date(2026, 5, 16),
                   form=CareForm.HOME)
    bill = services.compute_bill(provider, 2026, 5, by=personas["akimat_official"])
    # 152 000 × 7 / 31 = 34 322.58… → 34 323 tenge
    assert amounts(bill) == [(7, Decimal("34323"))]


def test_it_leaves_out_placements_outside_the_month(provider, rates, make_person,
                                                    place_directly, personas):
    place_directly(make_person(), provider, dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    place_directly(make_person(last_name="Жумабаева"), provider, dt.date(2026, 3, 1))
    bill = services.compute_bill(provider, 2026, 2, by=personas["akimat_official"])
    assert bill.lines.count() == 0
    assert bill.total == 0


def test_it_sums_the_lines_into_the_total(provider, rates, make_person, place_directly,
                                          personas):
    place_directly(make_person(), provider, dt.date(2026, 1, 1))
    place_directly(make_person(last_name="Ким"), provider, dt.date(2026, 6, 16),
                   form=CareForm.HOME)  # 15 of 30 days
    bill = services.compute_bill(provider, 2026, 6, by=personas["akimat_official"])
    assert amounts(bill) == [(15, HOME / 2), (30, RESIDENTIAL)]
    assert bill.total == RESIDENTIAL + HOME / 2


def test_it_uses_the_rate_of_the_providers_region(astana_provider, rates, make_person,
                                                  place_directly, make_user):
    place_directly(make_person(kato=ASTANA), astana_provider, dt.date(2026, 1, 1))
    official = make_user("akimat_official", f"AKIMAT-{ASTANA}")
    bill = services.compute_bill(astana_provider, 2026, 3, by=official)
    assert bill.total == Decimal("600000")


def test_it_uses_the_rate_of_the_bills_year(provider, rates, make_person, place_directly,
                                           personas):
    place_directly(make_person(), provider, dt.date(2025, 12, 1))
    official = personas["akimat_official"]
    assert services.compute_bill(provider, 2025, 12, by=official).total == Decimal("500000")
    assert services.compute_bill(provider, 2026, 1, by=official).total == RESIDENTIAL


def test_it_refuses_a_month_without_a_rate_and_names_it(provider, rates, make_person,
                                                       place_directly, personas):
    place_directly(make_person(), provider, dt.date(2024, 12, 1))
    with pytest.raises(ValidationError) as refused:
        services.compute_bill(provider, 2024, 12, by=personas["akimat_official"])
    assert "inpatient" in refused.value.messages[0]
    assert "2024" in refused.value.messages[0]
    assert not MonthlyBill.objects.exists()


def test_recomputing_a_draft_replaces_its_lines(provider, rates, make_person, place_directly,
                                                personas):
    official = personas["akimat_official"]
    first = make_person()
    place_directly(first, provider, dt.date(2026, 1, 1))
    bill = services.compute_bill(provider, 2026, 3, by=official)
    place_directly(make_person(last_name="Ким"), provider, dt.date(2026, 3, 17))  # 15 days
    again = services.compute_bill(provider, 2026, 3, by=official)
    assert again.pk == bill.pk
    assert amounts(again) == [(15, Decimal("264774")), (31, RESIDENTIAL)]
    assert BillLine.objects.count() == 2
    assert again.total == RESIDENTIAL + Decimal("264774")


def test_approval_locks_the_bill(provider, rates, make_person, place_directly, personas):
    official = personas["akimat_official"]
    place_directly(make_person(), provider, dt.date(2026, 1, 1))
    bill = services.compute_bill(provider, 2026, 3, by=official)
    services.approve_bill(bill, by=official)
    bill.refresh_from_db()
    assert bill.state == MonthlyBill.State.APPROVED
    assert bill.approved_by == official and bill.approved_at is not None
    with pytest.raises(ValidationError, match="approved"):
        services.compute_bill(provider, 2026, 3, by=official)
    with pytest.raises(ValidationError, match="already approved"):
        services.approve_bill(bill, by=official)
    assert bill.lines.count() == 1


def test_an_approved_bill_keeps_its_rate_when_the_rate_changes(
        provider, rates, make_person, place_directly, personas):
    official = personas["akimat_official"]
    place_directly(make_person(), provider, dt.date(2026, 1, 1))
    services.approve_bill(services.compute_bill(provider, 2026, 3, by=official), by=official)
    services.set_rate(by=personas["analyst"], form=CareForm.RESIDENTIAL,
                      region=provider.organisation.region, year=2026,
                      amount=Decimal("600000"), legal_act="Приказ № 3")
    assert MonthlyBill.objects.get(month=3).total == RESIDENTIAL
    assert services.compute_bill(provider, 2026, 4, by=official).total == Decimal("600000")


def test_the_providers_staff_compute_but_do_not_approve(provider, rates, make_person,
                                                        place_directly, provider_staff):
    place_directly(make_person(), provider, dt.date(2026, 1, 1))
    bill = services.compute_bill(provider, 2026, 3, by=provider_staff)
    with pytest.raises(PermissionDenied):
        services.approve_bill(bill, by=provider_staff)


def test_billing_writes_audit_events_by_the_official(provider, rates, make_person,
                                                     place_directly, personas):
    official = personas["akimat_official"]
    place_directly(make_person(), provider, dt.date(2026, 1, 1))
    bill = services.compute_bill(provider, 2026, 3, by=official)
    services.approve_bill(bill, by=official)
    events = AuditEvent.objects.filter(model="care.monthlybill", object_id=str(bill.pk))
    assert {e.action for e in events} == {"create", "update"}
    assert all(e.actor == official for e in events)
    assert AuditEvent.objects.filter(model="care.billline", actor=official).exists()


def test_a_month_not_begun_is_not_billed(provider, rates, personas):
    with pytest.raises(ValidationError, match="begun"):
        services.compute_bill(provider, 2100, 1, by=personas["akimat_official"])
