from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = ("Compile the translation catalogues (tendik/locale/*/LC_MESSAGES/django.po) into "
            ".mo files with polib, so GNU gettext is not needed to run Teńdik. Refuses "
            "catalogues with empty or fuzzy entries.")

    def handle(self, *args: Any, **options: Any) -> None:
        import polib

        for locale_dir in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/django.po")):
                catalogue = polib.pofile(str(po_path))
                missing = [e.msgid for e in catalogue if not e.obsolete
                           and (not e.translated() or "fuzzy" in e.flags)]
                if missing:
                    raise CommandError(f"{po_path}: {len(missing)} untranslated or fuzzy "
                                       f"entries, first: {missing[0]!r}")
                catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
                self.stdout.write(f"{po_path.parent.parent.name}: {len(catalogue)} messages")
