"""Persona fixtures shared by every test: one user per role, each in its own scope.

The reference data the platform ships (20 regions, the plan's executors, 20 akimats) is
loaded for every test that uses the database, exactly as `make run` loads it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from tendik.core.models import Organisation, Region, Role, User
from tendik.core.reference import load_reference_data
from tests.factories import OrganisationFactory, UserFactory

ALMATY = "750000000"
ASTANA = "710000000"


def pytest_configure(config: pytest.Config) -> None:
    """The suite runs on one calendar day. Modules take TODAY at import, and a run that
    crossed midnight in Almaty (19:00 UTC) compared yesterday's dates with today's. So the
    clock starts at 06:00 of the local day and ticks from there: 18 hours before the date
    can change. Only wall-clock time moves; monotonic timers and the database do not."""
    from django.conf import settings

    zone = ZoneInfo(settings.TIME_ZONE)
    morning = dt.datetime.combine(dt.datetime.now(zone).date(), dt.time(6), tzinfo=zone)
    config.stash[clock_key] = traveller = time_machine.travel(morning, tick=True)
    traveller.start()


def pytest_unconfigure(config: pytest.Config) -> None:
    if (traveller := config.stash.get(clock_key, None)) is not None:
        traveller.stop()


clock_key = pytest.StashKey[time_machine.travel]()


@pytest.fixture(autouse=True)
def immediate_tasks(settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                                  "QUEUES": ["default", "email"]}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Argon2 is slow by design; tests that check hashing restore it (test_auth.py).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The suite runs with production security settings, over plain HTTP.
    settings.SECURE_SSL_REDIRECT = False
    # Kept anonymous pages are retired when a transaction commits, and most tests never
    # commit (each runs inside one that is rolled back): tests/core/test_pagecache.py
    # turns the cache on with committed transactions.
    settings.PAGE_CACHE_SECONDS = 0
    # Every test client calls from one address; tests/api/test_throttling.py sets limits.
    settings.API_ANONYMOUS_RATE = settings.API_IDENTIFIED_RATE = "1000000/m"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> None:
    """Uploaded and generated files (photos, attachments, reports) stay in the test's own
    directory."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def reference(db) -> None:
    load_reference_data()


@pytest.fixture
def region_almaty(reference) -> Region:
    return Region.objects.get(kato=ALMATY)


@pytest.fixture
def region_astana(reference) -> Region:
    return Region.objects.get(kato=ASTANA)


def akimat(kato: str) -> Organisation:
    return Organisation.objects.get(code=f"AKIMAT-{kato}")


@pytest.fixture
def make_user(reference) -> Callable[..., User]:
    def make(role: str = Role.REGISTERED, organisation: str | None = None, **kwargs) -> User:
        org = Organisation.objects.get(code=organisation) if organisation else None
        return UserFactory(role=role, organisation=org, **kwargs)

    return make


@pytest.fixture
def supplier_org(reference) -> Organisation:
    return OrganisationFactory(code="SUPPLIER-ALMATY", kind=Organisation.Kind.SUPPLIER,
                               region=Region.objects.get(kato=ALMATY))


@pytest.fixture
def personas(make_user, supplier_org) -> dict[str, User]:
    """One user per role; regional and organisational staff are in Almaty / МЗ."""
    return {
        "registered": make_user(Role.REGISTERED, username="p.registered"),
        "recipient": make_user(Role.RECIPIENT, username="p.recipient"),
        "supplier": make_user(Role.SUPPLIER, supplier_org.code, username="p.supplier"),
        "akimat_official": make_user(Role.AKIMAT_OFFICIAL, f"AKIMAT-{ALMATY}",
                                     username="p.akimat"),
        "agency_executor": make_user(Role.AGENCY_EXECUTOR, "МЗ", username="p.mz"),
        "analyst": make_user(Role.ANALYST, "МТСЗН", username="p.analyst"),
        "auditor": make_user(Role.AUDITOR, username="p.auditor"),
        "administrator": make_user(Role.ADMINISTRATOR, username="p.admin"),
    }


def sign_in(client: Client, user: User) -> Client:
    """A session as after password and, for staff, the TOTP step."""
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def client_for(client: Client) -> Callable[[User], Client]:
    def make(user: User) -> Client:
        fresh = Client()
        return sign_in(fresh, user)

    return make
