"""The home page with the keyboard alone: skip link, main content, main navigation."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.support import focused, has_visible_focus_indicator

pytestmark = pytest.mark.e2e

MAX_TABS = 25


def tab(page: Page, shift: bool = False) -> dict:
    page.keyboard.press("Shift+Tab" if shift else "Tab")
    element = focused(page)
    assert element is not None, "the focus left the page"
    return element


def assert_focus_is_visible(element: dict) -> None:
    assert element["focusVisible"], f"{element} does not match :focus-visible"
    assert has_visible_focus_indicator(element), (
        f"no outline or box-shadow on the focused {element['tag']} "
        f"{element['href'] or element['id']!r}: outline {element['outlineStyle']} "
        f"{element['outlineWidth']}px, box-shadow {element['boxShadow']!r}")


def assert_on_screen(page: Page, element: dict) -> None:
    viewport = page.viewport_size
    rect = element["rect"]
    assert rect["width"] > 0 and rect["height"] > 0, element
    assert rect["x"] >= 0 and rect["x"] + rect["width"] <= viewport["width"], element
    assert rect["y"] >= 0 and rect["y"] + rect["height"] <= viewport["height"], element


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_the_skip_link_comes_first_and_leads_to_the_main_content(page: Page, language):
    page.goto(f"/{language}/")
    skip = tab(page)
    assert skip["tag"] == "a" and skip["href"] == "#main", skip
    assert "skip-link" in skip["className"]
    assert skip["text"], "the skip link has no text"
    # Hidden until focused, then on screen and clearly focused.
    assert_on_screen(page, skip)
    assert_focus_is_visible(skip)

    page.keyboard.press("Enter")
    target = focused(page)
    assert target is not None and target["tag"] == "main" and target["id"] == "main", target
    expect(page).to_have_url(re.compile(r"#main$"))

    # The next Tab continues inside the main content, past header and navigation.
    after = tab(page)
    assert after["inMain"], f"Tab after the skip link went to {after}"
    assert_focus_is_visible(after)


def test_tabbing_reaches_the_regions_link_of_the_main_navigation(page: Page):
    page.goto("/ru/")
    visited = []
    for _ in range(MAX_TABS):
        element = tab(page)
        visited.append(element["href"])
        assert_focus_is_visible(element)
        assert_on_screen(page, element)
        if element["inMainNav"] and element["href"] == "/ru/regions/":
            break
    else:
        pytest.fail(f"{MAX_TABS} Tabs never reached the regions link; visited {visited}")
    # The skip link came first, the main navigation after the header.
    assert visited[0] == "#main"

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/ru/regions/$"))
    expect(page.locator('nav.site-nav a[href="/ru/regions/"]')).to_have_attribute(
        "aria-current", "page")
    # On the new page, the keyboard starts again from the skip link.
    assert tab(page)["href"] == "#main"


def test_tabbing_back_from_the_main_content_reaches_the_navigation(page: Page):
    page.goto("/ru/")
    tab(page)
    page.keyboard.press("Enter")
    element = tab(page, shift=True)
    assert element["inMainNav"], f"Shift+Tab from <main> went to {element}"
    assert_focus_is_visible(element)
