"""Demonstration social workers: two in every region (employed by the akimat's social
service, or by the demo provider in Almaty), most certified, some with expired or no
certificate, two full; the portal demo's recipients served, with visits (some still to
confirm) and ratings; demo.volunteer and another volunteer helping demo.social; three
family members paid as assistants, with hours and last month's payment.

Logins: demo.social is a certified worker in Almaty serving demo.recipient, whose latest
visit waits for his confirmation; demo.recipient also confirms his wife's hours as his
assistant. Every name says «демо»; loaded by `manage.py load_demo` after the portal demo.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from tendik.core.audit import acting_as
from tendik.core.models import Organisation, Region, User
from tendik.people.iin import make_iin
from tendik.people.models import Family, FamilyMember, Person
from tendik.portal.models import CatalogueItem, Entitlement, Ipr
from tendik.workforce.models import (
    PERSONAL_ASSISTANT,
    Assignment,
    AssistantHours,
    AssistantPayment,
    Category,
    Certificate,
    FamilyAssistant,
    Language,
    Qualification,
    Service,
    SocialWorker,
    Visit,
    Volunteer,
    VolunteerHours,
    VolunteerLink,
    WorkerRating,
    open_on,
)
from tendik.workforce.services import build_payment

MARK = "(демо)"
ALMATY, ASTANA = "750000000", "710000000"
ASSESSOR = "Центр независимой оценки квалификации социальных работников (демо)"
NAMES = [("Абдиева", "Жанар"), ("Бекмуханов", "Нурлан"), ("Волкова", "Ирина"),
         ("Галиева", "Асем"), ("Досжанов", "Ержан"), ("Ермекова", "Айнур"),
         ("Жаксылыков", "Данияр"), ("Ибраева", "Сауле"), ("Кенжебаев", "Арман"),
         ("Литвинова", "Ольга"), ("Мусина", "Гаухар"), ("Нурпеисов", "Бахыт")]
SERVICE_SETS = [
    [Service.HOME_CARE, Service.HOUSEHOLD, Service.ESCORT],
    [Service.SOCIAL_REHABILITATION, Service.PSYCHOLOGICAL],
    [Service.HOME_CARE, Service.SIGN_LANGUAGE, Service.ESCORT],
    [Service.LEGAL, Service.SOCIAL_REHABILITATION, Service.HOUSEHOLD],
]
LANGUAGE_SETS = [[Language.KAZAKH, Language.RUSSIAN], [Language.RUSSIAN],
                 [Language.KAZAKH, Language.RUSSIAN, Language.SIGN], [Language.KAZAKH]]


def _certify(worker: SocialWorker, serial: int, today: dt.date, *, state: str) -> None:
    """state: "valid", "expired" or "none"."""
    if state == "none":
        return
    issued = today - dt.timedelta(days=400 if state == "valid" else 1500)
    Certificate.objects.create(worker=worker, number=f"ДЕМО-СР-{serial:04d}",
                               issued_on=issued, expires_on=issued + dt.timedelta(days=1095),
                               assessor=ASSESSOR)


def _workers(today: dt.date) -> list[SocialWorker]:
    workers = []
    demo_social = User.objects.filter(username="demo.social").first()
    if demo_social is not None and demo_social.organisation is not None:
        worker = SocialWorker.objects.create(
            account=demo_social, employer=demo_social.organisation,
            last_name=demo_social.last_name, first_name=demo_social.first_name,
            qualification=Qualification.HIGHER, category=Category.FIRST,
            services=[Service.HOME_CARE, Service.SOCIAL_REHABILITATION, Service.ESCORT],
            languages=[Language.KAZAKH, Language.RUSSIAN, Language.SIGN], capacity=8)
        worker.regions.set(Region.objects.filter(kato=ALMATY))
        _certify(worker, 1, today, state="valid")
        workers.append(worker)
    names = itertools.cycle(NAMES)
    serial = 2
    for region in Region.objects.order_by("kato"):
        employer = Organisation.objects.filter(code=f"AKIMAT-{region.kato}").first()
        if employer is None:
            continue
        for slot in range(2):
            last, first = next(names)
            index = serial
            worker = SocialWorker.objects.create(
                employer=employer, last_name=last, first_name=first,
                patronymic=MARK, qualification=[Qualification.HIGHER,
                                                Qualification.VOCATIONAL][index % 2],
                category=[Category.HIGHEST, Category.FIRST, Category.SECOND,
                          Category.NONE][index % 4],
                services=SERVICE_SETS[index % 4], languages=LANGUAGE_SETS[index % 4],
                # Two workers of Almaty and Astana take two recipients only: they fill up.
                capacity=2 if slot == 1 and region.kato in (ALMATY, ASTANA) else 6 + index % 5)
            worker.regions.set([region])
            state = "expired" if index % 9 == 0 else "none" if index % 13 == 0 else "valid"
            _certify(worker, serial, today, state=state)
            workers.append(worker)
            serial += 1
    return workers


def _serve(workers: list[SocialWorker], today: dt.date) -> None:
    """Assign demo persons to certified workers of their region within capacity; log
    visits, most confirmed; the served rate."""
    recipient = Person.objects.filter(account__username="demo.recipient").first()
    # Not those who live in a residential home or stay in one: its staff look after them.
    persons = list(Person.objects.filter(address__endswith=MARK).exclude(
        care_placements__form__in=["residential", "temporary"],
        care_placements__end__isnull=True).order_by("pk")[:160])
    if recipient is not None and recipient not in persons:
        persons.insert(0, recipient)
    certified = [w for w in workers if w.certificate_on(today) is not None]
    by_region: dict[int, list[SocialWorker]] = {}
    for worker in certified:
        for region in worker.regions.all():
            by_region.setdefault(region.pk, []).append(worker)
    load = {w.pk: 0 for w in certified}
    # Every worker but the two meant to be full keeps two places free: a recipient can
    # still choose one.
    room = {w.pk: w.capacity if w.capacity <= 2 else w.capacity - 2 for w in certified}
    for number, person in enumerate(persons):
        candidates = [w for w in by_region.get(person.region_id, [])
                      if load[w.pk] < room[w.pk]]
        if person == recipient:
            candidates = [w for w in candidates if w.account_id is not None] or candidates
        if not candidates:
            continue
        worker = candidates[number % len(candidates)]
        load[worker.pk] += 1
        start = today - dt.timedelta(days=20 + (number * 11) % 200)
        assignment = Assignment.objects.create(worker=worker, person=person, start=start,
                                               chosen_by=person.account)
        visits = 1 + number % 4
        for step in range(visits):
            day = min(start + dt.timedelta(days=7 * (step + 1)), today)
            # The latest visit of every fifth person, and the demo recipient's, waits.
            waiting = step == visits - 1 and (number % 5 == 0 or person == recipient)
            Visit.objects.create(
                assignment=assignment, date=day, minutes=[45, 60, 90, 120][step % 4],
                services=worker.services[: 1 + step % len(worker.services)],
                logged_by=worker.account,
                confirmed_at=None if waiting else timezone.make_aware(
                    dt.datetime.combine(day, dt.time(18))),
                confirmed_by=None if waiting else person.account)
        if number % 3 != 0 and not (visits == 1 and (number % 5 == 0 or person == recipient)):
            WorkerRating.objects.create(worker=worker, person=person,
                                        stars=[5, 4, 5, 3, 4][number % 5])


def _volunteers(workers: list[SocialWorker], today: dt.date) -> None:
    almaty = Region.objects.filter(kato=ALMATY).first()
    demo_worker = next((w for w in workers if w.account_id is not None), None)
    account = User.objects.filter(username="demo.volunteer").first()
    specs = [("Сейтжанов", "Арман", account), ("Ахметова", "Динара", None)]
    if almaty is None:
        return
    made = []
    for number, (last, first, user) in enumerate(specs):
        made.append(Volunteer.objects.create(
            last_name=last, first_name=first, patronymic=MARK,
            phone=f"+7 701 000 00 {number:02d}", region=almaty,
            organisation=demo_worker.employer if demo_worker else None,
            training="Курс «Помощь людям с инвалидностью на дому», 36 часов " + MARK,
            trained_on=today - dt.timedelta(days=200), account=user))
    if demo_worker is None:
        return
    for volunteer in made:
        VolunteerLink.objects.create(worker=demo_worker, volunteer=volunteer,
                                     start=today - dt.timedelta(days=90))
        for week in range(1, 6):
            VolunteerHours.objects.create(
                volunteer=volunteer, worker=demo_worker,
                date=today - dt.timedelta(days=7 * week), hours=Decimal("3.0"),
                activity="Сопровождение в поликлинику " + MARK)


def _assistants(today: dt.date) -> None:
    item = CatalogueItem.objects.filter(code=PERSONAL_ASSISTANT).first()
    if item is None:
        return
    recipient = Person.objects.filter(account__username="demo.recipient").first()
    others = list(Person.objects.filter(address__endswith=MARK, region__kato__in=[ALMATY,
                                                                                 ASTANA])
                  .exclude(account__username="demo.recipient").order_by("pk")[10:12])
    chosen = ([recipient] if recipient is not None else []) + others
    first_of_month = today.replace(day=1)
    previous = (first_of_month - dt.timedelta(days=1)).replace(day=1)
    for serial, person in enumerate(chosen):
        ipr = Ipr.objects.filter(person=person).filter(
            open_on(today, "valid_from", "valid_to")).order_by("-version").first()
        if ipr is None or ipr.valid_from > previous:
            continue
        Entitlement.objects.get_or_create(ipr=ipr, item=item,
                                          defaults={"quantity": item.yearly_quantity or 2000})
        born = dt.date(1970 + serial, 3 + serial, 10)
        sex = "female" if person.sex == "male" else "male"
        assistant = Person.objects.create(
            iin=make_iin(born, sex, 7700 + serial * 20),
            last_name=person.last_name if sex == person.sex else (
                person.last_name + "а" if sex == "female" else person.last_name.rstrip("а")),
            first_name=["Айгуль", "Марат", "Жанна"][serial % 3], birth_date=born, sex=sex,
            region=person.region, kato=person.kato, address=person.address,
            language=person.language)
        family = Family.objects.create(name=f"Семья {person.last_name} {MARK}")
        FamilyMember.objects.create(family=family, person=person, role=FamilyMember.Role.HEAD)
        FamilyMember.objects.create(family=family, person=assistant,
                                    role=FamilyMember.Role.SPOUSE)
        registration = FamilyAssistant.objects.create(
            assistant=assistant, recipient=person, relationship=FamilyMember.Role.SPOUSE,
            registered_on=previous, hourly_rate=Decimal("1500"))
        day = previous
        while day < today:
            if day.weekday() < 5:
                # This month's last days wait for the recipient's confirmation.
                waiting = day >= today - dt.timedelta(days=4)
                AssistantHours.objects.create(
                    assistant=registration, date=day, hours=Decimal("4.0"),
                    confirmed_at=None if waiting else timezone.make_aware(
                        dt.datetime.combine(day, dt.time(20))),
                    confirmed_by=None if waiting else person.account)
            day += dt.timedelta(days=1)
        build_payment(registration, previous.year, previous.month)


@transaction.atomic
def load_demo() -> str:
    """Load once (the demo certificates mark it); the summary counts what there is, so a
    second run prints the same line."""
    today = timezone.localdate()
    if not Certificate.objects.filter(number__startswith="ДЕМО-СР-").exists() \
            and Region.objects.exists():
        with acting_as(label="load_demo"):
            workers = _workers(today)
            _serve(workers, today)
            _volunteers(workers, today)
            _assistants(today)
    certified = SocialWorker.objects.certified_on(today).count()
    return (f"social workers demo: {SocialWorker.objects.count()} workers "
            f"({certified} certified), {Assignment.objects.count()} assignments, "
            f"{Visit.objects.count()} visits, {WorkerRating.objects.count()} ratings, "
            f"{Volunteer.objects.count()} volunteers, "
            f"{FamilyAssistant.objects.count()} family assistants, "
            f"{AssistantPayment.objects.count()} payments")
