"""Who issues an organisation's API tokens: its own administrator, or a platform superuser
(audited as such); never an МТСЗН analyst for another organisation, whose token would let
them act as it. Every token shows who issued it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied

from tendik.core import services
from tendik.core.models import ANALYST_GROUP, ApiToken, AuditEvent, Organisation, Role, User
from tests.factories import OrganisationFactory
from tests.portal.conftest import grant

TOKENS = "/api/v1/organisation/tokens"


@pytest.fixture
def supplier_admin(make_user, supplier_org) -> User:
    user = make_user(Role.SUPPLIER, supplier_org.code, username="p.supplier.admin")
    return grant(user, "Supplier administrators", "issue_own_tokens")


def issue(client, organisation: str | None = None, name: str = "1С") -> object:
    body = {"name": name} if organisation is None else {"name": name,
                                                          "organisation": organisation}
    return client.post(TOKENS, body, content_type="application/json")


@pytest.mark.django_db
def test_an_analyst_cannot_issue_a_token_for_a_supplier(personas, supplier_org, client_for):
    analyst = personas["analyst"]
    with pytest.raises(PermissionDenied):
        services.issue_api_token(supplier_org, "ERP", by=analyst)
    client = client_for(analyst)
    assert issue(client, supplier_org.code).status_code == 403
    assert issue(client).status_code == 403  # not even for the МТСЗН, without the right
    assert client.get("/ru/admin/core/apitoken/add/").status_code == 403
    posted = client.post("/ru/admin/core/apitoken/add/",
                         {"organisation": supplier_org.pk, "name": "ERP"})
    assert posted.status_code == 403
    assert not ApiToken.objects.exists()
    assert not Group.objects.get(name=ANALYST_GROUP).permissions.filter(
        codename__in=["add_apitoken", "change_apitoken"]).exists()


@pytest.mark.django_db
def test_an_analyst_cannot_revoke_or_move_another_organisations_token(
        personas, supplier_org, client_for):
    token = services.issue_api_token(supplier_org, "ERP", by=None).token
    analyst = personas["analyst"]
    with pytest.raises(PermissionDenied):
        services.revoke_api_token(token, by=analyst)
    client = client_for(analyst)
    assert client.post(f"{TOKENS}/{token.pk}/revoke").status_code == 404
    mtszn = Organisation.objects.get(code="МТСЗН")
    client.post(f"/ru/admin/core/apitoken/{token.pk}/change/",
                {"organisation": mtszn.pk, "name": "ERP"})
    client.post("/ru/admin/core/apitoken/", {"action": "revoke",
                                             "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert (token.organisation, token.revoked_at) == (supplier_org, None)


@pytest.mark.django_db
def test_the_suppliers_own_administrator_issues_its_token_which_shows_the_issuer(
        supplier_admin, supplier_org, client_for, client):
    session = client_for(supplier_admin)
    response = issue(session, name="Склад")
    assert response.status_code == 201, response.json()
    issued = response.json()
    assert issued["token"]["organisation"] == supplier_org.code
    assert issued["token"]["issued_by"]["username"] == "p.supplier.admin"
    token = ApiToken.objects.get()
    assert token.created_by == supplier_admin and token.organisation == supplier_org
    me = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {issued['key']}").json()
    assert (me["organisation"], me["token_issued_by"]) == (supplier_org.code,
                                                          "p.supplier.admin")
    listed = session.get(TOKENS).json()
    assert [(t["name"], t["issued_by"]["username"]) for t in listed] == [
        ("Склад", "p.supplier.admin")]
    event = AuditEvent.objects.get(model="core.apitoken", action="create")
    assert event.actor == supplier_admin and event.reason == ""
    revoked = session.post(f"{TOKENS}/{token.pk}/revoke")
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]


@pytest.mark.django_db
def test_only_the_organisations_own_administrator(supplier_admin, supplier_org, personas,
                                                 make_user, client_for, client):
    # A plain supplier employee, and another supplier's administrator, may not.
    assert issue(client_for(personas["supplier"])).status_code == 403
    other = OrganisationFactory(code="SUPPLIER-OTHER", kind=Organisation.Kind.SUPPLIER)
    outsider = grant(make_user(Role.SUPPLIER, other.code, username="p.other.admin"),
                     "Supplier administrators", "issue_own_tokens")
    assert issue(client_for(outsider), supplier_org.code).status_code == 403
    # The administrator issues for their own organisation only.
    assert issue(client_for(supplier_admin), "SUPPLIER-OTHER").status_code == 403
    assert issue(client_for(supplier_admin), "МЗ").status_code == 403
    assert ApiToken.objects.count() == 0
    # Nor does a token mint another.
    key = services.issue_api_token(supplier_org, "ERP", by=supplier_admin).raw_key
    assert client.post(TOKENS, {"name": "x"}, content_type="application/json",
                       HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


@pytest.mark.django_db
def test_a_superuser_issues_for_any_organisation_and_it_is_audited(
        personas, supplier_org, client_for, client):
    admin = personas["administrator"]
    session = client_for(admin)
    assert issue(session).status_code == 403  # a superuser names the organisation
    response = issue(session, supplier_org.code, name="ERP")
    assert response.status_code == 201
    token = ApiToken.objects.get()
    assert token.created_by == admin
    event = AuditEvent.objects.get(model="core.apitoken", action="create")
    assert event.actor == admin
    assert "superuser" in event.reason and supplier_org.code in event.reason
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {response.json()['key']}"
                      ).json()["token_issued_by"] == admin.username
    # In the back office too, where the list shows who issued each token.
    mf = Organisation.objects.get(code="МФ")
    session.post("/ru/admin/core/apitoken/add/", {"organisation": mf.pk, "name": "Казна"})
    by_admin = AuditEvent.objects.get(model="core.apitoken", action="create",
                                      object_id=str(ApiToken.objects.get(organisation=mf).pk))
    assert by_admin.actor == admin and "superuser" in by_admin.reason
    page = session.get("/en/admin/core/apitoken/")
    assert "Created by" in page.content.decode()
    session.post(f"{TOKENS}/{token.pk}/revoke")
    revoke = AuditEvent.objects.get(model="core.apitoken", action="update",
                                    object_id=str(token.pk))
    assert revoke.actor == admin and "superuser" in revoke.reason
