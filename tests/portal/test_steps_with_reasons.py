"""A step that undoes what the other side counts on says why, and the other side is told
(on the order's page, and by e-mail in their language). A step that fails comes back with
what the person typed."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from tendik.portal import journey
from tendik.portal.models import Complaint, Order
from tests.portal.conftest import Market
from tests.portal.test_journey import deliver, place
from tests.portal.test_orders_api import bearer

State = Order.State
REASON = "Модель снята с производства, замены нет"


def accepted(market: Market) -> Order:
    return journey.move_order(place(market), State.ACCEPTED, by=market.supplier_user)


@pytest.mark.django_db
def test_the_supplier_cancels_an_accepted_order_only_with_a_reason(
        market: Market, django_capture_on_commit_callbacks):
    order = accepted(market)
    assert journey.needs_reason(State.CANCELLED, journey.SUPPLIER)
    assert not journey.needs_reason(State.CANCELLED, journey.RECIPIENT)
    with pytest.raises(ValidationError) as refused:
        journey.move_order(order, State.CANCELLED, by=market.supplier_user, comment="  ")
    assert "comment" in refused.value.message_dict
    order.refresh_from_db()
    assert order.state == State.ACCEPTED
    market.person.language, market.person.email = "kk", "person@example.kz"
    market.person.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        order = journey.move_order(order, State.CANCELLED, by=market.supplier_user,
                                   comment=REASON)
    assert order.events.last().comment == REASON
    to_recipient = [m for m in mail.outbox if "person@example.kz" in m.to]
    assert len(to_recipient) == 1
    body = to_recipient[0].body
    assert "Жеткізуші көрсеткен себеп:" in body and f"«{REASON}»" in body  # in Kazakh


@pytest.mark.django_db
def test_the_cancel_form_asks_for_the_reason_and_keeps_it(market: Market, client_for):
    order = accepted(market)
    supplier = client_for(market.supplier_user)
    page = supplier.get(f"/ru/portal/orders/{order.pk}/").content.decode()
    assert 'name="cancelled-comment"' in page  # the reason's field is on the form
    move = f"/ru/portal/orders/{order.pk}/move/"
    refused = supplier.post(move, {"to": "cancelled", "cancelled-to": "cancelled",
                                   "cancelled-comment": ""})
    assert refused.status_code == 200
    assert refused.context["moves"][-1]["form"].errors["comment"]
    assert 'id="error-summary"' in refused.content.decode()
    order.refresh_from_db()
    assert order.state == State.ACCEPTED
    done = supplier.post(move, {"to": "cancelled", "cancelled-to": "cancelled",
                                "cancelled-comment": REASON})
    assert done.status_code == 302
    # The recipient is told on the order's page who cancelled it and why.
    seen = client_for(market.recipient).get(f"/ru/portal/orders/{order.pk}/")
    assert seen.context["closing"]["party"] == journey.SUPPLIER
    body = seen.content.decode()
    assert "Причина, указанная поставщиком:" in body and f"«{REASON}»" in body


@pytest.mark.django_db
def test_a_step_that_fails_keeps_what_was_typed(market: Market, client_for):
    """The order moved on in another tab: the decline is refused, the reason stays."""
    order = place(market)
    supplier = client_for(market.supplier_user)
    journey.move_order(order, State.CANCELLED, by=market.recipient)
    refused = supplier.post(f"/ru/portal/orders/{order.pk}/move/", {
        "to": "declined", "declined-to": "declined", "declined-comment": "Нет на складе"})
    assert refused.status_code == 200
    body = refused.content.decode()
    # The decline is no longer on offer: the error says so, and shows what was written.
    assert 'id="error-summary"' in body and "«Нет на складе»" in body


@pytest.mark.django_db
def test_the_supplier_cancels_through_the_api_with_a_reason(market: Market, client):
    order = accepted(market)
    url = f"/api/v1/supplier/orders/{order.pk}/moves"
    auth = bearer(market.supplier)
    refused = client.post(url, {"to": "cancelled"}, content_type="application/json", **auth)
    assert refused.status_code == 422
    assert refused.json()["error"]["details"][0]["field"] == "comment"
    done = client.post(url, {"to": "cancelled", "comment": REASON},
                       content_type="application/json", **auth)
    assert done.status_code == 200 and done.json()["state"] == "cancelled"
    assert order.events.last().comment == REASON
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["MoveIn"]
    assert "Required to decline" in schema["properties"]["comment"]["description"]


@pytest.mark.django_db
def test_an_answer_refused_comes_back_with_its_text(market: Market, client_for):
    order = deliver(market, place(market))
    order = journey.move_order(order, State.RECEIVED, by=market.recipient)
    complaint = journey.file_complaint(order, "Опоздали на две недели", by=market.recipient)
    Complaint.objects.filter(pk=complaint.pk).update(state=Complaint.State.UPHELD)
    refused = client_for(market.supplier_user).post(
        f"/ru/portal/complaints/{complaint.pk}/answer/", {"text": "Дорогу закрыли"})
    assert refused.status_code == 200
    body = refused.content.decode()
    assert 'id="error-summary"' in body and "«Дорогу закрыли»" in body

    # An empty answer to a complaint still open: the form comes back with its error.
    Complaint.objects.filter(pk=complaint.pk).update(state=Complaint.State.OPEN)
    empty = client_for(market.supplier_user).post(
        f"/ru/portal/complaints/{complaint.pk}/answer/", {"text": " "})
    assert empty.status_code == 200
    assert f'id="answer-{complaint.pk}-text-error"' in empty.content.decode()


def test_no_module_of_the_portal_imports_one_that_imports_it_back():
    """The portal's modules form no import circle (journey ↔ reimbursement was one)."""
    package = Path(__file__).resolve().parents[2] / "tendik" / "portal"
    graph: dict[str, set[str]] = {}
    for path in package.glob("*.py"):
        name = f"tendik.portal.{path.stem}"
        imported: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                if node.module == "tendik.portal":
                    imported |= {f"tendik.portal.{a.name}" for a in node.names}
                elif node.module.startswith("tendik.portal."):
                    imported.add(node.module)
            elif isinstance(node, ast.Import):
                imported |= {a.name for a in node.names if a.name.startswith("tendik.portal.")}
        graph[name] = imported & {f"tendik.portal.{p.stem}" for p in package.glob("*.py")}

    def path_back(start: str) -> list[str] | None:
        stack, seen = [(start, [start])], set()
        while stack:
            node, trail = stack.pop()
            for nxt in graph.get(node, ()):
                if nxt == start:
                    return [*trail, start]
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, [*trail, nxt]))
        return None

    circles = [trail for module in graph if (trail := path_back(module))]
    assert circles == [], circles
