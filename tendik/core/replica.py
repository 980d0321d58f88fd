"""Read-heavy pages from a PostgreSQL streaming replica (DATABASE_REPLICA_URL).

Only views marked with @read_from_replica (open data, dashboards) read there, and only
for a GET: a view that writes never reads from the replica, so nobody reads their own
write from a copy that may lag behind. Sessions, accounts, lockout and second factors
are always read from the primary. Without a replica configured, everything reads from
the primary as before.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.db import connections
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
ALWAYS_PRIMARY = {"sessions", "auth", "core", "axes", "otp_totp", "django_otp",
                  "django_tasks_db", "contenttypes"}
_reading_replica: ContextVar[bool] = ContextVar("tendik_read_from_replica", default=False)


class ReplicaRouter:
    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        if (_reading_replica.get() and REPLICA in connections.databases
                and model._meta.app_label not in ALWAYS_PRIMARY):
            return REPLICA
        return None

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replica is a copy of the primary: the same rows

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db != REPLICA


def read_from_replica(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in {"GET", "HEAD"}:
            return view(request, *args, **kwargs)
        token = _reading_replica.set(True)
        try:
            return view(request, *args, **kwargs)
        finally:
            _reading_replica.reset(token)
    return wrapped
