from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tendik.plan.services import load_national_plan


class Command(BaseCommand):
    help = ("Load the National Plan (decree No. 326 and its amendments) from its reviewed "
            "data file, tendik/plan/data/measures.json. Measures already loaded are kept: "
            "after the first load the plan changes through analysts' edits, each naming its "
            "amending act.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, default=None,
                            help="Another data file of the same format.")

    def handle(self, *args: Any, **options: Any) -> None:
        counts = load_national_plan(options["file"])
        for key in sorted(counts):
            self.stdout.write(f"{key}: {counts[key]}")
