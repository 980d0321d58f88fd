"""Browser tests: Debian's chromium, driven by Playwright's sync API, against live_server.

One browser for the whole session and a fresh context (cookies, storage) for every test.
The live server runs in a thread of the test process; with SQLite in memory it shares the
test's connection, so data must be committed: every test here runs transactionally
(pytest-django switches `db` to `transactional_db` whenever `live_server` is requested).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest
from django.conf import settings
from django.test import Client, override_settings
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from tendik.core.display import SESSION_KEY as DISPLAY_SESSION_KEY
from tendik.core.display import DisplayPreferences
from tendik.core.models import User
from tendik.core.reference import load_reference_data
from tendik.plan.services import load_national_plan
from tests.conftest import sign_in

# Playwright's sync API keeps an event loop running in this thread; Django would otherwise
# refuse every ORM call made by the test while the browser is open.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session", autouse=True)
def plain_http_live_server() -> Iterator[None]:
    """The live server speaks plain HTTP on localhost.

    The suite runs with production security settings; tests/conftest.py turns off the
    redirect to HTTPS per test, but the live server builds its middleware once, when it
    starts, and SecurityMiddleware reads SECURE_SSL_REDIRECT then. This session-scoped
    override is in place before the (session-scoped) live server starts.
    """
    with override_settings(SECURE_SSL_REDIRECT=False):
        yield


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    chromium = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@pytest.fixture
def reference(transactional_db, live_server) -> None:
    """The shipped reference data and the National Plan, committed so that the live server
    sees them.

    Overrides the project's fixture of the same name, so `make_user` and `personas`
    build their users on committed data too.
    """
    load_reference_data()
    load_national_plan()


@pytest.fixture
def new_context(browser: Browser, live_server, reference) -> Iterator[
        Callable[..., BrowserContext]]:
    """Opens browser contexts on the live server; all of them are closed after the test.

    user: signed in (verified=False: with the password alone, before the second factor);
    display: low-vision preferences already chosen in this session;
    width: of the viewport in CSS pixels (320 is a 1280-pixel screen zoomed to 400 %).
    """
    opened: list[BrowserContext] = []

    def make(user: User | None = None, *, verified: bool = True,
             display: dict[str, str] | None = None, width: int = 1280) -> BrowserContext:
        context = browser.new_context(base_url=live_server.url,
                                      viewport={"width": width, "height": 900})
        context.set_default_timeout(TIMEOUT_MS)
        opened.append(context)
        if user is not None or display is not None:
            context.add_cookies([session_cookie(live_server.url, user, verified=verified,
                                                display=display)])
        return context

    yield make
    for context in opened:
        context.close()


@pytest.fixture
def page(new_context: Callable[..., BrowserContext]) -> Page:
    """A page in a fresh, anonymous context."""
    return new_context().new_page()


def session_cookie(url: str, user: User | None, *, verified: bool,
                   display: dict[str, str] | None) -> dict[str, object]:
    """A session made on the server side, handed to the browser as its cookie.

    verified=True: after the password and, for staff, the TOTP step (tests.conftest.sign_in);
    verified=False: after the password alone, so staff still face the second factor.
    """
    client = Client()
    if user is not None and verified:
        sign_in(client, user)
    elif user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    if display is not None:
        session = client.session
        session[DISPLAY_SESSION_KEY] = DisplayPreferences.from_mapping(display).as_dict()
        session.save()
    return {"name": settings.SESSION_COOKIE_NAME,
            "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "url": url, "httpOnly": True, "secure": settings.SESSION_COOKIE_SECURE,
            "sameSite": "Lax"}
