from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.dispatch import receiver
from django.utils.translation import gettext as _
from django.utils.translation import override

from tendik.core.audit import record_event
from tendik.core.links import page_url
from tendik.core.models import AuditEvent, User, model_label


@receiver(user_login_failed)
def record_failed_login(sender: Any, credentials: dict[str, Any], request: Any = None,
                        **kwargs: Any) -> None:
    username = str(credentials.get("username", ""))[:150]
    record_event(AuditEvent.Action.LOGIN_FAILED, model=model_label(User),
                 object_repr=username)


@receiver(user_locked_out)
def tell_owner_of_lockout(sender: Any, request: Any = None, username: str | None = None,
                          ip_address: str | None = None, **kwargs: Any) -> None:
    """The account owner learns at once that someone keeps trying their password."""
    from axes.models import AccessAttempt
    from django.conf import settings

    from tendik.core.tasks import send_email

    user = User.objects.filter(username=username).exclude(email="").first()
    if user is None:
        return
    # Axes signals every refused attempt; the owner hears once, when the lock starts.
    failures = AccessAttempt.objects.filter(username=username, ip_address=ip_address).values_list(
        "failures_since_start", flat=True).first()
    if failures is not None and failures > settings.AXES_FAILURE_LIMIT:
        return
    with override(user.preferred_language):
        subject = _("Teńdik: sign-in to your account is locked")
        body = _("There were too many failed attempts to sign in as %(username)s from "
                 "address %(ip)s. Sign-in is locked for a while. If it was not you, tell "
                 "your administrator.") % {"username": username, "ip": ip_address}
        body = f"{body}\n{page_url('core:login', user.preferred_language)}"
    transaction.on_commit(lambda: send_email.enqueue([user.email], subject, body))
