"""`manage.py totp_code LOGIN`, as the README documents it: the demo's own accounts in any
mode, never a real account; every code shown is audited."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tendik.core.demo import load_demo
from tendik.core.models import AuditEvent, Role, User

pytestmark = pytest.mark.django_db


def code_of(user: User) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


@pytest.mark.parametrize("debug", [False, True])
def test_it_prints_a_demo_accounts_code_in_any_mode(reference, settings, debug):
    settings.DEBUG = debug
    load_demo()
    out = io.StringIO()
    call_command("totp_code", "demo.analyst", stdout=out)
    analyst = User.objects.get(username="demo.analyst")
    assert out.getvalue().strip() == code_of(analyst)
    event = AuditEvent.objects.get(action=AuditEvent.Action.DEMO_CODE_SHOWN)
    assert (event.object_id, event.actor_repr) == (str(analyst.pk), "totp_code")


def test_it_refuses_a_real_account(reference, make_user):
    official = make_user(Role.ANALYST, username="real.official")
    TOTPDevice.objects.create(user=official, name="phone", confirmed=True)
    with pytest.raises(CommandError, match="not a demo account"):
        call_command("totp_code", "real.official", stdout=io.StringIO())
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.DEMO_CODE_SHOWN).exists()


def test_it_refuses_a_demo_login_whose_password_was_changed(reference):
    load_demo()
    admin = User.objects.get(username="demo.admin")
    admin.set_password("A-real-secret-of-someone-2026")
    admin.save()
    with pytest.raises(CommandError, match="not a demo account"):
        call_command("totp_code", "demo.admin", stdout=io.StringIO())


def test_it_names_an_unknown_login_and_an_account_without_second_factor(reference):
    with pytest.raises(CommandError, match="no account nobody"):
        call_command("totp_code", "nobody", stdout=io.StringIO())
    load_demo()
    with pytest.raises(CommandError, match="no second factor"):
        call_command("totp_code", "demo.recipient", stdout=io.StringIO())
