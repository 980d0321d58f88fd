"""Sessions end after a time without activity.

A staff member, who sees many persons' data, is signed out after STAFF_IDLE_MINUTES
(30) without a request, and STAFF_SESSION_HOURS (12) after signing in whatever they do.
Everyone else is signed out after IDLE_MINUTES: twenty hours, WCAG 2.2.1's exception,
so that a person who fills in a long form slowly, or comes back to it the next
morning, is not timed out without a warning.

The time of the last request is kept in the session and written at most once a minute,
so that a page view does not always rewrite the session's row; a timeout therefore
comes up to a minute late, never early.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, user_logged_in
from django.contrib.messages.storage import default_storage
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext

from tendik.core.audit import Actor, acting_as, record_event
from tendik.core.display import SESSION_KEY as DISPLAY_KEY
from tendik.core.models import AuditEvent
from tendik.core.network import client_ip

ACTIVE_AT = "tendik_active_at"
SIGNED_IN_AT = "tendik_signed_in_at"
# Seconds between two writes of the last request's time.
WRITE_EVERY = 60

# Files: no session of theirs is touched.
UNTIMED_PREFIXES = ("/static/", "/media/")
# Answered as an anonymous visitor once the session has ended, not sent to sign in: the
# API answers for itself, and the sign-in, sign-out and language forms work as they are.
ANONYMOUS_PREFIXES = ("/api/", "/i18n/")
ANONYMOUS_NAMES = ("core:login", "core:logout")


def is_staff(user: Any) -> bool:
    return bool(user.is_staff_role or user.is_superuser)


def idle_limit(user: Any) -> int:
    """Seconds without a request after which the user is signed out."""
    minutes = settings.STAFF_IDLE_MINUTES if is_staff(user) else settings.IDLE_MINUTES
    return int(minutes) * 60


def ended_because(user: Any, session: Any, now: int) -> str | None:
    """Why this session is over, in words for its owner; None while it goes on."""
    active_at = session.get(ACTIVE_AT)
    if active_at is not None and now - active_at >= idle_limit(user) + WRITE_EVERY:
        minutes = idle_limit(user) // 60
        if minutes % 60 == 0:
            return ngettext(
                "You were signed out after %(count)s hour without activity. Anything you "
                "had not sent is not saved.",
                "You were signed out after %(count)s hours without activity. Anything you "
                "had not sent is not saved.", minutes // 60) % {"count": minutes // 60}
        return ngettext(
            "You were signed out after %(count)s minute without activity. Anything you "
            "had not sent is not saved.",
            "You were signed out after %(count)s minutes without activity. Anything you "
            "had not sent is not saved.", minutes) % {"count": minutes}
    signed_in_at = session.get(SIGNED_IN_AT)
    hours = int(settings.STAFF_SESSION_HOURS)
    if is_staff(user) and signed_in_at is not None and now - signed_in_at >= hours * 3600:
        return ngettext(
            "Staff are signed out %(count)s hour after signing in. Sign in again; anything "
            "you had not sent is not saved.",
            "Staff are signed out %(count)s hours after signing in. Sign in again; anything "
            "you had not sent is not saved.", hours) % {"count": hours}
    return None


@receiver(user_logged_in)
def _signed_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    # Signing in again keeps the session's data (Django only changes its key): the
    # clocks start anew.
    session = getattr(request, "session", None)
    if session is not None:
        now = int(timezone.now().timestamp())
        session[ACTIVE_AT] = session[SIGNED_IN_AT] = now


class IdleTimeoutMiddleware:
    """Signs out a session that has been idle too long and sends its owner to sign in
    again, back to the page they were on. Placed right after AuthenticationMiddleware,
    before anything acts as the user."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if request.path_info.startswith(UNTIMED_PREFIXES) or not user.is_authenticated:
            return self.get_response(request)
        session = request.session
        now = int(timezone.now().timestamp())
        reason = ended_because(user, session, now)
        if reason is not None:
            self.sign_out(request, user)
            if self.is_anonymous_ok(request.path_info):
                return self.get_response(request)
            return self.to_sign_in(request, reason)
        if now - session.get(ACTIVE_AT, 0) >= WRITE_EVERY:
            session[ACTIVE_AT] = now
        session.setdefault(SIGNED_IN_AT, now)
        return self.get_response(request)

    @staticmethod
    def sign_out(request: HttpRequest, user: Any) -> None:
        with acting_as(Actor(user=user, ip_address=client_ip(request),
                             reason="signed out after a time without activity")):
            record_event(AuditEvent.Action.LOGOUT, user)
        # The person's display settings (large text, high contrast) stay for the
        # sign-in page: they did not ask to leave.
        display = request.session.get(DISPLAY_KEY)
        logout(request)
        if display is not None:
            request.session[DISPLAY_KEY] = display

    @staticmethod
    def is_anonymous_ok(path: str) -> bool:
        if path.startswith(ANONYMOUS_PREFIXES):
            return True
        return any(path == reverse(name) for name in ANONYMOUS_NAMES)

    @staticmethod
    def to_sign_in(request: HttpRequest, reason: str) -> HttpResponse:
        # MessageMiddleware comes later in the chain and is not reached: the message
        # storage is opened, and written to the answer, here.
        storage = default_storage(request)
        request._messages = storage  # type: ignore[attr-defined]
        messages.warning(request, reason)
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            # A form sent after the timeout is not handled: say so, rather than let
            # the person believe it went through.
            messages.warning(request, gettext(
                "What you had just sent was not saved. Sign in and send it again; your "
                "browser's Back button may still show what you typed."))
        target = f"{reverse('core:login')}?{urlencode({'next': request.get_full_path()})}"
        response = redirect(target)
        storage.update(response)
        return response
