"""The registry of social workers in a browser.

axe-core in every mode of the accessibility suite (three languages, the low-vision
schemes, 640 and 320 pixels) on every page of tendik/workforce, in the states people meet
them: the public search, with its filters and without, a worker's profile (as anyone and
as the akimat, with the certificates), the dashboard; as a recipient, choosing a worker
and being refused one who is not certified or has no free place, "my social work", the
assignment with a visit to confirm and the rating form, and that form sent without
stars; the worker's caseload with the log-a-visit form (and its errors) and an assignment
as the worker sees it; a family assistant's own hours; the employer's volunteers page;
the akimat's family assistants, one registration, the register-a-worker and
register-a-certificate forms. Every table has a caption; no id is given twice; no page
scrolls sideways at 320 pixels.

With the keyboard alone: a recipient narrows the search to certified workers of Almaty
with a free place who interpret sign language, opens the one found and chooses them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from tendik.core.models import Organisation, Region, Role, User
from tendik.people.models import Family, FamilyMember, Person
from tendik.portal.models import CatalogueItem
from tendik.portal.services import load_classifier
from tendik.workforce import services
from tendik.workforce.models import (
    Assignment,
    Certificate,
    FamilyAssistant,
    SocialWorker,
    WorkerRating,
)
from tests.conftest import ALMATY, ASTANA
from tests.e2e.test_access_contributions import (
    active,
    assert_summary_links_lead_to_fields,
    to_main,
)
from tests.e2e.test_accessibility import MODES, Audit
from tests.e2e.test_cases_pages import DUPLICATE_IDS
from tests.e2e.test_portal_journey import (
    assert_message,
    press_enter_and_wait,
    ru,
    tab_to,
    tab_to_button,
    tab_to_link,
)
from tests.e2e.test_portal_pages import UNCAPTIONED
from tests.factories import UserFactory
from tests.portal.conftest import entitle, make_person

pytestmark = pytest.mark.e2e

# The search the keyboard test makes: Almaty, sign language interpreting, in sign language,
# only workers with a free place.
FILTERS = {"region": ALMATY, "service": "sign_language", "language": "sign", "free": "on"}


# --- Data -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Registry:
    almaty: Region
    employer: Organisation
    serving: SocialWorker  # certified; serves the recipient; has an account
    worker_user: User  # the serving worker's account
    free: SocialWorker  # certified, sign language, places free: the one to choose
    uncertified: SocialWorker  # sign language too, no certificate
    full: SocialWorker  # certified, sign language too, its one place taken
    recipient: User
    person: Person
    assignment: Assignment  # the serving worker's, one visit confirmed, one to confirm
    assistant: User  # the recipient's husband, their paid family assistant
    registration: FamilyAssistant
    case_manager: User  # of the employer: volunteers
    akimat: User  # of Almaty: family assistants, certificates, registering workers


def make_worker(employer: Organisation, region: Region, last_name: str, *,
                services_: list[str], languages: list[str], capacity: int = 3,
                certified: bool = True, account: User | None = None) -> SocialWorker:
    today = timezone.localdate()
    worker = SocialWorker.objects.create(
        account=account, employer=employer, last_name=last_name, first_name="Дана",
        qualification="higher", category="first", services=services_, languages=languages,
        capacity=capacity)
    worker.regions.set([region])
    if certified:
        Certificate.objects.create(worker=worker, number=f"НО-{worker.pk:04d}",
                                   issued_on=today - dt.timedelta(days=100),
                                   expires_on=today + dt.timedelta(days=600),
                                   assessor="Центр независимой оценки")
    return worker


def build_registry() -> Registry:
    """Social workers of an Almaty provider (one in Astana); a recipient of Almaty served
    by one of them for a week, with a visit confirmed and one to confirm (not rated yet); the
    recipient's husband registered by the akimat as their paid assistant (their ИПР grants
    a personal assistant), with today's hours to confirm; a volunteer helping the serving
    worker. Committed for the live server (the e2e `reference` fixture has loaded the
    reference data)."""
    load_classifier()
    today = timezone.localdate()
    almaty, astana = (Region.objects.get(kato=k) for k in (ALMATY, ASTANA))
    employer = Organisation.objects.create(
        code="SW-ALMATY", kind=Organisation.Kind.SERVICE_PROVIDER, region=almaty,
        name_ru="Центр социального обслуживания «Мейірім»", name_kk="«Мейірім» орталығы",
        name_en="Meirim Social Care Centre")
    astana_employer = Organisation.objects.create(
        code="SW-ASTANA", kind=Organisation.Kind.SERVICE_PROVIDER, region=astana,
        name_ru="Центр «Шапағат»", name_kk="«Шапағат» орталығы", name_en="Shapagat Centre")
    akimat = UserFactory(role=Role.AKIMAT_OFFICIAL, username="akimat",
                         organisation=Organisation.objects.get(code=f"AKIMAT-{ALMATY}"))
    case_manager = UserFactory(role=Role.CASE_MANAGER, organisation=employer,
                               username="case.manager")
    worker_user = UserFactory(role=Role.SOCIAL_WORKER, organisation=employer,
                              username="worker", first_name="Дана",
                              last_name="Сейткалиева")
    serving = make_worker(employer, almaty, "Сейткалиева", account=worker_user,
                          services_=["home_care", "escort", "household"],
                          languages=["kk", "ru"])
    free = make_worker(employer, almaty, "Жестова", services_=["sign_language", "escort"],
                       languages=["sign", "kk", "ru"])
    uncertified = make_worker(employer, almaty, "Безсертификатова", certified=False,
                              services_=["sign_language"], languages=["sign", "ru"])
    full = make_worker(employer, almaty, "Занятова", capacity=1,
                       services_=["sign_language", "home_care"], languages=["sign", "kk"])
    make_worker(astana_employer, astana, "Астанова", services_=["sign_language"],
                languages=["sign", "kk"])
    services.choose_worker(make_person(almaty), full, by=akimat,
                           start=today - dt.timedelta(days=30))

    recipient = UserFactory(role=Role.RECIPIENT, username="recipient")
    person = make_person(almaty, account=recipient, phone="+7 701 555 12 34")
    assignment = services.choose_worker(person, serving, by=recipient,
                                        start=today - dt.timedelta(days=7))
    visit = services.log_visit(assignment, by=worker_user, date=today - dt.timedelta(days=2),
                               minutes=90, services=["home_care", "household"],
                               note="Уборка, покупка продуктов")
    services.confirm_visit(visit, by=recipient)
    services.log_visit(assignment, by=worker_user, date=today, minutes=60,
                       services=["escort"], note="Сопровождение в поликлинику")

    entitle(person, CatalogueItem.objects.get(code="SE-02"), 2000,
            valid_from=today - dt.timedelta(days=60))
    assistant = UserFactory(role=Role.RECIPIENT, username="husband")
    husband = make_person(almaty, account=assistant)
    card = Family.objects.create(name="Семья Тестовых")
    FamilyMember.objects.create(family=card, person=person, role="head")
    FamilyMember.objects.create(family=card, person=husband, role="spouse")
    registration = services.register_assistant(husband, person, by=akimat,
                                               hourly_rate=Decimal(1500),
                                               registered_on=today - dt.timedelta(days=40))
    services.log_assistant_hours(registration, by=assistant, date=today, hours=Decimal(4))

    volunteer = services.register_volunteer(
        by=case_manager, region=almaty, organisation=employer, last_name="Волонтёрова",
        first_name="Аружан", training="Курс «Помощь на дому»",
        trained_on=today - dt.timedelta(days=90))
    link = services.link_volunteer(serving, volunteer, by=case_manager)
    services.log_volunteer_hours(link, by=case_manager, date=today, hours=Decimal(2),
                                 activity="Прогулка с подопечной")

    return Registry(almaty=almaty, employer=employer, serving=serving,
                    worker_user=worker_user, free=free, uncertified=uncertified, full=full,
                    recipient=recipient, person=person, assignment=assignment,
                    assistant=assistant, registration=registration,
                    case_manager=case_manager, akimat=akimat)


@pytest.fixture
def registry(reference) -> Registry:
    return build_registry()


# --- axe-core ---------------------------------------------------------------------------

@pytest.mark.parametrize("mode", list(MODES))
def test_the_social_workers_pages_pass_axe(mode: str,
                                           new_context: Callable[..., BrowserContext],
                                           registry: Registry):
    language, display, width = MODES[mode]
    audit = Audit(display)
    uncaptioned: dict[str, list[str]] = {}
    duplicated: dict[str, list[str]] = {}
    base = f"/{language}/social-workers"
    filtered = "&".join(f"{key}={value}" for key, value in FILTERS.items())

    def open_as(user: User | None) -> Page:
        return new_context(user, display=display, width=width).new_page()

    def check(page: Page, name: str) -> None:
        audit.check(page, name)
        if missing := page.evaluate(UNCAPTIONED):
            uncaptioned[f"{name} — {page.url}"] = missing
        if twice := page.evaluate(DUPLICATE_IDS):
            duplicated[f"{name} — {page.url}"] = twice

    def visit(page: Page, name: str, path: str) -> None:
        audit.visit(page, path)
        check(page, name)

    def refused(page: Page, name: str) -> None:
        """The choose form sent for a worker who cannot be chosen: the error summary."""
        page.locator("main form[method=post] button[type=submit]").click()
        expect(page.locator("#error-summary")).to_be_visible()
        check(page, name)

    # Anyone: the search, then filtered; a profile; the dashboard.
    visitor = open_as(None)
    audit.visit(visitor, f"{base}/")
    expect(visitor.locator("main table tbody tr")).to_have_count(5)
    check(visitor, "search")
    audit.visit(visitor, f"{base}/?{filtered}")
    expect(visitor.locator("main table tbody tr")).to_have_count(1)
    expect(visitor.locator("#id_free")).to_be_checked()
    check(visitor, "search with filters")
    visit(visitor, "profile", f"{base}/{registry.serving.pk}/")
    audit.visit(visitor, f"{base}/dashboard/")
    expect(visitor.locator("main table")).to_have_count(2)
    check(visitor, "dashboard")

    # The recipient: choosing a worker, refused an uncertified one and a full one; their
    # social work; the assignment with a visit to confirm and the rating form.
    recipient = open_as(registry.recipient)
    audit.visit(recipient, f"{base}/{registry.free.pk}/choose/")
    expect(recipient.locator("main input[type=radio][name=person]")).to_be_checked()
    check(recipient, "recipient: choose a worker")
    audit.visit(recipient, f"{base}/{registry.uncertified.pk}/choose/")
    refused(recipient, "recipient: an uncertified worker refused")
    audit.visit(recipient, f"{base}/{registry.full.pk}/choose/")
    refused(recipient, "recipient: a worker without a free place refused")
    assert not Assignment.objects.filter(person=registry.person).exclude(
        worker=registry.serving).exists()
    audit.visit(recipient, f"{base}/mine/")
    expect(recipient.locator("main table")).to_have_count(2)  # workers, assistant's hours
    check(recipient, "recipient: my social work")
    assignment_path = f"{base}/assignments/{registry.assignment.pk}/"
    audit.visit(recipient, assignment_path)
    expect(recipient.locator(
        "main form[action$='/confirm/'] button[type=submit]")).to_have_count(1)
    expect(recipient.locator("main input[type=radio][name=stars]")).to_have_count(5)
    check(recipient, "recipient: the assignment")
    expect(recipient.locator("main input[name=stars]:checked")).to_have_count(0)
    recipient.locator("main form[action$='/rate/'] button[type=submit]").click()
    summary = recipient.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary.locator('a[href="#id_stars_0"]')).to_have_count(1)
    assert_summary_links_lead_to_fields(recipient)
    check(recipient, "recipient: the rating sent without stars")
    assert not WorkerRating.objects.filter(person=registry.person).exists()

    # The worker: the caseload with the log-a-visit form, then sent empty; the
    # assignment as the worker sees it.
    worker = open_as(registry.worker_user)
    audit.visit(worker, f"{base}/caseload/")
    expect(worker.locator("main form[method=post] select[name=assignment]")).to_have_count(1)
    check(worker, "worker: caseload")
    for part in ("day", "month", "year"):  # the visit's date, today's by default, cleared
        worker.locator(f"main form[method=post] input[name=date_{part}]").fill("")
    worker.locator("main form[method=post] button[type=submit]").click()
    summary = worker.locator("#error-summary")
    expect(summary).to_be_visible()
    assert_summary_links_lead_to_fields(worker)
    check(worker, "worker: caseload with errors")
    audit.visit(worker, assignment_path)
    expect(worker.locator("main form[action$='/visits/']")).to_have_count(1)
    check(worker, "worker: the assignment with the log-a-visit form")

    # The husband, the recipient's paid assistant: his own hours.
    assistant = open_as(registry.assistant)
    audit.visit(assistant, f"{base}/mine/")
    expect(assistant.locator(
        f"main form[action$='/assistants/{registry.registration.pk}/hours/']")) \
        .to_have_count(1)
    check(assistant, "family assistant: my hours")

    # The employer's case manager: volunteers.
    visit(open_as(registry.case_manager), "employer: volunteers", f"{base}/volunteers/")

    # The akimat: family assistants, one registration, a profile with its certificates,
    # the register-a-worker and register-a-certificate forms.
    official = open_as(registry.akimat)
    audit.visit(official, f"{base}/assistants/")
    expect(official.locator("main table tbody tr")).to_have_count(1)
    check(official, "akimat: family assistants")
    visit(official, "akimat: a family assistant",
          f"{base}/assistants/{registry.registration.pk}/")
    audit.visit(official, f"{base}/{registry.serving.pk}/")
    expect(official.locator("main table tbody tr")).to_have_count(1)
    check(official, "akimat: a profile with its certificates")
    visit(official, "akimat: register a worker", f"{base}/register/")
    visit(official, "akimat: register a certificate",
          f"{base}/{registry.uncertified.pk}/certificates/")

    assert len(audit.checked) == 20, audit.checked
    assert not uncaptioned, f"tables without a caption ({mode}): {uncaptioned}"
    assert not (audit.found or audit.overflowing or duplicated), (
        f"WCAG 2.2 A/AA failures ({mode}):\n{audit.report()}\n"
        f"ids used more than once: {duplicated}")


# --- The keyboard -----------------------------------------------------------------------

def choose_option(page: Page, name: str, value: str) -> None:
    """Tab to the select, then the arrows until the option is chosen (a closed select
    changes its value with the arrows; nothing opens)."""
    tab_to(page, lambda element, state: state["name"] == name, f"the {name} filter")
    for _ in range(40):
        if active(page)["value"] == value:
            return
        page.keyboard.press("ArrowDown")
    pytest.fail(f"the arrows never chose {value!r} in the {name} filter")


def from_main(page: Page) -> None:
    """The keyboard continues from the main content: at once if the page was reached by
    its #main (the focus starts from the fragment's target), else by the skip link."""
    if not page.url.endswith("#main"):
        to_main(page)


