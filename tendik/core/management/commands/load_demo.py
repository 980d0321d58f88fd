from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tendik.core.demo import domain_loaders, load_demo, logins


class Command(BaseCommand):
    help = ("Create the demonstration accounts (one per role) and their organisations, and "
            "print the logins with each account's TOTP secret. Safe to run again.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--allow-without-debug", action="store_true",
                            help="Load even though DEBUG is off (never on a production "
                                 "database: the demo password is public).")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["allow_without_debug"]:
            raise CommandError("DEBUG is off: the demo is not loaded into what may be a "
                               "production database. Use --allow-without-debug to insist.")
        load_demo()
        for _name, load in domain_loaders():
            self.stdout.write(load())
        for line in logins():
            self.stdout.write(line)
