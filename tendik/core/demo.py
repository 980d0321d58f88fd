"""The demonstration data set: one account per role, with organisations to act for.

Never load it into a production database: its passwords are published in the README.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from tendik.core.audit import acting_as
from tendik.core.models import Organisation, Region, Role, User
from tendik.core.reference import upsert

DEMO_PASSWORD = "Tendik-demo-2026"  # noqa: S105 - published on purpose, demo only


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    organisation_code: str | None
    first_name: str
    last_name: str


DEMO_ORGANISATIONS = [
    {"code": "DEMO-SUPPLIER-ORTHO", "kind": Organisation.Kind.SUPPLIER, "region": "750000000",
     "name_ru": "ТОО «Ортопедия Алматы» (демо)", "name_kk": "«Ортопедия Алматы» ЖШС (демо)",
     "name_en": "Ortopediya Almaty LLP (demo)", "bin": "180240012342"},
    {"code": "DEMO-PROVIDER-ALMATY", "kind": Organisation.Kind.SERVICE_PROVIDER,
     "region": "750000000",
     "name_ru": "Центр оказания специальных социальных услуг г. Алматы (демо)",
     "name_kk": "Алматы қ. арнаулы әлеуметтік қызметтер көрсету орталығы (демо)",
     "name_en": "Almaty Special Social Services Centre (demo)", "bin": ""},
]

DEMO_ACCOUNTS = [
    DemoAccount("demo.user", Role.REGISTERED, None, "Айгерим", "Сапарова"),
    DemoAccount("demo.recipient", Role.RECIPIENT, None, "Ерлан", "Жумабаев"),
    DemoAccount("demo.representative", Role.RECIPIENT, None, "Сауле", "Касымова"),
    DemoAccount("demo.supplier", Role.SUPPLIER, "DEMO-SUPPLIER-ORTHO", "Дина", "Ахметова"),
    DemoAccount("demo.social", Role.SOCIAL_WORKER, "DEMO-PROVIDER-ALMATY", "Гульнара",
                "Ким"),
    DemoAccount("demo.casemanager", Role.CASE_MANAGER, "DEMO-PROVIDER-ALMATY", "Марат",
                "Исаев"),
    DemoAccount("demo.supervisor", Role.CASE_MANAGER, "DEMO-PROVIDER-ALMATY", "Лаура",
                "Мухамедова"),
    DemoAccount("demo.volunteer", Role.REGISTERED, None, "Арман", "Сейтжанов"),
    DemoAccount("demo.akimat.almaty", Role.AKIMAT_OFFICIAL, "AKIMAT-750000000", "Асель",
                "Нурланова"),
    DemoAccount("demo.accountant", Role.AKIMAT_OFFICIAL, "AKIMAT-750000000", "Роза",
                "Бекова"),
    DemoAccount("demo.head", Role.AKIMAT_OFFICIAL, "AKIMAT-750000000", "Санат", "Алиев"),
    DemoAccount("demo.akimat.astana", Role.AKIMAT_OFFICIAL, "AKIMAT-710000000", "Бауыржан",
                "Омаров"),
    DemoAccount("demo.mz", Role.AGENCY_EXECUTOR, "МЗ", "Ольга", "Петрова"),
    DemoAccount("demo.analyst", Role.ANALYST, "МТСЗН", "Нуржан", "Сейткали"),
    DemoAccount("demo.auditor", Role.AUDITOR, None, "Жанна", "Ермекова"),
    DemoAccount("demo.admin", Role.ADMINISTRATOR, None, "Тимур", "Абенов"),
]


def totp_secret(device: TOTPDevice) -> str:
    return base64.b32encode(bytes.fromhex(device.key)).decode()


@transaction.atomic
def load_demo() -> list[tuple[DemoAccount, str | None]]:
    """Create the demo organisations and accounts once; return each login's TOTP secret."""
    result = []
    hashed = None  # one hash of the shared password for every new account: hashing is slow
    with acting_as(label="load_demo"):
        for spec in DEMO_ORGANISATIONS:
            values: dict[str, Any] = {k: v for k, v in spec.items() if k not in {"code", "region"}}
            values["region"] = Region.objects.get(kato=spec["region"])
            upsert(Organisation, {"code": spec["code"]}, values)
        for account in DEMO_ACCOUNTS:
            user = User.objects.filter(username=account.username).first()
            if user is None:
                user = User(username=account.username, role=account.role,
                            first_name=account.first_name, last_name=account.last_name,
                            email=f"{account.username}@demo.tendik.local")
                if account.organisation_code:
                    user.organisation = Organisation.objects.get(code=account.organisation_code)
                hashed = hashed or make_password(DEMO_PASSWORD)
                user.password = hashed
                user.full_clean()
                user.save()
            secret = None
            if user.is_staff_role:
                device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
                if device is None:
                    device = TOTPDevice.objects.create(user=user, name="demo", confirmed=True)
                secret = totp_secret(device)
            result.append((account, secret))
    return result


def load_accounts() -> str:
    """The demo accounts, as a step of `manage.py prepare`: their summary line."""
    accounts = load_demo()
    return f"{len(accounts)} demo accounts"


def logins() -> list[str]:
    """The lines that tell a person how to sign in to the demo."""
    lines = [f"Demo logins (password for all: {DEMO_PASSWORD}):"]
    users = {u.username: u for u in User.objects.filter(
        username__in=[a.username for a in DEMO_ACCOUNTS])}
    for account in DEMO_ACCOUNTS:
        user = users.get(account.username)
        if user is None:
            continue
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() \
            if user.is_staff_role else None
        second = f"  TOTP secret {totp_secret(device)}" if device else ""
        lines.append(f"  {account.username:<22} {account.role:<16}{second}")
    lines.append("Staff roles sign in with a six-digit code: add the TOTP secret to an "
                 "authenticator app, or run `manage.py totp_code USERNAME`.")
    return lines


def domain_loaders() -> list[tuple[str, Callable[[], str]]]:
    """Each domain app's own demonstration data (tendik/<app>/demo.py: load_demo, which
    returns a summary line), in the order of INSTALLED_APPS."""
    loaders = []
    for config in apps.get_app_configs():
        if config.name.startswith("tendik.") and config.name != "tendik.core":
            try:
                module = import_module(f"{config.name}.demo")
            except ModuleNotFoundError:
                continue
            loaders.append((config.name, module.load_demo))
    return loaders
