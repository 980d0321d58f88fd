"""Proactive rules: needs found in the registry before anyone applies.

Each rule is declared once, below: what it looks for (one set-based query), what sets it
off (the trigger key: the same trigger never notifies twice), what the person is told and
why, and who must act. A run evaluates every switched-on rule:

  full         over the whole registry;
  incremental  only over persons whose records changed since the last run (read from the
               audit log), plus records whose time condition became true since then (an
               ИПР that turned 30 days old yesterday is found today without any change).

Each new hit becomes an offer to the person, in their language and preferred format,
with «why am I seeing this», and a task for the person's case manager or the akimat.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override

from tendik.cases.models import (
    Case,
    Enrolment,
    Hit,
    JobSearch,
    ProactiveOffer,
    Rule,
    RuleRun,
    Task,
)
from tendik.core.bulk import insert_rows, read_rows
from tendik.core.models import AuditEvent, Organisation
from tendik.people.models import DisabilityRecord, Person
from tendik.portal.models import CatalogueItem, Entitlement, Order
from tendik.portal.reimbursement import months_before

CHUNK = 5000  # rows read from the database at a time, and new hits written a transaction
WRITERS = 2  # threads writing new hits on PostgreSQL (HitWriter)
TASK_DAYS = 10  # the responsible body answers a hit within ten days


@dataclass(frozen=True)
class Candidate:
    person_id: int
    region_id: int
    key: str
    facts: dict[str, Any]


@dataclass(frozen=True)
class Window:
    """What a run looks at: the day, the day of the previous run (incremental), and the
    persons whose records changed since then."""

    as_of: dt.date
    since: dt.date | None = None
    persons: frozenset[int] | None = None

    @property
    def incremental(self) -> bool:
        return self.since is not None

    def limit(self, rows: models.QuerySet, person_path: str,
              crossed: models.Q | None) -> Iterator[dict[str, Any]]:
        """Rows of a rule's query this run must look at: all of them in a full run; in
        an incremental one, those whose time condition was crossed since the last run,
        and those of persons whose records changed."""
        if not self.incremental:
            yield from read_rows(rows, CHUNK)
            return
        seen: set[Any] = set()
        if crossed is not None:
            for row in read_rows(rows.filter(crossed), CHUNK):
                seen.add(row["pk"])
                yield row
        if self.persons:
            for row in rows.filter(**{f"{person_path}__any": list(self.persons)}):
                if row["pk"] not in seen:
                    yield row


def message_args(facts: dict[str, Any], language: str) -> dict[str, Any]:
    """A hit's facts as its messages' arguments: `item` is the aid's name in the
    message's language (the facts keep its code)."""
    if "name_ru" not in facts:
        return facts
    return {**facts, "item": facts.get(f"name_{language}") or facts["name_ru"]}


@dataclass(frozen=True)
class RuleSpec:
    code: str
    names: dict[str, str]
    responsible: str
    parameters: dict[str, Any]
    # Models whose changes may set the rule off, with the path from them to the person.
    watch: dict[str, str]
    find: Callable[[RuleSpec, Window, dict[str, Any]], Iterable[Candidate]]
    # What the person is told and why: messages translated into the person's language,
    # then filled with `args` of the hit's facts.
    offer: str
    why: str
    args: Callable[[dict[str, Any], str], dict[str, Any]] = message_args


def current_disability(as_of: dt.date) -> models.Q:
    return models.Q(start__lte=as_of) & (models.Q(end__isnull=True) | models.Q(end__gte=as_of))


def years_before(day: dt.date, years: int) -> dt.date:
    return months_before(day, 12 * years)


# --- The rules ------------------------------------------------------------------------------

