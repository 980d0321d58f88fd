from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tendik.indicators.services import load_plan_indicators


class Command(BaseCommand):
    help = ("Load the National Plan's target indicators with their targets and the baselines "
            "of the decree (tendik/indicators/data/indicators.json). Run after load_plan. "
            "Indicators already loaded are kept.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        counts = load_plan_indicators(options["file"])
        for key in sorted(counts):
            self.stdout.write(f"{key}: {counts[key]}")
