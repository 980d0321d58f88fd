"""A photo waiting for moderation (or rejected) is never in the media directory the web
server serves: its only URL shows it to its author and the facility's moderators and is
404 for anyone else. Published, it moves into the media directory, public."""

from __future__ import annotations

import importlib
import io
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client
from django.utils import translation

from tendik.access import contributions
from tendik.access.models import UNMODERATED, Moderation, Photo, unmoderated_root
from tendik.core.models import Role
from tests.access.test_contributions import jpeg_with_gps, media, people  # noqa: F401


def pending_photo(facility, author) -> Photo:
    content = jpeg_with_gps()
    return contributions.add_photo(facility, contributions.PhotoUpload(
        io.BytesIO(content), len(content), "Пандус у входа"), by=author)


def files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def analyst(make_user):
    return make_user(Role.ANALYST, "МТСЗН", username="analyst")


@pytest.mark.django_db
def test_who_sees_a_photo_waiting_for_moderation(people, analyst,  # noqa: F811
                                                 make_facility, client_for):
    photo = pending_photo(make_facility(), people["user"])
    with translation.override("en"):
        url = photo.image.url
    assert photo.image.name.startswith(UNMODERATED)
    assert "/access/photos/unmoderated/" in url and not url.startswith(settings.MEDIA_URL)
    # Nothing of it is where the web server serves the uploads from.
    assert files_under(Path(settings.MEDIA_ROOT)) == []
    assert len(files_under(unmoderated_root())) == 1
    seen = {
        "anonymous": Client().get(url).status_code,
        "another user": client_for(people["other"]).get(url).status_code,
        "a moderator of another region": client_for(people["astana"]).get(url).status_code,
        "the author": client_for(people["user"]).get(url).status_code,
        "the region's moderator": client_for(people["moderator"]).get(url).status_code,
        "an analyst": client_for(analyst).get(url).status_code,
    }
    assert seen == {"anonymous": 404, "another user": 404,
                    "a moderator of another region": 404, "the author": 200,
                    "the region's moderator": 200, "an analyst": 200}
    shown = client_for(people["user"]).get(url)
    assert shown["Content-Type"] == "image/jpeg" and "private" in shown["Cache-Control"]
    assert b"".join(shown.streaming_content)[:3] == b"\xff\xd8\xff"
    queue = client_for(people["moderator"]).get("/en/access/moderation/").content.decode()
    assert f'src="{url}"' in queue


@pytest.mark.django_db
def test_a_published_photo_is_public_and_a_rejected_one_stays_apart(
        people, make_facility, client_for,  # noqa: F811
        django_capture_on_commit_callbacks):
    facility = make_facility()
    published, rejected = (pending_photo(facility, people["user"]) for _ in range(2))
    waiting_url = published.image.url
    with django_capture_on_commit_callbacks(execute=True):
        contributions.moderate(published, publish=True, by=people["moderator"])
    contributions.moderate(rejected, publish=False, by=people["moderator"],
                           reason="Не тот объект")
    published.refresh_from_db()
    rejected.refresh_from_db()
    assert published.moderation == Moderation.PUBLISHED and published.is_public
    assert published.image.url == settings.MEDIA_URL + published.image.name
    assert (Path(settings.MEDIA_ROOT) / published.image.name).is_file()
    assert files_under(Path(settings.MEDIA_ROOT)) == [
        Path(settings.MEDIA_ROOT) / published.image.name]
    page = Client().get(f"/en/access/facilities/{facility.pk}/").content.decode()
    assert f'src="{published.image.url}"' in page
    # Its address while it waited is gone for everyone.
    assert client_for(people["user"]).get(waiting_url).status_code == 404
    # The rejected one: for its author and the moderators, still 404 for the others.
    assert not rejected.is_public
    assert Client().get(rejected.image.url).status_code == 404
    assert client_for(people["other"]).get(rejected.image.url).status_code == 404
    assert client_for(people["user"]).get(rejected.image.url).status_code == 200
    assert client_for(people["moderator"]).get(rejected.image.url).status_code == 200


@pytest.mark.django_db
def test_photos_that_waited_in_the_media_directory_are_moved_apart(
        people, make_facility):  # noqa: F811
    facility = make_facility()
    photo = pending_photo(facility, people["user"])
    # As before: a waiting photo named, and kept, in the media directory.
    legacy = photo.image.name.removeprefix(UNMODERATED)
    (Path(settings.MEDIA_ROOT) / legacy).parent.mkdir(parents=True)
    Path(photo.image.path).rename(Path(settings.MEDIA_ROOT) / legacy)
    Photo.objects.filter(pk=photo.pk).update(image=legacy)
    migration = importlib.import_module(
        "tendik.access.migrations.0003_unmoderated_photos_apart")
    migration.move_unmoderated_photos(apps, None)
    photo.refresh_from_db()
    assert photo.image.name == UNMODERATED + legacy
    assert Path(photo.image.path).is_file()
    assert files_under(Path(settings.MEDIA_ROOT)) == []
