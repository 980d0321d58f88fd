from typing import Any

from django.core.management.base import BaseCommand

from tendik.portal.services import load_classifier


class Command(BaseCommand):
    help = "Load the classifier of technical aids and services with indicative price caps."

    def handle(self, *args: Any, **options: Any) -> None:
        for what, count in sorted(load_classifier().items()):
            self.stdout.write(f"{what}: {count}")
