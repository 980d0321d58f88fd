"""Demonstration facilities consistent with Section 2 of the decree: 247 railway stations
of which 91 meet the national standard (210 with ramps, 34 with special toilets, 38 with
yellow-marked steps, 58 with marked waiting places), 36 bus terminals (27 meeting it),
105 bus stations (67), 18 airports (all adapted), placed in the regions; and a few hundred
other facilities with approved passports. The dashboard counts all of it from the
passports' findings, not from these constants. Never loaded on a production database:
every name says «демо».
"""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone, translation

from tendik.access import clusters
from tendik.access.assessment import Access, Assessment, Category, assess
from tendik.access.contributions import clean_photo, flag_disagreement
from tendik.access.models import (
    AdaptationItem,
    AdaptationPlan,
    Criterion,
    Facility,
    FacilityType,
    Level,
    Moderation,
    Passport,
    PassportAnswer,
    Photo,
    ProblemReport,
    Review,
    WorkType,
    result_json,
)
from tendik.access.services import meets_standard
from tendik.core.audit import acting_as
from tendik.core.models import Organisation, Region, Role, User

MARK = "(демо)"
RAMP_CRITERIA = ("ramp-slope", "ramp-width", "ramp-landings", "ramp-handrails",
                 "ramp-edge-protection")
TOILET_CRITERIA = ("toilet-cubicle-size", "toilet-cubicle-depth", "toilet-door-width",
                   "toilet-grab-bars", "washbasin-height", "toilet-emergency-call",
                   "toilet-signage")


@dataclass
class Profile:
    """What the commission found, as departures from a facility where everything passes."""

    ramp: bool = True
    meets: bool = True
    toilet: bool = True
    marked_steps: bool = True
    waiting_places: bool = True
    assistance: bool = True
    extra_failures: list[str] = field(default_factory=list)


def passing(criterion: Criterion) -> Decimal | bool:
    if not criterion.measured or criterion.threshold is None:
        return True
    if criterion.comparator == "<=":
        return (criterion.threshold * Decimal("0.75")).quantize(Decimal("0.01"))
    return (criterion.threshold * Decimal("1.1")).quantize(Decimal("0.01"))


def failing(criterion: Criterion) -> Decimal | bool:
    if not criterion.measured or criterion.threshold is None:
        return False
    if criterion.code == "ramp-slope":
        return Decimal(10)  # 1:10
    if criterion.comparator == "<=":
        return (criterion.threshold * Decimal("1.5")).quantize(Decimal("0.01"))
    return (criterion.threshold * Decimal("0.85")).quantize(Decimal("0.01"))


def findings(criteria: dict[str, Criterion], profile: Profile) -> dict[str, Decimal | bool | None]:
    answers: dict[str, Decimal | bool | None] = {code: passing(c) for code, c in criteria.items()}
    if not profile.ramp:
        for code in RAMP_CRITERIA:
            answers[code] = None  # no ramp: nothing to measure
        answers["step-free-entrance"] = profile.meets
        answers["portable-ramp"] = False
    if not profile.toilet:
        answers["accessible-toilet"] = False
        for code in TOILET_CRITERIA:
            answers[code] = None
    answers["step-contrast-marking"] = profile.marked_steps
    answers["waiting-places-marked"] = profile.waiting_places
    if not profile.meets and profile.ramp:
        answers["ramp-slope"] = failing(criteria["ramp-slope"])
    for code in profile.extra_failures:
        answers[code] = failing(criteria[code])
    if not profile.assistance:
        for code, criterion in criteria.items():
            if criterion.assistance:
                answers[code] = False
    return answers


def spread(count: int, regions: list[Region], rng: random.Random) -> list[Region]:
    """Regions for `count` facilities: every region has some, the rest at random."""
    placed = [regions[i % len(regions)] for i in range(count)]
    rng.shuffle(placed)
    return placed


def station_profiles(total: int, meeting: int, ramps: int, toilets: int, steps: int,
                     waiting: int, rng: random.Random) -> list[Profile]:
    order = list(range(total))
    rng.shuffle(order)
    with_ramp = set(order[:ramps])
    meets = set(rng.sample(sorted(with_ramp), meeting))  # a compliant station has a ramp
    with_toilet = set(rng.sample(range(total), toilets))
    with_steps = set(rng.sample(range(total), steps))
    with_waiting = set(rng.sample(range(total), waiting))
    profiles = []
    for i in range(total):
        profile = Profile(ramp=i in with_ramp, meets=i in meets, toilet=i in with_toilet,
                          marked_steps=i in with_steps, waiting_places=i in with_waiting)
        if not profile.meets:
            profile.assistance = rng.random() < 0.6
            if rng.random() < 0.4:
                profile.extra_failures.append("tactile-warning-strips")
        profiles.append(profile)
    return profiles


