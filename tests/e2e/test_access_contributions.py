"""What people add to the accessibility map, in the browser: axe-core on the review and
problem forms (empty and with their error summaries), the akimat's moderation queue, the
regional adaptation plans with the add-a-work form, the import page with its table of row
errors, and a facility showing a published review, photo and problem, in every mode of the
accessibility suite; a review written with the keyboard alone; the links of the plan's
error summary leading to their fields; a moderator publishing a review with its photo,
which the facility's page then shows to everyone."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from django.conf import settings as django_settings
from django.utils import timezone, translation
from django.utils.translation import gettext
from PIL import Image
from playwright.sync_api import BrowserContext, Page, Route, expect

from tendik.access import contributions, plans, services
from tendik.access.assessment import Category
from tendik.access.demo import load_demo
from tendik.access.models import (
    Facility,
    FacilityType,
    Level,
    Moderation,
    ProblemReport,
    Review,
    WorkType,
)
from tendik.core.models import Organisation, User
from tests.conftest import ALMATY
from tests.e2e.support import focused
from tests.e2e.test_accessibility import MODES, Audit
from tests.e2e.test_keyboard import assert_focus_is_visible, tab

pytestmark = pytest.mark.e2e

AKIMAT = f"AKIMAT-{ALMATY}"
MAX_TABS = 60
ALT_TEXT = "Пандус у главного входа с перилами с обеих сторон"
COMMENT = "Пандус удобный, но дверь тяжёлая: открыть её самому трудно."


# --- Data -------------------------------------------------------------------------------

def jpeg(width: int = 800, height: int = 600) -> bytes:
    """A small, real JPEG: a few kilobytes of two flat colours."""
    image = Image.new("RGB", (width, height), (40, 110, 170))
    image.paste((230, 200, 60), (width // 4, height // 4, width // 2, height // 2))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


def photo_upload(alt_text: str = ALT_TEXT) -> contributions.PhotoUpload:
    content = jpeg()
    return contributions.PhotoUpload(io.BytesIO(content), len(content), alt_text)


@pytest.fixture
def facilities(reference, settings, tmp_path: Path) -> list[Facility]:
    """The passport criteria and the demonstration facilities, committed for the live
    server; no map background; uploaded photos in a temporary directory (the live server
    runs in this process). Railway stations of Almaty, whose akimat moderates them."""
    settings.ACCESS_MAP_TILES_URL = ""
    settings.MEDIA_ROOT = tmp_path / "media"
    services.load_criteria()
    load_demo()
    # The demonstration has users' reviews, photos and problems too: these stations have
    # none, so what a test finds on them is its own.
    stations = list(Facility.objects.filter(
        type=FacilityType.RAILWAY_STATION, region__kato=ALMATY, reviews__isnull=True,
        photos__isnull=True, problems__isnull=True).order_by("name_ru", "pk"))
    assert len(stations) >= 2
    return stations


@dataclass(frozen=True)
class Contributed:
    shown: Facility  # a published review with its photo, an active published problem
    waiting: Facility  # a review with a photo and a problem, waiting for moderation
    review: Review  # the published one
    problem: ProblemReport  # the published one
    pending_review: Review
    pending_problem: ProblemReport


@pytest.fixture
def contributed(facilities: list[Facility], personas: dict[str, User]) -> Contributed:
    """What the registered persona sent about two stations of Almaty: on one, published
    by the akimat's official; on the other, still waiting. The akimat's plan for this year
    gets a work on the second station (the demonstration has planned works already)."""
    author, official = personas["registered"], personas["akimat_official"]
    shown, waiting = facilities[0], facilities[1]

    review = contributions.add_review(shown, by=author, ratings={Category.K: 2,
                                                                 Category.S: 4},
                                      comment=COMMENT, photo=photo_upload())
    problem = contributions.report_problem(shown, by=author, kind=ProblemReport.Kind.LIFT,
                                           description="Подъёмник у перрона 2 не работает.")
    for item in (review, review.photos.get(), problem):
        contributions.moderate(item, publish=True, by=official)

    pending_review = contributions.add_review(
        waiting, by=author, ratings={Category.K: 1}, comment="Ступени у входа, пандуса нет.",
        photo=photo_upload("Три ступени у входа без пандуса и без поручней"))
    pending_problem = contributions.report_problem(
        waiting, by=author, kind=ProblemReport.Kind.RAMP,
        description="Пандус заставлен тележками.")

    akimat = Organisation.objects.get(code=AKIMAT)
    plan = plans.plan_for(akimat, timezone.localdate().year, by=official)
    plans.add_item(plan, by=official, facility=waiting, work_type=WorkType.RAMP,
                   zones="entrance,paths", description="Пандус у главного входа.",
                   deadline=dt.date(plan.year, 10, 1), budget=Decimal("1250.5"),
                   responsible=akimat.name_ru, target_level=Level.FULL)
    return Contributed(shown, waiting, review, problem, pending_review, pending_problem)


@pytest.fixture
def pending(facilities: list[Facility], personas: dict[str, User]) -> Review:
    """A review with a photo of an Almaty station, waiting for the akimat's moderator."""
    return contributions.add_review(facilities[0], by=personas["registered"],
                                    ratings={Category.K: 3}, comment=COMMENT,
                                    photo=photo_upload())


