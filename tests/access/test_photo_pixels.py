"""A photo is refused by the pixels its header declares, before it is decoded; a photo
that passes is decoded in the form, outside the database transaction that stores it."""

from __future__ import annotations

import io
import struct
import time
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from PIL import Image, ImageFile

from tendik.access import contributions
from tendik.access.models import Photo, Review
from tendik.core import uploads
from tests.access.test_contributions import jpeg_with_gps, media, people  # noqa: F401


def png_declaring(width: int, height: int) -> bytes:
    """A PNG of a few hundred bytes whose header declares width × height pixels."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    rows = zlib.compress(b"\x00" * 1024, 9)  # a few rows; the rest would be decoded
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows)
            + chunk(b"IEND", b""))


def named(content: bytes, name: str) -> io.BytesIO:
    handle = io.BytesIO(content)
    handle.name = name
    return handle


@pytest.fixture
def nothing_decoded(monkeypatch):
    def refuse(self, *args, **kwargs):
        raise AssertionError("the image was decoded")
    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)


def test_it_refuses_a_png_declaring_79_million_pixels_from_its_header(nothing_decoded):
    bomb = png_declaring(10_000, 7_900)
    assert len(bomb) < 2_000
    started = time.perf_counter()
    with pytest.raises(ValidationError) as refused:
        uploads.reencode_image(io.BytesIO(bomb), len(bomb), max_size=10 * 2**20)
    assert time.perf_counter() - started < 0.5
    assert refused.value.code == "pixels"
    assert "10000 × 7900" in refused.value.messages[0]


def test_it_refuses_what_pillow_itself_would_call_a_bomb(nothing_decoded):
    bomb = png_declaring(20_000, 20_000)
    with pytest.raises(ValidationError) as refused:
        uploads.reencode_image(io.BytesIO(bomb), len(bomb), max_size=10 * 2**20)
    assert refused.value.code == "pixels"


def test_a_photo_just_under_the_limit_is_read_header_first():
    assert uploads.declared_pixels(io.BytesIO(png_declaring(8000, 5000))) == (8000, 5000)


@pytest.mark.django_db
def test_the_review_form_says_the_photo_has_too_many_pixels(people, make_facility,  # noqa: F811
                                                           client_for, nothing_decoded):
    facility = make_facility()
    page = client_for(people["user"]).post(
        f"/en/access/facilities/{facility.pk}/review/",
        {"rating_k": "2", "alt_text": "Вход", "photo": named(png_declaring(10_000, 7_900),
                                                            "вход.png")})
    assert page.status_code == 200
    errors = page.context["form"].errors["photo"]
    assert any("too large in pixels" in e and "40 megapixels" in e for e in errors)
    assert page.context["form"].kept is None
    assert not Review.objects.exists() and not Photo.objects.exists()


@pytest.mark.django_db
def test_a_valid_photo_still_comes_without_its_exif(people, make_facility,  # noqa: F811
                                                    client_for):
    facility = make_facility()
    page = client_for(people["user"]).post(
        f"/en/access/facilities/{facility.pk}/review/",
        {"rating_k": "4", "alt_text": "Пандус у входа", "photo": named(jpeg_with_gps(),
                                                                      "вход.jpg")})
    assert page.status_code == 302
    photo = Photo.objects.get()
    with photo.image.open("rb") as stored:
        data = stored.read()
    with Image.open(io.BytesIO(data)) as after:
        assert not after.getexif() and after.size == (640, 480)
    assert b"test camera" not in data


class Watch:
    """Stands for the decoding semaphore and notes whether a transaction was open."""

    def __init__(self) -> None:
        self.in_transaction: list[bool] = []

    def __enter__(self) -> None:
        self.in_transaction.append(connection.in_atomic_block)

    def __exit__(self, *exc: object) -> None:
        return None


@pytest.mark.django_db(transaction=True)
def test_photos_are_decoded_outside_the_transaction(people, make_facility,  # noqa: F811
                                                    client_for, monkeypatch):
    watch = Watch()
    monkeypatch.setattr(uploads, "_DECODING", watch)
    facility = make_facility()
    page = client_for(people["user"]).post(
        f"/en/access/facilities/{facility.pk}/review/",
        {"rating_k": "4", "alt_text": "Пандус", "photo": named(jpeg_with_gps(), "a.jpg")})
    assert page.status_code == 302
    content = jpeg_with_gps()
    contributions.add_review(facility, by=people["user"], ratings={}, comment="Тесно",
                             photo=contributions.PhotoUpload(io.BytesIO(content),
                                                             len(content), "Вход"))
    contributions.add_photo(facility, contributions.PhotoUpload(
        io.BytesIO(content), len(content), "Вход"), by=people["user"])
    assert watch.in_transaction == [False, False, False]
    assert Photo.objects.count() == 3
