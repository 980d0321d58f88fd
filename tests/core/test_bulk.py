"""insert_rows: many new rows from plain values, their keys back in order; COPY on
PostgreSQL, multi-row INSERT on SQLite; a row that breaks a constraint writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tendik.cases.models import Hit, Rule, RuleRun, Task
from tendik.core.bulk import insert_rows
from tendik.core.models import Region
from tests.portal.conftest import make_person


@pytest.fixture
def rule(db) -> Rule:
    return Rule.objects.create(code="test-rule", name_ru="п", name_kk="е", name_en="r",
                               responsible=Rule.Responsible.AKIMAT)


@pytest.fixture
def almaty(reference) -> Region:
    return Region.objects.get(kato="750000000")


@pytest.mark.django_db
def test_it_writes_the_rows_and_returns_their_keys_in_order(rule, almaty):
    person = make_person(almaty)
    run = RuleRun.objects.create(as_of=dt.date(2026, 12, 1), incremental=False)
    facts = {"item": "MO-04-02", "name_kk": "Арбакөрсеткі «жеңіл»", "days": 30}
    # More rows than one SQLite statement takes, so that the keys of several come back.
    rows = [(rule.pk, f"ent:{n}", person.pk, almaty.pk, {**facts, "n": n}, run.pk)
            for n in range(400)]
    before = timezone.now()
    keys = insert_rows(Hit, ("rule_id", "key", "person_id", "region_id", "facts", "run_id"),
                       rows)
    assert len(set(keys)) == 400
    stored = {h.pk: h for h in Hit.objects.filter(rule=rule)}
    assert set(stored) == set(keys)
    for key, row in zip(keys, rows, strict=True):
        hit = stored[key]
        assert (hit.rule_id, hit.key, hit.person_id, hit.region_id, hit.facts, hit.run_id) \
            == row  # JSON with Kazakh letters and numbers comes back as written
        # A field not named takes its default, once for the call.
        assert hit.found_at == stored[keys[0]].found_at and hit.found_at >= before
        assert hit.resolved_at is None
    # The table's sequence moved past the keys taken: the ORM's next row gets a new one.
    later = Hit.objects.create(rule=rule, key="ent:later", person=person, region=almaty)
    assert later.pk > max(keys)


@pytest.mark.django_db
def test_dates_and_defaults_are_stored_as_the_orm_stores_them(rule, almaty):
    person = make_person(almaty)
    hit = Hit.objects.create(rule=rule, key="k", person=person, region=almaty)
    (key,) = insert_rows(Task, ("hit_id", "region_id", "due"),
                         [(hit.pk, almaty.pk, dt.date(2026, 12, 12))])
    task = Task.objects.get(pk=key)
    assert (task.due, task.state, task.note, task.assignee_id) == (
        dt.date(2026, 12, 12), Task.State.OPEN, "", None)
    assert list(Task.objects.filter(due__lt=dt.date(2026, 12, 13))) == [task]
    assert not Task.objects.filter(due__lt=dt.date(2026, 12, 12)).exists()


@pytest.mark.django_db
def test_a_row_that_breaks_a_constraint_writes_nothing(rule, almaty):
    person = make_person(almaty)
    Hit.objects.create(rule=rule, key="ent:taken", person=person, region=almaty)
    rows = [(rule.pk, key, person.pk, almaty.pk) for key in ("ent:new", "ent:taken")]
    with transaction.atomic():
        with pytest.raises(IntegrityError):
            insert_rows(Hit, ("rule_id", "key", "person_id", "region_id"), rows)
        # The call was its own savepoint: the transaction goes on.
        assert list(Hit.objects.filter(rule=rule).values_list("key", flat=True)) \
            == ["ent:taken"]


@pytest.mark.django_db
def test_a_foreign_key_is_named_by_its_column(rule):
    with pytest.raises(ValueError, match="person_id"):
        insert_rows(Hit, ("rule", "key"), [(rule.pk, "k")])


@pytest.mark.django_db
def test_nothing_to_write_sends_nothing(rule):
    with CaptureQueriesContext(connection) as queries:
        assert insert_rows(Hit, ("rule_id", "key"), []) == []
    assert len(queries) == 0


def test_create_audited_writes_each_rows_audit_event_as_save_would(reference):
    from tendik.core.audit import acting_as
    from tendik.core.bulk import create_audited
    from tendik.core.models import AuditEvent, Organisation

    with acting_as(label="loader"):
        saved = Organisation.objects.create(code="ONE-BY-ONE", kind=Organisation.Kind.NGO,
                                            name_ru="А", name_kk="А", name_en="A")
        made = create_audited([Organisation(code=f"BULK-{n}", kind=Organisation.Kind.NGO,
                                            name_ru="Б", name_kk="Б", name_en="B")
                               for n in range(3)])
    assert all(o.pk for o in made)
    one = AuditEvent.objects.get(object_id=str(saved.pk), model="core.organisation")
    events = AuditEvent.objects.filter(model="core.organisation",
                                       object_id__in=[str(o.pk) for o in made])
    assert events.count() == 3
    for event in events:
        assert event.action == "create" and event.actor_repr == "loader"
        assert set(event.changes) == set(one.changes)
        assert event.changes["name_ru"] == [None, "Б"]
    made[0].name_en = "Changed"
    made[0].save()  # the snapshot is kept: the update records only what changed
    update = AuditEvent.objects.get(object_id=str(made[0].pk), action="update")
    assert update.changes == {"name_en": ["B", "Changed"]}


def test_create_audited_refuses_a_model_that_is_not_audited(db):
    from tendik.access.models import Criterion
    from tendik.core.bulk import create_audited

    with pytest.raises(TypeError):
        create_audited([Criterion(code="X")])
