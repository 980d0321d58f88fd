"""Case management and proactive services in a browser.

axe-core in every mode of the accessibility suite (three languages, the low-vision
schemes, 640 and 320 pixels) on every page of tendik/cases, in the states people meet
them: the case manager's list of cases, the open-a-case form empty and with its errors, a
case at intake, after the assessment (the scores table), in planning with a goal, two
services and their refer forms asking for a reason because a consent is missing, and with
that reason's error; the assessment form empty and with its error summary; the receiving
agency's referrals with one to answer; the supervisor's caseload; the recipient's
proactive offers («why am I seeing this» in a <details>); the akimat's proactive tasks;
the analyst's rules with their switches; the public needs and forecast. Every table has a
caption; no id is given twice; no page scrolls sideways at 320 pixels.

On a case in planning each field has its own label, and a referral refused for want of a
reason marks the form sent, and only it. On the offers page, only the offer's own text is
marked as written in the person's language.

With the keyboard alone: a case manager answers every question of the assessment (Tab to
the group, the arrows to choose, Tab on) and the case shows its scores; a recipient opens
«why am I seeing this» on an offer.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from tendik.cases import rules, services
from tendik.cases.assessment import CURRENT_VERSION, FORMS, score
from tendik.cases.models import (
    Case,
    Domain,
    PlannedService,
    ProactiveOffer,
    Referral,
    Task,
    Team,
    TeamMember,
)
from tendik.core.models import Organisation, Region, Role, User
from tendik.people.models import Consent
from tendik.portal.models import CatalogueItem
from tendik.portal.services import load_classifier
from tests.conftest import ALMATY
from tests.e2e.support import focused
from tests.e2e.test_access_contributions import (
    active,
    assert_summary_links_lead_to_fields,
    to_main,
)
from tests.e2e.test_accessibility import MODES, Audit
from tests.e2e.test_keyboard import assert_focus_is_visible, tab
from tests.e2e.test_portal_journey import press_enter_and_wait, ru, tab_to, tab_to_button
from tests.e2e.test_portal_pages import UNCAPTIONED
from tests.factories import UserFactory
from tests.portal.conftest import entitle, make_person

pytestmark = pytest.mark.e2e

SITUATION = "Мать одна с ребёнком, ребёнок не ходит в школу с сентября."
GOAL = "Ребёнок ходит в школу"
SERVICE = "Инклюзивное обучение"
TRANSPORT = "Подвоз до школы"
REASON = "Мать в больнице, ребёнок не учится с сентября: ждать её согласия нельзя."

# Ids given to more than one element: a label, a hint or an error message tied to such an
# id may describe another field than its own (WCAG 1.3.1, 4.1.2). axe-core 4.12 no longer
# checks this itself.
DUPLICATE_IDS = """() => { const seen = {};
  for (const el of document.querySelectorAll('[id]')) seen[el.id] = (seen[el.id] || 0) + 1;
  return Object.entries(seen).filter(([, n]) => n > 1).map(([id, n]) => `${id} ×${n}`); }"""


# --- Data -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Office:
    almaty: Region
    school: Organisation  # the agency the referrals go to
    manager: User
    supervisor: User  # of the manager's provider, with cases.supervise_case
    teacher: User  # of the school, on the team
    akimat: User  # an official of the akimat of Almaty
    analyst: User  # of the ministry: switches the rules
    recipient: User  # with an ИПР entitlement 31 days old and no order: one offer
    intake: Case  # just opened
    assessed: Case  # in assessment, assessed: the scores
    planning: Case  # a goal and a planned service; no consent to share: a reason asked
    referred: Case  # consented, its service referred to the school: the inbox
    service: PlannedService  # the planning case's
    offer: ProactiveOffer


def build_office() -> Office:
    """A provider of Almaty with a case manager and their supervisor, an interagency team
    with a school's social worker on it, four cases in different states; a recipient whose
    ИПР grants a wheelchair nobody ordered for 31 days, found by the proactive rules (the
    task goes to the akimat: the person has no case manager). Committed for the live
    server (the e2e `reference` fixture has loaded the reference data)."""
    load_classifier()
    today = timezone.localdate()
    almaty = Region.objects.get(kato=ALMATY)
    provider = Organisation.objects.create(
        code="PROV", kind=Organisation.Kind.SERVICE_PROVIDER, name_ru="Центр «Жанұя»",
        name_kk="«Жанұя» орталығы", name_en="Zhanuya Centre", region=almaty)
    school = Organisation.objects.create(
        code="SCHOOL-12", kind=Organisation.Kind.NGO, name_ru="Школа № 12",
        name_kk="№ 12 мектеп", name_en="School 12", region=almaty)
    manager = UserFactory(role=Role.CASE_MANAGER, organisation=provider, username="cm",
                          first_name="Гульнара", last_name="Садыкова")
    supervisor = UserFactory(role=Role.CASE_MANAGER, organisation=provider,
                             username="sup", first_name="Ерлан", last_name="Жумабаев")
    group, _created = Group.objects.get_or_create(name="Supervisors")
    group.permissions.add(Permission.objects.get(codename="supervise_case"))
    supervisor.groups.add(group)
    teacher = UserFactory(role=Role.SOCIAL_WORKER, organisation=school, username="teacher",
                          first_name="Асель", last_name="Нурланова")
    team = Team.objects.create(name="МВК Алмалинского района", region=almaty)
    TeamMember.objects.create(team=team, user=teacher, sector=TeamMember.Sector.EDUCATION)

    def open_case(summary: str = SITUATION) -> Case:
        return services.open_case(by=manager, manager=manager, summary=summary,
                                  person=make_person(almaty), team=team)

    def plan(case: Case) -> PlannedService:
        services.move(case, Case.State.ASSESSMENT, by=manager)
        services.assess(case, {"education-place": 3, "care-daily": 2,
                               "income-sufficient": 1}, "", by=manager)
        services.move(case, Case.State.PLANNING, by=manager)
        goal = services.add_goal(case, domain=Domain.EDUCATION, text=GOAL,
                                 due=today + dt.timedelta(days=60), by=manager)
        return services.add_service(goal, description=SERVICE, agency=school,
                                    due=today + dt.timedelta(days=14), by=manager)

    intake = open_case()
    assessed = open_case("Семья без дохода, отец в больнице.")
    services.move(assessed, Case.State.ASSESSMENT, by=manager)
    services.assess(assessed, {"health-care": 4, "income-sufficient": 3, "care-daily": 1},
                    "Отец в больнице до конца месяца.", by=manager)
    planning = open_case()
    service = plan(planning)
    # A second service for the same goal: each has its own refer form.
    services.add_service(service.goal, description=TRANSPORT, agency=provider,
                         due=today + dt.timedelta(days=7), by=manager)
    referred = open_case()
    Consent.objects.create(person=referred.person, purpose=Consent.Purpose.SHARE_AGENCIES)
    services.refer(plan(referred), by=manager)

    recipient = UserFactory(role=Role.RECIPIENT, username="recipient")
    person = make_person(almaty, account=recipient)
    entitle(person, CatalogueItem.objects.get(code="MO-01-02"),
            valid_from=today - dt.timedelta(days=31))
    rules.run_rules(incremental=False)
    offer = ProactiveOffer.objects.get(hit__person=person)
    akimat = Organisation.objects.get(code=f"AKIMAT-{ALMATY}")
    assert offer.hit.task.organisation == akimat

    return Office(
        almaty=almaty, school=school, manager=manager,
        supervisor=User.objects.get(pk=supervisor.pk), teacher=teacher,
        akimat=UserFactory(role=Role.AKIMAT_OFFICIAL, organisation=akimat,
                           username="akimat"),
        analyst=UserFactory(role=Role.ANALYST,
                            organisation=Organisation.objects.get(code="МТСЗН"),
                            username="analyst"),
        recipient=recipient, intake=intake, assessed=assessed, planning=planning,
        referred=referred, service=service, offer=offer)


@pytest.fixture
def office(reference) -> Office:
    return build_office()


# --- axe-core ---------------------------------------------------------------------------

@pytest.mark.parametrize("mode", list(MODES))
def test_the_case_pages_pass_axe(mode: str, new_context: Callable[..., BrowserContext],
                                 office: Office):
    language, display, width = MODES[mode]
    audit = Audit(display)
    uncaptioned: dict[str, list[str]] = {}
    duplicated: dict[str, list[str]] = {}
    base = f"/{language}/cases"

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

    def case_path(case: Case) -> str:
        return f"{base}/{case.pk}/"

    # The case manager: the list, the open-a-case form and its errors.
    manager = open_as(office.manager)
    audit.visit(manager, f"{base}/")
    expect(manager.locator("main table tbody tr")).to_have_count(4)
    expect(manager.locator(f'main a[href="{base}/new/"]')).to_have_count(1)
    check(manager, "case manager: cases")
    audit.visit(manager, f"{base}/new/")
    expect(manager.locator("main form #id_iin")).to_have_count(1)
    check(manager, "case manager: open a case")
    manager.locator("#id_summary").fill("")
    manager.locator("main form[method=post] button[type=submit]").click()
    summary = manager.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary.locator('a[href="#id_iin"]')).to_have_count(1)
    expect(summary.locator('a[href="#id_summary"]')).to_have_count(1)
    expect(manager.locator("#id_iin")).to_have_attribute("aria-invalid", "true")
    assert_summary_links_lead_to_fields(manager)
    check(manager, "case manager: open a case with errors")
    assert Case.objects.count() == 4

    # A case at intake, after the assessment, in planning with the refer form.
    audit.visit(manager, case_path(office.intake))
    expect(manager.locator("main form[action$='/move/'] button[type=submit]")) \
        .not_to_have_count(0)
    check(manager, "case manager: a case at intake")
    audit.visit(manager, case_path(office.assessed))
    expect(manager.locator("main table caption#scores-caption")).to_have_count(1)
    expect(manager.locator("main table tbody tr")).to_have_count(len(Domain))
    check(manager, "case manager: a case assessed")
    audit.visit(manager, case_path(office.planning))
    expect(manager.locator(f"main section.card h3:text-is('{GOAL}')")).to_have_count(1)
    expect(manager.locator("main .notice")).to_have_count(1)
    expect(manager.locator("main form[action$='/refer/'] textarea")).to_have_count(2)
    refer = manager.locator(f'main form[action$="/services/{office.service.pk}/refer/"]')
    expect(refer.locator("textarea[name$=override_reason]")).to_have_count(1)
    check(manager, "case manager: a case in planning, a consent missing")
    # Referred without the reason: refused, the reason asked for.
    refer.locator("button[type=submit]").click()
    expect(manager).to_have_url(re.compile(r"/refer/$"))
    refer = manager.locator(f'main form[action$="/services/{office.service.pk}/refer/"]')
    expect(refer.locator("textarea")).to_have_attribute("aria-invalid", "true")
    expect(refer.locator(".error-message")).to_be_visible()
    check(manager, "case manager: a referral without consent or reason")
    office.service.refresh_from_db()
    assert office.service.state == PlannedService.State.PLANNED
    assert not Referral.objects.filter(service=office.service).exists()

    # The assessment form of the assessed case (in assessment: it may be assessed again),
    # then sent empty.
    audit.visit(manager, f"{case_path(office.assessed)}assessment/")
    questions = FORMS[CURRENT_VERSION]
    expect(manager.locator("main form fieldset")).to_have_count(len(questions))
    expect(manager.locator("main form input[type=radio]")).to_have_count(len(questions) * 5)
    check(manager, "case manager: the assessment form")
    manager.locator("main form[method=post] button[type=submit]").click()
    summary = manager.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary.locator("a")).to_have_count(len(questions))
    expect(summary.locator(f'a[href="#id_{questions[0].code}_0"]')).to_have_count(1)
    assert_summary_links_lead_to_fields(manager)
    check(manager, "case manager: the assessment form with errors")
    assert office.assessed.assessments.count() == 1

    # The school's social worker: the referral to answer.
    teacher = open_as(office.teacher)
    audit.visit(teacher, f"{base}/referrals/")
    expect(teacher.locator("main section.card")).to_have_count(1)
    expect(teacher.locator("main input[type=radio]")).to_have_count(2)
    check(teacher, "agency: referrals to answer")

    # The supervisor: the caseload of the provider's case managers.
    supervisor = open_as(office.supervisor)
    audit.visit(supervisor, f"{base}/caseload/")
    expect(supervisor.locator("main table tbody tr")).to_have_count(1)
    check(supervisor, "supervisor: caseload")

    # The recipient: the offer found for them.
    recipient = open_as(office.recipient)
    audit.visit(recipient, f"{base}/offers/")
    expect(recipient.locator("main section.card details summary")).to_have_count(1)
    check(recipient, "recipient: offers")

    # The akimat: the task the rules gave it.
    official = open_as(office.akimat)
    audit.visit(official, f"{base}/tasks/")
    expect(official.locator("main table tbody tr")).to_have_count(1)
    check(official, "akimat: proactive tasks")

    # The analyst: the rules with their switches.
    analyst = open_as(office.analyst)
    audit.visit(analyst, f"{base}/rules/")
    expect(analyst.locator("main table:has(caption#rules-caption) tbody tr")).to_have_count(
        len(rules.RULES))
    expect(analyst.locator("main form.inline-form button[type=submit]")).to_have_count(
        len(rules.RULES))
    check(analyst, "analyst: proactive rules")

    # Anyone: needs found this year and next year's forecast.
    visit(open_as(None), "needs and forecast",
          f"{base}/needs/?year={timezone.localdate().year}")

    assert len(audit.checked) == 15, audit.checked
    assert not uncaptioned, f"tables without a caption ({mode}): {uncaptioned}"
    assert not (audit.found or audit.overflowing or duplicated), (
        f"WCAG 2.2 A/AA failures ({mode}):\n{audit.report()}\n"
        f"ids used more than once: {duplicated}")


# --- The refer form -------------------------------------------------------------------

def test_a_referral_refused_for_want_of_a_reason_marks_its_own_form(
        new_context: Callable[..., BrowserContext], office: Office):
    """The planning case has two services to refer and no consent: each refer form asks
    for a reason. Sent without one, the form sent (and only it) says why, the error summary
    at the top of the page (as on every other form) leads to its field; given a reason, the
    referral goes, without consent, and the reason is on the case's timeline."""
    page = new_context(office.manager).new_page()
    page.goto(f"/ru/cases/{office.planning.pk}/")
    first, second = (office.service, office.service.goal.services.get(
        description=TRANSPORT))

    def form(service: PlannedService):
        return page.locator(f'main form[action$="/services/{service.pk}/refer/"]')

    form(first).locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/services/{first.pk}/refer/$"))
    problems = []
    if duplicated := page.evaluate(DUPLICATE_IDS):
        problems.append(f"ids used more than once: {duplicated}")
    reason = form(first).locator("textarea[name$=override_reason]")
    if reason.get_attribute("aria-invalid") != "true" or \
            not form(first).locator(".error-message").is_visible():
        problems.append("the form sent does not say what is wrong")
    if form(second).locator("textarea").get_attribute("aria-invalid") == "true" or \
            form(second).locator(".error-message").count():
        problems.append(f"the error is shown on the form of «{TRANSPORT}» too, which "
                        "was not sent")
    summary = page.locator("#error-summary")
    if not summary.count():
        problems.append("no error summary at the top of the page")
    elif (target := summary.locator("a").first.get_attribute("href")) != \
            f"#{reason.get_attribute('id')}":
        problems.append(f"the error summary leads to {target}, not to the reason sent")
    refused_on = page.url

    reason.fill(REASON)
    form(first).locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/ru/cases/{office.planning.pk}/$"))
    referral = Referral.objects.get(service=first)
    assert referral.consent is None and referral.override_reason == REASON
    expect(page.locator("main ol.plain")).to_contain_text(REASON)
    assert not Referral.objects.filter(service=second).exists()
    assert not problems, f"a referral refused on {refused_on}: {problems}"


