import pytest

from tendik.core import services
from tendik.core.models import ApiToken, AuditEvent, Organisation


@pytest.fixture
def issued(reference):
    return services.issue_api_token(Organisation.objects.get(code="МЗ"), "МИС", by=None)


@pytest.mark.django_db
def test_a_token_identifies_its_organisation(issued, client):
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {issued.raw_key}")
    assert response.status_code == 200
    assert response.json()["kind"] == "token"
    assert response.json()["organisation"] == "МЗ"
    issued.token.refresh_from_db()
    assert issued.token.last_used_at is not None


@pytest.mark.django_db
def test_only_the_hash_of_a_token_is_stored(issued):
    stored = ApiToken.objects.get()
    assert issued.raw_key not in (stored.key_hash, stored.key_prefix)
    assert len(stored.key_hash) == 64
    event = AuditEvent.objects.get(model="core.apitoken", action="create")
    assert "key_hash" not in event.changes


@pytest.mark.django_db
def test_a_revoked_or_wrong_token_is_refused_in_the_error_shape(issued, client):
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer tdk_wrong").status_code == 401
    services.revoke_api_token(issued.token)
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {issued.raw_key}")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
    assert AuditEvent.objects.filter(model="core.apitoken", action="update").exists()


@pytest.mark.django_db
def test_the_session_works_for_the_api_after_the_second_factor(personas, client_for, client):
    response = client_for(personas["analyst"]).get("/api/v1/me")
    assert response.json() == {"kind": "user", "username": "p.analyst", "role": "analyst",
                               "organisation": "МТСЗН", "token": None,
                               "token_issued_by": None}
    client.force_login(personas["analyst"],
                       backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/api/v1/me").status_code == 401  # password alone is not enough


@pytest.mark.django_db
def test_public_endpoints_need_no_credentials_but_accept_them(issued, client):
    assert client.get("/api/v1/regions").status_code == 200
    assert client.get("/api/v1/regions",
                      HTTP_AUTHORIZATION=f"Bearer {issued.raw_key}").status_code == 200


@pytest.mark.django_db
def test_tokens_are_issued_and_revoked_in_the_back_office(personas, client_for):
    client = client_for(personas["administrator"])
    org = Organisation.objects.get(code="МФ")
    response = client.post("/ru/admin/core/apitoken/add/",
                           {"organisation": org.pk, "name": "ИС «Казначейство»"}, follow=True)
    assert response.status_code == 200
    token = ApiToken.objects.get(organisation=org)
    shown = [str(m) for m in response.context["messages"]]
    raw = next(part for m in shown for part in m.split() if part.startswith("tdk_"))
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").json()[
        "organisation"] == "МФ"
    client.post("/ru/admin/core/apitoken/", {"action": "revoke",
                                             "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_at is not None