def find_entitlement_without_order(spec: RuleSpec, window: Window,
                                   params: dict[str, Any]) -> Iterator[Candidate]:
    days = int(params.get("days", 30))
    started_by = window.as_of - dt.timedelta(days=days)
    ordered = Order.objects.filter(entitlement=models.OuterRef("pk")).exclude(
        state__in=(Order.State.CANCELLED, Order.State.DECLINED))
    rows = (Entitlement.objects.filter(ipr__valid_from__lte=started_by)
            .filter(models.Q(ipr__valid_to__isnull=True)
                    | models.Q(ipr__valid_to__gte=window.as_of))
            .filter(~models.Exists(ordered)).order_by()
            .values("pk", "ipr__person_id", "ipr__person__region_id", "ipr__valid_from",
                    "item__code", "item__name_ru", "item__name_kk", "item__name_en"))
    crossed = None if window.since is None else models.Q(
        ipr__valid_from__gt=window.since - dt.timedelta(days=days))
    for row in window.limit(rows, "ipr__person_id", crossed):
        yield Candidate(row["ipr__person_id"], row["ipr__person__region_id"],
                        f"ent:{row['pk']}", {
                            "item": row["item__code"], "days": days,
                            "started": row["ipr__valid_from"].isoformat(),
                            "name_ru": row["item__name_ru"], "name_kk": row["item__name_kk"],
                            "name_en": row["item__name_en"]})


