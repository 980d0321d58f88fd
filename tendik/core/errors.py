"""The platform's own error pages: 400, 403 (and a refused form, CSRF), 404 and 500.

They are the site's pages: its header and navigation, the page's language, the person's
low-vision settings, and what to do next. Django calls these views when DEBUG is off
(tendik/urls.py names them, settings.CSRF_FAILURE_VIEW the refused form); with DEBUG on,
`PlatformErrorPagesMiddleware` shows them in place of Django's technical pages unless
the developer asked for those (DEBUG_ERROR_PAGES=1). No page shows the error's text,
which may hold internal details.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader

logger = logging.getLogger(__name__)

# What the server answers if even the error page cannot be drawn (the database is down):
# a self-contained page in the three languages.
MINIMAL_SERVER_ERROR = "core/errors/500_minimal.html"


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without its security token: an expired page or blocked cookies."""
    return render(request, "403_csrf.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    try:
        return render(request, "500.html", status=500)
    except Exception:
        logger.exception("The page for a server error could not be drawn")
        return HttpResponseServerError(loader.render_to_string(MINIMAL_SERVER_ERROR))


PAGES: dict[int, Callable[[HttpRequest], HttpResponse]] = {
    400: bad_request,
    404: page_not_found,
    500: server_error,
}


def debug_pages_wanted() -> bool:
    """A developer asked for Django's technical pages (URL patterns, tracebacks)."""
    return bool(settings.DEBUG and settings.TENDIK_DEBUG_ERROR_PAGES)
