"""The site's URLs and pages that fail on purpose, for tests/core/test_error_pages.py."""

from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import path

from tendik.urls import handler400, handler403, handler404, handler500  # noqa: F401
from tendik.urls import urlpatterns as site_urlpatterns


def refused(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def unreadable(request: HttpRequest) -> HttpResponse:
    raise BadRequest("internal detail: the parser's state")


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("internal detail: a secret table name")


urlpatterns = [
    path("failing/403/", refused),
    path("failing/400/", unreadable),
    path("failing/500/", broken),
    *site_urlpatterns,
]