def local_midnight(day: dt.date) -> dt.datetime:
    """The start of a local day, to compare timestamps with an index instead of casting
    each row's timestamp to a date."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def find_aid_past_replacement(spec: RuleSpec, window: Window,
                              params: dict[str, Any]) -> Iterator[Candidate]:
    later = Order.objects.filter(person_id=models.OuterRef("person_id"),
                                 item_id=models.OuterRef("item_id"),
                                 state=Order.State.RECEIVED,
                                 received_at__gt=models.OuterRef("received_at"))
    terms = (CatalogueItem.objects.filter(yearly_quantity__isnull=True).order_by()
             .values_list("replacement_months", flat=True).distinct())
    for months in sorted(set(terms)):
        due = months_before(window.as_of, months)
        rows = (Order.objects.filter(state=Order.State.RECEIVED,
                                     item__yearly_quantity__isnull=True,
                                     item__replacement_months=months,
                                     received_at__lt=local_midnight(due + dt.timedelta(1)))
                .filter(~models.Exists(later)).order_by()
                .values("pk", "person_id", "region_id", "received_at", "item__code",
                        "item__name_ru", "item__name_kk", "item__name_en"))
        crossed = None if window.since is None else models.Q(
            received_at__gte=local_midnight(months_before(window.since, months)
                                            + dt.timedelta(1)))
        for row in window.limit(rows, "person_id", crossed):
            received = timezone.localtime(row["received_at"]).date()
            yield Candidate(row["person_id"], row["region_id"], f"repl:{row['pk']}", {
                "item": row["item__code"], "months": months,
                "received": received.isoformat(),
                "name_ru": row["item__name_ru"], "name_kk": row["item__name_kk"],
                "name_en": row["item__name_en"]})


def school_year(day: dt.date) -> int:
    return day.year if day.month >= 9 else day.year - 1


def find_child_not_in_education(spec: RuleSpec, window: Window,
                                params: dict[str, Any]) -> Iterator[Candidate]:
    youngest, oldest = int(params.get("from_age", 6)), int(params.get("to_age", 17))
    born_after = years_before(window.as_of, oldest + 1)
    born_by = years_before(window.as_of, youngest)
    enrolled = Enrolment.objects.filter(person_id=models.OuterRef("pk"),
                                        start__lte=window.as_of).filter(
        models.Q(end__isnull=True) | models.Q(end__gte=window.as_of))
    child = DisabilityRecord.objects.filter(current_disability(window.as_of),
                                            person_id=models.OuterRef("pk"),
                                            group=DisabilityRecord.Group.CHILD)
    rows = (Person.objects.filter(birth_date__gt=born_after, birth_date__lte=born_by)
            .filter(models.Exists(child)).filter(~models.Exists(enrolled)).order_by()
            .values("pk", "region_id", "birth_date"))
    crossed = None if window.since is None else models.Q(
        birth_date__gt=years_before(window.since, youngest))
    year = school_year(window.as_of)
    for row in window.limit(rows, "pk", crossed):
        yield Candidate(row["pk"], row["region_id"], f"edu:{row['pk']}:{year}", {
            "school_year": f"{year}/{year + 1}", "born": row["birth_date"].isoformat()})


def find_long_job_seeker(spec: RuleSpec, window: Window,
                         params: dict[str, Any]) -> Iterator[Candidate]:
    days = int(params.get("days", 90))
    registered_by = window.as_of - dt.timedelta(days=days)
    disabled = DisabilityRecord.objects.filter(
        current_disability(window.as_of), person_id=models.OuterRef("person_id")).exclude(
        group=DisabilityRecord.Group.CHILD)
    # Working age: from 18 to the pension age (63 for men, 61 for women).
    working_age = (models.Q(person__birth_date__lte=years_before(window.as_of, 18))
                   & ((models.Q(person__sex="male")
                       & models.Q(person__birth_date__gt=years_before(window.as_of, 63)))
                      | (models.Q(person__sex="female")
                         & models.Q(person__birth_date__gt=years_before(window.as_of, 61)))))
    rows = (JobSearch.objects.filter(ended_on__isnull=True,
                                     registered_on__lte=registered_by)
            .filter(working_age).filter(models.Exists(disabled)).order_by()
            .values("pk", "person_id", "person__region_id", "registered_on"))
    crossed = None if window.since is None else models.Q(
        registered_on__gt=window.since - dt.timedelta(days=days))
    for row in window.limit(rows, "person_id", crossed):
        yield Candidate(row["person_id"], row["person__region_id"], f"job:{row['pk']}", {
            "registered": row["registered_on"].isoformat(), "days": days})


def find_group_one_without_assistant(spec: RuleSpec, window: Window,
                                     params: dict[str, Any]) -> Iterator[Candidate]:
    from tendik.workforce.models import FamilyAssistant

    assisted = FamilyAssistant.objects.filter(recipient_id=models.OuterRef("person_id")) \
        .filter(models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=window.as_of))
    in_family = models.Q(person__families__isnull=False)
    rows = (DisabilityRecord.objects.filter(current_disability(window.as_of),
                                            group=DisabilityRecord.Group.GROUP_1)
            .filter(in_family).filter(~models.Exists(assisted)).order_by()
            .values("pk", "person_id", "person__region_id", "start").distinct())
    crossed = None if window.since is None else models.Q(start__gt=window.since)
    for row in window.limit(rows, "person_id", crossed):
        yield Candidate(row["person_id"], row["person__region_id"],
                        f"assist:{row['person_id']}:{row['pk']}", {
                            "since": row["start"].isoformat()})


def find_reexamination_due(spec: RuleSpec, window: Window,
                           params: dict[str, Any]) -> Iterator[Candidate]:
    days = int(params.get("days", 60))
    rows = (DisabilityRecord.objects.filter(current_disability(window.as_of))
            .filter(reexamination__gte=window.as_of,
                    reexamination__lte=window.as_of + dt.timedelta(days=days)).order_by()
            .values("pk", "person_id", "person__region_id", "reexamination"))
    crossed = None if window.since is None else models.Q(
        reexamination__gt=window.since + dt.timedelta(days=days))
    for row in window.limit(rows, "person_id", crossed):
        yield Candidate(row["person_id"], row["person__region_id"],
                        f"reexam:{row['pk']}:{row['reexamination'].isoformat()}", {
                            "date": row["reexamination"].isoformat(), "days": days})


RULES: list[RuleSpec] = [
    RuleSpec(
        code="entitlement-without-order",
        names={"ru": "Право по ИПР без заказа 30 дней",
               "kk": "ОЖБ бойынша құқық 30 күн бойы тапсырыссыз",
               "en": "ИПР entitlement with no order for 30 days"},
        responsible=Rule.Responsible.CASE_MANAGER, parameters={"days": 30},
        watch={"portal.entitlement": "ipr__person_id", "portal.order": "person_id",
               "portal.ipr": "person_id"},
        find=find_entitlement_without_order,
        offer=gettext_noop("Your programme grants you «%(item)s». You can choose it and its "
                           "supplier yourself on the portal; a social worker can help you."),
        why=gettext_noop("Your ИПР started on %(started)s and grants «%(item)s». No order "
                         "has been placed for it in %(days)s days.")),
    RuleSpec(
        code="aid-past-replacement-term",
        names={"ru": "Средство реабилитации отслужило срок",
               "kk": "Оңалту құралының пайдалану мерзімі өтті",
               "en": "Aid past its replacement term"},
        responsible=Rule.Responsible.AKIMAT, parameters={},
        watch={"portal.order": "person_id"},
        find=find_aid_past_replacement,
        offer=gettext_noop("«%(item)s» you received is due for replacement. Ask for a new "
                           "one under your ИПР."),
        why=gettext_noop("You received «%(item)s» on %(received)s; its replacement term is "
                         "%(months)s months.")),
    RuleSpec(
        code="child-not-in-education",
        names={"ru": "Ребёнок с инвалидностью не охвачен образованием",
               "kk": "Мүгедектігі бар бала біліммен қамтылмаған",
               "en": "Child with a disability not in education"},
        responsible=Rule.Responsible.CASE_MANAGER, parameters={"from_age": 6, "to_age": 17},
        watch={"people.person": "pk", "people.disabilityrecord": "person_id",
               "cases.enrolment": "person_id"},
        find=find_child_not_in_education,
        offer=gettext_noop("Your child can study at school, at home or inclusively with "
                           "support. The akimat's education department will help choose."),
        why=gettext_noop("No enrolment in education is recorded for the %(year)s school "
                         "year."),
        args=lambda facts, _language: {"year": facts["school_year"]}),
    RuleSpec(
        code="long-job-seeker",
        names={"ru": "Ищет работу более 90 дней",
               "kk": "90 күннен астам жұмыс іздеуде",
               "en": "Job seeker for over 90 days"},
        responsible=Rule.Responsible.CASE_MANAGER, parameters={"days": 90},
        watch={"cases.jobsearch": "person_id", "people.disabilityrecord": "person_id"},
        find=find_long_job_seeker,
        offer=gettext_noop("You can have a job within the 2–4 % quota for persons with "
                           "disabilities, subsidised workplaces or training. The employment "
                           "centre will offer vacancies."),
        why=gettext_noop("You registered as a job seeker on %(registered)s, more than "
                         "%(days)s days ago.")),
    RuleSpec(
        code="group-one-without-assistant",
        names={"ru": "Член семьи с I группой без помощника",
               "kk": "I топтағы отбасы мүшесі көмекшісіз",
               "en": "Family member with group I and no assistant"},
        responsible=Rule.Responsible.AKIMAT, parameters={},
        watch={"people.disabilityrecord": "person_id", "people.familymember": "person_id",
               "workforce.familyassistant": "recipient_id"},
        find=find_group_one_without_assistant,
        offer=gettext_noop("A family member can be registered as your paid individual "
                           "assistant, or a social worker can help at home."),
        why=gettext_noop("You have disability group I since %(since)s and no individual "
                         "assistant is registered.")),
    RuleSpec(
        code="reexamination-due",
        names={"ru": "Переосвидетельствование в ближайшие 60 дней",
               "kk": "Қайта куәландыру алдағы 60 күнде",
               "en": "Re-examination due within 60 days"},
        responsible=Rule.Responsible.AKIMAT, parameters={"days": 60},
        watch={"people.disabilityrecord": "person_id"},
        find=find_reexamination_due,
        offer=gettext_noop("Your re-examination is due on %(date)s. Book it in advance; "
                           "documents can be collected without a visit."),
        why=gettext_noop("Your disability record sets re-examination for %(date)s, within "
                         "%(days)s days.")),
]
BY_CODE = {spec.code: spec for spec in RULES}


@transaction.atomic
def load_rules() -> int:
    """The rules' rows; a rule switched off by the ministry stays off."""
    created = 0
    for spec in RULES:
        _rule, made = Rule.objects.get_or_create(code=spec.code, defaults={
            "name_ru": spec.names["ru"], "name_kk": spec.names["kk"],
            "name_en": spec.names["en"], "responsible": spec.responsible,
            "parameters": spec.parameters})
        created += made
    return created


