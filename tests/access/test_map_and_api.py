"""The public map's list, the dashboard's figures from the demo data, and the GeoJSON API."""

import pytest

from tendik.access import demo
from tendik.access.assessment import Category
from tendik.access.models import (
    Facility,
    FacilityType,
    Level,
    Moderation,
    Photo,
    ProblemReport,
    Review,
)
from tendik.access.services import transport_equipment
from tests.conftest import ALMATY


@pytest.fixture
def demo_map(criteria):
    demo.load_demo()


@pytest.mark.django_db
def test_the_demo_reproduces_the_decrees_station_figures_from_the_passports(demo_map):
    rows = {row["type"]: row for row in transport_equipment()}
    railway = rows[FacilityType.RAILWAY_STATION]
    assert (railway["meeting"], railway["total"]) == (91, 247)
    assert (railway["ramps"], railway["toilets"], railway["marked_steps"],
            railway["waiting_places"]) == (210, 34, 38, 58)
    assert (rows[FacilityType.BUS_TERMINAL]["meeting"],
            rows[FacilityType.BUS_TERMINAL]["total"]) == (27, 36)
    assert (rows[FacilityType.BUS_STATION]["meeting"],
            rows[FacilityType.BUS_STATION]["total"]) == (67, 105)
    airports = Facility.objects.filter(type=FacilityType.AIRPORT)
    assert airports.count() == 18 and all(a.meets_standard for a in airports)
    assert Facility.objects.exclude(type__in=rows).count() >= 300
    # Users' contributions: published and waiting, photos described, two facilities flagged.
    assert Review.objects.filter(moderation=Moderation.PUBLISHED).count() > 100
    assert Review.objects.filter(moderation=Moderation.PENDING).exists()
    assert Photo.objects.count() >= 20 and not Photo.objects.filter(alt_text="").exists()
    assert ProblemReport.objects.filter(moderation=Moderation.PUBLISHED).exists()
    assert Facility.objects.filter(needs_reinspection=True).count() == 2
    # Every region has stations; a second load changes nothing.
    assert Facility.objects.filter(type=FacilityType.RAILWAY_STATION).values(
        "region").distinct().count() == 20
    assert demo.load_demo() == "accessibility demo: already there"


@pytest.mark.django_db
def test_the_dashboard_shows_the_counted_figures(demo_map, client):
    page = client.get("/ru/access/dashboard/")
    railway = next(r for r in page.context["transport"]
                   if r["type"] == FacilityType.RAILWAY_STATION)
    assert railway["meeting"] == 91
    body = page.content.decode()
    assert ">247<" in body and ">91<" in body and ">210<" in body


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_the_list_filters_without_javascript(demo_map, client, language):
    page = client.get(f"/{language}/access/list/", {"type": "railway_station",
                                                    "region": ALMATY})
    assert page.status_code == 200
    expected = Facility.objects.filter(type="railway_station", region__kato=ALMATY)
    assert {row["facility"].pk for row in page.context["rows"]} == set(
        expected.values_list("pk", flat=True))
    assert page.context["page"].paginator.count == expected.count()
    everything = client.get(f"/{language}/access/list/")
    assert everything.context["page"].paginator.count == Facility.objects.count()
    assert len(everything.context["rows"]) == 50  # paginated
    second = client.get(f"/{language}/access/list/", {"page": 2})
    assert second.context["rows"][0]["facility"] not in [
        r["facility"] for r in everything.context["rows"]]


@pytest.mark.django_db
def test_my_needs_shows_and_filters_by_the_categorys_status(demo_map, client):
    page = client.get("/ru/access/list/", {"category": "K", "status": "none"})
    rows = page.context["rows"]
    assert rows and all(row["level"] == Level.NONE for row in rows)
    assert all(row["facility"].access(Category.K) == 0 for row in rows)
    search = client.get("/ru/access/list/", {"q": "Аэропорт"})
    assert {r["facility"].type for r in search.context["rows"]} == {"airport"}
    wrong = client.get("/ru/access/list/", {"type": "castle"})
    assert wrong.status_code == 200 and "type" in wrong.context["form"].errors