# --- Browser helpers --------------------------------------------------------------------

def serve_media(context: BrowserContext) -> BrowserContext:
    """/media/ is the web server's in production (Django serves it only with DEBUG on):
    the browser gets the uploaded files straight from MEDIA_ROOT."""
    root = Path(django_settings.MEDIA_ROOT).resolve()

    def fulfil(route: Route) -> None:
        relative = unquote(urlsplit(route.request.url).path).removeprefix(
            django_settings.MEDIA_URL)
        path = (root / relative).resolve()
        if path.is_relative_to(root) and path.is_file():
            route.fulfill(path=str(path))
        else:
            route.fulfill(status=404, body="not found")

    context.route(re.compile(r"^https?://[^/]+/media/"), fulfil)
    return context


ACTIVE = """() => { const el = document.activeElement;
  return el ? {id: el.id, name: el.getAttribute('name'), type: el.getAttribute('type'),
               value: el.value, checked: !!el.checked} : null; }"""


def active(page: Page) -> dict[str, Any]:
    return page.evaluate(ACTIVE)


def to_main(page: Page) -> None:
    """The skip link, then Enter: the keyboard continues from the main content."""
    page.wait_for_load_state()
    skip = tab(page)
    assert skip["href"] == "#main", skip
    assert_focus_is_visible(skip)
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()


def tab_to(page: Page, wanted: Callable[[dict[str, Any], dict[str, Any]], bool],
           what: str) -> dict[str, Any]:
    """Tab until the wanted element has the focus; every stop on the way must show it."""
    visited = []
    for _ in range(MAX_TABS):
        element = tab(page)
        state = active(page)
        assert_focus_is_visible(element)
        visited.append(element["id"] or element["href"] or state["name"] or element["tag"])
        if wanted(element, state):
            return element
    pytest.fail(f"{MAX_TABS} Tabs never reached {what}; visited {visited}")


MISSING_TARGETS = """() => [...document.querySelectorAll('#error-summary a[href^="#"]')]
  .map(a => a.getAttribute('href')).filter(href => !document.getElementById(href.slice(1)))"""


def assert_summary_links_lead_to_fields(page: Page) -> None:
    """Every link of the error summary leads to an element of the page (WCAG 2.4.3,
    3.3.1): following it moves the focus to the field to correct."""
    missing = page.evaluate(MISSING_TARGETS)
    assert not missing, f"error summary links to nothing on {page.url}: {missing}"
    # GOV.UK's pattern: the page opens with focus on the summary, and its first link,
    # followed with the keyboard, puts focus in the field it names.
    summary = page.locator(".error-summary").first
    expect(summary).to_be_focused()
    first = summary.locator('a[href^="#"]').first
    target = str(first.get_attribute("href"))[1:]
    first.focus()
    page.keyboard.press("Enter")
    expect(page.locator(f'[id="{target}"]')).to_be_focused()


# --- axe-core ---------------------------------------------------------------------------