def changed_persons(since: dt.datetime, specs: list[RuleSpec]) -> frozenset[int]:
    """Persons whose watched records changed since the last run, from the audit log."""
    persons: set[int] = set()
    watched: dict[str, set[str]] = {}
    for spec in specs:
        for label, path in spec.watch.items():
            watched.setdefault(label, set()).add(path)
    from django.apps import apps

    for label, paths in watched.items():
        ids = list(AuditEvent.objects.filter(at__gte=since, model=label)
                   .values_list("object_id", flat=True).distinct())
        if not ids:
            continue
        model = apps.get_model(label)
        for path in paths:
            persons.update(p for p in model._default_manager.filter(pk__any=ids)
                           .values_list(path, flat=True) if p)
    return frozenset(persons)


@dataclass
class RunResult:
    run: RuleRun
    by_rule: dict[str, int]


def run_rules(as_of: dt.date | None = None, *, incremental: bool = True) -> RunResult:
    """Evaluate the switched-on rules and act on the new hits."""
    load_rules()
    as_of = as_of or timezone.localdate()
    started = time.perf_counter()
    previous = RuleRun.objects.filter(finished_at__isnull=False).order_by(
        "-started_at").first()
    rules = {r.code: r for r in Rule.objects.filter(enabled=True)}
    specs = [s for s in RULES if s.code in rules]
    window = Window(as_of)
    if incremental and previous is not None:
        window = Window(as_of, previous.as_of, changed_persons(previous.started_at, specs))
    run = RuleRun.objects.create(as_of=as_of, incremental=window.incremental,
                                 persons_checked=len(window.persons)
                                 if window.persons is not None else None)
    akimats = dict(Organisation.objects.filter(kind=Organisation.Kind.AKIMAT)
                   .values_list("region_id", "pk"))
    writer = HitWriter(run, akimats)
    try:
        for spec in specs:
            rule = rules[spec.code]
            params = {**spec.parameters, **rule.parameters}
            batch: list[Candidate] = []
            # Triggers already hit are skipped here rather than by the unique constraint:
            # a full run then writes only what is new.
            known = set(Hit.objects.filter(rule=rule).values_list("key", flat=True))
            for candidate in spec.find(spec, window, params):
                if candidate.key in known:
                    continue
                known.add(candidate.key)
                batch.append(candidate)
                if len(batch) >= CHUNK:
                    writer.write(batch, rule, spec)
                    batch = []
            writer.write(batch, rule, spec)
    finally:
        made = writer.finish()
    by_rule = {spec.code: made[spec.code] for spec in specs}
    run.hits = sum(by_rule.values())
    run.finished_at = timezone.now()
    run.seconds = time.perf_counter() - started
    run.save()
    return RunResult(run, by_rule)


