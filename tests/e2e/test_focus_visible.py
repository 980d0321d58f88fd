"""The keyboard focus shows on every focusable element in every colour scheme (WCAG 2.4.7,
2.4.11): Tab through a page; each focused element looks different from itself unfocused,
and its indicator (an outline, or the colour a link takes) contrasts 3:1 with what is
around it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page

from tests.e2e.test_map_keyboard import contrast, rgb

pytestmark = pytest.mark.e2e

SCHEMES = ["standard", "white-on-black", "black-on-white", "blue-on-lightblue"]
PAGES = ["/ru/", "/ru/login/", "/kk/accessibility/"]
STOPS = 45

# What the focused element shows, and the background right around it (the nearest
# ancestor that paints one).
INDICATOR = """el => {
  const style = getComputedStyle(el);
  let parent = el.parentElement, around = "rgb(255, 255, 255)";
  while (parent) {
    const bg = getComputedStyle(parent).backgroundColor;
    if (bg && bg !== "rgba(0, 0, 0, 0)" && bg !== "transparent") { around = bg; break; }
    parent = parent.parentElement;
  }
  const outlined = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
  const rect = el.getBoundingClientRect();
  return {
    outline: outlined ? style.outlineColor : null,
    shadow: style.boxShadow,
    background: style.backgroundColor,
    around: around,
    name: (el.getAttribute("aria-label") || el.textContent || el.name || el.tagName)
      .trim().slice(0, 40),
    box: {x: rect.x, y: rect.y, width: rect.width, height: rect.height},
  };
}"""


def colours_in(shadow: str) -> list[tuple[int, int, int]]:
    return [rgb(found) for found in re.findall(r"rgba?\([^)]*\)", shadow or "")]


def clip(box: dict, page: Page) -> dict:
    margin = 8
    width = page.viewport_size["width"]
    x = max(box["x"] - margin, 0)
    y = max(box["y"] - margin, 0)
    return {"x": x, "y": y, "width": min(box["width"] + 2 * margin, width - x),
            "height": box["height"] + 2 * margin}


@pytest.mark.parametrize("scheme", SCHEMES)
def test_every_focused_element_shows_its_focus_in_every_scheme(scheme, new_context):
    page: Page = new_context(None, display={"scheme": scheme}).new_page()
    failures: list[str] = []
    for path in PAGES:
        page.goto(path)
        seen: set[str] = set()
        for _ in range(STOPS):
            page.keyboard.press("Tab")
            handle = page.evaluate_handle("document.activeElement")
            if page.evaluate("el => el === document.body", handle):
                break
            key = page.evaluate("el => el.outerHTML.slice(0, 200)", handle)
            if key in seen:
                break
            seen.add(key)
            handle.scroll_into_view_if_needed()
            focused = page.evaluate(INDICATOR, handle)
            if focused["box"]["width"] == 0 or focused["box"]["height"] == 0:
                continue
            area = clip(focused["box"], page)
            with_focus = page.screenshot(clip=area)
            page.evaluate("el => el.blur()", handle)
            without_focus = page.screenshot(clip=area)
            page.evaluate("el => el.focus()", handle)
            where = f"{scheme} {path} «{focused['name']}»"
            if with_focus == without_focus:
                failures.append(f"{where}: looks the same focused and unfocused")
                continue
            around = rgb(focused["around"])
            candidates = colours_in(focused["shadow"])
            if focused["outline"]:
                candidates.append(rgb(focused["outline"]))
            candidates.append(rgb(focused["background"]) if "rgba(0, 0, 0, 0)" not in
                              focused["background"] else around)
            best = max(contrast(colour, around) for colour in candidates)
            if best < 3:
                failures.append(f"{where}: indicator {candidates} on {around}: "
                                f"{best:.2f}:1")
        assert len(seen) > 3, f"{scheme} {path}: Tab reached only {len(seen)} elements"
    assert not failures, "\n".join(failures)
