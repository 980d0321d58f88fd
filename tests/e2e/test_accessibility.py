"""axe-core on every page, in each language and in the low-vision mode's schemes.

Every page is checked against WCAG 2.0, 2.1 and 2.2 at levels A and AA, in the states a
person meets: forms with their error summary, the office as an analyst, the audit and
access logs as an auditor, the second factor before and after enrolment. Each page is
also checked for horizontal scrolling (WCAG 1.4.10 Reflow), which axe does not test.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tendik.core.models import Role
from tests.conftest import ALMATY
from tests.e2e.support import (
    axe_violations,
    describe_violations,
    expect_html_classes,
    wrong_totp_code,
)

pytestmark = pytest.mark.e2e

LOW_VISION_LARGEST = {"text_size": "200", "scheme": "white-on-black", "spacing": "wide"}
LOW_VISION_BLUE = {"text_size": "200", "scheme": "blue-on-lightblue"}
LOW_VISION_NO_IMAGES = {"text_size": "150", "scheme": "black-on-white", "images": "off",
                        "spacing": "wide"}

# name: (language, low-vision preferences, viewport width in CSS pixels)
MODES: dict[str, tuple[str, dict[str, str] | None, int]] = {
    "ru": ("ru", None, 1280),
    "kk": ("kk", None, 1280),
    "en": ("en", None, 1280),
    "ru-200-white-on-black": ("ru", LOW_VISION_LARGEST, 1280),
    # 640 pixels: a 1280-pixel screen zoomed to 200 %, on top of the largest text.
    "kk-200-blue-on-lightblue-640px": ("kk", LOW_VISION_BLUE, 640),
    "en-150-black-on-white-no-images": ("en", LOW_VISION_NO_IMAGES, 1280),
    # WCAG 1.4.10 Reflow: 320 CSS pixels, a 1280-pixel screen zoomed to 400 %.
    "ru-320px": ("ru", None, 320),
}

# The elements that stick out to the right of the viewport, innermost first.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  return [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > width + 1
                  && !el.closest('.table-wrapper'))
    .reverse().slice(0, 5)
    .map(el => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}`
               + `${el.className ? '.' + String(el.className).replace(/ +/g, '.') : ''}`
               + ` (right edge ${Math.round(el.getBoundingClientRect().right)}px)`)
    .concat([`page ${document.documentElement.scrollWidth}px wide in ${width}px`]);
}"""


@dataclass
class Audit:
    """Visits pages and keeps what fails on each; the test asserts on all of it at once."""

    display: dict[str, str] | None
    found: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    overflowing: dict[str, list[str]] = field(default_factory=dict)
    checked: list[str] = field(default_factory=list)

    def visit(self, page: Page, path: str, *, status: int = 200) -> None:
        response = page.goto(path)
        assert response is not None and response.status == status, (path, response)
        # Not redirected: the page checked is the page asked for.
        assert page.url.split("?")[0].endswith(path.split("?")[0]), (path, page.url)

    def check(self, page: Page, name: str) -> None:
        if self.display:
            expect_html_classes(page, {f"{key.removesuffix('_size')}-{value}"
                                       for key, value in self.display.items()})
        expect(page.locator("main h1")).to_have_count(1)
        self.checked.append(name)
        key = f"{name} — {page.url}"
        violations = axe_violations(page)
        if violations:
            self.found[key] = violations
        overflowing = page.evaluate(OVERFLOWING)
        if overflowing:
            self.overflowing[key] = overflowing

    def report(self) -> str:
        lines = [f"{page}:\n{describe_violations(violations)}"
                 for page, violations in self.found.items()]
        lines += [f"{page}:\n  horizontal scrolling (WCAG 1.4.10): {', '.join(elements)}"
                  for page, elements in self.overflowing.items()]
        return "\n".join(lines)


