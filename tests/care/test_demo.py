"""The demonstration data: coherent and idempotent (its load time: bench/run.py)."""

from decimal import Decimal

import pytest

from tendik.care import demo, services
from tendik.care.models import CareForm, MonthlyBill, Placement, Provider, Rate, Spending
from tendik.core.demo import load_demo as load_accounts
from tendik.core.models import AuditEvent, Organisation
from tendik.people.models import Person

pytestmark = pytest.mark.django_db


def test_it_loads_providers_rates_placements_bills_and_spending(reference):
    summary = demo.load_demo()
    assert summary.startswith("special social services demo: 5 providers, 160 rates")
    assert "15 monthly bills (10 approved)" in summary
    assert Provider.objects.count() == 5
    assert Rate.objects.count() == 20 * 4 * 2
    assert Rate.objects.get(form=CareForm.RESIDENTIAL, region__kato="750000000",
                            year=2026).amount == Decimal("547200")
    assert Rate.objects.filter(form=CareForm.HOME).first().amount == Decimal("152000")
    assert 24 <= Placement.objects.count() <= 50
    assert all(p.region_id == p.person.region_id == p.provider.organisation.region_id
               for p in Placement.objects.select_related("person", "provider__organisation"))
    assert MonthlyBill.objects.filter(state=MonthlyBill.State.APPROVED).count() == 10
    assert MonthlyBill.objects.filter(state=MonthlyBill.State.DRAFT).count() == 5
    assert Spending.objects.exists()
    flagged = [r.provider.organisation.code for r in services.spending_vs_income(
        MonthlyBill.objects.filter(state="approved").first().year) if r.underspends]
    assert flagged == ["DEMO-CARE-NGO-ALMATY"]


def test_it_is_idempotent_and_reuses_the_demo_provider(reference):
    load_accounts()
    existing = Organisation.objects.get(code="DEMO-PROVIDER-ALMATY")
    demo.load_demo()
    counts = (Provider.objects.count(), Rate.objects.count(), Placement.objects.count(),
              Person.objects.count(), MonthlyBill.objects.count(), Spending.objects.count())
    first, events = demo.load_demo(), AuditEvent.objects.count()
    assert demo.load_demo() == first
    assert AuditEvent.objects.count() == events  # nothing is written again
    assert counts == (Provider.objects.count(), Rate.objects.count(),
                      Placement.objects.count(), Person.objects.count(),
                      MonthlyBill.objects.count(), Spending.objects.count())
    assert Provider.objects.get(organisation=existing).ownership == "state"


def test_it_uses_persons_already_in_the_register(reference, make_person):
    existing = make_person(kato="790000000")
    demo.load_demo()
    assert existing.care_placements.exists()
