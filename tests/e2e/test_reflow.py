"""WCAG 1.4.10 Reflow at its hardest: the largest text (200 %) on a 320-pixel viewport,
a 1280-pixel screen zoomed to 400 %. The map, an indicator with its chart, the plan and
the order form read without scrolling sideways (tables scroll inside their own frame)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, expect

from tendik.indicators.demo import load_demo
from tendik.indicators.services import load_plan_indicators
from tests.e2e.test_accessibility import OVERFLOWING
from tests.portal.conftest import build_market

pytestmark = pytest.mark.e2e

LARGEST_TEXT = {"text_size": "200"}


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_key_pages_reflow_at_the_largest_text_on_a_narrow_screen(
        language: str, new_context: Callable[..., BrowserContext], reference):
    load_plan_indicators()
    load_demo()
    market = build_market()
    pages = {
        "accessibility map": f"/{language}/access/",
        "indicator with its chart": f"/{language}/indicators/primary-disability-rate/",
        "National Plan": f"/{language}/plan/",
        "a measure": f"/{language}/plan/measures/94/",
        "order form": (f"/{language}/portal/entitlements/{market.entitlement.pk}/offers/"
                       f"{market.offer.pk}/order/"),
    }
    anonymous = new_context(None, display=LARGEST_TEXT, width=320).new_page()
    recipient = new_context(market.recipient, display=LARGEST_TEXT, width=320).new_page()
    overflowing = {}
    for name, path in pages.items():
        page = recipient if "portal" in path else anonymous
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        expect(page.locator("main h1")).to_have_count(1)
        if found := page.evaluate(OVERFLOWING):
            overflowing[name] = found
    assert not overflowing, "\n".join(f"{name}: {found}" for name, found in overflowing.items())
