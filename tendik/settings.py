"""Teńdik settings: everything that differs between machines comes from the environment.

Defaults give a working development platform on the embedded SQLite database under var/.
Production sets DEBUG=0, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL (PostgreSQL) and
EMAIL_URL; `manage.py check --deploy` then reports nothing.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"{name} must be a boolean (1/0, true/false), got {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value in (None, "") else int(value)


def envstr(name: str, default: str) -> str:
    value = os.environ.get(name)
    return default if value in (None, "") else value


def envlist(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


VAR_DIR = Path(envstr("TENDIK_VAR_DIR", str(BASE_DIR / "var")))


def dev_secret_key() -> str:
    """A key generated once per checkout, so development sessions survive restarts."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def email_settings(url: str) -> dict[str, object]:
    """EMAIL_URL: console://, smtp://user:password@host:port?tls=1, or smtps:// for SSL."""
    parsed = urlparse(url)
    if parsed.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parsed.scheme == "locmem":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if parsed.scheme in {"smtp", "smtps"}:
        options = parse_qs(parsed.query)
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parsed.hostname or "localhost",
            "EMAIL_PORT": parsed.port or (465 if parsed.scheme == "smtps" else 25),
            "EMAIL_HOST_USER": unquote(parsed.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parsed.password or ""),
            "EMAIL_USE_SSL": parsed.scheme == "smtps",
            "EMAIL_USE_TLS": options.get("tls", ["0"])[0] in {"1", "true"},
        }
    raise ValueError(f"EMAIL_URL scheme {parsed.scheme!r} is not supported")


DEBUG = envbool("DEBUG", False)
# With DEBUG on, the platform still shows its own error pages (as production does);
# DEBUG_ERROR_PAGES=1 shows Django's technical ones (URL patterns tried, tracebacks).
TENDIK_DEBUG_ERROR_PAGES = envbool("DEBUG_ERROR_PAGES", False)
SECRET_KEY = os.environ.get("SECRET_KEY") or dev_secret_key()
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "tendik.core",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "tendik.core.staticfiles.StaticFiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "tendik.plan",
    "tendik.indicators",
    "tendik.access",
    "tendik.people",
    "tendik.portal",
    "tendik.care",
    "tendik.workforce",
    "tendik.cases",
    "tendik.feedback",
    "tendik.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "tendik.core.middleware.ContentSecurityPolicyMiddleware",
    "tendik.core.metrics.RequestMetricsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "tendik.core.pagecache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tendik.core.sessions.IdleTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "tendik.core.middleware.StaffSecondFactorMiddleware",
    "tendik.core.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "tendik.core.middleware.PlatformErrorPagesMiddleware",
]

ROOT_URLCONF = "tendik.urls"
WSGI_APPLICATION = "tendik.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tendik.core.context_processors.platform",
            ],
        },
    },
]

def database_config(url: str) -> dict[str, Any]:
    """DATABASE_URL → Django settings; SQLite runs in WAL mode with a busy timeout."""
    config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=0))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
            ),
            "transaction_mode": "IMMEDIATE",
        }
        # Opening a SQLite connection costs more than serving a kept page (1.7 ms against
        # 0.4): each of the server's threads keeps its own.
        config["CONN_MAX_AGE"] = envint("DB_CONN_MAX_AGE", 60)
    else:
        config["CONN_MAX_AGE"] = envint("DB_CONN_MAX_AGE", 60)
        config["CONN_HEALTH_CHECKS"] = True
        if config["ENGINE"] == "django.db.backends.postgresql":
            # Pages run short queries: PostgreSQL's JIT compiler, which starts on large
            # cost estimates, spent more than it saved on the order queues (bench/portal.py).
            options = config.setdefault("OPTIONS", {})
            options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    return config


