from typing import Any

from django.core.management.base import BaseCommand

from tendik.core.reference import load_reference_data


class Command(BaseCommand):
    help = ("Load the reference data shipped with Teńdik (regions with KATO codes, the "
            "plan's executing organisations and the akimats). Safe to run again: unchanged "
            "rows are left alone.")

    def handle(self, *args: Any, **options: Any) -> None:
        counts = load_reference_data()
        for key in sorted(counts):
            self.stdout.write(f"{key}: {counts[key]}")