@pytest.mark.parametrize("mode", list(MODES))
def test_the_contribution_pages_pass_axe(mode: str, new_context, personas, contributed,
                                         tmp_path: Path):
    language, display, width = MODES[mode]
    audit = Audit(display)
    photo = tmp_path / "вход.jpg"
    photo.write_bytes(jpeg(320, 240))
    table = tmp_path / "объекты.csv"
    table.write_text(
        "name_ru,address_ru,region,latitude,longitude,type\n"
        f"Аптека на Абая,\"г. Алматы, пр. Абая, 10\",{ALMATY},43.2389,76.8897,pharmacy\n"
        f"Школа № 1,\"г. Алматы, ул. Толе би, 5\",{ALMATY},99.5,76.9,school\n",
        encoding="utf-8")
    facilities_before = Facility.objects.count()

    def open_as(user: User | None) -> Page:
        return serve_media(new_context(user, display=display, width=width)).new_page()

    # A registered user: the review form, then with a photo but no description.
    registered = open_as(personas["registered"])
    waiting = f"/{language}/access/facilities/{contributed.waiting.pk}"
    audit.visit(registered, f"{waiting}/review/")
    expect(registered.locator("main form input[type=radio][name=rating_k]")).to_have_count(6)
    audit.check(registered, "review form")
    registered.locator("#id_photo").set_input_files(photo)
    registered.locator("main form button[type=submit]").click()
    summary = registered.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary.locator('a[href="#id_alt_text"]')).to_have_count(1)
    expect(registered.locator("#id_alt_text")).to_have_attribute("aria-invalid", "true")
    # The photo is kept: the page says so, and the form carries it to the next try.
    expect(registered.locator("main .kept-photo")).to_contain_text("вход.jpg")
    expect(registered.locator("main form input[name=kept_photo]")).to_have_count(1)
    assert_summary_links_lead_to_fields(registered)
    audit.check(registered, "review form with an error")

    # The problem report, then sent empty.
    audit.visit(registered, f"{waiting}/problem/")
    expect(registered.locator("main form input[type=radio][name=kind]")).to_have_count(
        len(ProblemReport.Kind.choices))
    audit.check(registered, "problem report form")
    registered.locator("main form button[type=submit]").click()
    summary = registered.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary.locator("a")).to_have_count(2)
    assert [link.get_attribute("href") for link in summary.locator("a").all()] == [
        "#id_kind_0", "#id_description"]
    assert_summary_links_lead_to_fields(registered)
    audit.check(registered, "problem report form with errors")
    assert not contributed.waiting.reviews.exclude(pk=contributed.pending_review.pk).exists()
    assert not contributed.waiting.problems.exclude(pk=contributed.pending_problem.pk).exists()

    # The author on the facility where the review, its photo and the problem are published.
    audit.visit(registered, f"/{language}/access/facilities/{contributed.shown.pk}/")
    main = registered.locator("main")
    expect(main.locator("ul.reviews > li")).to_have_count(1)
    expect(main.locator("ul.reviews")).to_contain_text(COMMENT)
    expect(main.locator("ul.photos img")).to_have_attribute("alt", ALT_TEXT)
    expect(main.locator(".notice[role=note] li")).to_have_count(1)
    expect(main.locator(".notice[role=note] li")).to_contain_text(
        contributed.problem.description)
    audit.check(registered, "facility with a published review, photo and problem")

    # The official of Almaty: the moderation queue, the plans, the import.
    official = open_as(personas["akimat_official"])
    audit.visit(official, f"/{language}/access/moderation/")
    waiting_items = official.locator("main ul.moderation > li").filter(
        has=official.locator(f'h3 a[href="/{language}/access/facilities/'
                             f'{contributed.waiting.pk}/"]'))
    expect(waiting_items).to_have_count(3)  # the review, its photo, the problem
    expect(waiting_items.locator("img.moderation-photo")).to_have_count(1)
    expect(official.locator(
        f'main form.moderation-form input[name=kind][value=review] ~ '
        f'input[name=id][value="{contributed.pending_review.pk}"]')).to_have_count(1)
    expect(official.locator(
        f'main form.moderation-form input[name=kind][value=problem] ~ '
        f'input[name=id][value="{contributed.pending_problem.pk}"]')).to_have_count(1)
    audit.check(official, "moderation queue")

    year = timezone.localdate().year
    audit.visit(official, f"/{language}/access/plans/")
    expect(official.locator(
        f'main table a[href="/{language}/access/plans/{AKIMAT}/{year}/"]')).to_have_count(1)
    audit.check(official, "regional adaptation plans")

    plan_path = f"/{language}/access/plans/{AKIMAT}/{year}/"
    audit.visit(official, plan_path)
    expect(official.locator(
        f'main table tbody tr th a[href="{waiting}/"]')).not_to_have_count(0)
    add = official.locator("main form:has(#id_zones_0)")
    expect(add.locator("fieldset input[type=checkbox][name=zones]")).to_have_count(7)
    audit.check(official, "adaptation plan with the add-a-work form")
    add.locator("button[type=submit]").click()
    summary = official.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary.locator('a[href="#id_facility"]')).to_have_count(1)
    expect(summary.locator('a[href^="#id_zones"]')).to_have_count(1)
    assert official.url.endswith(plan_path), official.url
    audit.check(official, "adaptation plan with errors")

    audit.visit(official, f"/{language}/access/import/")
    official.locator("#id_file").set_input_files(table)
    official.locator("main form button[type=submit]").click()
    errors = official.locator("main table:has(#import-errors-caption) tbody tr")
    expect(errors).to_have_count(1)
    expect(errors.locator("td").nth(0)).to_have_text("3")
    expect(errors.locator("td").nth(1)).to_have_text("latitude")
    expect(official.locator("#error-summary")).to_be_visible()
    assert Facility.objects.count() == facilities_before  # all or nothing
    audit.check(official, "import with a row error")

    assert len(audit.checked) == 10
    assert not (audit.found or audit.overflowing), (
        f"WCAG 2.2 A/AA failures ({mode}):\n{audit.report()}")


