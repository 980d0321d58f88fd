"""The scope matrix: each role × own / other scope → allowed / 404, for every scoped page."""

import pytest

from tendik.core.models import Organisation, Region, Role, User
from tendik.core.scoping import scope_filter
from tests.conftest import ALMATY, ASTANA

OWN, OTHER = "own", "other"

# role → what it may open: organisation pages (own org / another org of the same kind)
# and region pages (own region / another region).
ORGANISATION_MATRIX = {
    "registered": {OWN: 404, OTHER: 404},
    "recipient": {OWN: 404, OTHER: 404},
    "supplier": {OWN: 200, OTHER: 404},
    "akimat_official": {OWN: 200, OTHER: 404},
    "agency_executor": {OWN: 200, OTHER: 404},
    "analyst": {OWN: 200, OTHER: 200},
    "auditor": {OWN: 200, OTHER: 200},
    "administrator": {OWN: 200, OTHER: 200},
}
REGION_MATRIX = {
    "registered": {OWN: 404, OTHER: 404},
    "recipient": {OWN: 404, OTHER: 404},
    "supplier": {OWN: 404, OTHER: 404},
    "akimat_official": {OWN: 200, OTHER: 404},
    "agency_executor": {OWN: 404, OTHER: 404},
    "analyst": {OWN: 200, OTHER: 200},
    "auditor": {OWN: 200, OTHER: 200},
    "administrator": {OWN: 200, OTHER: 200},
}


def organisations_for(user: User) -> dict[str, str]:
    """An organisation inside the persona's scope and one of the same kind outside it."""
    if user.role == Role.AKIMAT_OFFICIAL:
        return {OWN: f"AKIMAT-{ALMATY}", OTHER: f"AKIMAT-{ASTANA}"}
    if user.role == Role.SUPPLIER:
        other = Organisation.objects.create(
            code="SUPPLIER-ASTANA", kind=Organisation.Kind.SUPPLIER,
            region=Region.objects.get(kato=ASTANA), name_ru="Поставщик", name_kk="Жеткізуші",
            name_en="Supplier")
        return {OWN: user.organisation.code, OTHER: other.code}
    if user.organisation is not None:
        return {OWN: user.organisation.code, OTHER: "МП"}
    return {OWN: "МЗ", OTHER: "МП"}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ORGANISATION_MATRIX)
@pytest.mark.parametrize("which", [OWN, OTHER])
def test_organisation_page_is_scoped(role, which, personas, client_for):
    user = personas[role]
    code = organisations_for(user)[which]
    response = client_for(user).get(f"/ru/office/organisations/{code}/")
    assert response.status_code == ORGANISATION_MATRIX[role][which]


@pytest.mark.django_db
@pytest.mark.parametrize("role", REGION_MATRIX)
@pytest.mark.parametrize("which", [OWN, OTHER])
def test_region_page_is_scoped(role, which, personas, client_for):
    kato = {OWN: ALMATY, OTHER: ASTANA}[which]
    response = client_for(personas[role]).get(f"/ru/office/regions/{kato}/")
    assert response.status_code == REGION_MATRIX[role][which]


@pytest.mark.django_db
def test_an_anonymous_visitor_is_sent_to_sign_in(reference, client):
    response = client.get(f"/ru/office/organisations/AKIMAT-{ALMATY}/")
    assert response.status_code == 302
    assert "/ru/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_the_akimat_office_lists_only_its_region(personas, client_for, supplier_org):
    response = client_for(personas["akimat_official"]).get("/ru/office/")
    listed = {o.code for o in response.context["organisations"]}
    assert listed == {f"AKIMAT-{ALMATY}", supplier_org.code}
    assert [r.kato for r in response.context["regions"]] == [ALMATY]


@pytest.mark.django_db
def test_the_staff_list_shows_only_people_in_scope(personas, client_for, make_user):
    colleague = make_user(Role.AGENCY_EXECUTOR, "МЗ", username="p.mz2")
    outsider = make_user(Role.AGENCY_EXECUTOR, "МП", username="p.mp")
    response = client_for(personas["agency_executor"]).get("/ru/office/organisations/МЗ/")
    shown = {u.username for u in response.context["staff"]}
    assert shown == {"p.mz", colleague.username}
    assert outsider.username not in response.content.decode()


@pytest.mark.django_db
def test_inactive_staff_see_nothing(personas):
    official = personas["akimat_official"]
    official.is_active = False
    assert not Organisation.objects.filter(scope_filter(Organisation, official)).exists()


@pytest.mark.django_db
def test_a_staff_member_without_organisation_sees_nothing(make_user):
    lost = User.objects.create(username="lost", role=Role.AGENCY_EXECUTOR)
    assert not Organisation.objects.visible_to(lost).exists()
    assert not Region.objects.visible_to(lost).exists()