def fill(message: str, args: dict[str, Any]) -> str:
    """A translated message with its arguments. A message without named placeholders is
    plain text, as gettext reads it, and may hold a literal «%». Dates, which the facts
    keep as ISO text, read as dd.mm.yyyy."""
    if "%(" not in message:
        return message
    return message % {key: _as_read(value) for key, value in args.items()}


def _as_read(value: Any) -> Any:
    if isinstance(value, str) and len(value) == 10 and value[4] == value[7] == "-":
        try:
            return dt.date.fromisoformat(value).strftime("%d.%m.%Y")
        except ValueError:
            return value
    return value


def offer_format(needs: list[str]) -> str:
    for need in ("sign_language", "braille", "easy_read", "large_print"):
        if need in (needs or []):
            return need
    return ProactiveOffer.Format.STANDARD


class HitWriter:
    """Writes the chunks of new hits a run finds, each chunk in a transaction of its own.

    On PostgreSQL, outside a caller's transaction, WRITERS threads write them, each on a
    connection of its own, while the run goes on reading the rules' rows: the database
    checks the new rows' foreign keys and fills their indexes on the second core instead
    of after the reading. Otherwise (SQLite has one writer at a time; rows of a caller's
    transaction are not seen by other connections) the chunks are written in turn."""

    def __init__(self, run: RuleRun, akimats: dict[int, int]) -> None:
        self.run, self.akimats = run, akimats
        self.made: Counter[str] = Counter()
        self.pending: list[tuple[str, Future[int]]] = []
        self.pool: ThreadPoolExecutor | None = None
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            self.pool = ThreadPoolExecutor(WRITERS, thread_name_prefix="rules-writer")

    def write(self, batch: list[Candidate], rule: Rule, spec: RuleSpec) -> None:
        if not batch:
            return
        if self.pool is None:
            self.made[spec.code] += persist(batch, self.run, rule, spec, self.akimats)
            return
        # At most WRITERS chunks wait to be written: memory stays bounded, and a failed
        # chunk stops the run at the next one.
        running = [future for _code, future in self.pending if not future.done()]
        if len(running) >= WRITERS:
            wait(running, return_when=FIRST_COMPLETED)
        self.collect(done_only=True)
        self.pending.append((spec.code, self.pool.submit(self.persist_apart, batch, rule,
                                                         spec)))

    def persist_apart(self, batch: list[Candidate], rule: Rule, spec: RuleSpec) -> int:
        try:
            return persist(batch, self.run, rule, spec, self.akimats)
        finally:
            connection.close()  # this thread's own connection

    def collect(self, done_only: bool = False) -> None:
        waiting = []
        for code, future in self.pending:
            if done_only and not future.done():
                waiting.append((code, future))
            else:
                self.made[code] += future.result()  # a chunk's error is raised here
        self.pending = waiting

    def finish(self) -> Counter[str]:
        if self.pool is not None:
            self.pool.shutdown(wait=True)
            self.collect()
        return self.made