def test_a_recipient_finds_and_chooses_a_worker_with_the_keyboard_alone(
        new_context: Callable[..., BrowserContext], registry: Registry):
    page = new_context(registry.recipient).new_page()
    page.goto("/ru/social-workers/")
    expect(page.locator("main table tbody tr")).to_have_count(5)

    # The filters: region, service and language with the arrows, «free places» with Space.
    to_main(page)
    for name in ("region", "service", "language"):
        choose_option(page, name, FILTERS[name])
    tab_to(page, lambda element, state: state["name"] == "free", "«only free places»")
    page.keyboard.press("Space")
    expect(page.locator("#id_free")).to_be_checked()
    tab_to_button(page, ru("Show"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/ru/social-workers/\?.*free=on"))
    page.wait_for_load_state()
    for key, value in FILTERS.items():
        assert f"{key}={value}" in page.url, page.url

    # One worker found: certified, with free places, sign language. Their profile.
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("th a")).to_have_text(registry.free.full_name)
    profile = f"/ru/social-workers/{registry.free.pk}/"
    from_main(page)
    tab_to_link(page, profile)
    press_enter_and_wait(page, profile)

    # «Choose this social worker», then on the choose form the recipient is chosen
    # already (the only person they act for); the button.
    choose = f"{profile}choose/"
    from_main(page)
    tab_to_link(page, choose)
    press_enter_and_wait(page, choose)
    expect(page.locator("main input[type=radio][name=person]")).to_be_checked()
    from_main(page)
    radio = tab_to(page, lambda element, state: state["type"] == "radio", "«for whom»")
    assert active(page)["checked"], radio
    tab_to_button(page, ru("Choose this social worker"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/ru/social-workers/assignments/\d+/(#main)?$"))

    assignment = Assignment.objects.get(person=registry.person, worker=registry.free)
    assert assignment.chosen_by == registry.recipient
    assert assignment.start == timezone.localdate() and assignment.end is None
    assert page.url.split("#")[0].endswith(f"/ru/social-workers/assignments/{assignment.pk}/")
    assert_message(page, registry.free.full_name)
    expect(page.locator("main h1")).to_contain_text(registry.free.full_name)
