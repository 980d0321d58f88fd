"""The accessibility map «Доступная среда» in the browser: axe-core on its pages in every
mode of the accessibility suite (the map, the filtered list, the figures, a facility, the
commission's passport with its error summary, the analyst's review); the list without
JavaScript; the map's markers named and reached with the keyboard; «my needs» re-colouring
single facilities by the chosen category's status."""

from __future__ import annotations

import re
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from tendik.access import services
from tendik.access.assessment import Category
from tendik.access.clusters import level_of
from tendik.access.demo import load_demo
from tendik.access.models import Facility, FacilityType, Passport
from tendik.core.models import User
from tests.conftest import ALMATY
from tests.e2e.conftest import TIMEOUT_MS
from tests.e2e.test_accessibility import MODES, Audit

pytestmark = pytest.mark.e2e

API = "/api/v1/facilities"
MARKERS = ".leaflet-marker-icon"


@pytest.fixture
def facilities(reference, settings) -> None:
    """The passport criteria and the demonstration facilities, committed for the live
    server; no map background (there is no network, and the page must work without it)."""
    settings.ACCESS_MAP_TILES_URL = ""
    services.load_criteria()
    load_demo()


def almaty_stations() -> list[Facility]:
    return list(Facility.objects.filter(type=FacilityType.RAILWAY_STATION,
                                        region__kato=ALMATY).order_by("name_ru", "pk"))


@pytest.fixture
def submitted(facilities, personas: dict[str, User]) -> Passport:
    """A new version of an Almaty station's passport, submitted by the akimat's
    commission and waiting for the analyst."""
    official = personas["akimat_official"]
    facility = almaty_stations()[1]
    passport = services.start_passport(facility, by=official,
                                       members="Комиссия акимата г. Алматы")
    services.record_answers(passport, {"ramp-slope": Decimal("6"),
                                       "step-free-entrance": True,
                                       "accessible-toilet": False}, by=official)
    return services.submit_passport(passport, by=official)


def api_request(url: str) -> bool:
    return urlsplit(url).path == API


def zoom_of(url: str) -> int:
    return int(parse_qs(urlsplit(url).query)["zoom"][0])


def shown(features: list[dict]) -> int:
    """How many facilities the features stand for, as the map counts them."""
    return sum(f["properties"]["count"] if f["properties"]["cluster"] else 1
               for f in features)


# --- axe-core ---------------------------------------------------------------------------

@pytest.mark.parametrize("mode", list(MODES))
def test_the_access_pages_pass_axe(mode: str, new_context, personas, submitted):
    language, display, width = MODES[mode]
    audit = Audit(display)
    station = Facility.objects.filter(type=FacilityType.RAILWAY_STATION).exclude(
        level="unknown").order_by("name_ru", "pk").first()
    assert station.passports.filter(state=Passport.State.APPROVED).exists()

    visitor: Page = new_context(None, display=display, width=width).new_page()
    audit.visit(visitor, f"/{language}/access/")
    expect(visitor.locator(MARKERS).first).to_be_visible()
    expect(visitor.locator("#map-status")).not_to_be_empty()
    audit.check(visitor, "map with its markers")
    audit.visit(visitor, f"/{language}/access/list/?category=K&type=railway_station")
    expect(visitor.locator("main table tbody tr")).to_have_count(50)
    audit.check(visitor, "list filtered for wheelchair users")
    audit.visit(visitor, f"/{language}/access/dashboard/")
    audit.check(visitor, "dashboard")
    audit.visit(visitor, f"/{language}/access/facilities/{station.pk}/")
    expect(visitor.locator("#zones-caption")).to_be_visible()
    audit.check(visitor, "facility with an approved passport")

    # The commission of Almaty: starts a new version of a station's passport, then
    # gives a measured criterion a number the form refuses.
    official = new_context(personas["akimat_official"], display=display,
                           width=width).new_page()
    surveyed = almaty_stations()[0]
    passport_path = f"/{language}/access/facilities/{surveyed.pk}/passport/"
    audit.visit(official, passport_path)
    start = official.locator("main form button[name=start]")
    expect(start).to_be_visible()
    audit.check(official, "start of a passport version")
    start.click()
    expect(official.locator("main form button[name=submit]")).to_be_visible()
    assert official.url.endswith(passport_path), official.url
    assert surveyed.passports.filter(state=Passport.State.DRAFT).count() == 1
    audit.check(official, "passport form")
    # An <input type=number> takes no letters; a negative slope is what it lets through.
    official.locator("#id_ramp-slope").fill("-5")
    official.locator("main form button[name=save]").click()
    summary = official.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary.locator('a[href="#id_ramp-slope"]')).to_have_count(1)
    expect(official.locator("#id_ramp-slope")).to_have_attribute("aria-invalid", "true")
    audit.check(official, "passport form with an error")

    analyst = new_context(personas["analyst"], display=display, width=width).new_page()
    audit.visit(analyst, f"/{language}/access/facilities/{submitted.facility_id}/passport/"
                         f"{submitted.pk}/review/")
    expect(analyst.locator("#findings-caption")).to_be_visible()
    audit.check(analyst, "review of a submitted passport")

    assert len(audit.checked) == 8
    assert not (audit.found or audit.overflowing), (
        f"WCAG 2.2 A/AA failures ({mode}):\n{audit.report()}")


