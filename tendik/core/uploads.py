"""Checking uploaded files by what they contain, not by what they are called."""

from __future__ import annotations

import io
import uuid
import zipfile
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError


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


Image.MAX_IMAGE_PIXELS = 40_000_000  # larger is refused, not decoded


def reencode_image(handle: IO[bytes], size: int, *, max_size: int,
                   longest_side: int = 2560) -> ContentFile[bytes]:
    """Decode an uploaded photo and encode it again: what comes out carries no EXIF, GPS
    or other metadata, is upright, and at most `longest_side` pixels on its longer side."""
    kind = check_upload(handle, size, max_size=max_size, allowed=(JPEG, PNG, WEBP))
    try:
        with Image.open(handle) as probe:
            probe.verify()
        handle.seek(0)
        with Image.open(handle) as original:
            original.load()
            image = ImageOps.exif_transpose(original) or original
            image.thumbnail((longest_side, longest_side))
            keeps_alpha = kind == PNG and image.mode in ("RGBA", "LA", "P")
            image = image.convert("RGBA" if keeps_alpha else "RGB")
            out = io.BytesIO()
            if keeps_alpha:
                image.save(out, format="PNG", optimize=True)
                extension = "png"
            else:
                image.save(out, format="JPEG", quality=85, optimize=True)
                extension = "jpg"
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombError) as error:
        raise ValidationError(_("The image could not be read: the file is damaged or too "
                                "large in pixels."), code="image") from error
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{extension}")
