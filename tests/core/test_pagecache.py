"""Anonymous answers kept in the shared cache: served again, retired by any committed
change, never kept for a session, a token, a form or an error."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from tendik.core import pagecache
from tendik.core.models import Organisation, Region
from tendik.core.reference import load_reference_data
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def caching(settings):
    settings.PAGE_CACHE_SECONDS = 60
    load_reference_data()
    cache.clear()
    pagecache.forget_local()
    yield
    cache.clear()
    pagecache.forget_local()


def views_run(client: Client, path: str, **extra) -> tuple[int, bytes]:
    """The answer, and whether a view ran to make it (a kept answer runs none)."""
    response = client.get(path, **extra)
    return response.status_code, response.content


def test_a_public_page_is_served_from_the_cache_until_the_data_changes(caching,
                                                                        django_assert_num_queries):
    client = Client()
    first = client.get("/en/organisations/")
    assert first.status_code == 200
    region = Region.objects.order_by("pk").first()
    old_name = region.name_en
    # Changed behind the platform's back (no audit event): the kept page still shows it.
    Region.objects.filter(pk=region.pk).update(name_en="Renamed quietly")
    # A kept page is served from the process's own memory: no query at all.
    with django_assert_num_queries(0):
        again = client.get("/en/organisations/")
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]

    # A change through the platform records an audit event; its commit retires the page.
    organisation = Organisation.objects.order_by("pk").first()
    organisation.name_en = "An organisation renamed"
    organisation.save()
    fresh = client.get("/en/organisations/")
    assert b"An organisation renamed" in fresh.content
    assert fresh.content != first.content
    assert old_name


def test_a_change_through_another_process_is_seen_within_a_second(caching, monkeypatch):
    client = Client()
    first = client.get("/en/organisations/").content
    organisation = Organisation.objects.order_by("pk").first()
    Organisation.objects.filter(pk=organisation.pk).update(name_en="Renamed elsewhere")
    # Another server's commit bumps the shared generation, not this process's copy of it.
    cache.incr(pagecache.GENERATION_KEY)
    assert client.get("/en/organisations/").content == first
    monkeypatch.setattr(pagecache, "LOCAL_SECONDS", 0.0)
    assert b"Renamed elsewhere" in client.get("/en/organisations/").content


def test_a_rolled_back_change_keeps_the_cache_and_later_commits_still_retire_it(caching):
    from django.db import transaction

    before = pagecache.generation()
    with pytest.raises(RuntimeError), transaction.atomic():
        organisation = Organisation.objects.order_by("pk").first()
        organisation.name_en = "Never saved"
        organisation.save()
        raise RuntimeError
    assert pagecache.generation() == before
    with transaction.atomic():
        for name in ("One", "Two"):
            organisation.name_en = name
            organisation.save()
    # Two events in one transaction: one bump.
    assert pagecache.generation() == before + 1


def test_signed_in_people_tokens_and_forms_are_never_served_from_the_cache(caching):
    anonymous = Client()
    anonymous.get("/en/organisations/")
    kept = cache.get(pagecache._key(_request("/en/organisations/")))
    assert kept is not None

    user = UserFactory()
    signed_in = Client()
    signed_in.force_login(user)
    assert set(signed_in.cookies) - pagecache.NEUTRAL_COOKIES
    assert not pagecache._cacheable_request(_request("/en/organisations/",
                                                     COOKIE={"sessionid": "x"}))
    assert not pagecache._cacheable_request(_request("/api/v1/portal/orders",
                                                     HTTP_AUTHORIZATION="Bearer x"))
    # The sign-in page carries a CSRF token: it is never kept.
    anonymous.get("/en/login/")
    assert cache.get(pagecache._key(_request("/en/login/"))) is None
    # Nor is a missing page.
    anonymous.get("/en/no-such-page/")
    assert cache.get(pagecache._key(_request("/en/no-such-page/"))) is None


def _request(path: str, COOKIE: dict[str, str] | None = None, **meta):
    from django.test import RequestFactory

    request = RequestFactory().get(path, **meta)
    request.COOKIES.update(COOKIE or {})
    return request


def test_published_uploads_are_served_whatever_the_debug_setting(client, settings, db):
    assert not settings.DEBUG
    photo = settings.MEDIA_ROOT / "facilities" / "ramp.jpg"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(b"\xff\xd8 a ramp")
    response = client.get("/media/facilities/ramp.jpg")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"\xff\xd8 a ramp"
    # A path out of the media directory is refused as a bad request.
    assert client.get("/media/../secret_key").status_code == 400
