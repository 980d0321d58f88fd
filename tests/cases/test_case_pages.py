"""What a case manager meets on the case pages: counters that count, an IIN error that
names the check digit, the agencies that work cases, consents and social workers recorded
from the case, and a timeline that reads as sentences with names and dates."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from tendik.cases import services
from tendik.cases.models import Case, CaseEvent
from tendik.core.models import AuditEvent, Organisation, Role
from tendik.people.models import Consent, active_consent
from tendik.workforce.models import Assignment
from tests.cases.test_cases import planned
from tests.factories import UserFactory
from tests.portal.conftest import TODAY, make_person
from tests.workforce.conftest import make_worker, provider

pytestmark = pytest.mark.django_db
State = Case.State
SIGN_IN = 302
WHO = ["manager", "supervisor", "teacher", "other", "recipient", "anonymous"]
# Who may record a consent and propose a social worker on a case: its manager and the
# managers' supervisor (302: done); a team member sees the case but does not change it
# (403); anyone else does not see it (404).
MAY_WORK = {"manager": 302, "supervisor": 302, "teacher": 403, "other": 404,
            "recipient": 404, "anonymous": SIGN_IN}


def client_of(office, market, who, client, client_for):
    user = {"manager": office["manager"], "supervisor": office["supervisor"],
            "teacher": office["teacher"], "other": office["other"],
            "recipient": market.recipient}.get(who)
    return client if user is None else client_for(user)


def test_the_counters_count_the_cases_in_each_state(office, market, client_for):
    manager = office["manager"]
    for _n in range(2):
        services.open_case(by=manager, manager=manager, summary="Ещё", team=office["case"].team,
                           person=make_person(market.almaty))
    for _n in range(2):
        case = services.open_case(by=manager, manager=manager, summary="Оценка",
                                  person=make_person(market.almaty), team=office["case"].team)
        services.move(case, State.ASSESSMENT, by=manager)
    with translation.override("en"):
        page = client_for(manager).get("/en/cases/").content.decode()
    assert re.search(r">intake</a>: 3<", page), page
    assert re.search(r">needs assessment</a>: 2<", page)
    assert re.search(r">closed</a>: 0<", page)
    # The team member sees the team's cases, counted once each.
    team_page = client_for(office["teacher"]).get("/en/cases/").content.decode()
    assert re.search(r">intake</a>: 3<", team_page)


def test_a_wrong_check_digit_is_named_as_such(office, client_for):
    iin = office["person"].iin
    wrong = iin[:11] + str((int(iin[11]) + 1) % 10)
    response = client_for(office["manager"]).post("/en/cases/new/", {
        "iin": wrong, "summary": "Ситуация", "manager": office["manager"].pk})
    page = response.content.decode()
    assert response.status_code == 200
    assert "check digit" in page
    assert "is registered" not in page


def test_only_agencies_that_work_cases_in_the_region_are_offered(office, market):
    case = office["case"]
    other_region = provider("PROV-ASTANA", market.astana)
    agencies = set(services.agencies_for(case))
    assert office["school"] in agencies
    assert Organisation.objects.get(code=f"AKIMAT-{market.almaty.kato}") in agencies
    assert market.supplier not in agencies
    assert other_region not in agencies
    assert Organisation.objects.get(code="МФ") not in agencies
    assert not any(o.kind == Organisation.Kind.SUPPLIER for o in agencies)
    goal, _service = planned(office)
    with pytest.raises(ValidationError) as refused:
        services.add_service(goal, description="Коляска", agency=market.supplier,
                             due=TODAY, by=office["manager"])
    assert "agency" in refused.value.message_dict


def test_the_service_form_lists_the_agencies_by_name(office, market, client_for):
    planned(office)
    page = client_for(office["manager"]).get(
        f"/ru/cases/{office['case'].pk}/").content.decode()
    options = re.findall(r'<select name="agency"[^>]*>(.*?)</select>', page, re.S)[0]
    assert "Школа № 12" in options
    assert "«Орто»" not in options and "Министерство финансов" not in options
    assert "---" not in options


@pytest.mark.parametrize("who", WHO)
def test_a_consent_is_recorded_by_the_manager_or_the_supervisor(
        who, office, market, client, client_for):
    case, person = office["case"], office["person"]
    response = client_of(office, market, who, client, client_for).post(
        reverse("cases:consent", args=[case.pk, person.pk]), {f"c{person.pk}-confirmed": "on"})
    assert response.status_code == MAY_WORK[who]
    consent = active_consent(person, Consent.Purpose.SHARE_AGENCIES)
    if MAY_WORK[who] == 302 and who != "anonymous":
        assert consent is not None
        assert AuditEvent.objects.filter(model="people.consent", object_id=str(consent.pk),
                                         action="create").exists()
        assert CaseEvent.objects.filter(case=case, kind="consent").count() == 1
    else:
        assert consent is None


def test_a_consent_needs_the_signed_form_and_then_referrals_go(office, client_for):
    _goal, service = planned(office)
    case, person = office["case"], office["person"]
    manager = client_for(office["manager"])
    url = reverse("cases:consent", args=[case.pk, person.pk])
    unticked = manager.post(url, {})
    assert unticked.status_code == 200
    assert "error-summary" in unticked.content.decode()
    assert active_consent(person, Consent.Purpose.SHARE_AGENCIES) is None
    assert manager.post(url, {f"c{person.pk}-confirmed": "on"}).status_code == 302
    assert manager.post(url, {f"c{person.pk}-confirmed": "on"}).status_code == 302
    assert person.consents.count() == 1  # a second click changes nothing
    referral = services.refer(service, by=office["manager"])
    assert referral.consent is not None and referral.override_reason == ""
    outsider = make_person(case.region)
    with pytest.raises(PermissionDenied):
        services.record_consent(case, outsider, by=office["manager"], confirmed=True)


@pytest.fixture
def worker(office, market):
    return make_worker(provider("SW-CASE", market.almaty), [market.almaty], capacity=1,
                       last_name="Заботина")


@pytest.mark.parametrize("who", WHO)
def test_a_social_worker_is_proposed_by_the_manager_or_the_supervisor(
        who, office, market, worker, client, client_for):
    case, person = office["case"], office["person"]
    response = client_of(office, market, who, client, client_for).post(
        reverse("cases:propose_worker", args=[case.pk]),
        {"propose-person": person.pk, "propose-worker": worker.pk})
    assert response.status_code == MAY_WORK[who]
    assignment = Assignment.objects.filter(person=person, worker=worker).first()
    if MAY_WORK[who] == 302 and who != "anonymous":
        assert assignment is not None
        assert AuditEvent.objects.filter(model="workforce.assignment",
                                         object_id=str(assignment.pk)).exists()
        assert CaseEvent.objects.filter(case=case, kind="worker").exists()
    else:
        assert assignment is None


def test_a_worker_without_a_free_place_is_refused_with_what_to_do(
        office, market, worker, client_for):
    services.propose_worker(office["case"], office["person"], worker, by=office["manager"])
    other = make_person(market.almaty)
    case = services.open_case(by=office["manager"], manager=office["manager"],
                              summary="Ещё", person=other)
    assert worker not in services.workers_for(case)  # the one place is taken
    with pytest.raises(ValidationError) as refused:
        services.propose_worker(case, other, worker, by=office["manager"])
    assert "Choose another worker" in " ".join(refused.value.messages) or \
        "другого" in " ".join(refused.value.messages)
    with pytest.raises(PermissionDenied):
        services.propose_worker(case, office["person"], worker, by=office["manager"])


def test_the_timeline_reads_as_sentences_with_names(office, market, worker,
                                                    client_for):
    _goal, service = planned(office)
    case, manager = office["case"], office["manager"]
    akimat = Organisation.objects.get(code=f"AKIMAT-{market.almaty.kato}")
    goal = case.goals.get()
    services.add_service(goal, description="Социальное такси", agency=akimat, due=TODAY,
                         by=manager)
    services.refer(service, by=manager, override_reason="Срочно")
    services.record_consent(case, office["person"], by=manager, confirmed=True)
    services.propose_worker(case, office["person"], worker, by=manager)
    # An entry of the earlier format, with the agency's code in its text.
    CaseEvent.objects.create(case=case, kind="service", by=manager,
                             text=f"Старое → {akimat.code}")
    for language, names in (("ru", ["Школа № 12", akimat.name_ru, "оценка потребностей"]),
                            ("kk", ["№ 12 мектеп", akimat.name_kk]),
                            ("en", ["School 12", akimat.name_en, "needs assessment"])):
        page = client_for(manager).get(f"/{language}/cases/{case.pk}/").content.decode()
        timeline = page.split('id="timeline"', 1)[1].split("</ol>", 1)[0]
        for code in ("— opened", "— assessed", "— service", "— goal", "state:", "referral:",
                     "SCHOOL-12", "AKIMAT-", " → ", manager.username):
            assert code not in timeline, (language, code)
        for name in names:
            assert name in timeline, (language, name)
        assert manager.get_full_name() in timeline and worker.full_name in timeline
        assert re.search(r"\d\d\.\d\d\.\d{4} \d\d:\d\d", timeline)
        assert not re.search(r"\d{4}-\d\d-\d\d", re.sub(r'datetime="[^"]*"', "", timeline))


def test_the_volunteer_and_other_names_are_not_logins(office, client_for):
    nameless = UserFactory(role=Role.CASE_MANAGER, organisation=office["manager"].organisation,
                           username="nameless.cm", first_name="", last_name="")
    case = services.open_case(by=nameless, manager=nameless, summary="Ситуация",
                              person=office["person"])
    page = client_for(nameless).get(f"/en/cases/{case.pk}/").content.decode()
    assert "nameless.cm" not in page.split('id="timeline"', 1)[1]
    assert dt.date.today().strftime("%d.%m.%Y") in page
