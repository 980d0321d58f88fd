"""Many rows at once: reading a large query's rows, writing plain values with their keys.

`read_rows` is `QuerySet.iterator()` for the large reads of background jobs. On SQLite it
streams the rows. On PostgreSQL it fetches them in one go: Django's iterator runs its
query through a server-side cursor, and PostgreSQL plans a cursor's query for its first
rows and without parallel workers, which made the proactive rules' queries take half as
long again. Use it for queries whose result is what a job acts on (the needs a rule
finds), not for reading a whole registry.

`insert_rows` is for the large writes of background jobs (a full run of the proactive
rules writes some 90,000 hits, offers and tasks at national scale). It takes rows as
tuples rather than model instances: building and preparing a model instance costs more
than the database spends storing its row. On PostgreSQL it takes the keys from the
table's sequence and streams the rows with COPY; on SQLite it sends multi-row INSERTs
and reads the keys from RETURNING, as `bulk_create` does.

The rows are new: a row that breaks a constraint makes the whole call fail with
IntegrityError and write nothing (the call is its own savepoint). Like `bulk_create`, it
sends no signals and so writes no audit events: it is for rows that are not audited.

`create_audited` is `bulk_create` for audited models, for loaders and the demo that write
thousands of rows: the rows in a few statements and, in the same transaction, the audit
event each row's `save()` would have written (who, when, every field's value), also in a
few statements. It sends no signals: a model with receivers of its own (the map's
facilities) is saved one by one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from django.db import connections, models, router, transaction

T = TypeVar("T")

# Fields whose Python values the database drivers take as they are; any other field's
# values go through the field's own preparation (dates on SQLite, JSON, decimals).
PLAIN = {"AutoField", "BigAutoField", "BigIntegerField", "BooleanField", "CharField",
         "ForeignKey", "IntegerField", "OneToOneField", "PositiveBigIntegerField",
         "PositiveIntegerField", "PositiveSmallIntegerField", "SmallIntegerField",
         "TextField"}
SQLITE_PARAMETERS = 999  # Django's own limit of bound parameters a statement on SQLite


M = TypeVar("M", bound=models.Model)


def create_audited(objects: Sequence[M], batch_size: int = 500) -> list[M]:
    """Insert new instances of one audited model and their "create" audit events."""
    from tendik.core.audit import AuditedModel, AuditEvent, attribution, current_actor, model_label

    if not objects:
        return []
    model = type(objects[0])
    if not issubclass(model, AuditedModel):
        raise TypeError(f"{model.__name__} is not audited: use bulk_create")
    using = router.db_for_write(model)
    with transaction.atomic(using=using):
        manager: Any = model._default_manager
        created: list[Any] = manager.using(using).bulk_create(list(objects),
                                                              batch_size=batch_size)
        who, reason, label = attribution(), current_actor().reason[:300], model_label(model)
        events = []
        for instance in created:
            state = instance.audit_state()
            events.append(AuditEvent(**who, action=AuditEvent.Action.CREATE, model=label,
                                     object_id=str(instance.pk),
                                     object_repr=str(instance)[:300],
                                     changes={key: [None, value] for key, value in
                                              state.items()}, reason=reason))
            instance._audit_snapshot = state
        AuditEvent.objects.using(using).bulk_create(events, batch_size=batch_size)
    return created


def read_rows(rows: models.QuerySet[Any, T], chunk_size: int = 5000) -> Iterator[T]:
    """The rows of a query, streamed on SQLite, fetched at once on PostgreSQL."""
    if connections[rows.db].vendor == "postgresql":
        yield from rows  # one fetch; the rows are held until the caller has read them
    else:
        yield from rows.iterator(chunk_size=chunk_size)


def insert_rows(model: type[models.Model], columns: Sequence[str],
                rows: Sequence[Sequence[Any]]) -> list[int]:
    """Insert `rows` into `model`'s table and return their new primary keys, in order.

    `columns` names the fields each row gives, a foreign key by its column's attribute
    (`person_id`), with plain Python values of the fields. The fields not named take
    their default, computed once for the whole call (`timezone.now` is the same moment
    for every row)."""
    if not rows:
        return []
    connection = connections[router.db_for_write(model)]
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    fields = {f.attname: f for f in meta.concrete_fields if f.column}
    unknown = [name for name in columns if name not in fields]
    if unknown:
        raise ValueError(f"{unknown}: not fields' attribute names of {meta.label} "
                         "(a foreign key is named by its column, such as person_id)")
    given = [fields[name] for name in columns]
    rest = [f for f in fields.values() if f not in given and f is not pk]
    defaults = tuple(f.get_db_prep_save(f.get_default(), connection) for f in rest)

    def prepare(field: models.Field) -> Callable[[Any], Any] | None:
        if field.get_internal_type() in PLAIN:
            return None
        return lambda value: field.get_db_prep_save(value, connection)

    preparers = [(i, p) for i, p in enumerate(map(prepare, given)) if p is not None]

    def ready(row: Sequence[Any]) -> tuple[Any, ...]:
        if not preparers:
            return (*row, *defaults)
        values = list(row)
        for i, prep in preparers:
            values[i] = prep(values[i])
        return (*values, *defaults)

    names = [str(f.column) for f in (*given, *rest)]
    table = connection.ops.quote_name(meta.db_table)
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) "
                           "FROM generate_series(1, %s)", [meta.db_table, pk.column, len(rows)])
            keys = [key for (key,) in cursor.fetchall()]
            quoted = ", ".join(connection.ops.quote_name(c) for c in [str(pk.column), *names])
            # The raw cursor's copy() goes around Django's wrapper: map its errors the same.
            with connection.wrap_database_errors, \
                    cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for key, row in zip(keys, rows, strict=True):
                    copy.write_row((key, *ready(row)))
            return keys
        quoted = ", ".join(connection.ops.quote_name(c) for c in names)
        placeholders = f"({', '.join(['%s'] * len(names))})"
        per_statement = max(1, SQLITE_PARAMETERS // len(names))
        keys = []
        for start in range(0, len(rows), per_statement):
            part = rows[start:start + per_statement]
            cursor.execute(
                f"INSERT INTO {table} ({quoted}) VALUES "  # noqa: S608 (names from the model)
                + ", ".join([placeholders] * len(part))
                + f" RETURNING {connection.ops.quote_name(str(pk.column))}",
                [value for row in part for value in ready(row)])
            keys.extend(key for (key,) in cursor.fetchall())
        return keys
