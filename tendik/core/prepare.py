"""Getting a database ready to serve: its schema, the reference data, the plan, the
catalogues and (for demonstrations) the demo, in one process, each step timed.

`manage.py prepare` runs the steps in order and prints, for each, what it loads, how
many rows it wrote and how long it took. A data step's fingerprint is the hash of the
files it loads and of the code that loads them (and of the fingerprints of the steps it
builds on); once a step has loaded, a `LoadRecord` keeps its fingerprint, and a later
start whose fingerprint is the same skips the step. So the first start loads everything
and the next ones only check: seconds.

The schema of a fresh, empty database is created from the models in one go and every
migration recorded as applied, as `migrate` would leave it: replaying the migrations
one by one spends nearly all its time rebuilding Django's in-memory model states, and
their data migrations have no data to change on an empty database (`makemigrations
--check` keeps the models and the migrations the same; the one difference is the key
of auth's group-permission join table, an integer where the migrations give a big
integer, as the auth app declares). A database that has any migration applied is
migrated the ordinary way.

Every row a loader writes is audited, as everywhere: a step's row count is the number
of audit events it wrote.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Max
from django.utils import timezone

PACKAGE = Path(__file__).resolve().parent.parent  # tendik/

Write = Callable[[str], None]


def fingerprint(paths: Iterable[Path], *more: str) -> str:
    """The SHA-256 of the files (names and contents) and of the extra strings."""
    digest = hashlib.sha256()
    for path in sorted(set(paths)):
        digest.update(str(path.relative_to(PACKAGE)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    for extra in more:
        digest.update(extra.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def sources(*patterns: str) -> list[Path]:
    """The files under tendik/ that match the glob patterns."""
    found = [path for pattern in patterns for path in PACKAGE.glob(pattern) if path.is_file()]
    return sorted(found)


def seconds(value: float) -> str:
    return f"{value:.1f} s"


def audit_mark() -> int:
    from tendik.core.audit import AuditEvent

    return AuditEvent.objects.aggregate(last=Max("id"))["last"] or 0


def audited_since(mark: int) -> int:
    """Audit events written after the mark: counted, since ids need not follow on from the
    mark (a sequence keeps counting after rows are deleted)."""
    from tendik.core.audit import AuditEvent

    return AuditEvent.objects.filter(id__gt=mark).count()


# --- the schema -----------------------------------------------------------------------


def migrate(alias: str = DEFAULT_DB_ALIAS) -> str:
    """Bring the schema up to date; say what was done."""
    connection = connections[alias]
    executor = MigrationExecutor(connection)
    targets = executor.loader.graph.leaf_nodes()
    plan = executor.migration_plan(targets)
    if not plan:
        return "up to date, nothing to apply"
    if executor.loader.applied_migrations or connection.introspection.table_names():
        call_command("migrate", database=alias, interactive=False, verbosity=0)
        return f"{len(plan)} migrations applied"
    create_from_models(executor, [migration for migration, _backwards in plan], alias)
    return (f"fresh database: {len(plan)} migrations' tables created from the models and "
            "recorded as applied")


def create_from_models(executor: MigrationExecutor, plan: list[Any], alias: str) -> None:
    connection = connections[alias]
    models = [model for config in apps.get_app_configs()
              for model in router.get_migratable_models(config, alias,
                                                        include_auto_created=False)
              if model._meta.can_migrate(connection)]
    with connection.schema_editor(atomic=True) as editor:
        for model in models:
            editor.create_model(model)  # its many-to-many tables too
    executor.recorder.ensure_schema()
    with transaction.atomic(using=alias):
        for migration in plan:  # a squashed migration: the ones it replaces, as migrate does
            for app_label, name in migration.replaces or [(migration.app_label,
                                                           migration.name)]:
                executor.recorder.record_applied(app_label, name)
    # Content types and permissions, as after `migrate`.
    emit_post_migrate_signal(0, False, alias, apps=apps,
                             plan=[(migration, False) for migration in plan])


# --- the data steps -------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    name: str
    title: str
    load: Callable[[], str]  # loads and returns a summary line
    files: tuple[str, ...]  # glob patterns under tendik/: data and the code that loads it
    after: tuple[str, ...] = ()  # steps whose data this one builds on
    demo: bool = False
    parts: Callable[[], list[tuple[str, Callable[[], str]]]] | None = field(default=None)


def _counts(counts: Any) -> str:
    return ", ".join(f"{key}: {counts[key]}" for key in sorted(counts)) or "nothing new"


def _reference() -> str:
    from tendik.core.reference import load_reference_data

    return _counts(load_reference_data())


def _plan() -> str:
    from tendik.plan.services import load_national_plan

    return _counts(load_national_plan())


def _indicators() -> str:
    from tendik.indicators.services import load_plan_indicators

    return _counts(load_plan_indicators())


def _criteria() -> str:
    from tendik.access.services import load_criteria

    return _counts(load_criteria())


def _classifier() -> str:
    from tendik.portal.services import load_classifier

    return _counts(load_classifier())


def demo_parts() -> list[tuple[str, Callable[[], str]]]:
    from tendik.core.demo import domain_loaders, load_accounts

    return [("tendik.core", load_accounts), *domain_loaders()]


def _demo() -> str:
    return "; ".join(load() for _name, load in demo_parts())


STEPS = [
    Step("reference", "reference data: regions (KATO), organisations, akimats", _reference,
         ("core/data/*.csv", "core/reference.py")),
    Step("plan", "the National Plan: directions, measures, executors", _plan,
         ("plan/data/measures.json", "plan/services.py"), after=("reference",)),
    Step("indicators", "the plan's target indicators", _indicators,
         ("indicators/data/*.json", "indicators/services.py"), after=("plan",)),
    Step("criteria", "the accessibility passport's checklist", _criteria,
         ("access/data/criteria.json", "access/services.py")),
    Step("classifier", "the classifier of technical aids with price caps", _classifier,
         ("portal/data/tsr_classifier.json", "portal/services.py"), after=("reference",)),
    Step("demo", "the demonstration accounts and data", _demo,
         ("*/demo.py",), after=("reference", "plan", "indicators", "criteria", "classifier"),
         demo=True, parts=demo_parts),
]


def step_fingerprints(steps: list[Step]) -> dict[str, str]:
    prints: dict[str, str] = {}
    for step in steps:
        prints[step.name] = fingerprint(sources(*step.files), step.name,
                                        *(prints.get(name, name) for name in step.after))
    return prints


@dataclass
class Outcome:
    name: str
    skipped: bool
    rows: int
    seconds: float


def run_step(step: Step, print_: str, write: Write, *, force: bool = False) -> Outcome:
    """Load one step unless its fingerprint is recorded; one transaction for the step."""
    from tendik.core.models import LoadRecord

    record = LoadRecord.objects.filter(step=step.name).first()
    if record is not None and record.fingerprint == print_ and not force:
        write(f"  unchanged since {timezone.localtime(record.loaded_at):%d.%m.%Y %H:%M} "
              f"({record.rows} audited rows then): skipped")
        return Outcome(step.name, True, 0, 0.0)
    start = time.perf_counter()
    first = audit_mark()
    with transaction.atomic():
        if step.parts is not None:
            for name, load in step.parts():
                part_start, part_first = time.perf_counter(), audit_mark()
                summary = load()
                write(f"  {name.removeprefix('tendik.')}: {audited_since(part_first)} audited rows "
                      f"in {seconds(time.perf_counter() - part_start)} — {summary}")
        else:
            write(f"  {step.load()}")
        rows = audited_since(first)
        took = time.perf_counter() - start
        LoadRecord.objects.update_or_create(step=step.name, defaults={
            "fingerprint": print_, "rows": rows, "seconds": took,
            "loaded_at": timezone.now()})
    write(f"  {rows} audited rows written in {seconds(took)}")
    return Outcome(step.name, False, rows, took)


def prepare(write: Write, *, demo: bool = True, force: bool = False,
            schedule: bool = True) -> list[Outcome]:
    """Every step in order, each announced before it runs and summed up after."""
    steps = [step for step in STEPS if demo or not step.demo]
    total = len(steps) + 1 + (1 if schedule else 0)
    outcomes = []
    start = time.perf_counter()
    write(f"[1/{total}] database schema …")
    summary = migrate()
    took = time.perf_counter() - start
    write(f"  {summary} in {seconds(took)}")
    outcomes.append(Outcome("schema", summary.startswith("up to date"), 0, took))
    prints = step_fingerprints(STEPS)
    for number, step in enumerate(steps, start=2):
        write(f"[{number}/{total}] {step.title} …")
        outcomes.append(run_step(step, prints[step.name], write, force=force))
    if schedule:
        write(f"[{total}/{total}] background jobs: the daily plan reminders and the nightly "
              "proactive rules …")
        moment = time.perf_counter()
        from tendik.cases.tasks import schedule_rules
        from tendik.plan.tasks import schedule_reminders

        reminders = schedule_reminders()
        rules = schedule_rules()
        write(f"  reminders {'booked' if reminders else 'already booked or not needed'}, "
              f"rules {'booked' if rules else 'already booked'} in "
              f"{seconds(time.perf_counter() - moment)}")
    # Data loaded in bulk records no event one by one: kept public pages start afresh.
    from tendik.core.pagecache import bump_generation

    bump_generation()
    write(f"Ready in {seconds(time.perf_counter() - start)}.")
    return outcomes
