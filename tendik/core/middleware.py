from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from tendik.core.audit import Actor, acting_as

# Paths a staff member may reach before passing the second factor.
SECOND_FACTOR_OPEN_PREFIXES = ("/static/", "/media/", "/api/", "/i18n/")
SECOND_FACTOR_OPEN_NAMES = ("core:login", "core:logout", "core:otp_verify", "core:otp_setup",
                            "core:display")


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


class AuditContextMiddleware:
    """Attributes every write made while handling a request to its user and address."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user if request.user.is_authenticated else None
        with acting_as(Actor(user=user, ip_address=client_ip(request))):  # type: ignore[arg-type]
            return self.get_response(request)


class StaffSecondFactorMiddleware:
    """A staff member signed in with a password alone is sent to the TOTP step."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            settings.TENDIK_REQUIRE_STAFF_OTP
            and user.is_authenticated
            and (user.is_staff_role or user.is_superuser)  # type: ignore[union-attr]
            and not user.is_verified()  # type: ignore[union-attr,attr-defined]
            and not self.is_open(request.path_info)
        ):
            return redirect(f"{reverse('core:otp_verify')}?{urlencode({'next': request.path})}")
        return self.get_response(request)

    @staticmethod
    def is_open(path: str) -> bool:
        if path.startswith(SECOND_FACTOR_OPEN_PREFIXES):
            return True
        return any(path == reverse(name) for name in SECOND_FACTOR_OPEN_NAMES)
