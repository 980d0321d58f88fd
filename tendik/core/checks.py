from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def second_factor_required(app_configs: Any, **kwargs: Any) -> list[Warning]:
    if settings.TENDIK_REQUIRE_STAFF_OTP:
        return []
    return [Warning(
        "TENDIK_REQUIRE_STAFF_OTP is off: staff sign in with a password alone.",
        hint="Unset TENDIK_REQUIRE_STAFF_OTP (it defaults to on) in production.",
        id="tendik.W001",
    )]


@register(Tags.security, deploy=True)
def lockout_enabled(app_configs: Any, **kwargs: Any) -> list[Warning]:
    if settings.AXES_ENABLED:
        return []
    return [Warning("AXES_ENABLED is off: repeated wrong passwords are not locked out.",
                    hint="Unset AXES_ENABLED in production.", id="tendik.W002")]


@register(Tags.security, deploy=True)
def public_address_set(app_configs: Any, **kwargs: Any) -> list[Warning]:
    """E-mails link to the pages they speak of at SITE_URL."""
    address = urlsplit(settings.SITE_URL)
    if address.scheme == "https" and address.hostname not in {None, "localhost", "127.0.0.1",
                                                             "::1"}:
        return []
    return [Warning(f"SITE_URL is {settings.SITE_URL!r}: e-mails would link there.",
                    hint="Set SITE_URL to the platform's public https:// address.",
                    id="tendik.W003")]
