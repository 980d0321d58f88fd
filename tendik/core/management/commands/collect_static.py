"""collectstatic, skipped when no static source has changed since it last ran.

Hashing and compressing every file (gzip and Brotli) costs half a minute of CPU; a server
restarted with the same code has nothing to redo. The list of source files with their
sizes and modification times is kept beside the collected files.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.core.management import call_command
from django.core.management.base import BaseCommand

STAMP_NAME = ".sources"


def sources_fingerprint() -> str:
    digest = hashlib.sha256(settings.STORAGES["staticfiles"]["BACKEND"].encode())
    entries = []
    ignored = apps.get_app_config("staticfiles").ignore_patterns  # type: ignore[attr-defined]
    for finder in get_finders():
        for path, storage in finder.list(ignored):
            full = Path(storage.path(path))
            status = full.stat()
            entries.append(f"{path}\0{status.st_size}\0{status.st_mtime_ns}")
    for entry in sorted(entries):
        digest.update(entry.encode())
    return digest.hexdigest()


class Command(BaseCommand):
    help = ("Collect the static files (hashed and compressed with STATIC_MANIFEST=1) unless "
            "none has changed since the last collection.")

    def handle(self, *args: Any, **options: Any) -> None:
        stamp = Path(settings.STATIC_ROOT) / STAMP_NAME
        fingerprint = sources_fingerprint()
        if stamp.exists() and stamp.read_text() == fingerprint:
            self.stdout.write("Static files: unchanged since they were collected.")
            return
        call_command("collectstatic", interactive=False, verbosity=0)
        stamp.write_text(fingerprint)
        self.stdout.write("Static files: collected.")
