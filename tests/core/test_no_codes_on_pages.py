"""No page shows a person an internal code, a Python identifier or a developer's note.

The demo is loaded as `make run` loads it. Then an anonymous visitor and every demo
account walk, breadth-first through the Django test client, the same-site links of every
page they reach from their own work page and the home page (one address of each URL
pattern), and each page is rendered in Russian, Kazakh and English. Its visible text —
text nodes outside <script>, <style>, <code>, <pre>, <kbd>, <samp> and elements marked
translate="no", plus the labels people hear (alt, title, aria-label, placeholder) — is
checked against the patterns below. On Russian and Kazakh pages English words count only
outside elements marked lang="en".

The patterns are the list of what may not reach a person; each carries the reason. The
allowed words are what a person does meet in Latin letters on a Russian or Kazakh page:
file formats, standards and the platform's own name.
"""

from __future__ import annotations

import io
import re
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit, urlunsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils.translation import get_language_from_path, override

from tendik.core.demo import DEMO_ACCOUNTS, domain_loaders, load_demo
from tendik.core.models import User
from tendik.plan.services import load_national_plan
from tests.conftest import sign_in

LANGUAGES = ("ru", "kk", "en")
SKIPPED_SCHEMES = ("mailto:", "tel:", "javascript:", "data:")
# Pages that are not pages of the platform's own text.
SKIPPED_PREFIXES = ("/static/", "/media/", "/admin/", "/api/")

# What may not reach a person, with the reason, on a page in any language.
PATTERNS: dict[str, re.Pattern[str]] = {
    # a Python identifier or a stored code: price_above_cap, plan_direction, home_care
    "snake_case identifier": re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b"),
    # a date as the database writes it; people read 20.01.2024
    "ISO date": re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
    # an enum value with its kind: state:assessment, service:home_care
    "enum code": re.compile(r"(?<![/\w])(?!https?:|mailto:|tel:)[a-z]+:[a-z_]+\b"),
    # an organisation's or a record's code: AKIMAT-100000000, DEMO-SUPPLIER-ORTHO
    "organisation code": re.compile(r"\b[A-Z]{2,}(?:-[A-Z0-9]+)+\b"),
    # Python's words for nothing and yes/no, and its object reprs
    "Python value": re.compile(r"(?<![\w.])(?:None|True|False|null)(?![\w.])|<\w+ object at "
                               r"0x|\bQuerySet\b"),
    # the trace of the decree's extraction: «в тексте приложения», «строка 669», "line 669"
    "extraction trace": re.compile(r"в тексте приложения|\bстрок[аи] \d+|\blines? \d+",
                                   re.IGNORECASE),
}
# On Russian and Kazakh pages: three or more English words in a row is an English sentence.
ENGLISH_RUN = re.compile(r"\b[A-Za-z][a-z']+(?:[ ,]+[A-Za-z][a-z']+){2,}\b")
ALLOWED_LATIN = re.compile(
    r"\b(?:Te[ńn]dik|PDF|CSV|XLSX|DOCX|JSON|GeoJSON|A11yJSON|Open SDG|SDG|API|TOTP|OTP|"
    r"OpenAPI|Swagger|WCAG|URL|QR|SMS|e-mail|email|Bearer|Authorization)\b")

EXEMPT_TAGS = {"script", "style", "code", "pre", "kbd", "samp", "template"}
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
             "source", "track", "wbr"}
LABEL_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")


