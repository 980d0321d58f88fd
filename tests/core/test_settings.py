import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db.backends.sqlite3.base import DatabaseWrapper

from tendik.settings import BASE_DIR, database_config, email_settings, envbool, envint, envlist

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "x7#kP2$wQ9!mZ4@vL8&nR3*tY6^bH1%cF5(jD0)gS-aE+uI=oW_eT~rU`pO",
    "ALLOWED_HOSTS": "tendik.example.kz",
    "DATABASE_URL": "postgres://tendik@db.example.kz:5432/tendik",
    "EMAIL_URL": "smtp://mailer:secret@mail.example.kz:587?tls=1",
    "SITE_URL": "https://tendik.example.kz",
}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items()
             if k not in {"DEBUG", "DATABASE_URL", "TENDIK_REQUIRE_STAFF_OTP", "AXES_ENABLED",
                          "DJANGO_ALLOW_ASYNC_UNSAFE", "SITE_URL", "DEBUG_ERROR_PAGES"}}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR,
                          env={**clean, **env}, capture_output=True, text=True, timeout=120)


def test_it_reads_booleans_integers_and_lists(monkeypatch):
    monkeypatch.setenv("X_FLAG", "yes")
    monkeypatch.setenv("X_NUMBER", "42")
    monkeypatch.setenv("X_LIST", "a.kz, b.kz,,")
    assert envbool("X_FLAG", False) is True
    assert envbool("X_UNSET", True) is True
    assert envint("X_NUMBER", 0) == 42
    assert envlist("X_LIST", []) == ["a.kz", "b.kz"]
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ValueError, match="X_FLAG"):
        envbool("X_FLAG", False)


def test_it_reads_email_urls():
    assert email_settings("console://")["EMAIL_BACKEND"].endswith("console.EmailBackend")
    smtp = email_settings("smtp://user%40kz:p%40ss@mail.kz:587?tls=1")
    assert smtp["EMAIL_HOST"] == "mail.kz"
    assert smtp["EMAIL_PORT"] == 587
    assert smtp["EMAIL_HOST_USER"] == "user@kz"
    assert smtp["EMAIL_HOST_PASSWORD"] == "p@ss"
    assert smtp["EMAIL_USE_TLS"] is True
    assert email_settings("smtps://mail.kz")["EMAIL_USE_SSL"] is True
    with pytest.raises(ValueError, match="ftp"):
        email_settings("ftp://mail.kz")


def test_it_uses_wal_on_sqlite(tmp_path: Path, django_db_blocker):
    params = database_config(f"sqlite:///{tmp_path / 'wal.sqlite3'}")
    params.update(TIME_ZONE=None, AUTOCOMMIT=True, ATOMIC_REQUESTS=False,
                  CONN_HEALTH_CHECKS=False)
    wrapper = DatabaseWrapper(params, alias="wal-check")
    try:
        with django_db_blocker.unblock(), wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
    finally:
        wrapper.close()
    assert sqlite3.connect(tmp_path / "wal.sqlite3").execute(
        "PRAGMA journal_mode").fetchone()[0] == "wal"


def test_it_passes_check_deploy_with_production_values():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


def test_it_flags_a_relaxed_second_factor_in_check_deploy():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING",
                        env={**PRODUCTION_ENV, "TENDIK_REQUIRE_STAFF_OTP": "0"})
    assert result.returncode != 0
    assert "tendik.W001" in result.stdout + result.stderr


def test_it_flags_a_local_site_address_in_check_deploy():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SITE_URL"}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "tendik.W003" in result.stdout + result.stderr


def test_the_core_app_runs_its_own_config_so_its_signals_and_checks_are_connected():
    from django.apps import apps
    from django.db.models.signals import post_migrate

    from tendik.core.apps import CoreConfig, create_cache_table

    assert type(apps.get_app_config("core")) is CoreConfig
    assert any(receiver() is create_cache_table for _key, receiver, *_ in
               post_migrate.receivers)