OTHER_TYPES = [FacilityType.SCHOOL, FacilityType.KINDERGARTEN, FacilityType.COLLEGE,
               FacilityType.UNIVERSITY, FacilityType.HEALTH, FacilityType.PHARMACY,
               FacilityType.SHOP, FacilityType.MARKET, FacilityType.CINEMA,
               FacilityType.MUSEUM, FacilityType.THEATRE, FacilityType.SPORTS,
               FacilityType.GOVERNMENT, FacilityType.SOCIAL, FacilityType.BANK,
               FacilityType.POST, FacilityType.HOTEL, FacilityType.FOOD, FacilityType.PARK]


def other_profile(rng: random.Random) -> Profile | None:
    """A mix of statuses; None: no approved passport yet."""
    draw = rng.random()
    if draw < 0.15:
        return None
    if draw < 0.30:
        return Profile()
    if draw < 0.60:
        return Profile(toilet=rng.random() < 0.5, marked_steps=rng.random() < 0.5,
                       waiting_places=rng.random() < 0.5,
                       extra_failures=rng.sample(["glass-door-marking", "induction-loop",
                                                  "easy-read-information", "paths-lighting",
                                                  "large-contrast-signs"], 2))
    if draw < 0.85:
        return Profile(meets=False, assistance=True, extra_failures=rng.sample([
            "door-clear-width", "threshold-height", "lift-to-service-floor",
            "tactile-warning-strips", "visual-alarm"], 2))
    return Profile(meets=False, assistance=False, extra_failures=rng.sample([
        "door-clear-width", "lift-to-service-floor", "visual-alarm",
        "accessible-route-to-entrance"], 2))


TRANSPORT = [
    # type, how many, meeting the standard, Russian and Kazakh names
    (FacilityType.RAILWAY_STATION, 247, 91, "Железнодорожный вокзал", "Теміржол вокзалы"),
    (FacilityType.BUS_TERMINAL, 36, 27, "Автовокзал", "Автовокзал"),
    (FacilityType.BUS_STATION, 105, 67, "Автостанция", "Автостанция"),
    (FacilityType.AIRPORT, 18, 18, "Аэропорт", "Әуежай"),
]
OTHER_COUNT = 320


@transaction.atomic
def load_demo() -> str:
    if Facility.objects.filter(name_ru__endswith=MARK).exists():
        return "accessibility demo: already there"
    criteria = {c.code: c for c in Criterion.objects.all()}
    if not criteria:
        return "accessibility demo: no passport criteria (run load_criteria first)"
    rng = random.Random(326)
    regions = list(Region.objects.order_by("kato"))
    akimats = {o.region_id: o for o in Organisation.objects.filter(
        kind=Organisation.Kind.AKIMAT)}
    planned: list[tuple[Facility, Profile | None]] = []
    for kind, total, meeting, name_ru, name_kk in TRANSPORT:
        if kind == FacilityType.RAILWAY_STATION:
            profiles = station_profiles(total, meeting, ramps=210, toilets=34, steps=38,
                                        waiting=58, rng=rng)
        else:
            profiles = [Profile(meets=i < meeting, assistance=rng.random() < 0.6,
                                toilet=kind == FacilityType.AIRPORT or rng.random() < 0.6)
                        for i in range(total)]
            rng.shuffle(profiles)
        for number, (region, profile) in enumerate(zip(spread(total, regions, rng), profiles,
                                                       strict=True), start=1):
            planned.append((place(region, kind, number, name_ru, name_kk, rng), profile))
    cities = [r for r in regions if r.kind == Region.Kind.CITY] or regions
    for number in range(1, OTHER_COUNT + 1):
        region = rng.choice(cities if rng.random() < 0.6 else regions)
        kind = rng.choice(OTHER_TYPES)
        with translation.override("ru"):
            name_ru = str(FacilityType(kind).label).capitalize()
        with translation.override("kk"):
            name_kk = str(FacilityType(kind).label).capitalize()
        planned.append((place(region, kind, number, name_ru, name_kk, rng,
                              spread_km=8 if region.kind == Region.Kind.CITY else 40),
                        other_profile(rng)))
    rules = [criterion.rule() for criterion in criteria.values()]
    approved_on = timezone.now() - dt.timedelta(days=30)
    passports: list[tuple[Passport, dict[str, Decimal | bool | None]]] = []
    for facility, found in planned:
        if found is None:
            continue  # no approved passport yet
        answers = findings(criteria, found)
        result = assess(rules, answers)
        apply_result(facility, result)
        passports.append((Passport(
            facility=facility, version=1, state=Passport.State.APPROVED,
            commission=akimats[facility.region_id],
            surveyed_on=timezone.localdate() - dt.timedelta(days=rng.randint(40, 400)),
            members="Демонстрационная комиссия акимата", approved_at=approved_on,
            status_code=result.code, result=result_json(result.zones)), answers))
    with acting_as(label="load_demo"):
        Facility.objects.bulk_create([facility for facility, _p in planned], batch_size=500)
        Passport.objects.bulk_create([p for p, _answers in passports], batch_size=500)
        insert_answers(passports, criteria)
        works = adaptation_plans(passports, rules, akimats, rng)
        said = user_contributions([f for f, found in planned if found is not None], rng)
    cells = clusters.rebuild()
    return (f"accessibility demo: {len(planned)} facilities, {len(passports)} approved "
            f"passports, {works} planned works, {said}, {cells} map cells")


