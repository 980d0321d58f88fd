"""Schemathesis over the whole OpenAPI of the API, in-process through WSGI: every operation
gets a few generated calls, valid ones and invalid ones, anonymously and with valid
tokens (a supplier's, an executor's), and valid ones again on records that exist (the
supplier's order, claim, offer and complaint, the executor's report). None may answer
with a server error, and each answer must be what the schema says it is.

The examples are few and fixed (derandomised, no shrinking), so the run is the same
each time and takes a minute or two on two cores. TENDIK_FUZZ_EXAMPLES raises the
count for a deeper run by hand; TENDIK_FUZZ_SEED varies the examples."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import response_schema_conformance

from tendik.core import services
from tendik.core.models import Organisation
from tendik.plan.models import ExecutorReport
from tendik.portal import journey
from tests.api.test_plan_reports_api import cycle  # noqa: F401
from tests.portal.conftest import build_market
from tests.portal.test_journey import place
from tests.portal.test_reimbursement import received

EXAMPLES = int(os.environ.get("TENDIK_FUZZ_EXAMPLES", "5"))
SEED = int(os.environ.get("TENDIK_FUZZ_SEED", "0"))
CHECKS = [not_a_server_error, response_schema_conformance]


@dataclass
class Caller:
    headers: dict[str, str]
    # Path parameters naming records this caller may reach.
    known: dict[str, Any]


@pytest.fixture
def callers(cycle) -> dict[str, Caller]:  # noqa: F811
    """Orders, a claim, a complaint and reports for the calls to find; the callers."""
    market = build_market(quantity=3)
    order = place(market)
    claim = received(market).reimbursement
    complaint = journey.file_complaint(order, "Не привезли.", by=market.recipient)
    public = {"kato": "750000000", "code": "МЗ", "number": 21}

    def bearer(organisation: Organisation) -> dict[str, str]:
        key = services.issue_api_token(organisation, "fuzz", by=None).raw_key
        return {"Authorization": f"Bearer {key}"}

    mz = Organisation.objects.get(code="МЗ")
    return {
        "anonymous": Caller({}, public),
        "supplier token": Caller(bearer(market.supplier), {
            **public, "order_id": order.pk, "claim_id": claim.pk,
            "offer_id": market.offer.pk, "complaint_id": complaint.pk}),
        "executor token": Caller(bearer(mz), {
            **public, "report_id": ExecutorReport.objects.get(organisation=mz).pk}),
    }


def failures_of(operation: Any, headers: dict[str, str], mode: GenerationMode,
                path: dict[str, Any] | None = None, examples: int = EXAMPLES) -> list[str]:
    found: list[str] = []

    @seed(SEED)
    @settings(max_examples=examples, deadline=None, database=None, derandomize=SEED == 0,
              phases=[Phase.explicit, Phase.generate], print_blob=False,
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode, path_parameters=path))
    def run(case: schemathesis.Case) -> None:
        response = case.call(headers=headers)
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (AssertionError, FailureGroup) as failure:  # each with the call to repeat
            found.append(f"{operation.label} [{mode.value}] -> {response.status_code}: "
                         f"{str(failure)[:1500]}")

    try:
        run()
    except Unsatisfiable:
        # An operation without input has no invalid input to make.
        assert mode == GenerationMode.NEGATIVE, operation.label
    return found


@pytest.fixture
def wsgi_in_test_transaction() -> Iterator[Any]:
    """Django's WSGI application, kept from closing the test's connection at each request's
    start and end (as Django's own test client keeps it): on PostgreSQL that closed the
    transaction the test's data lives in."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["anonymous", "supplier token", "executor token"])
def test_no_operation_fails_or_leaves_its_schema(callers, wsgi_in_test_transaction, name):
    caller = callers[name]
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_in_test_transaction)
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            failures.extend(failures_of(operation, caller.headers, mode))
        names = [parameter.name for parameter in operation.path_parameters]
        if names and all(n in caller.known for n in names):
            # Calls that reach a record are the ones that get past the lookups: more.
            failures.extend(failures_of(operation, caller.headers, GenerationMode.POSITIVE,
                                        {n: caller.known[n] for n in names},
                                        examples=4 * EXAMPLES))
    assert operations >= 30
    assert failures == [], "\n\n".join(failures)
