"""The content security policy holds in a real browser: the platform's pages, the map
with its markers and popups, and htmx's requests run with nothing refused."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_map_keyboard import facilities  # noqa: F401 — the map's fixture

pytestmark = pytest.mark.e2e

RECORD_VIOLATIONS = """
window.__refused = [];
document.addEventListener("securitypolicyviolation",
  (event) => window.__refused.push(`${event.violatedDirective} ${event.blockedURI}`));
"""


def refused(page: Page) -> list[str]:
    return page.evaluate("window.__refused")


@pytest.mark.usefixtures("facilities")
def test_pages_and_the_map_run_under_the_policy_with_nothing_refused(page: Page):
    page.add_init_script(RECORD_VIOLATIONS)
    response = page.goto("/ru/")
    assert response is not None
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    for path in ("/ru/", "/kk/plan/", "/en/indicators/", "/ru/accounts/login/",
                 "/ru/accessibility-statement/"):
        page.goto(path)
        expect(page.locator("main h1")).to_have_count(1)
        assert refused(page) == [], path
    page.goto("/ru/access/")
    marker = page.locator(".map-cluster, .map-facility").first
    expect(marker).to_be_visible()
    marker.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".map-cluster, .map-facility").first).to_be_visible()
    # A failed sign-in answers with the error summary: forms work under the policy too.
    page.goto("/ru/accounts/login/")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#error-summary")).to_be_visible()
    assert refused(page) == []
    # What the policy is for: markup injected with a style attribute or a script is refused.
    page.evaluate("""() => { const injected = document.createElement("div");
      injected.innerHTML = '<p style="color: red">injected</p>';
      document.body.append(injected); }""")
    page.wait_for_function("window.__refused.length > 0")
    assert all(entry.startswith("style-src") for entry in refused(page))