# --- Without JavaScript -----------------------------------------------------------------

def test_the_list_works_without_javascript(browser: Browser, live_server, facilities):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False,
                                  viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto("/ru/access/")
        expect(page.locator("#facility-map")).to_be_hidden()
        expect(page.locator("#map-needs-script")).to_be_visible()

        page.locator("#id_type").select_option("railway_station")
        page.locator("#id_region").select_option(ALMATY)
        page.locator("#facility-filters button[type=submit]").click()
        expect(page).to_have_url(re.compile(r"type=railway_station"))
        assert parse_qs(urlsplit(page.url).query)["region"] == [ALMATY], page.url

        stations = almaty_stations()
        assert 0 < len(stations) <= 50  # one page of results
        links = page.locator("main table tbody th[scope=row] a")
        expect(links).to_have_count(len(stations))
        assert links.all_text_contents() == [f.name_ru for f in stations]
        assert [link.get_attribute("href") for link in links.all()] == [
            f"/ru/access/facilities/{f.pk}/" for f in stations]
        expect(page.locator("#results-caption")).to_contain_text(str(len(stations)))

        # The map still waits for a script that never runs; the list stands in for it.
        expect(page.locator("#facility-map")).to_be_hidden()
        expect(page.locator("#map-needs-script")).to_be_visible()
        expect(page.locator(MARKERS)).to_have_count(0)
        # Nor are the map's keyboard instructions shown for a map that is not there.
        expect(page.locator("#map-help")).to_be_hidden()
    finally:
        context.close()


# --- With JavaScript --------------------------------------------------------------------

