import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tendik.core.models import AuditEvent, Role, User
from tests.conftest import ALMATY
from tests.factories import PASSWORD


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def password_step(client: Client, username: str, password: str = PASSWORD, next_url: str = ""):
    return client.post("/ru/accounts/login/", {"username": username, "password": password,
                                               "next": next_url})


@pytest.mark.django_db
def test_passwords_are_hashed_with_argon2(settings, make_user):
    settings.PASSWORD_HASHERS = django_settings.PASSWORD_HASHERS.__class__(
        ["django.contrib.auth.hashers.Argon2PasswordHasher"])
    assert "Argon2PasswordHasher" in django_settings.PASSWORD_HASHERS[0]
    user = make_user(Role.REGISTERED, username="hashed")
    assert user.password.startswith("argon2$")
    assert user.check_password(PASSWORD)


def test_the_production_hasher_list_starts_with_argon2():
    from tendik import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


@pytest.mark.django_db
def test_a_recipient_signs_in_with_a_password_alone(make_user, client):
    make_user(Role.RECIPIENT, username="aliya")
    response = password_step(client, "aliya", next_url="/ru/regions/")
    assert response.status_code == 302
    assert response["Location"] == "/ru/regions/"
    assert AuditEvent.objects.filter(action="login").count() == 1


@pytest.mark.django_db
def test_staff_must_pass_the_second_factor(personas, client):
    official = personas["akimat_official"]
    response = password_step(client, official.username, next_url="/ru/office/")
    assert response.status_code == 302
    assert response["Location"].startswith("/ru/accounts/second-factor/?next=/ru/office/")
    # With the password alone, every staff page leads back to the second factor.
    response = client.get(f"/ru/office/organisations/AKIMAT-{ALMATY}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/ru/accounts/second-factor/")
    assert client.get("/ru/admin/").status_code == 302
    device = TOTPDevice.objects.get(user=official)
    response = client.post("/ru/accounts/second-factor/",
                           {"token": current_code(device), "next": "/ru/office/"})
    assert response.status_code == 302 and response["Location"] == "/ru/office/"
    assert client.get("/ru/office/").status_code == 200


@pytest.mark.django_db
def test_a_wrong_code_is_refused_with_a_clear_error(personas, client):
    password_step(client, personas["analyst"].username)
    response = client.post("/ru/accounts/second-factor/", {"token": "000000"})
    assert response.status_code == 200
    assert response.context["form"].errors["token"]
    response = client.post("/ru/accounts/second-factor/", {"token": "12ab"})
    assert response.context["form"].errors["token"]
    assert 'aria-invalid="true"' in response.content.decode()
    assert client.get("/ru/office/").status_code == 302


@pytest.mark.django_db
def test_staff_without_a_device_enrol_on_first_sign_in(make_user, client):
    user = make_user(Role.AGENCY_EXECUTOR, "МЗ", username="newcomer", with_totp=False)
    response = password_step(client, "newcomer")
    assert response["Location"].startswith("/ru/accounts/second-factor/setup/")
    page = client.get("/ru/accounts/second-factor/setup/")
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    pending = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post("/ru/accounts/second-factor/setup/",
                           {"token": current_code(pending)})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.confirmed
    assert client.get("/ru/office/").status_code == 200
    assert AuditEvent.objects.filter(action="otp_enrolled", object_id=str(user.pk)).exists()


@pytest.mark.django_db
def test_enrolment_is_refused_once_a_device_exists(personas, client):
    password_step(client, personas["analyst"].username)
    response = client.get("/ru/accounts/second-factor/setup/")
    assert response.status_code == 302
    assert response["Location"].startswith("/ru/accounts/second-factor/?")


@pytest.mark.django_db
def test_the_rule_can_be_relaxed_for_local_demos(settings, personas, client):
    settings.TENDIK_REQUIRE_STAFF_OTP = False
    response = password_step(client, personas["analyst"].username, next_url="/ru/office/")
    assert response["Location"] == "/ru/office/"
    assert client.get("/ru/office/").status_code == 200


@pytest.mark.django_db
def test_repeated_failures_lock_the_account_and_tell_its_owner(
        make_user, client, django_capture_on_commit_callbacks):
    make_user(Role.RECIPIENT, username="target", email="target@example.kz")
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(django_settings.AXES_FAILURE_LIMIT):
            password_step(client, "target", password="not-the-password")
        response = password_step(client, "target")  # the right password, too late
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert [m.to for m in mail.outbox] == [["target@example.kz"]]
    assert "target" in mail.outbox[0].body


@pytest.mark.django_db
def test_a_wrong_password_shows_the_error_summary(make_user, client):
    make_user(Role.RECIPIENT, username="dana")
    response = password_step(client, "dana", password="wrong-one")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in body
    assert response.context["form"].non_field_errors()


@pytest.mark.django_db
def test_empty_fields_get_inline_errors_linked_from_the_summary(reference, client):
    response = client.post("/ru/accounts/login/", {"username": "", "password": ""})
    body = response.content.decode()
    assert 'href="#id_username"' in body and 'href="#id_password"' in body
    assert 'id="id_username-error"' in body


@pytest.mark.django_db
def test_an_outside_next_url_is_ignored(make_user, client):
    make_user(Role.RECIPIENT, username="safe")
    response = password_step(client, "safe", next_url="https://evil.example.com/")
    # Not the outside address: the recipient's own page, as without a next.
    assert response["Location"] == "/ru/portal/"


@pytest.mark.django_db
def test_sign_out_needs_a_post_and_is_recorded(make_user, client):
    make_user(Role.RECIPIENT, username="leaving")
    password_step(client, "leaving")
    assert client.get("/ru/accounts/logout/").status_code == 405
    assert client.post("/ru/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="logout").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role,status", [
    ("administrator", 200), ("analyst", 200), ("auditor", 302), ("akimat_official", 302),
    ("agency_executor", 302), ("supplier", 302), ("recipient", 302), ("registered", 302),
])
def test_the_back_office_is_for_administrators_and_analysts(role, status, personas,
                                                            client_for):
    assert client_for(personas[role]).get("/ru/admin/").status_code == status


@pytest.mark.django_db
def test_the_back_office_speaks_kazakh(personas, client_for):
    response = client_for(personas["administrator"]).get("/kk/admin/")
    assert response.status_code == 200
    assert 'lang="kk"' in response.content.decode()


@pytest.mark.django_db
def test_role_rules_are_enforced_by_the_model(reference):
    from django.core.exceptions import ValidationError

    from tendik.core.models import Organisation

    official = User(username="x", role=Role.AKIMAT_OFFICIAL,
                    organisation=Organisation.objects.get(code="МЗ"))
    with pytest.raises(ValidationError, match="organisation"):
        official.full_clean()
    analyst = User(username="y", role=Role.ANALYST,
                   organisation=Organisation.objects.get(code="МЗ"))
    with pytest.raises(ValidationError):
        analyst.full_clean()
    with pytest.raises(ValidationError):
        User(username="z", role=Role.AGENCY_EXECUTOR).full_clean()
