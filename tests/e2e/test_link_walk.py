"""Every link every demo account is shown leads somewhere: the link walk.

The demo is loaded once (its public entry points, as `make run` loads it), then each demo
account signs in through the browser as a person would (password, and the TOTP code for
staff), lands on its own work page, and walks breadth-first every same-site link of every
page it reaches, as does an anonymous visitor. The test fails listing every (account,
page, link, status) that answered 4xx/5xx, or sent a signed-in person to the sign-in page.

The pages are fetched with the request context of the signed-in browser context
(Playwright's APIRequestContext shares its cookies): a link is a GET of its address, so
fetching and parsing each page is enough to know where its links lead, and it is many
times faster than rendering each page in the browser. Sign-in itself runs in the browser.

The walk is bounded so that it stays a few minutes on two cores: each account opens at
most PER_URL_NAME addresses of any one URL pattern (the resolved URL name, whatever the
language or query); one only of a public pattern (the anonymous walk opens two of
each), of a download and of each pattern of the back office. Links that are not pages
are skipped: mailto:, tel:, javascript: and other sites; downloads count by their status
only; sign-out is a form, not a link.
"""

from __future__ import annotations

import io
from collections import Counter, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit, urlunsplit

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve
from django.utils.translation import get_language_from_path, override
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, BrowserContext, expect

from tendik.core import workspaces
from tendik.core.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, domain_loaders, load_demo
from tendik.core.models import User
from tests.e2e.conftest import TIMEOUT_MS
from tests.e2e.support import totp_code

pytestmark = pytest.mark.e2e

PER_URL_NAME = 2
SKIPPED_SCHEMES = ("mailto:", "tel:", "javascript:", "data:")
SUBMIT = "main form button[type=submit]"


class Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def url_name(path: str) -> str:
    """The URL pattern a path resolves to, in the language of its prefix."""
    if path.startswith(("/static/", "/media/")):
        return path.split("/")[1]
    with override(get_language_from_path(path) or "ru"):
        try:
            return resolve(path).view_name
        except Resolver404:
            return f"(no page) {path}"


@dataclass(frozen=True)
class Failure:
    account: str
    page: str
    link: str
    status: str

    def __str__(self) -> str:
        return f"{self.account}: on {self.page} the link {self.link} gave {self.status}"


@dataclass
class Walk:
    """What the walks have learnt of the URL patterns: which are public pages (the
    anonymous walk opened them) and which are downloads."""

    public: set[str] = field(default_factory=set)
    downloads: set[str] = field(default_factory=set)
    failures: list[Failure] = field(default_factory=list)
    opened: Counter[str] = field(default_factory=Counter)

    def budget(self, name: str, *, signed_in: bool) -> int:
        if name.startswith("admin:") or name in self.downloads:
            return 1
        return 1 if signed_in and name in self.public else PER_URL_NAME


def walk(account: str, context: BrowserContext, base: str, start: list[str], known: Walk, *,
         signed_in: bool) -> None:
    """Breadth-first over the same-site links from the start pages."""
    origin = urlsplit(base)
    queue = deque((path, "(start)") for path in start)
    seen: set[str] = set()
    opened: Counter[str] = Counter()
    while queue:
        path, source = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        name = url_name(urlsplit(path).path)
        if opened[name] >= known.budget(name, signed_in=signed_in):
            continue
        opened[name] += 1
        known.opened[account] += 1
        response = context.request.get(base + path, timeout=TIMEOUT_MS * 3)
        try:
            final = urlsplit(response.url)
            if response.status >= 400:
                known.failures.append(Failure(account, source, path, str(response.status)))
                continue
            if url_name(final.path) == "core:login":
                if signed_in:
                    known.failures.append(Failure(account, source, path, "the sign-in page"))
                continue
            if not response.headers.get("content-type", "").startswith("text/html"):
                known.downloads.add(name)
                continue  # its status is all there is to check
            if not signed_in and url_name(final.path) == name:
                known.public.add(name)
            parser = Anchors()
            parser.feed(response.text())
        finally:
            response.dispose()
        here = urlunsplit((final.scheme, final.netloc, final.path, final.query, ""))
        for href in parser.hrefs:
            if href.startswith("#") or href.lower().startswith(SKIPPED_SCHEMES):
                continue
            link = urlsplit(urljoin(here, href))
            if link.netloc != origin.netloc:
                continue
            target = urlunsplit(("", "", link.path, link.query, ""))
            if target not in seen:
                queue.append((target, path))


def sign_in(context: BrowserContext, user: User) -> str:
    """Through the sign-in page, as a person does; returns where they land."""
    page = context.new_page()
    page.goto("/ru/")
    page.locator('.site-header a[href="/ru/accounts/login/"]').click()
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator(SUBMIT).click()
    if user.is_staff_role or user.is_superuser:
        expect(page.locator("#id_token")).to_be_visible()
        page.locator("#id_token").fill(totp_code(TOTPDevice.objects.get(user=user,
                                                                        confirmed=True)))
        page.locator(SUBMIT).click()
    expect(page.locator(".site-header .my-work")).to_be_visible()
    return urlsplit(page.url)._replace(scheme="", netloc="").geturl()


@pytest.fixture
def demo(reference, settings) -> None:
    """The demonstration data, loaded once for the whole walk through the same entry points
    as `make run`: the shipped catalogues, then the accounts, then each domain's demo."""
    settings.ACCESS_MAP_TILES_URL = ""
    for command in ("load_indicators", "load_criteria", "load_classifier"):
        call_command(command, stdout=io.StringIO())
    load_demo()
    for _app, load in domain_loaders():
        load()


def test_every_link_every_demo_account_is_shown_opens(browser: Browser, live_server, demo):
    known = Walk()
    anonymous = browser.new_context(base_url=live_server.url)
    try:
        walk("(anonymous)", anonymous, live_server.url, ["/ru/"], known, signed_in=False)
    finally:
        anonymous.close()
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(username=account.username)
        context = browser.new_context(base_url=live_server.url)
        context.set_default_timeout(TIMEOUT_MS)
        try:
            landing = sign_in(context, user)
            work = workspaces.work_page(User.objects.get(pk=user.pk))
            assert work is not None and landing == work.url, (account.username, landing)
            walk(account.username, context, live_server.url, [landing, "/ru/"], known,
                 signed_in=True)
        finally:
            context.close()
    print("addresses opened:", dict(known.opened))
    assert len(known.opened) == len(DEMO_ACCOUNTS) + 1
    assert all(count > 20 for count in known.opened.values()), known.opened
    assert not known.failures, f"{len(known.failures)} links lead nowhere:\n" + "\n".join(
        str(failure) for failure in known.failures)
