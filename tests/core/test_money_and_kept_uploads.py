"""Money as people read it, and uploads kept while a form is corrected: only for their
uploader, for a while, a few at a time, never under the media root."""

from __future__ import annotations

import io
import os
import time

import pytest
from django.core.files.base import ContentFile
from django.utils import translation
from PIL import Image

from tendik.core import money, uploads


@pytest.mark.parametrize(("language", "value", "expected"), [
    ("ru", "320000.00", "320\u00a0000\u00a0₸"),
    ("kk", "1234.5", "1\u00a0234,50\u00a0₸"),
    ("en", "1234.5", "1\u00a0234.50\u00a0₸"),
    ("en", "1234567", "1\u00a0234\u00a0567\u00a0₸"),
    ("ru", "-15000", "−15\u00a0000\u00a0₸"),
    ("ru", "0", "0\u00a0₸"),
])
def test_tenge_have_spaces_between_thousands_in_every_language(language, value, expected):
    with translation.override(language):
        assert money.tenge(value) == expected
    assert money.tenge(None) == "" and money.amount("") == ""


def test_whole_tenge_and_a_bare_amount_for_columns():
    with translation.override("ru"):
        assert money.amount("547200.40", decimals=False) == "547\u00a0200"
        assert money.amount("15000") == "15\u00a0000"
        assert money.amount("15000", decimals=True) == "15\u00a0000,00"


def photo() -> ContentFile[bytes]:
    out = io.BytesIO()
    Image.new("RGB", (20, 10), (0, 120, 0)).save(out, format="JPEG")
    return ContentFile(out.getvalue(), name="x.jpg")


def test_a_kept_upload_is_its_uploaders_alone(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    kept = uploads.keep_pending(photo(), user_id=7, label="C:\\fakepath\\вход.jpg")
    assert kept.label == "вход.jpg"
    assert not kept.path.is_relative_to(settings.MEDIA_ROOT)  # never served
    again = uploads.pending(kept.token, user_id=7)
    assert again is not None and again.content().read() == kept.path.read_bytes()
    assert uploads.pending(kept.token, user_id=8) is None  # another user's token
    assert uploads.pending(kept.token[:-2] + "xx", user_id=7) is None  # altered
    assert uploads.pending("", user_id=7) is None
    uploads.drop_pending(kept.token, user_id=8)  # not theirs to drop
    assert kept.path.exists()
    uploads.drop_pending(kept.token, user_id=7)
    assert not kept.path.exists() and uploads.pending(kept.token, user_id=7) is None


def test_kept_uploads_are_few_and_expire(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    tokens = [uploads.keep_pending(photo(), user_id=3, label="a.jpg").token
              for _ in range(uploads.PENDING_PER_USER + 2)]
    alive = [t for t in tokens if uploads.pending(t, user_id=3) is not None]
    assert alive == tokens[-uploads.PENDING_PER_USER:]  # the oldest make room
    other = uploads.keep_pending(photo(), user_id=4, label="b.jpg")
    old = time.time() - (uploads.PENDING_HOURS + 1) * 3600
    os.utime(other.path, (old, old))
    assert uploads.prune_pending() == 1 and not other.path.exists()
    # A token outlives nothing: past its hours it is refused even if the file is there.
    fresh = uploads.keep_pending(photo(), user_id=5, label="c.jpg")
    later = time.time() + (uploads.PENDING_HOURS + 1) * 3600
    monkeypatch.setattr(time, "time", lambda: later)
    assert uploads.pending(fresh.token, user_id=5) is None
