"""The language switcher in the header: Russian, Kazakh and English versions of a page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e


def switcher_link(page: Page, name: str):
    return page.get_by_role("navigation", name=re.compile(r"\S")).get_by_role(
        "link", name=name, exact=True)


def page_text(page: Page) -> str:
    return " ".join(page.locator("main").inner_text().split())


def test_switching_from_russian_to_kazakh_and_english(page: Page):
    page.goto("/ru/")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    russian = page_text(page)
    current = page.locator('.language-switcher a[aria-current="true"]')
    expect(current).to_have_count(1)
    expect(current).to_have_text("Русский")

    kazakh_link = switcher_link(page, "Қазақша")
    # The link names its own language, so a screen reader says it in Kazakh.
    expect(kazakh_link).to_have_attribute("lang", "kk")
    expect(kazakh_link).to_have_attribute("hreflang", "kk")
    kazakh_link.click()
    expect(page).to_have_url(re.compile(r"^http://[^/]+/kk/"))
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    expect(current).to_have_text("Қазақша")
    kazakh = page_text(page)
    assert kazakh and kazakh != russian
    assert page.title() != ""

    switcher_link(page, "English").click()
    expect(page).to_have_url(re.compile(r"^http://[^/]+/en/"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(current).to_have_text("English")
    english = page_text(page)
    assert english and english not in (russian, kazakh)


def test_the_switcher_keeps_the_page(page: Page):
    page.goto("/ru/regions/750000000/")
    region_ru = page.locator("main h1").inner_text()
    switcher_link(page, "Қазақша").click()
    expect(page).to_have_url(re.compile(r"/kk/regions/750000000/$"))
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    # The region's own name comes from the reference data in each language.
    expect(page.locator("main h1")).not_to_have_text(region_ru)
    switcher_link(page, "English").click()
    expect(page).to_have_url(re.compile(r"/en/regions/750000000/$"))
    switcher_link(page, "Русский").click()
    expect(page).to_have_url(re.compile(r"/ru/regions/750000000/$"))
    expect(page.locator("main h1")).to_have_text(region_ru)