class VisibleText(HTMLParser):
    """Pieces of text a person sees or hears, each with the language it is marked in, and
    the page's links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None, bool]] = []  # tag, lang, exempt
        self.pieces: list[tuple[str | None, str]] = []
        self.hrefs: list[str] = []

    @property
    def lang(self) -> str | None:
        for _tag, lang, _exempt in reversed(self.stack):
            if lang:
                return lang
        return None

    @property
    def exempt(self) -> bool:
        return any(exempt for _tag, _lang, exempt in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.hrefs.append(values["href"] or "")
        exempt = tag in EXEMPT_TAGS or values.get("translate") == "no"
        lang = (values.get("lang") or "").split("-")[0] or None
        if not (self.exempt or exempt):
            for name in LABEL_ATTRIBUTES:
                if values.get(name):
                    self.pieces.append((lang or self.lang, values[name] or ""))
            if tag == "input" and values.get("type") in ("submit", "button") and values.get(
                    "value"):
                self.pieces.append((lang or self.lang, values["value"] or ""))
        if tag not in VOID_TAGS:
            self.stack.append((tag, lang, exempt))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        if data.strip() and not self.exempt:
            self.pieces.append((self.lang, data))


def leaks(html: str, language: str) -> list[tuple[str, str]]:
    """(pattern name, the words) for each leak in a page in the given language."""
    return [(name, words) for name, words, _text in leaks_in_context(html, language)]


def leaks_in_context(html: str, language: str) -> list[tuple[str, str, str]]:
    """(pattern name, the words, the text they are in) for each leak."""
    parser = VisibleText()
    parser.feed(html)
    found: list[tuple[str, str, str]] = []
    for lang, text in parser.pieces:
        text = " ".join(text.split())
        for name, pattern in PATTERNS.items():
            found += [(name, match.group(0), text) for match in pattern.finditer(text)]
        if language != "en" and (lang or language) != "en":
            plain = ALLOWED_LATIN.sub(" ", text)
            found += [("English words", m.group(0), text) for m in ENGLISH_RUN.finditer(plain)]
    return found


def test_it_finds_each_kind_of_leak():
    page = ("<html lang='ru'><body><p>plan_direction is null</p><p>2024-01-20</p>"
            "<p>state:assessment → AKIMAT-100000000</p><p>None</p>"
            "<p>доля обученных (в тексте приложения — «доля»), строка 669</p>"
            "<p>The decree sets no target</p><p lang='en'>The decree sets no target</p>"
            "<code>price_above_cap</code><p>Скачать CSV, формат Open SDG</p>"
            "<a href='https://example.org/'>https://example.org/</a></body></html>")
    kinds = Counter(name for name, _words in leaks(page, "ru"))
    assert kinds == {"snake_case identifier": 1, "ISO date": 1, "enum code": 1,
                     "organisation code": 1, "Python value": 2, "extraction trace": 2,
                     "English words": 1}, kinds
    assert not leaks("<p lang='en'>The decree sets no target</p>", "en")


def url_name(path: str) -> str:
    with override(get_language_from_path(path) or "ru"):
        try:
            return resolve(path).view_name
        except Resolver404:
            return f"(no page) {path}"


def in_language(path: str, language: str) -> str:
    parts = path.split("/", 2)
    if len(parts) > 2 and parts[1] in LANGUAGES:
        return f"/{language}/{parts[2]}"
    return path


@dataclass
class Crawl:
    leaks: dict[tuple[str, str], set[tuple[str, str]]]  # (pattern, words) -> (page, URL name)
    opened: Counter[str]
    context: dict[tuple[str, str], str] = field(default_factory=dict)  # the text of one


def crawl(account: str, client: Client, start: list[str], found: Crawl) -> None:
    """Breadth-first over same-site links, one address of each URL pattern per account,
    each rendered in the three languages. What a page shows depends on who asks, so each
    account opens the patterns others opened before it."""
    queue = deque(start)
    seen: set[str] = set()
    names: set[str] = set()
    while queue:
        path = queue.popleft()
        if path in seen or path.startswith(SKIPPED_PREFIXES):
            continue
        seen.add(path)
        name = url_name(urlsplit(path).path)
        if name in names or name.startswith(("admin:", "(no page)", "core:logout")):
            continue
        names.add(name)
        hrefs: list[str] = []
        for language in LANGUAGES:
            address = in_language(path, language)
            response = client.get(address)
            if response.status_code != 200 or not response.get(
                    "Content-Type", "").startswith("text/html"):
                break
            found.opened[account] += 1
            page = response.content.decode()
            for kind, words, text in leaks_in_context(page, language):
                found.leaks[kind, words].add((f"{account} {address}", name))
                found.context.setdefault((kind, words), text[:160])
            if language == "ru":
                parser = VisibleText()
                parser.feed(page)
                hrefs = parser.hrefs
        for href in hrefs:
            if href.startswith("#") or href.lower().startswith(SKIPPED_SCHEMES):
                continue
            link = urlsplit(urljoin("http://testserver" + path, href))
            if link.netloc not in ("", "testserver"):
                continue
            target = urlunsplit(("", "", link.path, link.query, ""))
            if target not in seen:
                queue.append(target)


@pytest.fixture
def demo(reference, settings) -> None:
    settings.ACCESS_MAP_TILES_URL = ""
    load_national_plan()
    for command in ("load_indicators", "load_criteria", "load_classifier"):
        call_command(command, stdout=io.StringIO())
    load_demo()
    for _app, load in domain_loaders():
        load()


def test_it_shows_no_code_identifier_or_developer_note_on_any_page(demo):
    from tendik.core import workspaces

    found = Crawl(leaks=defaultdict(set), opened=Counter())
    crawl("(anonymous)", Client(), ["/ru/"], found)
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(username=account.username)
        work = workspaces.work_page(user)
        start = [work.url] if work is not None else []
        crawl(account.username, sign_in(Client(), user), [*start, "/ru/"], found)
    assert all(count > 30 for count in found.opened.values()), found.opened

    def listing(items: list[tuple[tuple[str, str], set[tuple[str, str]]]]) -> str:
        return "\n".join(f"[{kind}] «{words}» on {len(pages)} pages, e.g. "
                         f"{sorted(pages)[0][0]} in «{found.context[kind, words]}»"
                         for (kind, words), pages in sorted(items))

    assert not found.leaks, f"{len(found.leaks)} leaks:\n" + listing(list(found.leaks.items()))
