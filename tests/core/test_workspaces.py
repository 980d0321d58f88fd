"""Each role's own work page, and the gates that decide which work links a role is shown.

A gate may be narrower than its page's view, never wider: every page a role is let in by
its gate opens for that role. Each role lands on its work page after signing in and the
header names it, marked as the current page when there."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tendik.core import workspaces
from tendik.core.models import Organisation, Role, User
from tendik.plan.services import load_national_plan
from tendik.workforce.models import SocialWorker, Volunteer
from tests.conftest import ALMATY, sign_in
from tests.factories import PASSWORD, OrganisationFactory, UserFactory


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def grant(user: User, codename: str) -> User:
    user.user_permissions.add(Permission.objects.get(codename=codename))
    return User.objects.get(pk=user.pk)  # permissions are cached on the instance


@pytest.fixture
def everyone(personas, region_almaty) -> dict[str, User]:
    """The personas, and those whose work needs a record: a social worker with their
    registry entry, a case manager and a supervisor, a volunteer, an accountant and a
    head of the akimat."""
    load_national_plan()
    provider = OrganisationFactory(code="PROVIDER-ALMATY", region=region_almaty,
                                   kind=Organisation.Kind.SERVICE_PROVIDER)
    worker = UserFactory(role=Role.SOCIAL_WORKER, organisation=provider, username="p.worker")
    SocialWorker.objects.create(account=worker, employer=provider, last_name="Работникова",
                                first_name="Дана", qualification="higher", category="first",
                                services=["home_care"], languages=["kk"], capacity=2)
    volunteer = UserFactory(role=Role.REGISTERED, username="p.volunteer")
    Volunteer.objects.create(account=volunteer, last_name="Сейтжанов", first_name="Арман",
                             region=region_almaty, training="Курс", trained_on=dt.date(2025, 1, 1))
    akimat = f"AKIMAT-{ALMATY}"
    return {
        **personas,
        "social_worker": worker,
        "case_manager": UserFactory(role=Role.CASE_MANAGER, organisation=provider,
                                    username="p.manager"),
        "supervisor": grant(UserFactory(role=Role.CASE_MANAGER, organisation=provider,
                                        username="p.supervisor"), "supervise_case"),
        "volunteer": volunteer,
        "accountant": grant(UserFactory(role=Role.AKIMAT_OFFICIAL, username="p.accountant",
                                        organisation=Organisation.objects.get(code=akimat)),
                            "approve_as_accountant"),
        "head": grant(UserFactory(role=Role.AKIMAT_OFFICIAL, username="p.head",
                                  organisation=Organisation.objects.get(code=akimat)),
                      "approve_as_head"),
    }


EXPECTED_WORK = {
    "registered": ("/ru/portal/", "My aids and services"),
    "recipient": ("/ru/portal/", "My aids and services"),
    "volunteer": ("/ru/social-workers/mine/", "My social work"),
    "supplier": ("/ru/portal/supplier/", "My orders"),
    "social_worker": ("/ru/social-workers/caseload/", "My recipients"),
    "case_manager": ("/ru/cases/", "My cases"),
    "supervisor": ("/ru/cases/", "My cases"),
    "akimat_official": ("/ru/portal/office/", "My region's queue"),
    "accountant": ("/ru/portal/office/claims/?stage=accountant", "My approvals"),
    "head": ("/ru/portal/office/claims/?stage=head", "My approvals"),
    "agency_executor": ("/ru/plan/reports/", "My reports"),
    "analyst": ("/ru/plan/reports/", "My reports to review"),
    "auditor": ("/ru/office/audit/", "My audit logs"),
    "administrator": ("/ru/office/", "My office"),
}


@pytest.mark.django_db
def test_every_gate_lets_in_only_those_its_page_lets_in(everyone):
    for key, user in everyone.items():
        client = sign_in(Client(), user)
        for url_name in workspaces.GATES:
            if not workspaces.may_open(User.objects.get(pk=user.pk), url_name):
                continue
            response = client.get(reverse(url_name), follow=True)
            assert response.status_code == 200, (key, url_name, response.status_code)


@pytest.mark.django_db
def test_the_gates_keep_each_role_out_of_what_it_cannot_open(everyone):
    def opens(key: str, url_name: str) -> bool:
        return workspaces.may_open(User.objects.get(pk=everyone[key].pk), url_name)

    assert not opens("supplier", "workforce:volunteers")
    assert not opens("social_worker", "cases:tasks")
    assert not opens("case_manager", "cases:caseload") and opens("supervisor", "cases:caseload")
    assert not opens("analyst", "portal:office_recipients")
    assert not opens("analyst", "cases:list") and not opens("auditor", "cases:list")
    assert not opens("administrator", "cases:referrals")
    assert not opens("recipient", "core:office") and not opens("volunteer", "core:office")
    assert opens("akimat_official", "workforce:volunteers")
    assert not workspaces.may_open(AnonymousUser(), "portal:home")


@pytest.mark.django_db
def test_each_role_lands_on_its_own_work_and_the_header_names_it(everyone):
    for key, (path, label) in EXPECTED_WORK.items():
        user = everyone[key]
        client = Client()
        response = client.post("/ru/accounts/login/", {"username": user.username,
                                                       "password": PASSWORD, "next": ""})
        if user.is_staff_role or user.is_superuser:
            step = response["Location"]
            assert step.startswith("/ru/accounts/second-factor/?next="), (key, step)
            response = client.post(step, {"token": current_code(
                TOTPDevice.objects.get(user=user, confirmed=True))})
        assert response.status_code == 302 and response["Location"] == path, (key, response)
        page = client.get(path)
        assert page.status_code == 200, key
        link = re.search(r'<a class="my-work" href="([^"]+)"( aria-current="page")?>([^<]+)</a>',
                         page.content.decode())
        assert link is not None, key
        with translation.override("ru"):
            assert html.unescape(link.group(3)) == translation.gettext(label), key
        assert html.unescape(link.group(1)) == path, key
        assert link.group(2), f"{key}: the header marks «{label}» as the current page"


@pytest.mark.django_db
def test_the_home_page_as_next_counts_as_no_next(everyone):
    client = Client()
    response = client.post("/ru/accounts/login/", {"username": everyone["recipient"].username,
                                                   "password": PASSWORD, "next": "/kk/"})
    assert response["Location"] == "/ru/portal/"
    response = client.post("/kk/accounts/login/", {"username": everyone["recipient"].username,
                                                   "password": PASSWORD, "next": "/kk/plan/"})
    assert response["Location"] == "/kk/plan/"


@pytest.mark.django_db
def test_the_header_offers_sign_in_back_to_the_page_but_not_to_the_home_page(reference):
    home = Client().get("/ru/").content.decode()
    assert 'href="/ru/accounts/login/"' in home
    plan = Client().get("/ru/regions/").content.decode()
    assert 'href="/ru/accounts/login/?next=/ru/regions/"' in plan


@pytest.mark.django_db
def test_staff_reach_the_office_from_the_header_beside_their_work(everyone):
    page = sign_in(Client(), everyone["supplier"]).get("/ru/portal/supplier/").content.decode()
    assert 'href="/ru/office/">' in page
    page = sign_in(Client(), everyone["volunteer"]).get("/ru/social-workers/mine/")
    assert 'href="/ru/office/"' not in page.content.decode()


@pytest.mark.django_db
def test_the_office_sends_everyone_else_to_their_own_work(everyone):
    response = sign_in(Client(), everyone["volunteer"]).get("/ru/office/")
    assert response.status_code == 302 and response["Location"] == "/ru/social-workers/mine/"
    response = sign_in(Client(), everyone["recipient"]).get("/kk/office/")
    assert response.status_code == 302 and response["Location"] == "/kk/portal/"


@pytest.mark.django_db
def test_the_office_lists_only_what_the_role_may_open(everyone):
    page = sign_in(Client(), everyone["supplier"]).get("/ru/office/").content.decode()
    assert reverse("portal:supplier_orders") in page
    for hidden in ("workforce:volunteers", "cases:tasks", "portal:office_orders",
                   "core:audit_log", "admin:index"):
        assert f'href="{reverse(hidden)}"' not in page, hidden
    page = sign_in(Client(), everyone["auditor"]).get("/ru/office/").content.decode()
    assert f'href="{reverse("core:audit_log")}"' in page
