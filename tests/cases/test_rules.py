"""Proactive rules: each finds its need, explains it, tells the person once per trigger and
gives the responsible body a task; incremental runs find what changed or came due."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from tendik.cases import rules, services
from tendik.cases.models import Case, Enrolment, Hit, JobSearch, ProactiveOffer, Rule, Task
from tendik.core.models import Organisation, Role
from tendik.people.models import DisabilityRecord, Family, FamilyMember
from tendik.portal.models import CatalogueItem, Order
from tests.factories import UserFactory
from tests.portal.conftest import TODAY, entitle, make_person
from tests.portal.test_reimbursement import received

DAY = TODAY


def disability(person, group: str, *, start: dt.date | None = None,
               reexamination: dt.date | None = None) -> DisabilityRecord:
    return DisabilityRecord.objects.create(
        person=person, group=group, cause="general", start=start or DAY - dt.timedelta(400),
        reexamination=reexamination, decision_number="1", decision_date=DAY)


def hits(code: str) -> list[Hit]:
    return list(Hit.objects.filter(rule__code=code))


@pytest.mark.django_db
def test_an_entitlement_31_days_old_without_an_order_is_offered_once(market):
    person = make_person(market.almaty)
    person.language = "kk"
    person.communication_needs = ["easy_read"]
    person.save()
    entitle(person, market.wheelchair, valid_from=DAY - dt.timedelta(days=31))
    rules.run_rules(DAY, incremental=False)
    rules.run_rules(DAY)
    rules.run_rules(DAY, incremental=False)
    offers = ProactiveOffer.objects.filter(hit__person=person)
    assert offers.count() == 1
    offer = offers.get()
    assert offer.language == "kk" and offer.format == "easy_read"
    assert market.wheelchair.name_kk in offer.text
    # The date reads as people write it, whatever the facts keep.
    assert (DAY - dt.timedelta(days=31)).strftime("%d.%m.%Y") in offer.why and "30" in offer.why
    task = offer.hit.task
    akimat = Organisation.objects.get(code=f"AKIMAT-{market.almaty.kato}")
    assert (task.organisation, task.assignee, task.region) == (akimat, None, market.almaty)
    # The market's own entitlement is 10 days old: not yet.
    assert not Hit.objects.filter(person=market.person).exists()


@pytest.mark.django_db
def test_an_order_placed_in_time_means_no_offer(market):
    from tests.portal.test_journey import place

    place(market)
    rules.run_rules(DAY + dt.timedelta(days=40), incremental=False)
    assert hits("entitlement-without-order") == []


@pytest.mark.django_db
def test_the_incremental_run_finds_what_came_due_and_what_changed(market):
    rules.run_rules(DAY, incremental=False)
    person = make_person(market.almaty)
    entitle(person, market.wheelchair, valid_from=DAY - dt.timedelta(days=29))
    assert rules.run_rules(DAY).by_rule["entitlement-without-order"] == 0
    tomorrow = rules.run_rules(DAY + dt.timedelta(days=1))
    assert tomorrow.run.incremental
    assert tomorrow.by_rule["entitlement-without-order"] == 1
    # A record changed since: a disability record with re-examination soon.
    disability(person, "2", reexamination=DAY + dt.timedelta(days=20))
    later = rules.run_rules(DAY + dt.timedelta(days=1))
    assert later.by_rule["reexamination-due"] == 1
    assert person.pk in rules.changed_persons(tomorrow.run.started_at,
                                              [rules.BY_CODE["reexamination-due"]])


@pytest.mark.django_db
def test_a_rule_switched_off_finds_nothing_and_keeps_its_history(market):
    person = make_person(market.almaty)
    disability(person, "2", reexamination=DAY + dt.timedelta(days=10))
    rules.run_rules(DAY, incremental=False)
    assert len(hits("reexamination-due")) == 1
    Rule.objects.filter(code="reexamination-due").update(enabled=False)
    other = make_person(market.almaty)
    disability(other, "3", reexamination=DAY + dt.timedelta(days=10))
    result = rules.run_rules(DAY, incremental=False)
    assert "reexamination-due" not in result.by_rule
    assert len(hits("reexamination-due")) == 1


@pytest.mark.django_db
def test_each_rule_finds_its_need(market):
    child = make_person(market.almaty)
    child.birth_date = DAY.replace(year=DAY.year - 9)
    child.save()
    disability(child, "child")
    schooled = make_person(market.almaty)
    schooled.birth_date = DAY.replace(year=DAY.year - 10)
    schooled.save()
    disability(schooled, "child")
    Enrolment.objects.create(person=schooled, kind="school", institution="Школа № 1",
                             start=DAY - dt.timedelta(days=300))
    seeker = make_person(market.almaty)  # born in the 1970s: of working age
    disability(seeker, "3")
    JobSearch.objects.create(person=seeker, registered_on=DAY - dt.timedelta(days=95),
                             centre="ЦЗН Алмалинского района")
    recent = make_person(market.almaty)
    disability(recent, "3")
    JobSearch.objects.create(person=recent, registered_on=DAY - dt.timedelta(days=20),
                             centre="ЦЗН")
    heavy = make_person(market.almaty)
    disability(heavy, "1")
    family = Family.objects.create(name="Семья")
    FamilyMember.objects.create(family=family, person=heavy, role="head")
    order = received(market)
    Order.objects.filter(pk=order.pk).update(
        received_at=order.received_at - dt.timedelta(days=49 * 31))
    rules.run_rules(DAY, incremental=False)
    found = {code: {h.person_id for h in hits(code)} for code in rules.BY_CODE}
    assert found["child-not-in-education"] == {child.pk}
    assert found["long-job-seeker"] == {seeker.pk}
    assert found["group-one-without-assistant"] == {heavy.pk}
    assert found["aid-past-replacement-term"] == {market.person.pk}
    with translation.override("en"):
        why = ProactiveOffer.objects.get(hit__rule__code="long-job-seeker").why
    assert "job seeker" in why or "жұмыс" in why or "работ" in why


@pytest.mark.django_db
def test_the_task_goes_to_the_persons_case_manager(market):
    provider = Organisation.objects.create(code="PROV", kind=Organisation.Kind.SERVICE_PROVIDER,
                                           name_ru="Центр", name_kk="Орталық", name_en="Centre",
                                           region=market.almaty)
    manager = UserFactory(role=Role.CASE_MANAGER, organisation=provider, username="cm")
    person = make_person(market.almaty)
    services.open_case(by=manager, manager=manager, summary="Нужна помощь", person=person)
    entitle(person, CatalogueItem.objects.get(code="MO-04-02"),
            valid_from=DAY - dt.timedelta(days=45))
    rules.run_rules(DAY, incremental=False)
    task = Task.objects.get(hit__person=person)
    assert task.assignee == manager and task.organisation is None
    assert Case.objects.get(person=person).manager == manager


@pytest.mark.django_db
def test_triggers_another_run_took_meanwhile_are_left_to_it(market):
    """Two runs at once: the hits the other run wrote first keep their offer and task,
    and this run acts only on the triggers it wrote itself."""
    rules.load_rules()
    spec = rules.BY_CODE["reexamination-due"]
    rule = Rule.objects.get(code=spec.code)
    first, second = make_person(market.almaty), make_person(market.almaty)
    other = rules.RuleRun.objects.create(as_of=DAY, incremental=False)
    facts = {"date": (DAY + dt.timedelta(days=10)).isoformat(), "days": 60}
    taken = Hit.objects.create(rule=rule, key="reexam:1", person=first,
                               region=market.almaty, facts=facts, run=other)
    ours = rules.RuleRun.objects.create(as_of=DAY, incremental=False)
    batch = [rules.Candidate(person.pk, market.almaty.pk, key, facts)
             for key, person in (("reexam:1", first), ("reexam:2", second))]
    assert rules.persist(batch, ours, rule, spec, {}) == 1
    assert Hit.objects.get(key="reexam:1") == taken
    assert not ProactiveOffer.objects.filter(hit=taken).exists()
    mine = Hit.objects.get(key="reexam:2")
    assert (mine.run, mine.person) == (ours, second)
    assert second.birth_date.isoformat() not in mine.offer.text  # rendered from the facts
    shown = dt.date.fromisoformat(facts["date"]).strftime("%d.%m.%Y")
    assert shown in mine.offer.text and Task.objects.filter(hit=mine).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_run_outside_a_transaction_writes_its_chunks_apart_and_completely(market,
                                                                            monkeypatch):
    """On PostgreSQL the chunks go to writer threads with connections of their own; on
    SQLite they are written in turn. Either way each hit has one offer and one task, and a
    chunk that fails stops the run, which the next run completes without repeating."""
    from django.db import connection

    monkeypatch.setattr(rules, "CHUNK", 3)
    persons = [make_person(market.almaty) for _ in range(10)]
    for person in persons:
        disability(person, "2", reexamination=DAY + dt.timedelta(days=20))
    threaded = rules.HitWriter(rules.RuleRun(as_of=DAY), {}).pool is not None
    assert threaded == (connection.vendor == "postgresql")

    real_persist, calls = rules.persist, []

    def second_chunk_fails(batch, *args):
        calls.append(len(batch))
        if len(calls) == 2:
            raise RuntimeError("the database went away")
        return real_persist(batch, *args)

    monkeypatch.setattr(rules, "persist", second_chunk_fails)
    with pytest.raises(RuntimeError, match="went away"):
        rules.run_rules(DAY, incremental=False)
    failed = rules.RuleRun.objects.get()
    assert failed.finished_at is None
    written = set(Hit.objects.values_list("person_id", flat=True))
    assert len(written) < 10  # what failed is not written

    monkeypatch.setattr(rules, "persist", real_persist)
    result = rules.run_rules(DAY, incremental=False)
    assert result.by_rule["reexamination-due"] == 10 - len(written)
    assert sorted(Hit.objects.values_list("person_id", flat=True)) == \
        sorted(p.pk for p in persons)
    assert ProactiveOffer.objects.count() == Task.objects.count() == 10
    assert set(ProactiveOffer.objects.values_list("hit__person_id", flat=True)) == \
        {p.pk for p in persons}
