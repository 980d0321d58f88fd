"""GET /api/v1/social-workers: public, filtered, and without personal data."""

import pytest

from tendik.workforce import services
from tests.workforce.conftest import World, make_worker

pytestmark = pytest.mark.django_db


def test_it_lists_active_workers_with_rating_and_certification(world: World, client):
    rows = client.get("/api/v1/social-workers").json()
    by_name = {r["name"]: r for r in rows}
    assert by_name[world.worker.full_name]["certified"] is True
    assert by_name[world.uncertified.full_name]["certified"] is False
    row = by_name[world.worker.full_name]
    assert row["organisation"] == {"code": "SW-ALMATY", "name": "Центр SW-ALMATY"}
    assert row["regions"] == ["750000000"] and row["free_places"] == 2
    assert row["rating"] is None and row["ratings"] == 0


def test_it_filters_by_region_service_and_language(world: World, client):
    make_worker(world.employer, [world.almaty], services=["sign_language"],
                languages=["sign"], last_name="Жестова")
    names = lambda **q: {r["name"] for r in client.get("/api/v1/social-workers", q).json()}  # noqa: E731
    assert all("Астанова" not in n for n in names(region="750000000"))
    assert {n.split()[0] for n in names(region="710000000")} == {"Астанова"}
    assert {n.split()[0] for n in names(language="sign")} == {"Жестова"}
    assert {n.split()[0] for n in names(service="sign_language", region="750000000")} == {
        "Жестова"}
    assert client.get("/api/v1/social-workers", {"region": "999999999"}).status_code == 404
    assert client.get("/api/v1/social-workers", {"service": "juggling"}).status_code == 422


def test_it_shows_no_personal_data(world: World, client):
    services.choose_worker(world.person, world.worker, by=world.recipient)
    text = client.get("/api/v1/social-workers").content.decode()
    for secret in (world.person.iin, world.person.last_name, world.person.phone,
                   world.person.email, world.worker_user.username, world.worker_user.email,
                   "account", "iin", "phone", "email"):
        assert secret not in text, secret
