"""The recipient's pages: entitlements, offers, ordering, the order's page, and the
electronic recipient card."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tendik.core.audit import record_access, record_event
from tendik.core.forms import add_errors
from tendik.core.models import AuditEvent, Role, User
from tendik.people.models import CommunicationNeed, Person
from tendik.portal import journey
from tendik.portal.forms import (
    AnswerForm,
    ComplaintForm,
    DecisionForm,
    MoveForm,
    OrderForm,
    RatingForm,
)
from tendik.portal.models import Complaint, Entitlement, Ipr, Order

State = Order.State


def _entitlement_for(user: User, pk: int) -> Entitlement:
    """An entitlement of a person the user acts for; anything else does not exist."""
    return get_object_or_404(
        Entitlement.objects.select_related("ipr__person__region", "item__group"),
        pk=pk, ipr__person__in=journey.persons_for(user))


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    persons = list(journey.persons_for(user).select_related("region"))
    if not persons:
        if user.role == Role.SUPPLIER:
            return redirect("portal:supplier_orders")
        if user.role == Role.AKIMAT_OFFICIAL or user.has_national_scope:
            return redirect("portal:office_orders")
    today = timezone.localdate()
    entries = []
    for person in persons:
        current = (Ipr.objects.filter(person=person, valid_from__lte=today)
                   .filter(models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=today))
                   .order_by("-version").first())
        entitlements = (Entitlement.objects.with_balance().filter(ipr=current)
                        .select_related("item__group") if current else [])
        orders = Order.objects.filter(person=person, state__in=Order.OPEN_STATES) \
            .select_related("item", "supplier")
        entries.append({"person": person, "ipr": current, "entitlements": entitlements,
                        "orders": orders, "is_self": person.account_id == user.pk})
    return render(request, "portal/home.html", {"entries": entries})


@login_required
def offers(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    entitlement = _entitlement_for(user, pk)
    order_by = request.GET.get("sort", "price")
    choices = journey.matching_offers(entitlement)
    if order_by == "lead_time":
        choices = choices.order_by("lead_time_days", "price")
    elif order_by == "rating":
        choices = choices.order_by(models.F("rating").desc(nulls_last=True), "price")
    else:
        order_by = "price"
    rows = [(offer, journey.quote(offer, entitlement)) for offer in choices]
    return render(request, "portal/offers.html", {
        "entitlement": entitlement, "rows": rows, "sort": order_by,
        "balance": entitlement.balance})


@login_required
def order_new(request: HttpRequest, pk: int, offer_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    entitlement = _entitlement_for(user, pk)
    offer = get_object_or_404(journey.matching_offers(entitlement), pk=offer_id)
    person = entitlement.ipr.person
    left = entitlement.balance.left
    form = OrderForm(request.POST or None, offer=offer, left=left,
                     initial={"quantity": 1, "address": person.address})
    quantity = form.cleaned_data["quantity"] if form.is_bound and form.is_valid() else 1
    price = journey.quote(offer, entitlement, quantity)
    if request.method == "POST" and form.is_valid():
        try:
            order = journey.place_order(entitlement, offer, by=user, **form.cleaned_data)
        except PermissionDenied as denied:
            raise Http404 from denied
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Order %(number)s is placed. The supplier has "
                                        "been told.") % {"number": order.number})
            return redirect("portal:order", pk=order.pk)
    return render(request, "portal/order_new.html", {
        "entitlement": entitlement, "offer": offer, "quote": price, "form": form,
        "person": person})


def _order_for(user: User, pk: int) -> tuple[Order, str]:
    order = get_object_or_404(
        Order.objects.select_related("person__region", "item", "supplier", "offer",
                                     "entitlement__ipr"), pk=pk)
    party = journey.party_of(user, order) if user.is_authenticated else None
    if party is None and not (user.is_authenticated and user.has_national_scope):
        raise Http404
    return order, party or "national"


@login_required
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    order, party = _order_for(user, pk)
    if party != journey.RECIPIENT:
        record_access(request.path, Person, [order.person_id], purpose="order")
    return order_page(request, order, party)


def _order_context(order: Order, party: str, **forms: Any) -> dict[str, Any]:
    """The order's page. `forms` carries a form that failed (a step, a rating, a
    complaint, an answer), bound, with what the person typed and the errors."""
    failed_move = forms.get("move_form")
    moves = []
    for to in sorted(order.moves_for(party), key=list(State.values).index):
        needs_reason = journey.needs_reason(to, party)
        form = failed_move if failed_move is not None and failed_move.prefix == to else \
            MoveForm(initial={"to": to}, prefix=to, needs_reason=needs_reason)
        moves.append({"state": State(to), "form": form, "needs_reason": needs_reason})
    stale = None  # a failed form whose step is no longer on offer: its error and its text
    if failed_move is not None and failed_move.errors and not any(
            m["form"] is failed_move for m in moves):
        stale = _stale(failed_move, "comment")
    claim = getattr(order, "reimbursement", None)
    complaints = []
    for complaint in order.complaints.all():
        answer = forms.get("answer_form") if forms.get("complaint_id") == complaint.pk \
            else None
        decision = forms.get("decision_form") if forms.get("complaint_id") == complaint.pk \
            else None
        takes_steps = complaint.state in (Complaint.State.OPEN, Complaint.State.ANSWERED)
        for failed in (answer, decision):
            if failed is not None and failed.errors and not takes_steps:
                stale = _stale(failed, "text")
        complaints.append({
            "complaint": complaint,
            "answer_form": answer or AnswerForm(auto_id=f"answer-{complaint.pk}-%s"),
            "decision_form": decision or DecisionForm(auto_id=f"decision-{complaint.pk}-%s")})
    events = list(order.events.select_related("by", "by_token"))
    return {
        "order": order, "party": party, "events": events,
        "closing": _closing_step(order, events), "moves": moves, "stale": stale,
        "failed": any(getattr(f, "errors", None) for f in forms.values()),
        "rating": getattr(order, "rating", None),
        "rating_form": forms.get("rating_form") or RatingForm(),
        "complaint_form": forms.get("complaint_form") or ComplaintForm(),
        "complaints": complaints,
        "claim": claim, "checks": claim.checks.all() if claim else [],
    }


def _stale(form: Any, field: str) -> dict[str, Any]:
    return {"errors": [m for messages_ in form.errors.values() for m in messages_],
            "text": (form.data.get(form.add_prefix(field)) or "").strip()}


def _closing_step(order: Order, events: list[Any]) -> dict[str, Any] | None:
    """The step that declined, cancelled or disputed the order, with the reason its
    author gave and on which side they are: what the other side must be told first."""
    if order.state not in (State.DECLINED, State.CANCELLED, State.DISPUTED):
        return None
    step = next((e for e in reversed(events) if e.to_state == order.state), None)
    if step is None or not step.comment:
        return None
    actor = step.by or step.by_token
    return {"event": step, "party": journey.party_of(actor, order) if actor else None}


def order_page(request: HttpRequest, order: Order, party: str, **forms: Any) -> HttpResponse:
    return render(request, "portal/order.html", _order_context(order, party, **forms))


@login_required
def order_move(request: HttpRequest, pk: int) -> HttpResponse:
    """One step of the order. When it fails (no reason given, the order moved on
    meanwhile) the page comes back with the error and with what the person typed."""
    user: User = request.user  # type: ignore[assignment]
    order, party = _order_for(user, pk)
    if request.method != "POST":  # the page of a failed step, opened again
        return redirect("portal:order", pk=order.pk)
    to = request.POST.get("to", "")
    if to not in State.values:
        raise Http404
    form = MoveForm(request.POST, prefix=to, needs_reason=journey.needs_reason(to, party))
    if form.is_valid():
        try:
            journey.move_order(order, to, by=user, comment=form.cleaned_data["comment"])
        except PermissionDenied as denied:
            raise Http404 from denied
        except ValidationError as error:
            add_errors(form, error, default_field="comment")
        else:
            messages.success(request, _("The order is now: %(state)s.") % {
                "state": State(to).label})
            return redirect("portal:order", pk=order.pk)
    order.refresh_from_db()
    return order_page(request, order, party, move_form=form)


@login_required
def order_rate(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    order, party = _order_for(user, pk)
    if party != journey.RECIPIENT:
        raise Http404
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            journey.rate_supplier(order, form.cleaned_data["stars"],
                                  form.cleaned_data["comment"], by=user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Thank you for rating the supplier."))
            return redirect("portal:order", pk=order.pk)
    return order_page(request, order, party, rating_form=form)


@login_required
def complaint_new(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    order, party = _order_for(user, pk)
    if party != journey.RECIPIENT:
        raise Http404
    form = ComplaintForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            journey.file_complaint(order, form.cleaned_data["text"], by=user,
                                   key=form.sent_key)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Your complaint is sent. The supplier answers it "
                                        "and the akimat decides."))
            return redirect("portal:order", pk=order.pk)
    return order_page(request, order, party, complaint_form=form)


# Staff who may open a recipient's card: the akimat of the person's region, and the
# auditors who control it. Suppliers see orders, not cards.
CARD_ROLES = frozenset({Role.AKIMAT_OFFICIAL, Role.AUDITOR})


def may_see_card(user: User, person: Person) -> bool:
    if not user.is_authenticated:
        return False
    if journey.acts_for(user, person):
        return True
    if user.role == Role.AUDITOR:
        return True
    return (user.role == Role.AKIMAT_OFFICIAL and user.organisation is not None
            and user.organisation.region_id == person.region_id)


CARD_RECENT_ORDERS = 20


def _card_person(request: HttpRequest, pk: int) -> Person:
    """The person whose card the user may open; anyone else gets 404 and the attempt is
    logged. Every opening is in the access log."""
    user: User = request.user  # type: ignore[assignment]
    person = Person.objects.filter(pk=pk).select_related("region").first()
    if person is None or not may_see_card(user, person):
        record_event(AuditEvent.Action.ACCESS_REFUSED, model="people.person",
                     object_id=str(pk), object_repr=request.path)
        raise Http404
    record_access(request.path, Person, [person.pk], purpose="recipient card")
    return person


def _with_history(orders: models.QuerySet[Order]) -> models.QuerySet[Order]:
    return orders.select_related("item", "supplier", "reimbursement").prefetch_related(
        "events").order_by("-placed_at", "-pk")


@login_required
def card(request: HttpRequest, pk: int) -> HttpResponse:
    """The electronic recipient card: the whole history in one page, for those who need
    it. Orders under way and the latest ones are on the card; the rest page by page."""
    user: User = request.user  # type: ignore[assignment]
    person = _card_person(request, pk)
    iprs = list(person.iprs.prefetch_related(models.Prefetch(
        "entitlements", queryset=Entitlement.objects.with_balance()
        .select_related("item"))))
    mine = Order.objects.filter(person=person)
    orders = list(_with_history(mine.filter(state__in=Order.OPEN_STATES))) + list(
        _with_history(mine.exclude(state__in=Order.OPEN_STATES))[:CARD_RECENT_ORDERS])
    is_self = journey.acts_for(user, person)
    context = {
        "person": person, "iprs": iprs, "orders": orders, "orders_total": mine.count(),
        "disabilities": person.disabilities.all(),
        "representatives": person.representatives.select_related("account"),
        "consents": person.consents.all(),
        "complaints": Complaint.objects.filter(order__person=person).select_related("order"),
        "is_self": is_self,
        "communication_needs": [str(CommunicationNeed(n).label)
                                for n in person.communication_needs
                                if n in CommunicationNeed.values],
    }
    context.update(card_sections(person))
    return render(request, "portal/card.html", context)


@login_required
def card_orders(request: HttpRequest, pk: int) -> HttpResponse:
    """Every order of the person, page by page."""
    person = _card_person(request, pk)
    page = Paginator(_with_history(Order.objects.filter(person=person)), 50).get_page(
        request.GET.get("page"))
    return render(request, "portal/card_orders.html", {"person": person, "page": page,
                                                       "query": ""})


def card_sections(person: Person) -> dict[str, Any]:
    """Sections other domains add to the card (placements, social workers, cases): each
    a template and what it shows."""
    from tendik.care.models import Placement
    from tendik.cases.models import Case

    placements = Placement.objects.filter(person=person).select_related(
        "provider__organisation").order_by("-start")
    # Only that a case exists and who manages it: its content stays with the case's team.
    cases = Case.objects.filter(models.Q(person=person)
                                | models.Q(family__members__person=person)) \
        .select_related("manager").distinct().order_by("-opened_at")
    assignments = person.social_worker_assignments.select_related(  # type: ignore[attr-defined]
        "worker__employer").prefetch_related("visits").order_by("-start")
    return {"sections": [
        {"template": "portal/includes/card_workers.html", "assignments": assignments},
        {"template": "portal/includes/card_placements.html", "placements": placements},
        {"template": "portal/includes/card_cases.html", "cases": cases},
    ]}
