"""Whole answers for people who are not signed in: public pages and the open API.

Most traffic of a national service is anonymous and the same for everyone: the plan,
the indicators, the map and its API. Such an answer is kept in the shared cache (the
database's cache table by default, so every server and process sees the same one) and
served again without running the view.

What is never kept: anything for a request with a session (a signed-in person, or
someone whose low-vision choices live in the session), with credentials (an API
token), or with a message waiting; an answer that sets a cookie, carries a form's CSRF
token, is not a 200, streams, or says it is private. Every change to the data ends a
transaction that records an audit event; that bumps the cache's generation, which is
part of every key, so no answer outlives the data it shows. PAGE_CACHE_SECONDS bounds
the rest (changes written without an audit event, such as the scheduler's own rows).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

GENERATION_KEY = "tendik:pages:generation"
# Signing in and out change nobody's public page.
NOT_A_CHANGE = {"login", "login_failed", "logout", "otp_enrolled", "demo_code_shown",
                "access_refused", "backup"}
# The only cookies an anonymous page may be served from the cache with.
NEUTRAL_COOKIES = {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}


# Each process also keeps the answers it served last in its own memory, and reads the
# shared generation at most once a second: a kept page then costs no query at all. A
# change made through this process is seen at once; one made through another process or
# server within LOCAL_SECONDS.
LOCAL_SECONDS = 1.0
LOCAL_ANSWERS = 500
_local_lock = threading.Lock()
_local_answers: OrderedDict[str, Any] = OrderedDict()
_local_generation: list[Any] = [None, 0.0]  # the value, and when it was read


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        value = cache.get(GENERATION_KEY, 1)
    return int(value)


def _current_generation() -> int:
    value, read_at = _local_generation
    now = time.monotonic()
    if value is None or now - read_at > LOCAL_SECONDS:
        value = generation()
        _local_generation[:] = [value, now]
    return int(value)


def bump_generation() -> None:
    try:
        value = cache.incr(GENERATION_KEY)
    except ValueError:  # not there yet, or evicted: any new value retires the old keys
        value = generation() + 1
        cache.set(GENERATION_KEY, value, timeout=None)
    _local_generation[:] = [value, time.monotonic()]


def _local_get(key: str) -> Any:
    with _local_lock:
        entry = _local_answers.get(key)
        if entry is None:
            return None
        expires, kept = entry
        if time.monotonic() > expires:
            del _local_answers[key]
            return None
        _local_answers.move_to_end(key)
        return kept


def _local_set(key: str, kept: Any) -> None:
    with _local_lock:
        _local_answers[key] = (time.monotonic() + settings.PAGE_CACHE_SECONDS, kept)
        _local_answers.move_to_end(key)
        while len(_local_answers) > LOCAL_ANSWERS:
            _local_answers.popitem(last=False)


def forget_local() -> None:
    """This process's own copies (tests; a shared-cache clear does not reach them)."""
    with _local_lock:
        _local_answers.clear()
    _local_generation[:] = [None, 0.0]


def _bump_once_on_commit() -> None:
    # One bump per transaction however many events it records; a rolled-back
    # transaction drops its callbacks, and with them the bump it does not need.
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
            func is bump_generation for _sids, func, _robust in connection.run_on_commit):
        return
    transaction.on_commit(bump_generation)


def _cacheable_request(request: HttpRequest) -> bool:
    if request.method != "GET" or not settings.PAGE_CACHE_SECONDS:
        return False
    if "HTTP_AUTHORIZATION" in request.META or "HTTP_X_API_KEY" in request.META:
        return False
    return set(request.COOKIES) <= NEUTRAL_COOKIES


def _cacheable_response(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE_USED"):
        return False
    cache_control = response.get("Cache-Control", "")
    return "private" not in cache_control and "no-store" not in cache_control


def _key(request: HttpRequest) -> str:
    # The language is in the path; Accept-Language only matters where the path has none,
    # and those answers are redirects, which are not kept.
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"tendik:pages:{_current_generation()}:{digest}"


class AnonymousPageCacheMiddleware:
    """Serves a kept answer to a request with no session and keeps new ones."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _cacheable_request(request):
            return self.get_response(request)
        key = _key(request)
        kept = _local_get(key)
        if kept is None:
            kept = cache.get(key)
            if kept is not None:
                _local_set(key, kept)
        if kept is not None:
            status, headers, content = kept
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            return response
        response = self.get_response(request)
        if _cacheable_response(request, response):
            headers = [(name, value) for name, value in response.items()
                       if name.lower() != "set-cookie"]
            kept = (response.status_code, headers, response.content)
            cache.set(key, kept, timeout=settings.PAGE_CACHE_SECONDS)
            _local_set(key, kept)
        return response


@receiver(post_save, dispatch_uid="tendik.pagecache.bump")
def _data_changed(sender: type[Any], instance: Any, created: bool, raw: bool = False,
                  **kwargs: Any) -> None:
    from tendik.core.models import AuditEvent

    if sender is AuditEvent and created and not raw and instance.action not in NOT_A_CHANGE:
        _bump_once_on_commit()
