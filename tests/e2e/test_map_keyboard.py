"""The accessibility map with the keyboard alone, in the page's language, and its symbols'
contrast in every colour scheme.

The journey: a group of facilities → Enter zooms in and the focus lands on the nearest
marker → … → a facility → Space opens its popup with the focus on its link → Escape closes
it and the focus is back on the marker → Enter opens it again → Enter follows the link to
the facility's page. After every action the focus is on something meaningful, never on
the page's body.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from tendik.access import services
from tendik.access.demo import load_demo
from tendik.access.models import Facility
from tests.e2e.conftest import TIMEOUT_MS
from tests.e2e.test_access_pages import API, MARKERS, api_request, zoom_of

pytestmark = pytest.mark.e2e

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return "body";
  if (el.classList.contains("map-cluster")) return "cluster";
  if (el.classList.contains("map-facility")) return "facility";
  if (el.closest(".leaflet-popup")) return "popup:" + el.tagName.toLowerCase();
  return el.tagName.toLowerCase() + (el.id ? "#" + el.id : "");
}"""


@pytest.fixture
def facilities(reference, settings) -> None:
    settings.ACCESS_MAP_TILES_URL = ""
    services.load_criteria()
    load_demo()


def focused(page: Page) -> str:
    return page.evaluate(FOCUSED)


def tab_to_a_marker(page: Page) -> None:
    page.locator("#facility-filters button[type=submit]").focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        if focused(page) in {"cluster", "facility"}:
            return
    pytest.fail("Tab never reached a marker of the map")