def adaptation_plans(passports: list[tuple[Passport, dict[str, Decimal | bool | None]]],
                     rules: list[Any], akimats: dict[Any, Organisation],
                     rng: random.Random) -> int:
    """Every akimat plans last year's and this year's works on a few facilities the
    passports found wanting: last year's mostly done, this year's under way."""
    this_year = timezone.localdate().year
    wanting: dict[int, list[tuple[Facility, list[Any]]]] = {}
    for passport, answers in passports:
        needs = assess(rules, answers).needs
        if needs:
            wanting.setdefault(passport.facility.region_id, []).append(
                (passport.facility, needs))
    items = []
    for region_id, candidates in wanting.items():
        akimat = akimats[region_id]
        chosen = rng.sample(candidates, min(6, len(candidates)))
        for year, facilities in ((this_year - 1, chosen[:3]), (this_year, chosen[3:])):
            plan = AdaptationPlan.objects.create(akimat=akimat, year=year)
            for facility, needs in facilities:
                for work in sorted({n.work_type for n in needs})[:3]:
                    zones = sorted({n.zone.value for n in needs if n.work_type == work})
                    done = (year < this_year and rng.random() < 0.8) or rng.random() < 0.2
                    items.append(AdaptationItem(
                        plan=plan, facility=facility,
                        work_type=work if work in WorkType.values else WorkType.OTHER,
                        zones=",".join(zones), deadline=dt.date(year, rng.choice(
                            [6, 9, 12]), 30 if rng.random() < 0.5 else 1),
                        budget=Decimal(rng.randrange(500, 25000)) / 10,
                        responsible=f"{akimat.name_ru}",
                        state=AdaptationItem.State.DONE if done
                        else rng.choice([AdaptationItem.State.PLANNED,
                                         AdaptationItem.State.IN_PROGRESS]),
                        done_on=dt.date(year, 5, 15) if done else None))
    AdaptationItem.objects.bulk_create(items)
    return len(items)


def apply_result(facility: Facility, result: Assessment) -> None:
    facility.status_code, facility.level = result.code, Level(result.level)
    for category, status in result.categories.items():
        setattr(facility, f"access_{category.value.lower()}",
                None if status is None else int(status))
    facility.meets_standard = meets_standard(result)


def insert_answers(passports: list[tuple[Passport, dict[str, Decimal | bool | None]]],
                   criteria: dict[str, Criterion]) -> None:
    """Some fifty thousand findings: one executemany, as building them as model
    instances costs the demo most of its time."""
    table = PassportAnswer._meta.db_table
    rows = [(passport.pk, criteria[code].pk,
             value if criteria[code].measured else None,
             None if criteria[code].measured else bool(value), "")
            for passport, answers in passports for code, value in answers.items()
            if value is not None]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (passport_id, criterion_id, value, met, note) "  # noqa: S608
            "VALUES (%s, %s, %s, %s, %s)", rows)


def place(region: Region, kind: str, number: int, name_ru: str, name_kk: str,
          rng: random.Random, spread_km: float = 150) -> Facility:
    degrees = spread_km / 111
    latitude = float(region.latitude) + rng.uniform(-degrees, degrees) * 0.7
    longitude = float(region.longitude) + rng.uniform(-degrees, degrees)
    return Facility(
        name_ru=f"{name_ru} № {number}, {region.centre_ru} {MARK}",
        name_kk=f"{name_kk or name_ru} № {number}, {region.centre_kk} {MARK}",
        address_ru=f"{region.centre_ru}, ул. Демонстрационная, {number}",
        address_kk=f"{region.centre_kk}, Демонстрациялық к-сі, {number}",
        region=region, latitude=min(55.5, max(40.6, latitude)),
        longitude=min(87.3, max(46.5, longitude)), type=kind)


