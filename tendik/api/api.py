"""The JSON API under /api/v1/: one router module per domain, one error shape for all."""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from tendik.api import (
    access,
    catalogue,
    core,
    indicators,
    inputs,
    me,
    plan,
    plan_reports,
    portal_orders,
    tokens,
    workforce,
)
from tendik.api.throttles import AnonymousCalls, IdentifiedCalls

logger = logging.getLogger(__name__)

api = NinjaAPI(
    title="Teńdik API",
    version="1",
    description=(
        "Open data and machine access to Teńdik, the platform of the National Plan on the "
        "rights and quality of life of persons with disabilities. Reference data is public; "
        "other endpoints take an organisation's bearer token or the browser session. "
        "Every failure has the shape {\"error\": {status, code, message, details}}."
    ),
    urls_namespace="api-v1",
    # The documentation is Teńdik's own accessible page (tendik/api/reference.py):
    # /api/v1/docs leads there.
    docs_url=None,
    throttle=[AnonymousCalls(), IdentifiedCalls()],
)
api.add_router("/", core.router)
api.add_router("/", me.router)
api.add_router("/", plan.router)
api.add_router("/", plan_reports.router)
api.add_router("/", indicators.router)
api.add_router("/", access.router)
api.add_router("/", catalogue.router)
api.add_router("/", portal_orders.router)
api.add_router("/", workforce.router)
api.add_router("/", tokens.router)


def error(request: HttpRequest, status: int, code: str, message: str,
          details: list[dict[str, object]] | None = None) -> HttpResponse:
    return api.create_response(request, {"error": {
        "status": status, "code": code, "message": message, "details": details or [],
    }}, status=status)


def field_of(loc: list[object]) -> str | None:
    """Where in the request an error is, as the caller wrote it: `address`, not
    `body.payload.address` (every body of this API is its operation's `payload`)."""
    place = list(loc[1:])
    if loc[:1] == ["body"] and place[:1] == ["payload"]:
        place = place[1:]
    return ".".join(str(p) for p in place) or None


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    details = [
        {"field": field_of(list(item.get("loc", []))), "message": item.get("msg", "")}
        for item in exc.errors
    ]
    return error(request, 422, "invalid", _("The request is not valid."), details)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error(request, 404, "not_found", _("Not found."))


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error(request, 401, "unauthenticated",
                 _("Credentials are missing or not valid."))


@api.exception_handler(PermissionDenied)
def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error(request, 403, "forbidden", _("You do not have access to this."))


@api.exception_handler(Throttled)
def on_throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    seconds = max(1, math.ceil(exc.wait or 1))
    response = error(request, 429, "too_many_requests", ngettext(
        "Too many requests. Try again in %(seconds)s second.",
        "Too many requests. Try again in %(seconds)s seconds.", seconds)
        % {"seconds": seconds})
    response["Retry-After"] = str(seconds)
    return response


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error(request, exc.status_code, "error", str(exc))


@api.exception_handler(Exception)
def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("Unhandled API error on %s", request.path)
    return error(request, 500, "server_error", _("Something went wrong on our side."))


@api.exception_handler(RequestDataTooBig)
def on_too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return error(request, 413, "too_large", _("The request body is too large."))


def checked_input(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Every operation answers input it cannot take (tendik/api/inputs.py) before it
    authenticates the caller or parses anything."""

    @wraps(run)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        refused = inputs.refusal(request, kwargs)
        if refused is not None:
            return error(request, refused.status, refused.code, refused.message,
                         refused.details)
        return run(request, *args, **kwargs)

    return wrapper


api.add_decorator(checked_input, mode="view")


def unknown_endpoint(request: HttpRequest, rest: str) -> HttpResponse:
    """Anything under /api/v1/ that matches no endpoint answers in the API's error shape."""
    return error(request, 404, "not_found", _("There is no such endpoint."))
