"""Checking uploaded files by what they contain, not by what they are called."""

from __future__ import annotations

import io
import re
import threading
import time
import uuid
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core import signing
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


# A photo is refused by the size its header declares, before anything is decoded: a few
# hundred kilobytes of PNG can declare a picture that takes gigabytes once decoded. 40
# megapixels holds every phone camera's usual output; Pillow itself refuses twice that.
MAX_PIXELS = 40_000_000
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
# Decoding takes the memory; a process decodes at most this many photos at once, the
# others wait their turn (outside any database transaction: the forms decode in clean()).
_DECODING = threading.BoundedSemaphore(2)


class CleanImage(ContentFile[bytes]):
    """A photo reencode_image has already decoded and encoded again: given to it again,
    it comes back as it is, so a form's clean() does the work once and the service,
    inside its transaction, does not do it again."""


def declared_pixels(handle: IO[bytes]) -> tuple[int, int]:
    """Width and height from the image's header; nothing is decoded."""
    handle.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(handle) as probe:  # lazy: reads the header only
                return probe.size
    except Image.DecompressionBombError:
        return (MAX_PIXELS + 1, 1)  # Pillow's own refusal: more than twice the limit
    finally:
        handle.seek(0)


def _too_many_pixels(width: int, height: int) -> ValidationError:
    return ValidationError(
        _("The image is too large in pixels (%(width)s × %(height)s): at most "
          "%(megapixels)s megapixels. Send a smaller photo.")
        % {"width": width, "height": height, "megapixels": MAX_PIXELS // 1_000_000},
        code="pixels")


def reencode_image(handle: IO[bytes], size: int, *, max_size: int,
                   longest_side: int = 2560) -> ContentFile[bytes]:
    """Decode an uploaded photo and encode it again: what comes out carries no EXIF, GPS
    or other metadata, is upright, and at most `longest_side` pixels on its longer side.
    A photo whose header declares more than MAX_PIXELS is refused before decoding."""
    if isinstance(handle, CleanImage):
        return handle
    kind = check_upload(handle, size, max_size=max_size, allowed=(JPEG, PNG, WEBP))
    try:
        width, height = declared_pixels(handle)
        if width * height > MAX_PIXELS:
            raise _too_many_pixels(width, height)
        with Image.open(handle) as probe:
            probe.verify()
        handle.seek(0)
        with _DECODING, Image.open(handle) as original:
            # A JPEG decodes straight at a smaller scale when it is much larger than kept.
            original.draft(None, (longest_side, longest_side))
            original.load()
            original.thumbnail((longest_side, longest_side))
            image = ImageOps.exif_transpose(original) or original
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
    return CleanImage(out.getvalue(), name=f"{uuid.uuid4().hex}.{extension}")


# --- Uploads kept while a form is corrected -------------------------------------------------
#
# When a form with a photo fails for another reason (a description missing), the photo,
# already checked and stripped of its metadata, is kept for a while so the person need not
# choose it again. The page carries a signed token that names the file and its uploader;
# only that user can use it, only for PENDING_HOURS, and each user keeps at most
# PENDING_PER_USER files. The files live outside MEDIA_ROOT (never served), are deleted
# once used, and expired ones are swept at every new one (and by prune_pending()).

PENDING_HOURS = 12
PENDING_PER_USER = 5
_PENDING_SALT = "tendik.core.uploads.pending"
_PENDING_NAME = re.compile(r"^[0-9a-f]{32}\.(jpg|png)$")


@dataclass(frozen=True)
class Pending:
    """A kept upload: its token for the form, its file, and the name the person chose."""

    token: str
    path: Path
    label: str

    def content(self) -> ContentFile[bytes]:
        return CleanImage(self.path.read_bytes(), name=self.path.name)  # checked when kept

    @property
    def size(self) -> int:
        return self.path.stat().st_size


def pending_root() -> Path:
    """Beside the media directory, not inside it: nothing here is ever served."""
    return Path(settings.MEDIA_ROOT).parent / "pending-uploads"


def keep_pending(content: ContentFile[bytes], *, user_id: int, label: str) -> Pending:
    """Keep a checked upload for its uploader; returns what the form carries."""
    folder = pending_root() / str(int(user_id))
    folder.mkdir(parents=True, exist_ok=True)
    prune_pending()
    kept = sorted(folder.iterdir(), key=lambda p: p.stat().st_mtime)
    for old in kept[:max(0, len(kept) - PENDING_PER_USER + 1)]:
        old.unlink(missing_ok=True)
    extension = "png" if (content.name or "").endswith(".png") else "jpg"
    path = folder / f"{uuid.uuid4().hex}.{extension}"
    content.seek(0)
    path.write_bytes(content.read())
    label = (label or "").replace("\\", "/").rsplit("/", 1)[-1][:120]  # the name alone
    token = signing.dumps({"u": int(user_id), "f": path.name, "l": label},
                          salt=_PENDING_SALT, compress=True)
    return Pending(token, path, label)


def pending(token: str, *, user_id: int) -> Pending | None:
    """The upload the token names, if it is this user's and has not expired."""
    if not token:
        return None
    try:
        data = signing.loads(token, salt=_PENDING_SALT, max_age=PENDING_HOURS * 3600)
    except signing.BadSignature:  # expired, altered or not ours
        return None
    if not isinstance(data, dict) or data.get("u") != int(user_id) \
            or not _PENDING_NAME.match(str(data.get("f", ""))):
        return None
    path = pending_root() / str(int(user_id)) / str(data["f"])
    if not path.is_file():
        return None
    return Pending(token, path, str(data.get("l", "")))


def drop_pending(token: str, *, user_id: int) -> None:
    found = pending(token, user_id=user_id)
    if found is not None:
        found.path.unlink(missing_ok=True)


def prune_pending(now: float | None = None) -> int:
    """Delete kept uploads older than their lifetime; how many went."""
    root = pending_root()
    if not root.is_dir():
        return 0
    limit = (now if now is not None else time.time()) - PENDING_HOURS * 3600
    removed = 0
    for path in root.glob("*/*"):
        if path.is_file() and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def private_media_root() -> Path:
    """Uploads nobody may fetch by address (photos waiting for moderation): beside the
    media directory, never served by the web server, but backed up with it."""
    return Path(settings.MEDIA_ROOT).parent / "unmoderated-photos"
