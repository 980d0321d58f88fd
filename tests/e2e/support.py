"""Helpers shared by the browser tests: axe-core, TOTP codes, focus and display checks."""

from __future__ import annotations

import re
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

# WCAG 2.0, 2.1 and 2.2, levels A and AA (axe-core has no "wcag22a" rules).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}

_axe = Axe()


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's violations of WCAG 2.x A/AA on the page as it is now.

    After a form post the new document can be visible before its stylesheet has
    applied; axe audits the page as a person sees it, so it waits for the load.
    """
    page.wait_for_load_state("load")
    return _axe.run(page, options=AXE_OPTIONS).response["violations"]


def describe_violations(violations: list[dict[str, Any]]) -> str:
    """Each violation's id, impact and help, then every failing element's target."""
    lines = []
    for violation in violations:
        lines.append(f"  {violation['id']} ({violation['impact']}): {violation['help']} "
                     f"<{violation['helpUrl']}>")
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"      at {target}: {summary}")
    return "\n".join(lines)


def totp_code(device: TOTPDevice, drift: int = 0) -> str:
    """The code the person's authenticator app shows now (drift: steps later or earlier)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift + drift)
    return f"{totp.token():0{device.digits}d}"


def wrong_totp_code(device: TOTPDevice) -> str:
    """Six digits the device refuses now, whatever the tolerated clock drift."""
    accepted = {totp_code(device, drift) for drift in range(-2, 3)}
    return next(code for code in ("000000", "111111", "222222", "333333", "444444",
                                  "555555") if code not in accepted)


def html_classes(page: Page) -> set[str]:
    return set((page.locator("html").get_attribute("class") or "").split())


def expect_html_classes(page: Page, classes: set[str]) -> None:
    """Waits until <html> has every class (the page may still be loading after a submit)."""
    root = page.locator("html")
    for name in sorted(classes):
        expect(root).to_have_class(re.compile(rf"(^|\s){re.escape(name)}(\s|$)"))


def root_font_size(page: Page) -> float:
    return page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")


FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(), id: el.id, href: el.getAttribute('href'),
    text: el.textContent.trim(), className: el.className,
    outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth),
    boxShadow: style.boxShadow, focusVisible: el.matches(':focus-visible'),
    inMainNav: !!el.closest('nav.site-nav'), inMain: !!el.closest('main'),
    rect: (() => { const r = el.getBoundingClientRect();
                   return {x: r.x, y: r.y, width: r.width, height: r.height}; })(),
  };
}"""


def focused(page: Page) -> dict[str, Any] | None:
    """What has the keyboard focus now, with the styles that make the focus visible."""
    return page.evaluate(FOCUSED)


def has_visible_focus_indicator(element: dict[str, Any]) -> bool:
    outline = element["outlineStyle"] != "none" and element["outlineWidth"] > 0
    shadow = element["boxShadow"] not in ("", "none")
    return outline or shadow