def test_each_field_of_a_case_in_planning_has_its_own_label(
        new_context: Callable[..., BrowserContext], office: Office):
    """The case page holds the add-a-goal form, the note form and a refer form for each
    planned service: each field is named by its own label and by no other (WCAG 1.3.1,
    3.3.2, 4.1.2), which the fields' ids decide."""
    page = new_context(office.manager).new_page()
    page.goto(f"/ru/cases/{office.planning.pk}/")
    reason = re.escape(ru("Reason to refer without consent"))
    fields = [("the goal", "main form[action$='/goals/'] input[name$=text]",
               rf"^{re.escape(ru('Goal'))}$"),
              ("the note", "main form[action$='/notes/'] textarea[name$=text]",
               rf"^{re.escape(ru('Note'))}$")]
    for service in office.service.goal.services.order_by("pk"):
        fields.append((f"the reason to refer «{service.description}»",
                       f"main form[action$='/services/{service.pk}/refer/'] textarea",
                       rf"^{reason} \({re.escape(ru('optional'))}\)$"))
    problems = []
    for what, selector, name in fields:
        field = page.locator(selector)
        expect(field).to_have_count(1)
        try:
            expect(field).to_have_accessible_name(re.compile(name), timeout=1000)
        except AssertionError:
            problems.append(f"{what} ({selector}) is labelled "
                            f"{field.evaluate(LABELS)!r}")
    assert not problems, f"fields without their own label on {page.url}: {problems}"


