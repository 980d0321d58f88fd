"""Care pages as a matrix: each persona × a provider of its own region (Almaty) or of
another (Astana) → the status it gets. Out of scope is a 404; in scope without the right
to change is a 403."""

import datetime as dt

import pytest

from tendik.care import services
from tendik.care.models import MonthlyBill
from tests.conftest import ASTANA

OWN, OTHER = "own", "other"
ROLES = ["registered", "recipient", "supplier", "akimat_official", "agency_executor",
         "analyst", "auditor", "administrator", "provider_staff"]

APPROVE = {  # approving the March bill
    "registered": {OWN: 404, OTHER: 404}, "recipient": {OWN: 404, OTHER: 404},
    "supplier": {OWN: 404, OTHER: 404}, "akimat_official": {OWN: 302, OTHER: 404},
    "agency_executor": {OWN: 404, OTHER: 404}, "analyst": {OWN: 403, OTHER: 403},
    "auditor": {OWN: 403, OTHER: 403}, "administrator": {OWN: 403, OTHER: 403},
    "provider_staff": {OWN: 403, OTHER: 404},
}
COMPUTE = {  # computing the March bill
    **APPROVE, "provider_staff": {OWN: 302, OTHER: 404},
}
READ_BILL = {
    "registered": {OWN: 404, OTHER: 404}, "recipient": {OWN: 404, OTHER: 404},
    "supplier": {OWN: 404, OTHER: 404}, "akimat_official": {OWN: 200, OTHER: 404},
    "agency_executor": {OWN: 404, OTHER: 404}, "analyst": {OWN: 200, OTHER: 200},
    "auditor": {OWN: 200, OTHER: 200}, "administrator": {OWN: 200, OTHER: 200},
    "provider_staff": {OWN: 200, OTHER: 404},
}
REPORT_SPENDING = {
    "registered": {OWN: 404, OTHER: 404}, "recipient": {OWN: 404, OTHER: 404},
    "supplier": {OWN: 404, OTHER: 404}, "akimat_official": {OWN: 403, OTHER: 404},
    "agency_executor": {OWN: 404, OTHER: 404}, "analyst": {OWN: 403, OTHER: 403},
    "auditor": {OWN: 403, OTHER: 403}, "administrator": {OWN: 403, OTHER: 403},
    "provider_staff": {OWN: 200, OTHER: 404},
}
SEES_RECIPIENT = {  # the placements list names the provider's recipient
    "supplier": {OWN: False, OTHER: False}, "akimat_official": {OWN: True, OTHER: False},
    "agency_executor": {OWN: False, OTHER: False}, "analyst": {OWN: True, OTHER: True},
    "auditor": {OWN: True, OTHER: True}, "administrator": {OWN: True, OTHER: True},
    "provider_staff": {OWN: True, OTHER: False},
}


@pytest.fixture
def everyone(personas, provider_staff):
    return {**personas, "provider_staff": provider_staff}


@pytest.fixture
def drafts(provider, astana_provider, rates, make_person, place_directly, everyone,
           make_user):
    """A March draft for each provider, one recipient each."""
    place_directly(make_person(last_name="Алматинова"), provider, dt.date(2026, 1, 1))
    place_directly(make_person(kato=ASTANA, last_name="Астанова"), astana_provider,
                   dt.date(2026, 1, 1))
    services.compute_bill(provider, 2026, 3, by=everyone["akimat_official"])
    services.compute_bill(astana_provider, 2026, 3,
                          by=make_user("akimat_official", f"AKIMAT-{ASTANA}"))
    return {OWN: provider, OTHER: astana_provider}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", [OWN, OTHER])
def test_approval_is_the_akimat_of_the_providers_region(role, which, everyone, client_for,
                                                        drafts):
    response = client_for(everyone[role]).post(
        f"/ru/care/providers/{drafts[which].pk}/bills/2026/3/", {"approve": ""})
    assert response.status_code == APPROVE[role][which]
    approved = MonthlyBill.objects.get(provider=drafts[which]).is_locked
    assert approved == (APPROVE[role][which] == 302)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", [OWN, OTHER])
def test_computing_is_the_akimats_or_the_providers(role, which, everyone, client_for, drafts):
    before = MonthlyBill.objects.get(provider=drafts[which]).computed_at
    response = client_for(everyone[role]).post(
        f"/ru/care/providers/{drafts[which].pk}/bills/2026/3/", {"compute": ""})
    assert response.status_code == COMPUTE[role][which]
    after = MonthlyBill.objects.get(provider=drafts[which]).computed_at
    assert (after != before) == (COMPUTE[role][which] == 302)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", [OWN, OTHER])
def test_a_bill_is_read_in_scope_only(role, which, everyone, client_for, drafts):
    response = client_for(everyone[role]).get(
        f"/ru/care/providers/{drafts[which].pk}/bills/2026/3/")
    assert response.status_code == READ_BILL[role][which]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", [OWN, OTHER])
def test_spending_is_reported_by_the_providers_staff(role, which, everyone, client_for,
                                                     drafts):
    response = client_for(everyone[role]).get(
        f"/ru/care/providers/{drafts[which].pk}/spending/")
    assert response.status_code == REPORT_SPENDING[role][which]


@pytest.mark.django_db
@pytest.mark.parametrize("role", SEES_RECIPIENT)
@pytest.mark.parametrize("which", [OWN, OTHER])
def test_the_placements_list_is_scoped(role, which, everyone, client_for, drafts):
    page = client_for(everyone[role]).get("/ru/care/placements/")
    assert page.status_code == 200
    name = {OWN: "Алматинова", OTHER: "Астанова"}[which]
    assert (name in page.content.decode()) == SEES_RECIPIENT[role][which]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["registered", "recipient"])
@pytest.mark.parametrize("path", ["placements/", "placements/add/", "billing/", "spending/"])
def test_the_back_office_pages_do_not_exist_for_the_public(role, path, everyone, client_for,
                                                          drafts):
    assert client_for(everyone[role]).get(f"/ru/care/{path}").status_code == 404
