from __future__ import annotations

from functools import partial
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url

from tendik.core import workspaces
from tendik.core.display import preferences_for

# After signing in from these pages a person goes to their own work, not back.
NO_RETURN_AFTER_SIGN_IN = frozenset({"core:home", "core:login", "core:logout"})


def sign_in_next(request: HttpRequest) -> str:
    """Where the header's «Sign in» returns to: the page the person is on, unless it is
    the home page or an address that matches no page."""
    match = getattr(request, "resolver_match", None)
    if match is None or match.view_name in NO_RETURN_AFTER_SIGN_IN:
        return ""
    return request.path


def platform(request: HttpRequest) -> dict[str, Any]:
    path = request.get_full_path()
    return {
        "display": preferences_for(request),
        "language_links": [
            {"code": code, "url": translate_url(path, code), "name": name}
            for code, name in settings.LANGUAGES
        ],
        # Called by the template only where used: the header's «My …» link.
        "my_work": partial(workspaces.work_page, getattr(request, "user", None)),
        "office_in_header": partial(workspaces.office_beside_work_page,
                                    getattr(request, "user", None)),
        "sign_in_next": partial(sign_in_next, request),
    }
