"""The low-vision mode, chosen from the header link and kept on every following page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tendik.core.models import Role
from tests.e2e.support import expect_html_classes, html_classes, root_font_size
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e

DISPLAY_FORM = "main form:has(input[type=radio])"
STANDARD = {"text-100", "scheme-standard", "images-on", "spacing-normal"}


def open_low_vision_settings(page: Page) -> None:
    page.locator("header.site-header a[href*='/accessibility/']").click()
    expect(page).to_have_url(re.compile(r"/ru/accessibility/\?next="))


def choose(page: Page, **choices: str) -> None:
    form = page.locator(DISPLAY_FORM)
    for name, value in choices.items():
        radio = form.locator(f'input[type=radio][name="{name}"][value="{value}"]')
        # Each option is chosen through its label, as a person would click it.
        form.locator(f'label[for="{radio.get_attribute("id")}"]').click()
        expect(radio).to_be_checked()
    # The page the form leads to is measured once its stylesheet has applied.
    with page.expect_navigation(wait_until="load"):
        form.locator("button[type=submit]").click()


def colours(page: Page) -> tuple[str, str]:
    return tuple(page.evaluate("""() => { const s = getComputedStyle(document.body);
                                     return [s.color, s.backgroundColor]; }"""))


def test_larger_text_and_white_on_black_stay_on_every_page(page: Page):
    page.goto("/ru/regions/")
    assert html_classes(page) >= STANDARD
    standard_size = root_font_size(page)

    open_low_vision_settings(page)
    choose(page, text_size="200", scheme="white-on-black")
    # Back on the page the person came from.
    expect(page).to_have_url(re.compile(r"/ru/regions/$"))
    expect_html_classes(page, {"text-200", "scheme-white-on-black"})

    for path in ["/ru/regions/", "/ru/", "/ru/organisations/", "/ru/regions/710000000/",
                 "/kk/accounts/login/", "/en/accessibility/"]:
        if path != "/ru/regions/":
            page.goto(path)
        classes = html_classes(page)
        assert {"text-200", "scheme-white-on-black"} <= classes, (path, classes)
        assert root_font_size(page) == pytest.approx(2 * standard_size), path
        assert colours(page) == ("rgb(255, 255, 255)", "rgb(0, 0, 0)"), path

    # The settings page shows the choice that is in force.
    page.goto("/ru/accessibility/")
    form = page.locator(DISPLAY_FORM)
    expect(form.locator('input[name="text_size"][value="200"]')).to_be_checked()
    expect(form.locator('input[name="scheme"][value="white-on-black"]')).to_be_checked()


def test_images_off_hides_the_qr_code_and_shows_its_description(page: Page, make_user):
    make_user(Role.AKIMAT_OFFICIAL, "AKIMAT-750000000", username="e2e.images",
              with_totp=False)
    page.goto("/ru/")
    open_low_vision_settings(page)
    choose(page, images="off")
    expect_html_classes(page, {"images-off"})

    # The preference survives signing in; the staff member then sets up the second factor.
    page.goto("/ru/accounts/login/")
    page.locator("#id_username").fill("e2e.images")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/ru/accounts/second-factor/setup/"))
    assert "images-off" in html_classes(page)
    expect(page.locator(".qr")).to_be_hidden()
    expect(page.locator(".image-description")).to_be_visible()
    expect(page.locator(".secret")).to_be_visible()

    # Any picture the platform shows is hidden too; its description stays.
    page.evaluate("""() => {
        const img = document.createElement('img');
        img.alt = 'test'; img.width = 40; img.height = 40; img.id = 'e2e-img';
        img.src = 'data:image/gif;base64,'
                  + 'R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==';
        document.querySelector('main').append(img);
    }""")
    expect(page.locator("#e2e-img")).to_be_hidden()

    # Back to the standard view: the QR code is there again.
    page.goto("/ru/accessibility/")
    page.locator("main form").filter(has_not=page.locator("input[type=radio]")).locator(
        "button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/ru/accessibility/$"))
    expect_html_classes(page, STANDARD)
    page.goto("/ru/accounts/second-factor/setup/")
    expect(page.locator(".qr svg")).to_be_visible()
    expect(page.locator(".image-description")).to_be_hidden()


def test_back_to_the_standard_view_resets_every_choice(page: Page):
    page.goto("/ru/")
    standard_size = root_font_size(page)
    standard_colours = colours(page)
    open_low_vision_settings(page)
    choose(page, text_size="150", scheme="blue-on-lightblue", images="off", spacing="wide")
    expect(page).to_have_url(re.compile(r"/ru/$"))
    assert {"text-150", "scheme-blue-on-lightblue", "images-off", "spacing-wide"} <= \
        html_classes(page)
    assert root_font_size(page) == pytest.approx(1.5 * standard_size)

    open_low_vision_settings(page)
    reset = page.locator("main form").filter(has_not=page.locator("input[type=radio]"))
    reset.locator("button[type=submit]").click()
    # Back on the page the person came from, in the standard view.
    expect(page).to_have_url(re.compile(r"/ru/$"))
    expect_html_classes(page, STANDARD)
    page.goto("/ru/organisations/")
    assert html_classes(page) >= STANDARD
    assert root_font_size(page) == pytest.approx(standard_size)
    assert colours(page) == standard_colours
