"""Staff sign in with a password and a TOTP code, in the browser, as a person would."""

from __future__ import annotations

import base64
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from tendik.core.models import Role
from tests.e2e.support import focused, totp_code, wrong_totp_code
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e

SUBMIT = "main form button[type=submit]"


def password_step(page: Page, username: str) -> None:
    """From a staff page: to the sign-in page, then the username and password."""
    page.goto("/ru/office/")
    expect(page).to_have_url(re.compile(r"/ru/accounts/login/\?next=/ru/office/$"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator(SUBMIT).click()


def test_staff_sign_in_with_password_and_totp_code(page: Page, personas):
    official = personas["akimat_official"]
    device = TOTPDevice.objects.get(user=official, confirmed=True)

    password_step(page, official.username)
    expect(page).to_have_url(re.compile(r"/ru/accounts/second-factor/\?next=/ru/office/$"))
    code_input = page.locator("#id_token")
    expect(code_input).to_have_attribute("autocomplete", "one-time-code")
    expect(code_input).to_have_attribute("inputmode", "numeric")
    # The input is named by its label.
    expect(page.get_by_role("textbox", name=re.compile(r"\S"))).to_have_count(1)

    code_input.fill(totp_code(device))
    page.locator(SUBMIT).click()
    expect(page).to_have_url(re.compile(r"/ru/office/$"))
    expect(page.locator("main h1")).to_be_visible()
    expect(page.locator("main")).to_contain_text(official.get_full_name())


def test_a_wrong_code_shows_the_error_summary_and_the_inline_error(page: Page, personas):
    analyst = personas["analyst"]
    device = TOTPDevice.objects.get(user=analyst, confirmed=True)

    password_step(page, analyst.username)
    expect(page).to_have_url(re.compile(r"/ru/accounts/second-factor/"))
    title_before = page.title()
    page.locator("#id_token").fill(wrong_totp_code(device))
    page.locator(SUBMIT).click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_have_attribute("role", "alert")
    summary_link = summary.locator('a[href="#id_token"]')
    expect(summary_link).to_have_count(1)
    expect(summary_link).not_to_have_text("")

    inline = page.locator("#id_token-error")
    expect(inline).to_be_visible()
    # The same message, after the «Ошибка:» that only screen readers hear.
    expect(inline).to_have_text("Ошибка: " + summary_link.inner_text())
    code_input = page.locator("#id_token")
    expect(code_input).to_have_attribute("aria-invalid", "true")
    expect(code_input).to_have_attribute("aria-describedby", re.compile(r"\bid_token-error\b"))
    # The page title tells a screen-reader user about the error before anything else.
    assert page.title() != title_before and page.title().endswith(title_before)

    # From the summary, the link leads the keyboard to the field to correct.
    summary_link.focus()
    page.keyboard.press("Enter")
    now = focused(page)
    assert now is not None and now["id"] == "id_token", now

    # Still only half signed in: the office sends the person back to the second factor.
    page.goto("/ru/office/")
    url = urlsplit(page.url)
    assert url.path == "/ru/accounts/second-factor/"
    assert parse_qs(url.query) == {"next": ["/ru/office/"]}


def test_staff_without_a_device_set_one_up_on_first_sign_in(page: Page, make_user):
    newcomer = make_user(Role.AGENCY_EXECUTOR, "МЗ", username="e2e.newcomer", with_totp=False)
    assert not TOTPDevice.objects.filter(user=newcomer).exists()

    password_step(page, newcomer.username)
    expect(page).to_have_url(
        re.compile(r"/ru/accounts/second-factor/setup/\?next=/ru/office/$"))
    pending = TOTPDevice.objects.get(user=newcomer, confirmed=False)

    # The key is shown for typing, in groups of four, and as a QR code.
    key = base64.b32encode(pending.bin_key).decode().rstrip("=")
    shown = page.locator(".secret")
    expect(shown).to_be_visible()
    assert shown.inner_text().replace(" ", "") == key
    expect(page.locator(".qr svg")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile(r"\S"))).to_have_count(1)

    page.locator("#id_token").fill(totp_code(pending))
    page.locator(SUBMIT).click()
    expect(page).to_have_url(re.compile(r"/ru/office/$"))
    pending.refresh_from_db()
    assert pending.confirmed
    assert TOTPDevice.objects.filter(user=newcomer).count() == 1
