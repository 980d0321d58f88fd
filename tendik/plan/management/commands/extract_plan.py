import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tendik.plan.extraction import plan_document


class Command(BaseCommand):
    help = ("Reassemble the table of measures from the text of decree No. 326 (a "
            "PDF-to-text dump, e.g. tendik/plan/data/decree_326_ru.txt) and write the plan's "
            "data file (JSON). Review the result before committing it as "
            "tendik/plan/data/measures.json.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The decree's text.")
        parser.add_argument("--output", "-o", type=Path, default=None,
                            help="Where to write the JSON (default: standard output).")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"{path} is not a file")
        document = plan_document(path.read_text(encoding="utf-8"))
        text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        if options["output"]:
            options["output"].write_text(text, encoding="utf-8")
            measures = document["measures"]
            self.stdout.write(f"{len(measures)} measures, "
                              f"{sum(1 for m in measures if m['in_source'])} from the text, "
                              f"written to {options['output']}")
        else:
            self.stdout.write(text, ending="")
