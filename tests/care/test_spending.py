"""Spending reported by providers against their per-capita income (approved bills)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tendik.care import services
from tendik.care.models import Spending
from tests.care.conftest import RESIDENTIAL
from tests.conftest import ALMATY, ASTANA

pytestmark = pytest.mark.django_db


@pytest.fixture
def billed(provider, rates, make_person, place_directly, personas):
    """Two approved months (547 200 each) and a draft one of the Almaty provider."""
    place_directly(make_person(), provider, dt.date(2026, 1, 1))
    official = personas["akimat_official"]
    for month in (1, 2):
        services.approve_bill(services.compute_bill(provider, 2026, month, by=official),
                              by=official)
    services.compute_bill(provider, 2026, 3, by=official)
    return provider


def test_it_compares_spending_with_the_approved_bills(billed, provider_staff):
    services.report_spending(billed, 2026, 1, by=provider_staff, amounts={
        "staff": Decimal("300000"), "food": Decimal("100000")})
    services.report_spending(billed, 2026, 2, by=provider_staff, amounts={
        "staff": Decimal("300000")})
    [row] = services.spending_vs_income(2026)
    assert row.provider == billed
    assert row.income == 2 * RESIDENTIAL  # the draft of March is not income yet
    assert row.spending == Decimal("700000")
    assert row.difference == Decimal("394400")
    assert row.ratio == Decimal("0.64")
    assert row.underspends


def test_a_provider_spending_most_of_its_income_is_not_flagged(billed, provider_staff):
    services.report_spending(billed, 2026, 1, by=provider_staff, amounts={
        "staff": Decimal("1000000")})
    [row] = services.spending_vs_income(2026, region=billed.organisation.region)
    assert row.ratio == Decimal("0.91")
    assert not row.underspends


def test_reporting_a_category_again_corrects_it(billed, provider_staff):
    services.report_spending(billed, 2026, 1, by=provider_staff,
                             amounts={"staff": Decimal("1"), "food": Decimal("2")})
    services.report_spending(billed, 2026, 1, by=provider_staff,
                             amounts={"staff": Decimal("5")})
    assert dict(Spending.objects.values_list("category", "amount")) == {
        "staff": Decimal("5"), "food": Decimal("2")}


def test_spending_without_income_has_no_ratio(astana_provider, make_user):
    staff = make_user("case_manager", astana_provider.organisation.code)
    services.report_spending(astana_provider, 2026, 5, by=staff,
                             amounts={"food": Decimal("1000")})
    [row] = services.spending_vs_income(2026, provider=astana_provider)
    assert (row.income, row.spending, row.ratio, row.underspends) == (
        0, Decimal("1000"), None, False)


def test_it_leaves_out_other_years_regions_and_idle_providers(billed, astana_provider,
                                                             provider_staff):
    services.report_spending(billed, 2025, 12, by=provider_staff,
                             amounts={"staff": Decimal("9")})
    assert [r.spending for r in services.spending_vs_income(2026)] == [0]
    assert [r.spending for r in services.spending_vs_income(2025)] == [Decimal("9")]
    from tendik.core.models import Region

    assert services.spending_vs_income(2026, region=Region.objects.get(kato=ASTANA)) == []
    assert len(services.spending_vs_income(2026, region=Region.objects.get(kato=ALMATY))) == 1


def test_totals_add_up(billed, provider_staff):
    services.report_spending(billed, 2026, 1, by=provider_staff,
                             amounts={"staff": Decimal("547200")})
    totals = services.totals(services.spending_vs_income(2026))
    assert totals == {"income": 2 * RESIDENTIAL, "spending": RESIDENTIAL,
                      "difference": RESIDENTIAL, "ratio": Decimal("0.50")}


@pytest.mark.parametrize("role", ["akimat_official", "analyst", "supplier", "registered"])
def test_only_the_providers_staff_report_spending(billed, personas, role):
    with pytest.raises(PermissionDenied):
        services.report_spending(billed, 2026, 1, by=personas[role],
                                 amounts={"staff": Decimal("1")})


def test_staff_of_another_provider_do_not_report(billed, astana_provider, make_user):
    other = make_user("social_worker", astana_provider.organisation.code)
    with pytest.raises(PermissionDenied):
        services.report_spending(billed, 2026, 1, by=other, amounts={"staff": Decimal("1")})


def test_spending_of_a_month_not_begun_is_refused(billed, provider_staff):
    with pytest.raises(ValidationError, match="begun"):
        services.report_spending(billed, 2100, 1, by=provider_staff,
                                 amounts={"staff": Decimal("1")})


def test_negative_spending_is_refused(billed, provider_staff):
    with pytest.raises(ValidationError):
        services.report_spending(billed, 2026, 1, by=provider_staff,
                                 amounts={"staff": Decimal("-1")})