def test_the_map_journey_is_done_with_keys_and_the_focus_never_falls(new_context,
                                                                      facilities):
    page: Page = new_context(None).new_page()
    with page.expect_response(lambda r: api_request(r.url)) as first:
        page.goto("/ru/access/")
    zoom = zoom_of(first.value.url)
    tab_to_a_marker(page)

    # Enter on groups until the focus is on a single facility.
    for _ in range(8):
        if focused(page) == "facility":
            break
        assert focused(page) == "cluster", focused(page)
        with page.expect_response(lambda r, z=zoom: api_request(r.url) and zoom_of(r.url) > z,
                                  timeout=TIMEOUT_MS) as closer:
            page.keyboard.press("Enter")
        zoom = zoom_of(closer.value.url)
        # The closer markers arrive and the focus goes to the nearest of them.
        page.wait_for_function("() => document.activeElement.classList.contains("
                               "'leaflet-marker-icon')", timeout=TIMEOUT_MS)
        # Tab on from a group that has no facility of its own in view yet.
        if focused(page) == "cluster" and zoom >= 17:
            break
    else:
        pytest.fail("Enter on groups never led to a single facility")
    if focused(page) != "facility":
        for _ in range(60):
            page.keyboard.press("Tab")
            if focused(page) == "facility":
                break
        else:
            pytest.fail("no single facility reachable with Tab after zooming in")

    marker = page.locator(f"{MARKERS}:focus")
    label = marker.get_attribute("aria-label") or ""
    name = label.split(" — ")[0]
    assert name

    # Space opens the popup, as Enter does, and the focus goes to its link.
    page.keyboard.press("Space")
    popup = page.locator(".leaflet-popup")
    expect(popup).to_be_visible()
    expect(popup).to_contain_text(name)
    expect(popup.locator(".leaflet-popup-close-button")).to_have_attribute(
        "aria-label", "Закрыть это описание")
    expect(popup.locator(".leaflet-popup-content a")).to_be_focused()
    # A popup that pans the map makes the map reload what is in view: the popup stays.
    page.wait_for_timeout(800)
    expect(popup).to_be_visible()
    expect(popup.locator(".leaflet-popup-content a")).to_be_focused()

    # Escape closes it and the focus is back on the marker it came from.
    page.keyboard.press("Escape")
    expect(popup).to_have_count(0)
    assert focused(page) == "facility"
    expect(page.locator(f"{MARKERS}:focus")).to_have_attribute("aria-label", label)

    # Enter opens it again, and Enter on its link opens the facility's page.
    page.keyboard.press("Enter")
    expect(popup.locator(".leaflet-popup-content a")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/ru/access/facilities/\d+/"))
    expect(page.locator("h1")).to_contain_text(name)


def test_the_map_speaks_the_pages_language_not_the_browsers(browser: Browser, live_server,
                                                           facilities):
    facility = Facility.objects.exclude(name_kk="").exclude(name_kk=None).first()
    assert facility is not None and facility.name_kk != facility.name_ru
    context = browser.new_context(base_url=live_server.url, locale="ru-RU",
                                  extra_http_headers={"Accept-Language": "ru-RU,ru;q=0.9"})
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        with page.expect_response(lambda r: api_request(r.url)) as answered:
            page.goto(f"/kk/access/?region={facility.region.kato}&type={facility.type}")
        assert parse_qs(urlsplit(answered.value.url).query)["lang"] == ["kk"]
        singles = [f["properties"] for f in answered.value.json()["features"]
                   if not f["properties"]["cluster"]]
        assert singles, "the filtered map shows single facilities"
        ours = next(p for p in singles if p["id"] == facility.pk)
        assert ours["name"] == facility.name_kk
        assert all(p["url"].startswith("/kk/") for p in singles)

        # The same API asked without the page's language follows the browser.
        plain = page.request.get(f"{API}?bbox=46,40,88,56&zoom=16&region="
                                 f"{facility.region.kato}&type={facility.type}")
        names = {p["properties"]["id"]: p["properties"]["name"]
                 for p in plain.json()["features"] if not p["properties"]["cluster"]}
        assert names[facility.pk] == facility.name_ru
    finally:
        context.close()


def luminance(rgb: tuple[int, int, int]) -> float:
    def channel(c: int) -> float:
        c8 = c / 255
        return c8 / 12.92 if c8 <= 0.03928 else ((c8 + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def rgb(css: str) -> tuple[int, int, int]:
    css = css.strip()
    if css.startswith("#"):
        digits = css[1:]
        if len(digits) == 3:
            digits = "".join(d * 2 for d in digits)
        return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)
    r, g, b = (int(float(n)) for n in re.findall(r"[\d.]+", css)[:3])
    return r, g, b


# The light tiles of OpenStreetMap's standard style (land, and the lightest roads), and
# the grey Leaflet shows where no tile is loaded.
MAP_BACKGROUNDS = [(242, 239, 233), (255, 255, 255), (221, 221, 221)]


@pytest.mark.parametrize("scheme", ["standard", "white-on-black", "black-on-white",
                                    "blue-on-lightblue"])
def test_map_symbols_keep_three_to_one_in_every_scheme(scheme, new_context, facilities):
    facility = Facility.objects.filter(passports__isnull=False).first()
    page: Page = new_context(None, display={"scheme": scheme}).new_page()
    with page.expect_response(lambda r: api_request(r.url)):
        page.goto(f"/ru/access/?region={facility.region.kato}&type={facility.type}")
    markers = page.locator(f"{MARKERS}.map-facility")
    expect(markers.first).to_be_visible()
    halo = rgb(page.evaluate("getComputedStyle(document.documentElement)"
                             ".getPropertyValue('--marker-halo')"))
    colour_of_level: dict[str, tuple[int, int, int]] = {}
    for marker in markers.all()[:12]:
        level = re.search(r"\blevel-(\w+)", marker.get_attribute("class") or "").group(1)
        shape = marker.locator("svg > *").first
        hollow = "hollow" in (shape.get_attribute("class") or "")
        colour = rgb(shape.evaluate(
            f"e => getComputedStyle(e).{'stroke' if hollow else 'fill'}"))
        colour_of_level[level] = colour
        # The symbol stands out of its halo, and the halo (or the symbol itself) out of
        # the map: the boundary a reader sees is 3:1 on either side.
        assert contrast(colour, halo) >= 3, (scheme, colour, halo)
        for background in MAP_BACKGROUNDS:
            assert max(contrast(halo, background), contrast(colour, background)) >= 3, (
                scheme, colour, halo, background)

    # The standard colours tell the levels apart (the shapes do too); the schemes draw
    # every level in the text colour and leave it to the shapes.
    if scheme == "standard":
        assert len(colour_of_level) > 1, colour_of_level
        assert len(set(colour_of_level.values())) == len(colour_of_level), colour_of_level
    else:
        assert len(set(colour_of_level.values())) == 1, colour_of_level

    # The popup follows the scheme: its text has the page's colours.
    markers.first.focus()
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup-content-wrapper")
    expect(popup).to_be_visible()
    text = rgb(popup.evaluate("e => getComputedStyle(e).color"))
    background = rgb(popup.evaluate("e => getComputedStyle(e).backgroundColor"))
    assert contrast(text, background) >= 4.5, (scheme, text, background)
    page_background = rgb(page.evaluate("getComputedStyle(document.body).backgroundColor"))
    assert background == page_background, (scheme, background, page_background)
