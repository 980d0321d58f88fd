"""Every schema of the OpenAPI is its own: two models or choices of one name no longer
share one component, so a report's `state` is the report's states and a public offer has
the `id` an order names."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from ninja.openapi.schema import OpenAPISchema

from tendik.api.api import api
from tendik.core.models import Organisation
from tendik.plan.models import ExecutorReport, LegalAct
from tendik.portal.models import Order, Reimbursement
from tests.portal.conftest import Market

PREFIX = "/api/v1/"


class NoticingClashes(OpenAPISchema):
    """The OpenAPI as ninja builds it, noting each component written over by another one
    of the same name and different content."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.clashes: list[str] = []
        super().__init__(*args, **kwargs)

    def add_schema_definitions(self, definitions: dict) -> None:
        for name, definition in definitions.items():
            if name in self.schemas and self.schemas[name] != definition:
                self.clashes.append(name)
        super().add_schema_definitions(definitions)


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return api.get_openapi_schema(path_prefix=PREFIX)


def resolved(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def property_of(schema: dict[str, Any], component: str, name: str) -> dict[str, Any]:
    return resolved(schema, schema["components"]["schemas"][component]["properties"][name])


def enum_of(schema: dict[str, Any], node: dict[str, Any]) -> list[str]:
    node = resolved(schema, node)
    for option in node.get("anyOf", []):
        if resolved(schema, option).get("type") != "null":
            return enum_of(schema, option)
    return node["enum"]


def query_parameter(schema: dict[str, Any], path: str, name: str) -> dict[str, Any]:
    parameters = schema["paths"][PREFIX + path]["get"]["parameters"]
    return next(p["schema"] for p in parameters if p["name"] == name)


def test_no_two_schemas_share_a_name():
    built = NoticingClashes(api, PREFIX)
    assert built.clashes == []


def test_each_state_and_kind_is_its_own_set_of_choices(schema):
    assert enum_of(schema, property_of(schema, "ReportOut", "state")) == list(
        ExecutorReport.State.values)
    assert enum_of(schema, property_of(schema, "OrderOut", "state")) == list(
        Order.State.values)
    assert enum_of(schema, property_of(schema, "ClaimOut", "state")) == list(
        Reimbursement.State.values)
    assert enum_of(schema, property_of(schema, "ReportIn", "act_kind")) == list(
        LegalAct.Kind.values)
    assert enum_of(schema, query_parameter(schema, "organisations", "kind")) == list(
        Organisation.Kind.values)
    assert enum_of(schema, query_parameter(schema, "plan/reports", "state")) == list(
        ExecutorReport.State.values)
    assert enum_of(schema, query_parameter(schema, "supplier/orders", "state")) == list(
        Order.State.values)


@pytest.mark.django_db
def test_the_public_suppliers_list_gives_each_offer_its_id(market: Market, client, schema):
    response = client.get("/api/v1/suppliers", {"region": "750000000"})
    assert response.status_code == 200
    offers = response.json()[0]["offers"]
    assert [o["id"] for o in offers] == [market.offer.pk]
    # The answer is what the schema says it is; the schema asks for the id.
    answer = schema["paths"][PREFIX + "suppliers"]["get"]["responses"][200]["content"][
        "application/json"]["schema"]
    # $refs point into the components, so the answer's schema is checked with them.
    jsonschema.validate(response.json(), {**answer, "components": schema["components"]})
    offer = schema["components"]["schemas"][
        property_of(schema, "SupplierOut", "offers")["items"]["$ref"].rsplit("/", 1)[-1]]
    assert "id" in offer["required"] and "copayment" in offer["properties"]
    own = schema["components"]["schemas"]["OfferOut"]  # the supplier's own, in full
    assert "id" in own["required"] and "specifications" in own["properties"]
