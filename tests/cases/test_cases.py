"""Case management: the workflow, consent-checked referrals, who sees a case."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tendik.cases import services
from tendik.cases.models import Case, CaseEvent, Referral
from tendik.core.models import AccessRecord, AuditEvent, Role
from tendik.people.models import Consent, Family, FamilyMember
from tests.portal.conftest import TODAY, make_person

State = Case.State


def planned(office):
    case, manager = office["case"], office["manager"]
    services.move(case, State.ASSESSMENT, by=manager)
    services.assess(case, {"education-place": 3, "care-daily": 2, "income-sufficient": 1},
                    "", by=manager)
    services.move(case, State.PLANNING, by=manager)
    goal = services.add_goal(case, domain="education", text="Ребёнок ходит в школу",
                             due=TODAY + dt.timedelta(days=60), by=manager)
    return goal, services.add_service(goal, description="Инклюзивное обучение",
                                      agency=office["school"], due=TODAY, by=manager)


@pytest.mark.django_db
def test_an_assessment_scores_each_domain_by_its_highest_answer(office):
    case, manager = office["case"], office["manager"]
    services.move(case, State.ASSESSMENT, by=manager)
    result = services.assess(case, {"care-daily": 1, "care-carer": 4, "safety-violence": 0},
                             "", by=manager)
    assert result.scores["care"] == 4 and result.scores["safety"] == 0
    assert result.priorities() == [("care", 4)]
    with pytest.raises(ValidationError):
        services.assess(case, {"care-daily": 7}, "", by=manager)


@pytest.mark.django_db
def test_a_referral_without_consent_is_refused_and_an_override_is_logged(office):
    _goal, service = planned(office)
    with pytest.raises(ValidationError) as refused:
        services.refer(service, by=office["manager"])
    assert "override_reason" in refused.value.message_dict
    assert not Referral.objects.exists()
    referral = services.refer(service, by=office["manager"],
                              override_reason="Ребёнок не учится с сентября, мать в больнице")
    assert referral.consent is None and referral.override_reason
    event = AuditEvent.objects.get(model="cases.referral", object_id=str(referral.pk))
    assert "without consent" in event.reason and "в больнице" in event.reason
    assert CaseEvent.objects.filter(case=office["case"], kind="referral:override").exists()


@pytest.mark.django_db
def test_with_consent_a_referral_goes_and_the_agency_answers(office):
    _goal, service = planned(office)
    Consent.objects.create(person=office["person"], purpose=Consent.Purpose.SHARE_AGENCIES)
    referral = services.refer(service, by=office["manager"])
    assert referral.consent is not None and referral.override_reason == ""
    with pytest.raises(PermissionDenied):
        services.answer_referral(referral, True, "", by=office["other"])
    with pytest.raises(ValidationError):
        services.answer_referral(referral, False, "", by=office["teacher"])
    services.answer_referral(referral, True, "Место есть", by=office["teacher"])
    done = services.complete_referral(referral, by=office["teacher"])
    assert done.state == Referral.State.DONE
    assert done.service.state == "done"


@pytest.mark.django_db
def test_a_family_case_needs_everyones_consent(office, market):
    family = Family.objects.create(name="Семья Тестовых")
    child = make_person(market.almaty)
    for member, role in ((office["person"], "head"), (child, "child")):
        FamilyMember.objects.create(family=family, person=member, role=role)
        Consent.objects.create(person=member, purpose=Consent.Purpose.SHARE_AGENCIES) \
            if member == office["person"] else None
    case = services.open_case(by=office["manager"], manager=office["manager"],
                              summary="Семья", family=family)
    assert services.missing_consents(case) == [child]


@pytest.mark.django_db
def test_closure_is_approved_by_a_supervisor_and_a_case_reopens_with_a_reason(office):
    goal, _service = planned(office)
    case, manager, supervisor = office["case"], office["manager"], office["supervisor"]
    services.move(case, State.SERVICES, by=manager)
    services.move(case, State.REVIEW, by=manager)
    with pytest.raises(ValidationError):
        services.move(case, State.CLOSING, by=manager)  # a goal is still open
    services.set_goal(goal, "met", by=manager)
    services.move(case, State.CLOSING, by=manager)
    with pytest.raises(PermissionDenied):
        services.move(case, State.CLOSED, by=manager)
    case = services.move(case, State.CLOSED, by=supervisor)
    assert case.closure_approved_by == supervisor and case.closed_at
    with pytest.raises(ValidationError):
        services.move(case, State.ASSESSMENT, by=manager)
    case = services.move(case, State.ASSESSMENT, by=manager, comment="Новая беда")
    assert case.closed_at is None
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds[0] == "opened" and kinds[-1] == "state:assessment"


@pytest.mark.django_db
def test_only_the_team_and_supervisors_see_a_case_and_every_view_is_logged(
        office, market, client_for, make_user):
    url = reverse("cases:case", args=[office["case"].pk])
    for user in (office["manager"], office["supervisor"], office["teacher"]):
        assert client_for(user).get(url).status_code == 200, user
    assert AccessRecord.objects.filter(path=url).count() == 3
    outsiders = [office["other"], market.accountant, market.recipient,
                 make_user(Role.ANALYST, "МТСЗН", username="analyst")]
    for user in outsiders:
        assert client_for(user).get(url).status_code == 404, user
    assert AuditEvent.objects.filter(action="access_refused", model="cases.case").count() \
        == len(outsiders)
    listed = client_for(office["other"]).get(reverse("cases:list")).content.decode()
    assert office["case"].number not in listed


@pytest.mark.django_db
def test_the_case_pages_work_for_the_manager(office, client_for):
    manager = client_for(office["manager"])
    case = office["case"]
    manager.post(reverse("cases:move", args=[case.pk]),
                 {"to": "assessment", "assessment-to": "assessment"})
    from tendik.cases.assessment import CURRENT_VERSION, FORMS

    form = dict.fromkeys((q.code for q in FORMS[CURRENT_VERSION]), 2)
    response = manager.post(reverse("cases:assess", args=[case.pk]), form)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.assessments.get().scores["health"] == 2
    page = manager.get(reverse("cases:case", args=[case.pk])).content.decode()
    assert "Мать одна с ребёнком" in page
    empty = manager.post(reverse("cases:assess", args=[case.pk]), {})
    assert empty.status_code == 200 and "error-summary" in empty.content.decode()
