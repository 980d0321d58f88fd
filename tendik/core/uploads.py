"""Checking uploaded files by what they contain, not by what they are called."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FileType:
    mime: str
    extension: str


PDF = FileType("application/pdf", "pdf")
DOCX = FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "docx")
XLSX = FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")
PNG = FileType("image/png", "png")
JPEG = FileType("image/jpeg", "jpg")
WEBP = FileType("image/webp", "webp")
DOCUMENTS_AND_IMAGES = (PDF, DOCX, XLSX, PNG, JPEG, WEBP)


def sniff(handle: IO[bytes]) -> FileType | None:
    """The type of the file from its first bytes (and, for Office files, its parts)."""
    handle.seek(0)
    head = handle.read(16)
    handle.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(handle) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        finally:
            handle.seek(0)
        if "[Content_Types].xml" in names:
            if "word/document.xml" in names:
                return DOCX
            if "xl/workbook.xml" in names:
                return XLSX
    return None


def check_upload(handle: IO[bytes], size: int, *, max_size: int,
                 allowed: tuple[FileType, ...] = DOCUMENTS_AND_IMAGES) -> FileType:
    """The file's type, or a ValidationError that says in plain words what is wrong."""
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > max_size:
        raise ValidationError(
            _("The file is too large: at most %(limit)s MB.") % {"limit": max_size // 2**20},
            code="too_large")
    found = sniff(handle)
    if found is None or found not in allowed:
        raise ValidationError(
            _("This file type is not accepted. Attach %(types)s.")
            % {"types": ", ".join(t.extension.upper() for t in allowed)},
            code="type")
    return found
