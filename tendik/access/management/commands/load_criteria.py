from typing import Any

from django.core.management.base import BaseCommand

from tendik.access.services import load_criteria


class Command(BaseCommand):
    help = "Load the accessibility passport's checklist (tendik/access/data/criteria.json)."

    def handle(self, *args: Any, **options: Any) -> None:
        for what, count in sorted(load_criteria().items()):
            self.stdout.write(f"{what}: {count}")