# The text of the labels whose `for` the browser resolves to the field.
LABELS = """el => [...el.labels].map(l => l.textContent.trim()).join(' ')"""


# --- The keyboard -----------------------------------------------------------------------

# One answer a question, 0 no need … 4 critical; each value at least once.
ANSWERS = [2, 4, 1, 0, 3, 1, 2, 0, 3, 4, 1, 0]


def test_the_assessment_is_answered_with_the_keyboard_alone(
        new_context: Callable[..., BrowserContext], office: Office):
    """Tab reaches each question's group of radios; the arrows choose the answer (Space
    the first one, which the arrows only reach by going round); Tab goes on to the next
    question. Saved, the case shows the scores: each domain's highest answer."""
    case = office.intake
    services.move(case, Case.State.ASSESSMENT, by=office.manager)
    questions = FORMS[CURRENT_VERSION]
    assert len(ANSWERS) == len(questions)
    path = f"/ru/cases/{case.pk}/assessment/"
    page = new_context(office.manager).new_page()
    page.goto(path)
    to_main(page)
    for index, (question, answer) in enumerate(zip(questions, ANSWERS, strict=True)):
        if index == 0:
            tab_to(page, lambda element, state: state["type"] == "radio",
                   "the first question")
        else:
            # One Tab from the answer chosen to the next question.
            assert_focus_is_visible(tab(page))
        state = active(page)
        assert (state["type"], state["name"]) == ("radio", question.code), state
        # No answer yet: the Tab stops on the group's first radio.
        assert (state["value"], state["checked"]) == ("0", False), state
        if answer == 0:
            page.keyboard.press("Space")
        for _ in range(answer):
            page.keyboard.press("ArrowDown")
        chosen = page.locator(f"input[name='{question.code}'][value='{answer}']")
        expect(chosen).to_be_checked()
        expect(chosen).to_be_focused()
        assert_focus_is_visible(focused(page))
    notes = tab_to(page, lambda element, state: state["name"] == "notes", "the notes")
    assert notes["tag"] == "textarea", notes
    page.keyboard.type("Оценка проведена с матерью.")
    tab_to_button(page, ru("Save the assessment"))
    press_enter_and_wait(page, f"/ru/cases/{case.pk}/")

    answers = {q.code: a for q, a in zip(questions, ANSWERS, strict=True)}
    saved = case.assessments.get()
    assert saved.answers == answers
    assert saved.notes == "Оценка проведена с матерью."
    expected = score(CURRENT_VERSION, answers)
    assert saved.scores == expected
    table = page.locator("main table:has(caption#scores-caption)")
    expect(table).to_be_visible()
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(len(Domain))
    for index, domain in enumerate(Domain):
        expect(rows.nth(index).locator("th")).to_have_text(ru(domain.label))
        expect(rows.nth(index).locator("td")).to_have_text(str(expected[domain.value]))
    expect(page.locator("main [role=status] .messages")).to_contain_text(
        ru("The assessment is saved."))