# --- The keyboard alone -----------------------------------------------------------------

def test_a_review_is_written_with_the_keyboard_alone(new_context, personas, facilities):
    author = personas["registered"]
    facility = facilities[0]
    page = new_context(author).new_page()
    facility_path = f"/ru/access/facilities/{facility.pk}/"
    review_path = f"{facility_path}review/"
    page.goto(facility_path)

    # From the facility's page to the «rate» link, and Enter.
    to_main(page)
    tab_to(page, lambda element, state: element["href"] == review_path, "the «rate» link")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"{re.escape(review_path)}$"))

    # The rating for К: one Tab stop for the group, on its checked radio («not rated»);
    # the arrow keys move the choice along it.
    to_main(page)
    radio = tab_to(page, lambda element, state: state["type"] == "radio",
                   "the rating for К")
    state = active(page)
    assert (radio["id"], state["name"], state["checked"], state["value"]) == (
        "id_rating_k_0", "rating_k", True, ""), (radio, state)
    for _ in range(4):
        page.keyboard.press("ArrowDown")
        assert_focus_is_visible(focused(page))
    state = active(page)
    assert (state["name"], state["value"], state["checked"]) == ("rating_k", "4", True), state
    expect(page.locator("#id_rating_k_4")).to_be_checked()
    expect(page.locator("#id_rating_k_4")).to_be_focused()

    # Tab leaves the group for the next category's group: not rated, as it stays.
    after = tab(page)
    assert_focus_is_visible(after)
    assert active(page)["name"] == "rating_o", after
    expect(page.locator("#id_rating_o_0")).to_be_checked()

    # The comment, then the button that sends it.
    tab_to(page, lambda element, state: element["id"] == "id_comment", "the comment")
    page.keyboard.type(COMMENT)
    expect(page.locator("#id_comment")).to_have_value(COMMENT)
    tab_to(page, lambda element, state: element["tag"] == "button"
           and state["type"] == "submit", "the button that sends the review")
    page.keyboard.press("Enter")

    # Redirected to the facility; the form was sent from …/review/#main, and a redirect
    # keeps the fragment.
    expect(page).to_have_url(re.compile(rf"{re.escape(facility_path)}(#main)?$"))
    message = page.locator("main [role=status] .messages")
    expect(message).to_be_visible()
    with translation.override("ru"):
        thanks = gettext("Thank you. Your review is published once a moderator of the "
                         "akimat has read it.")
    expect(message).to_have_text(thanks)
    review = Review.objects.get(facility=facility, author=author)
    assert review.moderation == Moderation.PENDING
    assert review.ratings() == {Category.K: 4}
    assert review.comment == COMMENT
    assert not review.photos.exists()
    # Not shown before a moderator has read it.
    expect(page.locator("main ul.reviews")).to_have_count(0)