COMMENTS = {
    5: ["Всё удобно: пандус пологий, двери широкие, персонал помогает.",
        "Туалет для маломобильных открыт и чистый."],
    4: ["В целом доступно, но табличек со шрифтом Брайля нет.",
        "Пандус есть, но зимой его плохо чистят."],
    3: ["Пандус крутой, без помощи подняться трудно.",
        "Кнопка вызова есть, но на звонок отвечают не сразу."],
    2: ["Двери тяжёлые и узкие, коляска проходит с трудом.",
        "Лифт часто не работает."],
    1: ["На входе только ступени, пандуса нет.", "Доступного туалета нет."],
}
PICTURES = [  # what a demonstration picture shows, and its description
    ((40, 110, 60), "Демонстрационное изображение: пологий пандус с перилами у входа"),
    ((150, 40, 40), "Демонстрационное изображение: ступени у входа без пандуса"),
    ((30, 60, 150), "Демонстрационное изображение: тактильная плитка перед лестницей"),
    ((110, 80, 20), "Демонстрационное изображение: широкий дверной проём без порога"),
]


def demo_picture(colour: tuple[int, int, int], seed: int) -> bytes:
    """A simple drawing standing in for a user's photo: a slope and a door."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (800, 600), (230, 230, 225))
    draw = ImageDraw.Draw(image)
    draw.polygon([(80, 520), (520, 520), (520, 380 + seed % 60)], fill=colour)
    draw.rectangle([560, 180, 720, 520], outline=(20, 20, 20), width=8)
    draw.line([(80, 470), (520, 340 + seed % 60)], fill=(20, 20, 20), width=6)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


def user_contributions(facilities: list[Facility], rng: random.Random) -> str:
    """Registered users' ratings, comments, photos and problem reports: most published by
    the akimats' moderators, some still waiting in their queues."""
    authors = []
    for number in range(1, 9):
        author, created = User.objects.get_or_create(
            username=f"demo.resident.{number}",
            defaults={"role": Role.REGISTERED, "first_name": f"Житель {number}",
                      "email": f"resident.{number}@demo.tendik.local"})
        if created:
            author.set_unusable_password()
            author.save()
        authors.append(author)
    moderated_at = timezone.now() - dt.timedelta(days=3)
    reviews, photos, problems = [], [], []
    reviewed = rng.sample(facilities, min(220, len(facilities)))
    for facility in reviewed:
        pending = rng.random() < 0.1
        for author in rng.sample(authors, rng.randint(1, 3)):
            ratings = {}
            for category in Category:
                access = facility.access(category)
                if access is None or rng.random() < 0.4:
                    continue
                ratings[category] = max(1, min(5, int(access) + 2 + rng.choice([-1, 0, 0, 1])))
            score = round(sum(ratings.values()) / len(ratings)) if ratings else 3
            reviews.append(Review(
                facility=facility, author=author, comment=rng.choice(COMMENTS[score]),
                moderation=Moderation.PENDING if pending else Moderation.PUBLISHED,
                moderated_at=None if pending else moderated_at,
                **{f"rating_{c.value.lower()}": v for c, v in ratings.items()}))
    for number, facility in enumerate(rng.sample(facilities, min(24, len(facilities)))):
        colour, alt = PICTURES[number % len(PICTURES)]
        content = clean_photo(io.BytesIO(demo_picture(colour, number)), 1)
        photo = Photo(facility=facility, author=rng.choice(authors), alt_text=alt,
                      moderation=Moderation.PENDING if number % 6 == 0
                      else Moderation.PUBLISHED,
                      moderated_at=None if number % 6 == 0 else moderated_at)
        photo.image.save(content.name or "demo.jpg", content, save=False)
        photos.append(photo)
    kinds = [k.value for k in ProblemReport.Kind]
    for number, facility in enumerate(rng.sample(facilities, min(30, len(facilities)))):
        problems.append(ProblemReport(
            facility=facility, author=rng.choice(authors), kind=kinds[number % len(kinds)],
            description="Демонстрационное сообщение: проблема замечена посетителем.",
            expires_at=timezone.now() + dt.timedelta(days=rng.randint(2, 14)),
            moderation=Moderation.PENDING if number % 3 == 0 else Moderation.PUBLISHED,
            moderated_at=None if number % 3 == 0 else moderated_at))
    # Two facilities officially fully accessible for wheelchair users that users find
    # otherwise: the platform flags them for re-inspection.
    others = set(reviewed)
    disputed = [f for f in facilities
                if f.access(Category.K) == Access.FULL and f not in others][:2]
    for facility in disputed:
        reviews += [Review(facility=facility, author=author, rating_k=1,
                           comment="Пандус разобран на ремонт, вход только по ступеням.",
                           moderation=Moderation.PUBLISHED, moderated_at=moderated_at)
                    for author in authors]
    Review.objects.bulk_create(reviews)
    Photo.objects.bulk_create(photos)
    ProblemReport.objects.bulk_create(problems)
    for facility in disputed:
        flag_disagreement(Facility.objects.get(pk=facility.pk))
    return f"{len(reviews)} reviews, {len(photos)} photos, {len(problems)} problem reports"