def test_why_am_i_seeing_this_opens_with_the_keyboard(
        new_context: Callable[..., BrowserContext], office: Office):
    page = new_context(office.recipient).new_page()
    page.goto("/ru/cases/offers/")
    details = page.locator(f"main section[aria-labelledby='offer-{office.offer.pk}'] details")
    why = details.locator("p")
    expect(details).not_to_have_attribute("open", "")
    expect(why).to_be_hidden()
    to_main(page)
    summary = tab_to(page, lambda element, state: element["tag"] == "summary",
                     "«why am I seeing this»")
    assert summary["inMain"], summary
    page.keyboard.press("Enter")
    expect(details).to_have_attribute("open", "")
    expect(why).to_be_visible()
    expect(why).to_have_text(office.offer.why)
    # Still on the summary; Space closes it again.
    expect(details.locator("summary")).to_be_focused()
    page.keyboard.press("Space")
    expect(why).to_be_hidden()
    # Seeing the page marks the offer seen; the task stays the akimat's, open.
    office.offer.refresh_from_db()
    assert office.offer.state == ProactiveOffer.State.SEEN
    assert Task.objects.get(hit=office.offer.hit).state == Task.State.OPEN


# --- The language of each part ------------------------------------------------------------

LANGUAGE_OF = """(selector) => [...document.querySelectorAll(selector)]
  .map(el => el.closest('[lang]').getAttribute('lang'))"""


