"""What every API call's input must be before an endpoint sees it.

PostgreSQL refuses text with a NUL character (and text that is not Unicode), and a
request body may be of any size: without these checks such input reached the database
and came back as a server error. Each refusal is a 400, 413 or 422 in the API's error
shape, saying what was wrong and where.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

# The largest body an endpoint needs is a report's figures or narratives: some kilobytes.
MAX_BODY_BYTES = 1024 * 1024


def unfit(text: str) -> bool:
    """Text the database cannot keep: with a NUL, or with a lone surrogate (not Unicode)."""
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def unfit_places(value: Any, place: tuple[Any, ...]) -> Iterator[tuple[Any, ...]]:
    """Where in a decoded JSON value there is unfit text, keys included."""
    if isinstance(value, str):
        if unfit(value):
            yield place
    elif isinstance(value, dict):
        for key, item in value.items():
            if unfit(str(key)):
                yield (*place, key)
            else:
                yield from unfit_places(item, (*place, key))
    elif isinstance(value, list):
        for n, item in enumerate(value):
            yield from unfit_places(item, (*place, n))


def body_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


@dataclass(frozen=True)
class Refusal:
    status: int
    code: str
    message: str
    details: list[dict[str, Any]] = field(default_factory=list)


def refusal(request: HttpRequest, path_params: dict[str, Any]) -> Refusal | None:
    """Why the call's input cannot be taken, if it cannot."""
    too_large = _("The request body is too large: at most %(size)s MB.") % {
        "size": MAX_BODY_BYTES // (1024 * 1024)}
    if body_length(request) > MAX_BODY_BYTES:
        return Refusal(413, "too_large", too_large)
    if any(unfit(str(value)) for key, value in request.META.items()
           if key.startswith("HTTP_")):
        return Refusal(400, "bad_header",
                       _("A header of the request has a character that is not allowed."))
    places: list[tuple[Any, ...]] = []
    for name, value in path_params.items():
        if isinstance(value, str) and unfit(value):
            places.append((name,))
    for key in request.GET:
        if unfit(key) or any(unfit(v) for v in request.GET.getlist(key)):
            places.append((key,))
    if request.body:
        if len(request.body) > MAX_BODY_BYTES:
            return Refusal(413, "too_large", too_large)
        try:
            decoded = json.loads(request.body)
        except ValueError:
            decoded = None  # not JSON: the endpoint's own parsing answers that
        places.extend(unfit_places(decoded, ()))
    if places:
        message = _("Text may not contain the NUL character (\\u0000) and must be valid "
                    "Unicode.")
        return Refusal(422, "invalid", _("The request is not valid."), [
            {"field": ".".join(str(p) for p in place) or None, "message": message}
            for place in places])
    return None
