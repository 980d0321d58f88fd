"""Demonstration cases in every state, an interagency team in Almaty, education and job
search records, and a run of the proactive rules over the demo registry. Never loaded on
a production database.

Logins: demo.casemanager manages the cases; demo.supervisor approves closures;
demo.social sits on the team; demo.recipient sees the platform's offers at /cases/offers/.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from tendik.cases import rules, services
from tendik.cases.models import Case, Enrolment, JobSearch, Team, TeamMember
from tendik.core.audit import acting_as
from tendik.core.models import Organisation, Region, User
from tendik.people.models import Consent, DisabilityRecord, Person

ALMATY = "750000000"
SUPERVISORS = "Case supervisors"
SITUATIONS = [
    "Мать одна воспитывает ребёнка с ДЦП, не работает, задолженность за коммунальные услуги.",
    "Пожилой отец с I группой, сын уезжает на вахту, уход некому осуществлять.",
    "Подросток с нарушением слуха перестал ходить в колледж, конфликт в семье.",
    "После травмы на производстве мужчина потерял работу, нужна переподготовка.",
    "Семья живёт в неприспособленном доме на втором этаже без лифта.",
    "Женщина с инвалидностью II группы сообщила о насилии со стороны супруга.",
    "Ребёнок с аутизмом не посещает детский сад, родители не знают о коррекционных группах.",
]
# The state each demo case is brought to, through the workflow.
PATH = [Case.State.INTAKE, Case.State.ASSESSMENT, Case.State.PLANNING, Case.State.SERVICES,
        Case.State.REVIEW, Case.State.CLOSING, Case.State.CLOSED]


@transaction.atomic
def load_demo() -> str:
    manager = User.objects.filter(username="demo.casemanager").first()
    supervisor = User.objects.filter(username="demo.supervisor").first()
    region = Region.objects.filter(kato=ALMATY).first()
    persons = list(Person.objects.filter(region=region, address__endswith="(демо)")
                   .order_by("pk")[:40]) if region else []
    if manager is None or supervisor is None or region is None or len(persons) < 20:
        return "cases demo: no demo persons or case managers (run the portal demo first)"
    if Case.objects.filter(manager=manager).exists():
        return summary()
    rng = random.Random(326)
    today = timezone.localdate()
    with acting_as(label="load_demo"):
        group, _created = Group.objects.get_or_create(name=SUPERVISORS)
        group.permissions.add(Permission.objects.get(codename="supervise_case"))
        supervisor.groups.add(group)
        supervisor = User.objects.get(pk=supervisor.pk)
        team = Team.objects.create(name="Межведомственная группа Алмалинского района (демо)",
                                   region=region)
        TeamMember.objects.create(team=team, user=manager, sector=TeamMember.Sector.SOCIAL)
        social = User.objects.filter(username="demo.social").first()
        if social is not None:
            TeamMember.objects.create(team=team, user=social,
                                      sector=TeamMember.Sector.SOCIAL)
        agencies = list(Organisation.objects.filter(region=region).exclude(
            kind=Organisation.Kind.SUPPLIER)[:4]) or list(Organisation.objects.all()[:2])
        for index, person in enumerate(persons[3:3 + 2 * len(PATH)]):
            if index % 2 == 0:
                Consent.objects.create(person=person,
                                       purpose=Consent.Purpose.SHARE_AGENCIES)
            target = PATH[index % len(PATH)]
            case = services.open_case(by=manager, manager=manager, team=team,
                                      summary=SITUATIONS[index % len(SITUATIONS)],
                                      person=person)
            _walk(case, target, manager, supervisor, agencies, rng, today)
        _registers(rng, today)
    rules.run_rules(today, incremental=False)
    return summary()


def summary() -> str:
    """The same line on every run: what the demo holds."""
    from tendik.cases.models import Hit

    return (f"cases demo: {Case.objects.count()} cases, {Team.objects.count()} team, "
            f"{Hit.objects.count()} proactive hits")


def _walk(case: Case, target: str, manager: User, supervisor: User,
          agencies: list[Organisation], rng: random.Random, today: dt.date) -> None:
    if target == Case.State.INTAKE:
        return
    services.move(case, Case.State.ASSESSMENT, by=manager)
    if target == Case.State.ASSESSMENT:
        return
    answers = {q.code: rng.choice([0, 1, 2, 3, 4]) for q in services.form.FORMS[
        services.form.CURRENT_VERSION]}
    services.assess(case, answers, "Оценка проведена на дому.", by=manager)
    services.move(case, Case.State.PLANNING, by=manager)
    goal = services.add_goal(case, domain="care", text="Организован уход на дому",
                             due=today + dt.timedelta(days=60), by=manager)
    service = services.add_service(goal, description="Надомное обслуживание",
                                   agency=rng.choice(agencies),
                                   due=today + dt.timedelta(days=30), by=manager)
    if target == Case.State.PLANNING:
        return
    missing = services.missing_consents(case)
    services.refer(service, by=manager, override_reason=(
        "Срочно: человек остался без ухода" if missing else ""))
    services.move(case, Case.State.SERVICES, by=manager)
    if target == Case.State.SERVICES:
        return
    services.move(case, Case.State.REVIEW, by=manager)
    if target == Case.State.REVIEW:
        return
    services.set_goal(goal, "met", by=manager)
    services.move(case, Case.State.CLOSING, by=manager)
    if target == Case.State.CLOSING:
        return
    services.move(case, Case.State.CLOSED, by=supervisor)


def _registers(rng: random.Random, today: dt.date) -> None:
    """Education and job search records the rules read: most children are enrolled, a
    few are not; some adults have looked for work for months."""
    children = DisabilityRecord.objects.filter(group=DisabilityRecord.Group.CHILD) \
        .select_related("person")
    for record in children:
        if rng.random() < 0.7:
            Enrolment.objects.get_or_create(person=record.person, defaults={
                "kind": rng.choice(["school", "school", "home", "preschool"]),
                "institution": "Школа-гимназия (демо)",
                "start": today - dt.timedelta(days=400)})
    adults = list(DisabilityRecord.objects.exclude(group=DisabilityRecord.Group.CHILD)
                  .select_related("person").order_by("pk")[:300])
    for record in rng.sample(adults, min(40, len(adults))):
        JobSearch.objects.get_or_create(person=record.person, defaults={
            "registered_on": today - dt.timedelta(days=rng.randint(20, 200)),
            "centre": "Центр занятости населения (демо)"})
