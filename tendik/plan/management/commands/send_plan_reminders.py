import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tendik.plan.reporting import send_due_reminders
from tendik.plan.tasks import schedule_reminders


class Command(BaseCommand):
    help = ("Send the e-mail reminders of the plan's reporting that are due: 14 and 3 days "
            "before 20 January and once overdue, each exactly once per report. With "
            "--schedule, book the daily run in the background worker's queue instead.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--schedule", action="store_true",
                            help="Queue the daily run (idempotent) and send nothing now.")
        parser.add_argument("--date", type=dt.date.fromisoformat, default=None,
                            help="Act as if today were this date (YYYY-MM-DD).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schedule"]:
            added = schedule_reminders()
            self.stdout.write("daily reminders: " + ("scheduled" if added else
                                                      "already scheduled or not needed"))
            return
        run = send_due_reminders(options["date"])
        for kind, count in sorted(run.sent.items()):
            self.stdout.write(f"{kind}: {count}")
        self.stdout.write(f"without an e-mail address: {run.skipped_no_address}")
