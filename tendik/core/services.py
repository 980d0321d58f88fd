"""Actions of the core domain. Each owns its transaction and leaves an audit event."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import login as django_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from tendik.core.audit import acting_as, record_event
from tendik.core.display import SESSION_KEY, DisplayPreferences
from tendik.core.models import ApiToken, AuditEvent, Organisation, User


def sign_in(request: HttpRequest, user: User) -> None:
    with transaction.atomic(), acting_as(user=user):
        django_login(request, user)
        record_event(AuditEvent.Action.LOGIN, user)
        # The profile's display preferences follow the person to this device.
        if user.display_preferences and not request.session.get(SESSION_KEY):
            request.session[SESSION_KEY] = DisplayPreferences.from_mapping(
                user.display_preferences).as_dict()


def confirmed_totp_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()  # type: ignore[attr-defined]


def pending_totp_device(user: User) -> TOTPDevice:
    """The unconfirmed device being enrolled, created on first need."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Teńdik", confirmed=False)
    return device


def verify_second_factor(request: HttpRequest, user: User, token: str) -> bool:
    """Check the code against the user's device; on success mark the session verified."""
    device = confirmed_totp_device(user)
    if device is None or not device.verify_token(token):
        return False
    otp_login(request, device)
    return True


def enrol_second_factor(request: HttpRequest, user: User, token: str) -> bool:
    device = pending_totp_device(user)
    if not device.verify_token(token):
        return False
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).exclude(pk=device.pk).delete()
        record_event(AuditEvent.Action.OTP_ENROLLED, user)
    otp_login(request, device)
    return True


def save_display_preferences(request: HttpRequest, preferences: DisplayPreferences) -> None:
    request.session[SESSION_KEY] = preferences.as_dict()
    user = request.user
    if user.is_authenticated and user.display_preferences != preferences.as_dict():  # type: ignore[union-attr]
        with transaction.atomic():
            user.display_preferences = preferences.as_dict()  # type: ignore[union-attr]
            user.save(update_fields=["display_preferences"])  # type: ignore[union-attr]


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    raw_key: str


ISSUE_OWN_TOKENS = "core.issue_own_tokens"


def administers_tokens_of(user: User, organisation: Organisation) -> bool:
    """The organisation's own administrator: one of its staff holding the permission to
    issue its tokens. Nobody else, however wide their scope, acts as the organisation."""
    return (user.is_active and user.organisation_id == organisation.pk
            and user.has_perm(ISSUE_OWN_TOKENS))


def may_issue_tokens(user: User, organisation: Organisation) -> bool:
    return user.is_active and (user.is_superuser or administers_tokens_of(user, organisation))


def _token_reason(by: User, organisation: Organisation) -> str:
    """A platform superuser acting for another organisation says so in the audit trail."""
    if administers_tokens_of(by, organisation):
        return ""
    return f"by a platform superuser for the organisation {organisation.code}"


def issue_api_token(organisation: Organisation, name: str, by: User | None) -> IssuedToken:
    """Create a token; the raw key is returned once and never stored. `by` is the person
    issuing it, who must be the organisation's administrator or a platform superuser
    (None: the platform itself, in a command or a data load)."""
    if by is not None and not may_issue_tokens(by, organisation):
        raise PermissionDenied
    raw = ApiToken.generate_key()
    token = ApiToken(organisation=organisation, name=name, created_by=by)
    token.set_key(raw)
    attribution: dict[str, Any] = {"user": by, "reason": _token_reason(by, organisation)} \
        if by else {}
    with transaction.atomic(), acting_as(**attribution):
        token.save()
    return IssuedToken(token=token, raw_key=raw)


def revoke_api_token(token: ApiToken, by: User | None = None) -> None:
    if by is not None and not may_issue_tokens(by, token.organisation):
        raise PermissionDenied
    if token.revoked_at is not None:
        return
    attribution: dict[str, Any] = \
        {"user": by, "reason": _token_reason(by, token.organisation)} if by else {}
    with transaction.atomic(), acting_as(**attribution):
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
