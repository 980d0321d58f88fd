from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tendik.core.audit import AuditEvent, acting_as, record_event
from tendik.core.backup import BackupError, make_backup


class Command(BaseCommand):
    help = ("Write a backup of the database (SQLite online backup or pg_dump) and the media "
            "files into one archive with a manifest of row counts and file checksums. "
            "Run it from cron or a systemd timer; --keep removes older archives.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, default=Path(settings.VAR_DIR) / "backups",
                            help="directory of the archives (default: var/backups)")
        parser.add_argument("--keep", type=int, default=None,
                            help="keep only the newest N archives in the directory")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            made = make_backup(options["output"], keep=options["keep"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        with acting_as(label="backup"):
            record_event(AuditEvent.Action.BACKUP, model="core.backup",
                         object_repr=made.path.name,
                         changes={"tables": made.tables, "rows": made.rows,
                                  "files": made.files, "bytes": made.size})
        self.stdout.write(f"{made.path}: {made.tables} tables, {made.rows} rows, "
                          f"{made.files} media files, {made.size / 1e6:.1f} MB")
