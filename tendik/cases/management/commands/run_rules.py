import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tendik.cases.rules import run_rules
from tendik.cases.tasks import schedule_rules


class Command(BaseCommand):
    help = ("Run the proactive rules: incrementally (what changed or came due since the "
            "last run) unless --full; --schedule books the nightly run instead.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--full", action="store_true", help="Look at the whole registry.")
        parser.add_argument("--as-of", type=dt.date.fromisoformat, default=None,
                            help="The day to run as of (YYYY-MM-DD), today by default.")
        parser.add_argument("--schedule", action="store_true",
                            help="Only book the nightly run in the task queue.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schedule"]:
            booked = schedule_rules()
            self.stdout.write("nightly run booked" if booked else "nightly run already booked")
            return
        result = run_rules(options["as_of"], incremental=not options["full"])
        run = result.run
        self.stdout.write(f"{'incremental' if run.incremental else 'full'} run as of "
                          f"{run.as_of}: {run.hits} new hits in {run.seconds:.2f} s")
        for code, hits in result.by_rule.items():
            self.stdout.write(f"  {code:<32} {hits}")