@pytest.mark.django_db
def test_the_api_clusters_the_country_and_gives_single_facilities_close_in(demo_map, client):
    country = client.get("/api/v1/facilities", {"bbox": "46,40,88,56", "zoom": 5}).json()
    assert country["type"] == "FeatureCollection"
    assert all(f["properties"]["cluster"] for f in country["features"])
    assert sum(f["properties"]["count"] for f in country["features"]) == \
        Facility.objects.count()

    almaty = Facility.objects.filter(region__kato=ALMATY).first()
    box = (f"{almaty.longitude - 0.01},{almaty.latitude - 0.01},"
           f"{almaty.longitude + 0.01},{almaty.latitude + 0.01}")
    close = client.get("/api/v1/facilities", {"bbox": box, "zoom": 16}).json()
    singles = {f["id"]: f for f in close["features"]}
    assert almaty.pk in singles
    props = singles[almaty.pk]["properties"]
    assert props["type"] == almaty.type and props["status"] == almaty.level
    assert singles[almaty.pk]["geometry"]["coordinates"] == [almaty.longitude,
                                                             almaty.latitude]

    as_wheelchair_user = client.get("/api/v1/facilities", {"bbox": box, "zoom": 16,
                                                           "category": "K"}).json()
    for feature in as_wheelchair_user["features"]:
        assert feature["properties"]["status"] == feature["properties"]["access"]["K"]

    airports = client.get("/api/v1/facilities", {"bbox": "46,40,88,56", "zoom": 5,
                                                 "type": "airport"}).json()
    assert {f["properties"]["type"] for f in airports["features"]} == {"airport"}
    assert len(airports["features"]) == 18  # few enough to show each


@pytest.mark.django_db
def test_the_api_refuses_a_bad_box_and_finds_one_facility(demo_map, client):
    refused = client.get("/api/v1/facilities", {"bbox": "west,40,88,56"},
                         HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 422
    assert "west,south,east,north" in refused.json()["error"]["details"][0]["message"]
    assert client.get("/api/v1/facilities", {"bbox": "88,40,46,56"}).status_code == 422
    assert client.get("/api/v1/facilities", {"type": "castle"}).status_code == 422

    station = Facility.objects.filter(type="railway_station").exclude(
        level=Level.UNKNOWN).first()
    detail = client.get(f"/api/v1/facilities/{station.pk}").json()
    passport = detail["properties"]["passport"]
    assert passport["status"] == station.status_code and passport["version"] == 1
    assert set(passport["zones"]) == {"territory", "entrance", "paths", "service",
                                      "sanitary", "information", "transport"}
    assert "ramp-slope" in passport["findings"] or "step-free-entrance" in passport["findings"]
    assert client.get("/api/v1/facilities/999999").status_code == 404


@pytest.mark.django_db
def test_the_api_answers_in_the_language_asked_for_over_the_browsers(demo_map, client):
    station = Facility.objects.filter(type="railway_station", region__kato=ALMATY).exclude(
        name_kk="").first()
    query = {"bbox": "46,40,88,56", "zoom": 16, "type": "railway_station", "region": ALMATY}
    asked = client.get("/api/v1/facilities", {**query, "lang": "kk"},
                       HTTP_ACCEPT_LANGUAGE="ru").json()["features"]
    ours = next(f["properties"] for f in asked if f["properties"].get("id") == station.pk)
    assert ours["name"] == station.name_kk
    assert ours["url"] == f"/kk/access/facilities/{station.pk}/"
    browser = client.get("/api/v1/facilities", query, HTTP_ACCEPT_LANGUAGE="ru").json()
    ours = next(f["properties"] for f in browser["features"]
                if f["properties"].get("id") == station.pk)
    assert ours["name"] == station.name_ru and ours["url"].startswith("/ru/")
    assert client.get("/api/v1/facilities", {**query, "lang": "de"}).status_code == 422


@pytest.mark.django_db
def test_the_map_page_degrades_to_its_list(demo_map, client, settings):
    settings.ACCESS_MAP_TILES_URL = ""
    body = client.get("/ru/access/").content.decode()
    assert 'id="facility-map"' in body and "hidden" in body.split('id="facility-map"')[1][:200]
    assert 'id="map-needs-script"' in body
    assert 'data-tiles=""' in body
    assert "<table>" in body


@pytest.mark.django_db
def test_the_needs_filter_names_the_categories_in_the_pages_language(client, reference):
    kk = client.get("/kk/access/").content.decode()
    assert "К — арбамен жүретіндер" in kk
    assert "инвалиды" not in kk