# Database: SQLite in WAL mode under var/ unless DATABASE_URL names another.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASE_URL = envstr("DATABASE_URL", f"sqlite:///{VAR_DIR / 'tendik.sqlite3'}")
DATABASES = {"default": database_config(DATABASE_URL)}
# A streaming replica of the PostgreSQL primary for read-heavy pages (tendik/core/replica.py).
DATABASE_REPLICA_URL = envstr("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {**database_config(DATABASE_REPLICA_URL),
                            "TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS = ["tendik.core.replica.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache every process and server shares: a table in the database by default (made
# with the schema), Redis where CACHE_URL names one (redis://host:6379/0).
CACHE_URL = envstr("CACHE_URL", "db://")
CACHES = {"default": (
    {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    if CACHE_URL.startswith(("redis://", "rediss://"))
    else {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
          "LOCATION": "tendik_cache", "OPTIONS": {"MAX_ENTRIES": 20000}})}
# Who may read /metrics (tendik/core/metrics.py): the monitoring server's addresses.
METRICS_ALLOWED = envlist("METRICS_ALLOWED", ["127.0.0.1/32", "::1/128"])
# How often the API may be called (tendik/api/throttles.py): per client address when
# anonymous, per token or person otherwise; "N/s", "N/m", "N/h" or "N/d".
API_ANONYMOUS_RATE = envstr("API_ANONYMOUS_RATE", "600/m")
API_IDENTIFIED_RATE = envstr("API_IDENTIFIED_RATE", "3000/m")
# Anonymous answers are kept this long at most (tendik/core/pagecache.py); 0 turns it off.
PAGE_CACHE_SECONDS = envint("PAGE_CACHE_SECONDS", 60)

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
CSRF_FAILURE_VIEW = "tendik.core.errors.csrf_failure"
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

# Every staff role must pass a TOTP second factor. Turning this off is for local demos
# only and is reported by `manage.py check --deploy` (tendik.W001).
TENDIK_REQUIRE_STAFF_OTP = envbool("TENDIK_REQUIRE_STAFF_OTP", True)
OTP_TOTP_ISSUER = "Teńdik"

# Login lockout (django-axes): five failures for one username from one address lock it
# for an hour; a successful login resets the count.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_HOURS", 1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_VERBOSE = False
AXES_ENABLED = envbool("AXES_ENABLED", True)
AXES_CLIENT_IP_CALLABLE = "tendik.core.network.client_ip"
# The TLS proxies (addresses or networks) whose X-Forwarded-For names the client; from
# any other connection the header is ignored (tendik/core/network.py).
TRUSTED_PROXIES = envlist("TRUSTED_PROXIES", [])

LANGUAGE_CODE = "ru"
LANGUAGES = [
    ("ru", _("Russian")),
    ("kk", _("Kazakh")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "tendik" / "locale"]
TIME_ZONE = "Asia/Almaty"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(envstr("STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise serves from here after collectstatic
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(VAR_DIR / "media")))
# The application serves published uploads itself unless the proxy does (SERVE_MEDIA=0).
SERVE_MEDIA = envbool("SERVE_MEDIA", True)
# The production server (scripts/serve.sh) collects the static files with hashed,
# compressed names that browsers may keep for a year; elsewhere they are served from
# the apps' folders as they are.
STATIC_MANIFEST = envbool("STATIC_MANIFEST", False)
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": (
        "whitenoise.storage.CompressedManifestStaticFilesStorage" if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage")},
}

# The accessibility map's background. Empty: no background tiles (the markers, the list
# and everything else still work); point it at the ministry's own tile server in
# production, as OpenStreetMap's tile policy asks of heavy users.
ACCESS_MAP_TILES_URL = envstr("ACCESS_MAP_TILES_URL",
                              "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
ACCESS_MAP_TILES_ATTRIBUTION = envstr(
    "ACCESS_MAP_TILES_ATTRIBUTION",
    '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>')

vars().update(email_settings(envstr("EMAIL_URL", "console://")))
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "Teńdik <noreply@tendik.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# A job whose worker gives no heartbeat for this long is run again (tendik/core/jobs.py);
# a job that fails is tried this many times in all.
TASK_LEASE_SECONDS = envint("TASK_LEASE_SECONDS", 60)
TASK_MAX_ATTEMPTS = envint("TASK_MAX_ATTEMPTS", 3)
TASKS = {
    "default": {
        "BACKEND": envstr("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "email"],
    }
}

# Security: strict by default in production (DEBUG off).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG and envbool("SECURE_COOKIES", True)
# Signed out after this long without a request (tendik/core/sessions.py): staff soon;
# everyone else after WCAG 2.2.1's twenty hours, so a long form is not lost overnight.
STAFF_IDLE_MINUTES = envint("STAFF_IDLE_MINUTES", 30)
IDLE_MINUTES = envint("IDLE_MINUTES", 20 * 60)
STAFF_SESSION_HOURS = envint("STAFF_SESSION_HOURS", 12)
SESSION_COOKIE_AGE = 7 * 24 * 3600
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = not DEBUG and envbool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 0 if DEBUG else envint("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if envbool("BEHIND_TLS_PROXY", False) else None
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    "loggers": {name: {"level": "WARNING"} for name in ("axes", "fontTools", "weasyprint")},
}