def persist(batch: list[Candidate], run: RuleRun, rule: Rule, spec: RuleSpec,
            akimats: dict[int, int]) -> int:
    """Write a chunk of new hits with their offers and tasks, all or nothing: a hit is
    never left without the offer it owes the person."""
    if not batch:
        return 0
    with transaction.atomic():
        try:
            keys = insert_rows(Hit, ("rule_id", "key", "person_id", "region_id", "facts",
                                     "run_id"),
                               [(rule.pk, c.key, c.person_id, c.region_id, c.facts, run.pk)
                                for c in batch])
            new = list(zip(keys, batch, strict=True))
        except IntegrityError:
            # Another run took some of these triggers meanwhile: keep only ours.
            Hit.objects.bulk_create(
                [Hit(rule=rule, key=c.key, person_id=c.person_id, region_id=c.region_id,
                     facts=c.facts, run=run) for c in batch], ignore_conflicts=True)
            ours = dict(Hit.objects.filter(run=run, rule=rule,
                                           key__in=[c.key for c in batch])
                        .values_list("key", "pk"))
            new = [(ours[c.key], c) for c in batch if c.key in ours]
        act_on(new, spec, run.as_of, akimats)
    return len(new)


def act_on(hits: list[tuple[int, Candidate]], spec: RuleSpec, as_of: dt.date,
           akimats: dict[int, int]) -> None:
    """An offer to the person and a task to the responsible body for each new hit."""
    person_ids = list({c.person_id for _hit, c in hits})
    persons = {pk: (language or "kk", needs) for pk, language, needs in
               Person.objects.filter(pk__any=person_ids).order_by()
               .values_list("pk", "language", "communication_needs")}
    managers: dict[int, int] = {}
    if spec.responsible == Rule.Responsible.CASE_MANAGER:
        managers = dict(Case.objects.filter(person_id__any=person_ids).exclude(
            state=Case.State.CLOSED).order_by().values_list("person_id", "manager_id"))
    by_language: dict[str, list[tuple[int, Candidate]]] = {}
    for hit, c in hits:
        by_language.setdefault(persons[c.person_id][0], []).append((hit, c))
    offers: list[tuple[Any, ...]] = []
    for language, in_language in by_language.items():
        with override(language):  # each message translated once a chunk and language
            offer, why = _(spec.offer), _(spec.why)
        for hit, c in in_language:
            args = spec.args(c.facts, language)
            offers.append((hit, language, offer_format(persons[c.person_id][1]),
                           fill(offer, args), fill(why, args)))
    insert_rows(ProactiveOffer, ("hit_id", "language", "format", "text", "why"), offers)
    due = as_of + dt.timedelta(days=TASK_DAYS)
    insert_rows(Task, ("hit_id", "region_id", "assignee_id", "organisation_id", "due"),
                [(hit, c.region_id, managers.get(c.person_id),
                  None if c.person_id in managers else akimats.get(c.region_id), due)
                 for hit, c in hits])
