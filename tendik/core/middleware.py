from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from tendik.core import errors
from tendik.core.audit import Actor, acting_as
from tendik.core.network import client_ip

# Paths a staff member may reach before passing the second factor.
SECOND_FACTOR_OPEN_PREFIXES = ("/static/", "/media/", "/api/", "/i18n/")
SECOND_FACTOR_OPEN_NAMES = ("core:login", "core:logout", "core:otp_verify", "core:otp_setup",
                            "core:display")


def content_security_policy() -> str:
    """Scripts, styles, fonts and requests from the platform itself only; images also from
    the map's tile server. No inline script or style attribute runs, so injected markup
    can do nothing; the platform's pages have none (tests/core/test_security_headers.py)."""
    from urllib.parse import urlsplit

    tiles = urlsplit(settings.ACCESS_MAP_TILES_URL.replace("{s}", "a"))
    tile_origin = f" {tiles.scheme}://{tiles.netloc}" if tiles.netloc else ""
    return ("default-src 'self'; script-src 'self'; style-src 'self'; "
            f"img-src 'self' data: blob:{tile_origin}; font-src 'self'; connect-src 'self'; "
            "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


class ContentSecurityPolicyMiddleware:
    """Every answer carries the policy, unless a view has set a policy of its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = content_security_policy()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        return response


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


# Set on a request whose view raised: its error response is Django's, not the view's own.
VIEW_FAILED_ATTRIBUTE = "_tendik_view_failed"


class PlatformErrorPagesMiddleware:
    """With DEBUG on, Django answers a missing page, a bad request and a server error with
    its technical pages. The platform's own pages are shown in their place, so that a
    person trying `make run` sees what production shows; DEBUG_ERROR_PAGES=1 brings
    Django's pages back for a developer. Django still builds and logs its response, so
    tracebacks reach the console as before.

    Only the answers Django makes of an error are replaced: those of a view that raised
    and those of an address that matches no page. A view's own error response (the
    API's JSON, for one) passes unchanged. Innermost in MIDDLEWARE, so that the locale
    and common middleware still see a 404 and redirect to the prefixed or slashed path.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not settings.DEBUG or errors.debug_pages_wanted():
            return response
        page = errors.PAGES.get(response.status_code)
        if page is None:
            return response
        view_failed = getattr(request, VIEW_FAILED_ATTRIBUTE, False)
        unresolved = response.status_code == 404 and request.resolver_match is None
        return page(request) if view_failed or unresolved else response

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        setattr(request, VIEW_FAILED_ATTRIBUTE, True)