def test_the_map_names_its_markers_and_a_group_zooms_in_with_the_keyboard(new_context,
                                                                          facilities):
    page: Page = new_context(None).new_page()
    with page.expect_response(lambda r: api_request(r.url)) as first:
        page.goto("/ru/access/")
    response = first.value
    assert response.ok, response.status
    features = response.json()["features"]
    assert features and all(f["properties"]["cluster"] for f in features)
    total = shown(features)
    # At the first zoom the whole country is in view.
    assert total == Facility.objects.count(), (total, first.value.url)

    markers = page.locator(MARKERS)
    expect(markers).to_have_count(len(features))
    expect(markers.first).to_be_visible()
    expect(page.locator("#facility-map")).to_be_visible()
    expect(page.locator("#map-needs-script")).to_be_hidden()
    expect(page.locator("#map-status")).to_have_text(re.compile(rf"(^|\D){total}(\D|$)"))
    for marker in markers.all():
        label = marker.get_attribute("aria-label") or ""
        assert re.search(r"\d", label) and label.strip(), label
        expect(marker).to_have_attribute("role", "button")
        expect(marker).to_have_attribute("tabindex", "0")

    # From the filters' button, Tab goes on into the map and reaches a marker.
    page.locator("#facility-filters button[type=submit]").focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('leaflet-marker-icon')"):
            break
    else:
        pytest.fail("Tab never reached a marker of the map")
    focused = page.locator(f"{MARKERS}:focus")
    expect(focused).to_have_class(re.compile(r"\bmap-cluster\b"))
    count = int(re.search(r"\d+", focused.get_attribute("aria-label")).group())
    assert count > 0

    before = zoom_of(response.url)
    # Enter on a group zooms in by two steps: the map asks for what is in view, closer.
    with page.expect_response(lambda r: api_request(r.url) and zoom_of(r.url) > before,
                              timeout=5_000) as closer:
        page.keyboard.press("Enter")
    assert zoom_of(closer.value.url) == before + 2, closer.value.url
    zoomed = closer.value.json()["features"]
    assert zoomed
    expect(page.locator("#map-status")).to_have_text(
        re.compile(rf"(^|\D){shown(zoomed)}(\D|$)"))
    expect(markers).to_have_count(len(zoomed))
    for marker in markers.all():
        assert (marker.get_attribute("aria-label") or "").strip()


def test_my_needs_shows_the_status_for_the_chosen_category(new_context, facilities):
    page: Page = new_context(None).new_page()
    # On the map, filtered to few facilities: single markers, each in its K status.
    stations = {f.name: f for f in almaty_stations()}
    with page.expect_response(lambda r: api_request(r.url)) as answered:
        page.goto(f"/ru/access/?category=K&type=railway_station&region={ALMATY}")
    assert parse_qs(urlsplit(answered.value.url).query)["category"] == ["K"]
    markers = page.locator(f"{MARKERS}.map-facility")
    expect(markers).to_have_count(len(stations))
    seen = set()
    for marker in markers.all():
        name = (marker.get_attribute("aria-label") or "").split(" — ")[0]
        facility = stations[name]
        status = level_of(facility.access(Category.K))
        expect(marker).to_have_class(re.compile(rf"\blevel-{status}\b"))
        seen.add(name)
    assert seen == set(stations)

    # Close in, through the API the map reads: every single facility in the box reports
    # its status for wheelchair users, not its overall level.
    centre = almaty_stations()[0]
    box = ",".join(f"{n:.5f}" for n in (centre.longitude - 1.5, centre.latitude - 1.0,
                                        centre.longitude + 1.5, centre.latitude + 1.0))
    answer = page.request.get(f"{API}?bbox={box}&zoom=16&category=K")
    assert answer.ok, answer.status
    singles = [f for f in answer.json()["features"] if not f["properties"]["cluster"]]
    assert singles
    in_box = Facility.objects.filter(latitude__gte=centre.latitude - 1.0,
                                     latitude__lte=centre.latitude + 1.0,
                                     longitude__gte=centre.longitude - 1.5,
                                     longitude__lte=centre.longitude + 1.5)
    by_pk = {f.pk: f for f in in_box}
    assert {f["id"] for f in singles} == set(by_pk)
    differing = 0
    for feature in singles:
        facility = by_pk[feature["id"]]
        expected = level_of(facility.access(Category.K))
        assert feature["properties"]["status"] == expected, feature
        assert feature["properties"]["access"]["K"] == expected, feature
        differing += expected != facility.level
    # The category changed what some markers show: the test would see it if it did not.
    assert differing > 0

    overall = page.request.get(f"{API}?bbox={box}&zoom=16").json()["features"]
    assert {f["id"]: f["properties"]["status"] for f in overall} == {
        pk: f.level for pk, f in by_pk.items()}
