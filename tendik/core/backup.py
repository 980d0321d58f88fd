"""Backups that restore: the database and the media files in one archive, with a manifest
of what was in it, checked again after a restore.

An archive (`tendik-YYYYMMDD-HHMMSS.tar.gz`) holds:

- `manifest.json`: when and from which engine, the row count of every table, the SHA-256
  of every media file, the last migration of every app;
- `database.sqlite3` (SQLite's online backup API: a consistent copy while the platform
  runs) or `database.pgdump` (`pg_dump --format=custom`, one consistent snapshot);
- `media/…`: the uploaded files (photos, documents, generated reports).

A restore puts the database and the media back as they were, then counts the rows and
hashes the files again and fails loudly if anything differs from the manifest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from tendik.core.uploads import private_media_root

FORMAT = 1
PREFIX = "tendik-"
SUFFIX = ".tar.gz"


class BackupError(Exception):
    """A backup or a restore that cannot be made, or a restore that does not match."""


@dataclass(frozen=True)
class Made:
    path: Path
    tables: int
    rows: int
    files: int
    size: int


def engine() -> str:
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups are made of SQLite and PostgreSQL, not of {vendor}.")
    return vendor


def table_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table.startswith("sqlite_"):
                continue
            # The names come from the database's own catalogue, quoted.
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT COUNT(*) FROM {quoted}")  # noqa: S608
            counts[table] = int(cursor.fetchone()[0])
    return counts


def media_files(root: Path) -> Iterator[Path]:
    if not root.is_dir():
        return
    for directory, _subdirectories, names in os.walk(root):
        for name in sorted(names):
            yield Path(directory) / name


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def media_checksums(root: Path) -> dict[str, str]:
    return {path.relative_to(root).as_posix(): sha256(path) for path in media_files(root)}


def last_migrations() -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


def _pg_environment() -> dict[str, str]:
    config = settings.DATABASES["default"]
    environment = dict(os.environ)
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"),
                          ("PASSWORD", "PGPASSWORD")):
        if config.get(key):
            environment[variable] = str(config[key])
    environment["PGDATABASE"] = str(connection.settings_dict["NAME"])
    return environment


def _run(command: list[str]) -> None:
    try:
        # The PostgreSQL client programs with arguments made here, never from input.
        subprocess.run(command, env=_pg_environment(), check=True,  # noqa: S603
                       capture_output=True, text=True)
    except FileNotFoundError:
        raise BackupError(f"{command[0]} is not installed: install PostgreSQL's client "
                          "programs of the server's version.") from None
    except subprocess.CalledProcessError as error:
        raise BackupError(f"{command[0]} failed: {error.stderr.strip()}") from None


def _dump_database(kind: str, target: Path) -> None:
    if kind == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
    else:
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
              f"--file={target}"])


def make_backup(directory: Path, *, keep: int | None = None) -> Made:
    """Write an archive of the database and the media into `directory`; with `keep`,
    remove all but the newest `keep` archives there."""
    kind = engine()
    directory.mkdir(parents=True, exist_ok=True)
    media_root = Path(settings.MEDIA_ROOT)
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S-%f")
    path = directory / f"{PREFIX}{stamp}{SUFFIX}"
    with tempfile.TemporaryDirectory(dir=directory) as work:
        database = Path(work) / ("database.sqlite3" if kind == "sqlite" else "database.pgdump")
        # The counts are taken in the same state as the copy: SQLite's backup copies the
        # database as of its start, and pg_dump works from one snapshot, so writes made
        # meanwhile may make a restore differ from the counts; the manifest says when.
        counts = table_counts()
        _dump_database(kind, database)
        files = media_checksums(media_root)
        private_root = private_media_root()
        private = media_checksums(private_root)
        manifest = {
            "format": FORMAT, "engine": kind, "created": timezone.now().isoformat(),
            "tables": counts, "media": files, "private": private,
            "migrations": last_migrations(),
        }
        partial = path.with_suffix(".partial")
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mtime = len(data), int(dt.datetime.now().timestamp())
            archive.addfile(info, io.BytesIO(data))
            archive.add(database, arcname=database.name)
            for relative in files:
                archive.add(media_root / relative, arcname=f"media/{relative}")
            for relative in private:
                archive.add(private_root / relative, arcname=f"private/{relative}")
        partial.rename(path)  # a half-written archive never looks like a backup
    if keep is not None:
        prune(directory, keep)
    return Made(path=path, tables=len(counts), rows=sum(counts.values()),
                files=len(files) + len(private),
                size=path.stat().st_size)


def archives(directory: Path) -> list[Path]:
    """The archives in the directory, oldest first (their names sort by time)."""
    return sorted(directory.glob(f"{PREFIX}*{SUFFIX}"))


def prune(directory: Path, keep: int) -> list[Path]:
    if keep < 1:
        raise BackupError("Keep at least one backup.")
    removed = archives(directory)[:-keep]
    for path in removed:
        path.unlink()
    return removed


def read_manifest(path: Path) -> dict[str, Any]:
    try:
        with tarfile.open(path, "r:gz") as archive:
            member = archive.extractfile("manifest.json")
            if member is None:
                raise KeyError
            manifest: dict[str, Any] = json.load(member)
    except (OSError, KeyError, tarfile.TarError, json.JSONDecodeError):
        raise BackupError(f"{path} is not a Teńdik backup.") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is a backup of another format ({manifest.get('format')}).")
    return manifest


def _load_database(kind: str, source: Path) -> None:
    if kind == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(source)
        try:
            copy.backup(connection.connection)
        finally:
            copy.close()
    else:
        connection.close()  # pg_restore drops the tables this connection may hold
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
              "--single-transaction", f"--dbname={connection.settings_dict['NAME']}",
              str(source)])


def _replace_media(extracted: Path, media_root: Path) -> None:
    media_root.parent.mkdir(parents=True, exist_ok=True)
    previous = media_root.with_name(media_root.name + ".before-restore")
    if previous.exists():
        shutil.rmtree(previous)
    if media_root.exists():
        media_root.rename(previous)
    if extracted.exists():
        shutil.move(str(extracted), media_root)
    else:
        media_root.mkdir()


def restore_backup(path: Path) -> dict[str, Any]:
    """Put the database and the media back as the archive holds them, and check them."""
    kind = engine()
    manifest = read_manifest(path)
    if manifest["engine"] != kind:
        raise BackupError(f"{path} is a backup of {manifest['engine']}; this platform runs "
                          f"on {kind}.")
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(dir=media_root.parent if media_root.parent.exists()
                                     else None) as work:
        with tarfile.open(path, "r:gz") as archive:
            archive.extractall(work, filter="data")  # no absolute paths, links or ..
        database = Path(work) / ("database.sqlite3" if kind == "sqlite" else "database.pgdump")
        if not database.is_file():
            raise BackupError(f"{path} holds no database.")
        _load_database(kind, database)
        _replace_media(Path(work) / "media", media_root)
        _replace_media(Path(work) / "private", private_media_root())
    verify(manifest)
    return manifest


def verify(manifest: dict[str, Any]) -> None:
    counts = table_counts()
    differ = {table: (expected, counts.get(table))
              for table, expected in manifest["tables"].items() if counts.get(table) != expected}
    expected = {**manifest["media"],
                **{f"private/{name}": sha for name, sha in manifest.get("private", {}).items()}}
    files = {**media_checksums(Path(settings.MEDIA_ROOT)),
             **{f"private/{name}": sha
                for name, sha in media_checksums(private_media_root()).items()}}
    if differ or files != expected:
        missing = sorted(set(expected) - set(files))
        changed = sorted(name for name in expected
                         if name in files and files[name] != expected[name])
        raise BackupError(f"The restore differs from the backup: tables {differ}, media "
                          f"missing {missing}, changed {changed}.")