def test_the_links_of_the_plans_error_summary_lead_to_their_fields(new_context, personas,
                                                                  facilities):
    """Enter on each link of the add-a-work form's error summary puts the focus on the
    field to correct; for the zones, a group of checkboxes, on its first checkbox."""
    plan_path = f"/ru/access/plans/{AKIMAT}/{timezone.localdate().year}/"
    page = new_context(personas["akimat_official"]).new_page()
    page.goto(plan_path)
    page.locator("main form:has(#id_zones_0) button[type=submit]").click()
    links = page.locator("#error-summary a")
    expect(links.first).to_be_visible()
    hrefs = [link.get_attribute("href") for link in links.all()]
    assert any(href.startswith("#id_zones") for href in hrefs), hrefs
    assert "#id_facility" in hrefs, hrefs
    assert_summary_links_lead_to_fields(page)
    for href in hrefs:
        page.locator(f'#error-summary a[href="{href}"]').focus()
        page.keyboard.press("Enter")
        target = focused(page)
        assert target is not None and f"#{target['id']}" == href, (href, target)
        assert target["tag"] in ("input", "select", "textarea"), target


# --- Moderation -------------------------------------------------------------------------

def test_the_moderator_publishes_and_the_facility_shows_it(new_context, personas, pending):
    facility = pending.facility
    photo = pending.photos.get()
    assert photo.moderation == Moderation.PENDING
    facility_link = f'h3 a[href="/ru/access/facilities/{facility.pk}/"]'

    official = new_context(personas["akimat_official"]).new_page()
    official.goto("/ru/access/moderation/")
    items = official.locator("main ul.moderation > li").filter(
        has=official.locator(facility_link))
    expect(items).to_have_count(2)  # the review and its photo, moderated one by one

    # The review: its form found by the facility it is about.
    review_form = items.locator("form.moderation-form").filter(
        has=official.locator("input[name=kind][value=review]"))
    expect(review_form).to_have_count(1)
    expect(review_form.locator("input[name=id]")).to_have_value(str(pending.pk))
    review_form.locator("button[name=publish]").click()
    expect(official.locator("main [role=status] .messages")).to_be_visible()
    pending.refresh_from_db()
    assert pending.moderation == Moderation.PUBLISHED
    assert pending.moderated_by == personas["akimat_official"]

    # The photo waits in its own list; the moderator publishes it too.
    items = official.locator("main ul.moderation > li").filter(
        has=official.locator(facility_link))
    expect(items).to_have_count(1)
    photo_form = items.locator("form.moderation-form").filter(
        has=official.locator("input[name=kind][value=photo]"))
    expect(photo_form.locator("input[name=id]")).to_have_value(str(photo.pk))
    photo_form.locator("button[name=publish]").click()
    expect(official.locator("main [role=status] .messages")).to_be_visible()
    expect(official.locator("main ul.moderation > li").filter(
        has=official.locator(facility_link))).to_have_count(0)
    photo.refresh_from_db()
    assert photo.moderation == Moderation.PUBLISHED

    # Anyone now sees the comment and the photo, described by its alt text.
    visitor = serve_media(new_context(None)).new_page()
    visitor.goto(f"/ru/access/facilities/{facility.pk}/")
    reviews = visitor.locator("main ul.reviews > li")
    expect(reviews).to_have_count(1)
    expect(reviews).to_contain_text(COMMENT)
    expect(reviews).to_contain_text("К 3/5")
    image = visitor.locator("main ul.photos img")
    expect(image).to_have_count(1)
    expect(image).to_have_attribute("alt", ALT_TEXT)
    expect(image).to_have_attribute("src", photo.image.url)
    image.scroll_into_view_if_needed()
    expect(image).to_be_visible()
    # The file itself arrives: a real picture, not a broken image.
    visitor.wait_for_function("img => img.complete && img.naturalWidth > 0",
                              arg=image.element_handle())
