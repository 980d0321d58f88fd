"""How often the API may be called: per client address for anonymous calls, per token or
signed-in person otherwise. The counts live in the shared cache, so every server and
process counts together (the database's cache table, or Redis with CACHE_URL). The
address is the client's, read through the trusted proxies only (tendik/core/network.py).
Kept anonymous answers are served before the API runs and count for nothing."""

from __future__ import annotations

import copy
import threading

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import SimpleRateThrottle

from tendik.core.network import client_ip


class _Counted(SimpleRateThrottle):
    """django-ninja keeps one throttle object for every request of every thread, and a
    throttle keeps the request's history on itself: each request counts on a copy, and
    only its wait is kept, per thread. The rate is read from the settings each time."""

    rate_setting = ""

    def __init__(self) -> None:
        super().__init__(getattr(settings, self.rate_setting))
        self._waits = threading.local()

    def allow_request(self, request: HttpRequest) -> bool:
        counting = copy.copy(self)
        counting.rate = getattr(settings, self.rate_setting)
        counting.num_requests, counting.duration = counting.parse_rate(counting.rate)
        allowed = SimpleRateThrottle.allow_request(counting, request)
        self._waits.value = None if allowed else SimpleRateThrottle.wait(counting)
        return allowed

    def wait(self) -> float | None:
        return getattr(self._waits, "value", None)


def _caller(request: HttpRequest) -> object | None:
    """The token or person calling; None for anyone (public endpoints authenticate
    everyone with `True`)."""
    auth = getattr(request, "auth", None)
    return None if auth is None or auth is True else auth


class AnonymousCalls(_Counted):
    scope = "anonymous"
    rate_setting = "API_ANONYMOUS_RATE"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        if _caller(request) is not None:
            return None  # IdentifiedCalls counts them
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}


class IdentifiedCalls(_Counted):
    scope = "identified"
    rate_setting = "API_IDENTIFIED_RATE"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        auth = _caller(request)
        if auth is None:
            return None  # AnonymousCalls counts them
        # A token or a person, by kind and primary key: two people of one name are two.
        ident = f"{type(auth).__name__}.{getattr(auth, 'pk', None) or id(auth)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