@pytest.mark.parametrize("language", ["ru", "en"])
def test_an_offer_marks_as_the_persons_language_only_its_own_text(
        language: str, new_context: Callable[..., BrowserContext], office: Office):
    """The offer's text and its «why» are written in the person's language (Kazakh here)
    and say so (WCAG 3.1.2 Language of Parts); the page's own words around them (the
    rule's name, «why am I seeing this», the answer buttons) are in the page's language
    and must not be marked as Kazakh, or a screen reader reads them with Kazakh rules."""
    assert office.offer.language == "kk"
    page = new_context(office.recipient).new_page()
    page.goto(f"/{language}/cases/offers/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    card = f"main section[aria-labelledby='offer-{office.offer.pk}']"
    interface = {part: page.evaluate(LANGUAGE_OF, f"{card} {selector}")
                 for part, selector in [("heading", "h2"), ("summary", "summary"),
                                        ("buttons", "button"), ("state", "p.hint")]}
    content = {part: page.evaluate(LANGUAGE_OF, f"{card} {selector}")
               for part, selector in [("why", "details p")]}
    assert content == {"why": ["kk"]}, content
    wrong = {part: langs for part, langs in interface.items()
             if any(lang != language for lang in langs)}
    assert not wrong, (f"the interface's words marked as another language on "
                       f"/{language}/cases/offers/: {wrong}")



# --- Consent and a social worker, from the case ----------------------------------------------

@pytest.mark.parametrize("mode", ["ru", "kk-200-blue-on-lightblue-640px"])
def test_the_manager_records_a_consent_and_proposes_a_social_worker(
        mode: str, new_context: Callable[..., BrowserContext], office: Office):
    """On the case in planning the notice of the missing consent holds its form: sent
    unticked it says what to do and marks the box; ticked, the consent is recorded and the
    refer forms no longer ask for a reason. A certified worker of Almaty with a free place
    is proposed for the person; the case names them, and so does its timeline."""
    from tendik.workforce.models import Assignment
    from tests.workforce.conftest import make_worker, provider

    language, display, width = MODES[mode]
    worker = make_worker(provider("SW-E2E", office.almaty), [office.almaty],
                         last_name="Заботина")
    audit = Audit(display)
    page = new_context(office.manager, display=display, width=width).new_page()
    person = office.planning.person
    path = f"/{language}/cases/{office.planning.pk}/"
    audit.visit(page, path)
    consent = page.locator(f'main form[action$="/consents/{person.pk}/"]')
    expect(consent).to_have_count(1)
    consent.locator("button[type=submit]").click()
    expect(page.locator("#error-summary")).to_be_visible()
    box = page.locator(f"#id_c{person.pk}-confirmed")
    expect(box).to_have_attribute("aria-invalid", "true")
    assert_summary_links_lead_to_fields(page)
    audit.check(page, "case manager: a consent sent unticked")
    box.check()
    page.locator(f'main form[action$="/consents/{person.pk}/"] button[type=submit]').click()
    expect(page).to_have_url(re.compile(rf"/cases/{office.planning.pk}/$"))
    expect(page.locator("main .notice")).to_have_count(0)
    expect(page.locator("main form[action$='/refer/'] textarea")).to_have_count(0)
    assert Consent.objects.filter(person=person,
                                  purpose=Consent.Purpose.SHARE_AGENCIES).count() == 1

    page.locator("main details:has(form[action$='/social-worker/']) summary").click()
    page.locator("#id_propose-worker").select_option(str(worker.pk))
    page.locator("main form[action$='/social-worker/'] button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/cases/{office.planning.pk}/$"))
    expect(page.locator("main")).to_contain_text(worker.full_name)
    audit.check(page, "case manager: a social worker proposed")
    assert Assignment.objects.filter(person=person, worker=worker).exists()
    assert not audit.found and not audit.overflowing, audit.report()
