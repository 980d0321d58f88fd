from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tendik.core.audit import AuditEvent, acting_as, record_event
from tendik.core.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from tendik.core.models import User

DEMO_USERNAMES = frozenset(account.username for account in DEMO_ACCOUNTS)


def is_demo_account(user: User) -> bool:
    """One of the demo's own logins, still with the demo's published password: nothing a
    real person depends on."""
    return (user.username in DEMO_USERNAMES
            and user.email == f"{user.username}@demo.tendik.local"
            and user.check_password(DEMO_PASSWORD))


class Command(BaseCommand):
    help = ("Print the current six-digit sign-in code of a demo account (demo.analyst, "
            "demo.admin, …), for trying the demo without an authenticator app. Works in "
            "any mode for the demo's own accounts, whose password is public anyway; "
            "refuses every other account. Each code shown is written to the audit trail.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"]
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no account {username}. The demo's accounts are "
                               f"made by `manage.py prepare --demo` (part of `make run`).")
        if not is_demo_account(user):
            raise CommandError(
                f"{username} is not a demo account: its sign-in code is shown only by its "
                "owner's authenticator app. This command serves the demo's own accounts.")
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            raise CommandError(f"{username} signs in with its password alone: it has no "
                               "second factor.")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        with acting_as(label="totp_code"):
            record_event(AuditEvent.Action.DEMO_CODE_SHOWN, user)
        self.stdout.write(f"{totp.token():0{device.digits}d}")