@pytest.mark.parametrize("mode", list(MODES))
def test_every_page_passes_axe(mode: str, new_context: Callable[..., BrowserContext],
                               personas, make_user):
    language, display, width = MODES[mode]
    audit = Audit(display)
    newcomer = make_user(Role.AGENCY_EXECUTOR, "МЗ", username="e2e.newcomer",
                         with_totp=False)

    def open_as(user=None, *, verified: bool = True) -> Page:
        return new_context(user, verified=verified, display=display, width=width).new_page()

    # A visitor: the public pages, the sign-in form and its errors, a missing page.
    visitor = open_as()
    for name, path in [
        ("home", f"/{language}/"),
        ("regions", f"/{language}/regions/"),
        ("region", f"/{language}/regions/{ALMATY}/"),
        ("organisations", f"/{language}/organisations/"),
        ("organisations of one kind", f"/{language}/organisations/?kind=akimat"),
        ("low-vision settings", f"/{language}/accessibility/"),
        ("API documentation", f"/{language}/api/"),
        ("National Plan", f"/{language}/plan/"),
        ("National Plan filtered", f"/{language}/plan/?direction=8&year=2021"),
        ("measure with targets", f"/{language}/plan/measures/94/"),
        ("measure missing from the text", f"/{language}/plan/measures/5/"),
        ("National Plan with a filter error", f"/{language}/plan/?year=1990"),
        ("sign-in", f"/{language}/accounts/login/"),
    ]:
        audit.visit(visitor, path)
        audit.check(visitor, name)
    visitor.locator("#id_username").fill(personas["registered"].username)
    visitor.locator("#id_password").fill("not-the-password")
    visitor.locator("main form button[type=submit]").click()
    expect(visitor.locator("#error-summary")).to_be_visible()
    audit.check(visitor, "sign-in with an error")
    audit.visit(visitor, f"/{language}/no-such-page/", status=404)
    audit.check(visitor, "page not found")
    audit.visit(visitor, f"/{language}/search/?q=%D0%90%D0%BB%D0%BC%D0%B0%D1%82%D1%8B")  # «Алматы»
    expect(visitor.locator("main section h2").first).to_be_visible()
    audit.check(visitor, "search with results")
    audit.visit(visitor, f"/{language}/search/?q=a")
    expect(visitor.locator("#error-summary")).to_be_visible()
    audit.check(visitor, "search with an error")

    # A recipient: the header's «My …» link, and the next steps of a missing page.
    recipient = open_as(personas["recipient"])
    audit.visit(recipient, f"/{language}/")
    expect(recipient.locator(".site-header .my-work")).to_be_visible()
    audit.check(recipient, "home as a recipient")
    audit.visit(recipient, f"/{language}/no-such-page/", status=404)
    audit.check(recipient, "page not found as a recipient")

    # Staff after the password: the second factor, and its setup for a newcomer.
    official = open_as(personas["akimat_official"], verified=False)
    audit.visit(official, f"/{language}/accounts/second-factor/")
    audit.check(official, "second factor")
    device = personas["akimat_official"].totpdevice_set.get()
    official.locator("#id_token").fill(wrong_totp_code(device))
    official.locator("main form button[type=submit]").click()
    expect(official.locator("#error-summary")).to_be_visible()
    audit.check(official, "second factor with an error")
    enrolling = open_as(newcomer, verified=False)
    audit.visit(enrolling, f"/{language}/accounts/second-factor/setup/")
    audit.check(enrolling, "second factor setup")

    # The office as an analyst (national scope), the logs as an auditor.
    analyst = open_as(personas["analyst"])
    audit.visit(analyst, f"/{language}/office/")
    audit.check(analyst, "office")
    audit.visit(analyst, f"/{language}/office/organisations/AKIMAT-{ALMATY}/")
    expect(analyst.locator("main table tbody tr")).not_to_have_count(0)
    audit.check(analyst, "office organisation with its staff")
    audit.visit(analyst, f"/{language}/office/regions/{ALMATY}/")
    audit.check(analyst, "office region")

    auditor = open_as(personas["auditor"])
    for name, path in [
        ("audit log", f"/{language}/office/audit/"),
        ("access log", f"/{language}/office/access-log/"),
    ]:
        audit.visit(auditor, path)
        # With rows in it: sign-ins and the analyst's view of the staff list.
        expect(auditor.locator("main table tbody td[colspan]")).to_have_count(0)
        audit.check(auditor, name)
    audit.visit(auditor, f"/{language}/office/audit/?date_from=2025-02-01&date_to=2025-01-01")
    expect(auditor.locator("#error-summary")).to_be_visible()
    audit.check(auditor, "audit log with a filter error")

    assert len(audit.checked) == 28
    assert not (audit.found or audit.overflowing), (
        f"WCAG 2.2 A/AA failures ({mode}):\n{audit.report()}")
