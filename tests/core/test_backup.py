"""Backups restore: the database and the media files come back as they were, checked
against the archive's manifest, on SQLite and on PostgreSQL alike."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from tendik.core.audit import AuditEvent
from tendik.core.backup import archives, read_manifest, table_counts
from tendik.core.models import Organisation, Region
from tendik.core.uploads import private_media_root

pytestmark = pytest.mark.django_db(transaction=True)


def media(relative: str) -> Path:
    return Path(settings.MEDIA_ROOT) / relative


def test_a_backup_restores_the_database_and_the_media_exactly(reference, tmp_path):
    media("photos/entrance.jpg").parent.mkdir(parents=True, exist_ok=True)
    media("photos/entrance.jpg").write_bytes(b"\xff\xd8 a photo of the ramp")
    media("reports/2025.pdf").parent.mkdir(parents=True, exist_ok=True)
    media("reports/2025.pdf").write_bytes(b"%PDF-1.7 the consolidated report")
    # A photo waiting for moderation is kept apart from the served media, and backed up.
    waiting = private_media_root() / "facilities/queue.jpg"
    waiting.parent.mkdir(parents=True, exist_ok=True)
    waiting.write_bytes(b"\xff\xd8 a photo not yet moderated")
    region = Region.objects.first()
    Organisation.objects.create(code="KEEP-1", kind=Organisation.Kind.NGO, region=region,
                                name_ru="Общество инвалидов", name_kk="Мүгедектер қоғамы",
                                name_en="Society of persons with disabilities")
    before = table_counts()
    call_command("backup", output=tmp_path)
    (archive,) = archives(tmp_path)
    manifest = read_manifest(archive)
    assert manifest["tables"]["core_organisation"] == before["core_organisation"]
    assert set(manifest["media"]) == {"photos/entrance.jpg", "reports/2025.pdf"}
    assert set(manifest["private"]) == {"facilities/queue.jpg"}

    # After the backup: rows deleted and added, a file changed, one removed, one added.
    Organisation.objects.filter(code="KEEP-1").delete()
    Organisation.objects.create(code="LATER-1", kind=Organisation.Kind.NGO, region=region,
                                name_ru="Позже", name_kk="Кейін", name_en="Later")
    media("photos/entrance.jpg").write_bytes(b"overwritten")
    media("reports/2025.pdf").unlink()
    media("photos/new.jpg").write_bytes(b"after the backup")
    waiting.unlink()

    call_command("restore", str(archive), yes=True)
    after = table_counts()
    assert {table: count for table, count in after.items() if table != "core_auditevent"} \
        == {table: count for table, count in before.items() if table != "core_auditevent"}
    assert Organisation.objects.filter(code="KEEP-1").exists()
    assert not Organisation.objects.filter(code="LATER-1").exists()
    assert media("photos/entrance.jpg").read_bytes() == b"\xff\xd8 a photo of the ramp"
    assert media("reports/2025.pdf").read_bytes() == b"%PDF-1.7 the consolidated report"
    assert not media("photos/new.jpg").exists()
    assert waiting.read_bytes() == b"\xff\xd8 a photo not yet moderated"
    # What was there is kept beside, and the restore itself is in the audit trail.
    assert (Path(str(settings.MEDIA_ROOT) + ".before-restore") / "photos/new.jpg").exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.RESTORE,
                                     object_repr=archive.name).exists()


def test_older_archives_are_removed_beyond_the_number_kept(reference, tmp_path):
    for _ in range(3):
        call_command("backup", output=tmp_path, keep=2)
    assert len(archives(tmp_path)) == 2
    assert AuditEvent.objects.filter(action=AuditEvent.Action.BACKUP).count() == 3


def test_a_file_that_is_not_a_backup_is_refused_and_nothing_changes(reference, tmp_path):
    bogus = tmp_path / "tendik-20260101-000000-000000.tar.gz"
    bogus.write_bytes(b"not an archive")
    regions = Region.objects.count()
    with pytest.raises(CommandError, match="is not a Teńdik backup"):
        call_command("restore", str(bogus), yes=True)
    assert Region.objects.count() == regions
