from __future__ import annotations

from typing import Any

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
