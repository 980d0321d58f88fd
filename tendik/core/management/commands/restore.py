from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tendik.core.audit import AuditEvent, acting_as, record_event
from tendik.core.backup import BackupError, read_manifest, restore_backup


class Command(BaseCommand):
    help = ("Replace the database and the media files with those of a backup archive, then "
            "check the row counts and file checksums against its manifest. The media as "
            "they were are kept beside, in MEDIA_ROOT.before-restore. Stop the web "
            "servers and the workers first.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument("--yes", action="store_true",
                            help="do not ask before replacing the data")

    def handle(self, *args: Any, **options: Any) -> None:
        archive: Path = options["archive"]
        try:
            manifest = read_manifest(archive)
            if not options["yes"]:
                answer = input(f"Replace every record and media file with the backup of "
                               f"{manifest['created']}? Type yes: ")
                if answer.strip().lower() != "yes":
                    raise CommandError("Nothing was changed.")
            restore_backup(archive)
        except BackupError as error:
            raise CommandError(str(error)) from None
        with acting_as(label="restore"):
            record_event(AuditEvent.Action.RESTORE, model="core.backup",
                         object_repr=archive.name, changes={"created": manifest["created"]})
        rows = sum(manifest["tables"].values())
        self.stdout.write(f"Restored {archive.name} of {manifest['created']}: "
                          f"{len(manifest['tables'])} tables, {rows} rows and "
                          f"{len(manifest['media'])} media files, all as in the backup.")
