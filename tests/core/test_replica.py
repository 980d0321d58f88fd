"""The replica router: marked read-only pages read from the replica when one is
configured; writes, other methods, accounts and sessions always use the primary."""

from __future__ import annotations

import pytest
from django.db import connections
from django.test import RequestFactory

from tendik.core.models import User
from tendik.core.replica import REPLICA, ReplicaRouter, read_from_replica
from tendik.indicators.models import Indicator


@pytest.fixture
def with_replica(monkeypatch):
    databases = dict(connections.databases)
    databases[REPLICA] = databases["default"]
    monkeypatch.setattr(connections, "_settings", databases)
    monkeypatch.setattr(type(connections), "databases", property(lambda self: databases))


def routed(method: str) -> dict[str, str | None]:
    router = ReplicaRouter()
    seen: dict[str, str | None] = {}

    @read_from_replica
    def view(request):
        seen["indicator"] = router.db_for_read(Indicator)
        seen["user"] = router.db_for_read(User)
        seen["write"] = router.db_for_write(Indicator)
        return None

    view(getattr(RequestFactory(), method)("/"))
    seen["outside"] = router.db_for_read(Indicator)
    return seen


def test_a_marked_get_reads_data_from_the_replica_and_accounts_from_the_primary(with_replica):
    assert routed("get") == {"indicator": REPLICA, "user": None, "write": "default",
                             "outside": None}


def test_a_post_never_reads_from_the_replica(with_replica):
    assert routed("post")["indicator"] is None


def test_without_a_replica_everything_reads_from_the_primary():
    assert REPLICA not in connections.databases
    assert routed("get")["indicator"] is None
    assert not ReplicaRouter().allow_migrate(REPLICA, "indicators")
