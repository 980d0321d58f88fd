from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tendik.core.demo import logins
from tendik.core.prepare import prepare


class Command(BaseCommand):
    help = ("Make the database ready in one go: the schema, the reference data, the "
            "National Plan, its indicators, the passport checklist, the classifier, the "
            "demo (with --demo) and the background jobs' schedule. Each step prints what "
            "it loads, how many rows it wrote and its time; a step whose data and code are "
            "unchanged since it last loaded is skipped, so a second start takes seconds.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--demo", action="store_true",
                            help="Load the demonstration accounts and data too (refused "
                                 "with DEBUG off unless --allow-without-debug).")
        parser.add_argument("--allow-without-debug", action="store_true",
                            help="Load the demo even though DEBUG is off (never on a "
                                 "production database: the demo password is public).")
        parser.add_argument("--force", action="store_true",
                            help="Run every step, even those whose source is unchanged.")
        parser.add_argument("--no-schedule", action="store_true",
                            help="Do not book the background jobs' daily runs.")

    def handle(self, *args: Any, **options: Any) -> None:
        demo = options["demo"]
        if demo and not settings.DEBUG and not options["allow_without_debug"]:
            raise CommandError("DEBUG is off: the demo is not loaded into what may be a "
                               "production database. Use --allow-without-debug to insist.")

        def write(line: str) -> None:
            self.stdout.write(line)
            self.stdout.flush()

        prepare(write, demo=demo, force=options["force"], schedule=not options["no_schedule"])
        if demo:
            for line in logins():
                write(line)
