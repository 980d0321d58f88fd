"""Suppliers' pages: their orders, their offers, answers to complaints."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from tendik.core.audit import acting_as, record_access
from tendik.core.forms import add_errors
from tendik.core.models import Role, User
from tendik.people.models import Person
from tendik.portal import claims as supplier_claims
from tendik.portal import journey, services
from tendik.portal.forms import (
    AnswerForm,
    ClaimFilterForm,
    OfferForm,
    OfferPhotoForm,
    OrderFilterForm,
)
from tendik.portal.models import Complaint, Offer, Order, Reimbursement
from tendik.portal.views import order_page


def _supplier(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if user.role != Role.SUPPLIER or user.organisation is None:
        raise Http404
    return user


@login_required
def orders(request: HttpRequest) -> HttpResponse:
    user = _supplier(request)
    form = OrderFilterForm(request.GET or None)
    queryset = Order.objects.filter(supplier=user.organisation).select_related(
        "item", "person", "region")
    queryset = form.apply(queryset)
    page = Paginator(queryset.order_by("-placed_at", "-pk"), 50).get_page(
        request.GET.get("page"))
    record_access(request.path, Person, {o.person_id for o in page})
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "portal/supplier_orders.html", {
        "form": form, "page": page, "query": query.urlencode(),
        "open_complaints": Complaint.objects.filter(supplier=user.organisation,
                                                    state=Complaint.State.OPEN).count()})


CLAIMS_PER_PAGE = 50


@login_required
def claims(request: HttpRequest) -> HttpResponse:
    """The supplier's claims with their checks, approvals and payments, and its totals
    month by month."""
    user = _supplier(request)
    supplier = user.organisation
    assert supplier is not None
    form = ClaimFilterForm(request.GET or None, years=supplier_claims.years_of(supplier))
    year, state, number = form.values()
    page = Paginator(supplier_claims.of_supplier(supplier, state=state, year=year,
                                                 number=number),
                     CLAIMS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "portal/supplier_claims.html", {
        "form": form, "page": page, "query": query.urlencode(), "year": year,
        "months": supplier_claims.by_month(supplier, year)})


@login_required
def claim(request: HttpRequest, pk: int) -> HttpResponse:
    user = _supplier(request)
    found = get_object_or_404(
        Reimbursement.objects.select_related("order__item", "supplier", "accountant", "head",
                                             "rejected_by__organisation"),
        pk=pk, supplier=user.organisation)
    return render(request, "portal/supplier_claim.html", {
        "claim": found, "checks": found.checks.all()})


@login_required
def offers(request: HttpRequest) -> HttpResponse:
    user = _supplier(request)
    return render(request, "portal/supplier_offers.html", {
        "offers": Offer.objects.filter(supplier=user.organisation).select_related("item")})


@login_required
def offer_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = _supplier(request)
    offer = get_object_or_404(Offer, pk=pk, supplier=user.organisation) if pk else \
        Offer(supplier=user.organisation)
    form = OfferForm(request.POST or None, instance=offer)
    if request.method == "POST" and form.is_valid():
        with acting_as(user=user):
            form.save()
        messages.success(request, _("The offer is saved."))
        return redirect("portal:supplier_offers")
    return render(request, "portal/offer_form.html", {
        "form": form, "offer": offer, "photo_form": OfferPhotoForm(user_id=user.pk)})


@login_required
def offer_photo(request: HttpRequest, pk: int) -> HttpResponse:
    """A photo of the offer. When the form fails for another reason (no description),
    the photo chosen is kept and the page says so."""
    user = _supplier(request)
    offer = get_object_or_404(Offer, pk=pk, supplier=user.organisation)
    form = OfferPhotoForm(request.POST or None, request.FILES or None, user_id=user.pk)
    if request.method == "POST" and form.is_valid():
        chosen = form.chosen_photo()
        assert chosen is not None  # the form requires one
        try:
            services.add_offer_photo(offer, chosen.handle, chosen.size,
                                     form.cleaned_data["alt_text"], by=user)
        except ValidationError as error:
            add_errors(form, error, default_field="photo")
        else:
            form.forget_kept_photo()
            messages.success(request, _("The photo is added."))
            return redirect("portal:supplier_offer", pk=offer.pk)
    if request.method == "POST":
        form.keep_photo()
    return render(request, "portal/offer_form.html", {
        "form": OfferForm(instance=offer), "offer": offer, "photo_form": form})


@login_required
def complaint_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The supplier's answer; when it fails, the order's page comes back with the error
    and the answer as typed."""
    user: User = request.user  # type: ignore[assignment]
    complaint = get_object_or_404(Complaint.objects.select_related("order"), pk=pk)
    order = complaint.order
    if journey.party_of(user, order) != journey.SUPPLIER:
        raise Http404
    if request.method != "POST":  # the page of a failed answer, opened again
        return redirect("portal:order", pk=order.pk)
    form = AnswerForm(request.POST, auto_id=f"answer-{complaint.pk}-%s")
    if form.is_valid():
        try:
            journey.answer_complaint(complaint, form.cleaned_data["text"], by=user)
        except PermissionDenied as denied:
            raise Http404 from denied
        except ValidationError as error:
            add_errors(form, error, default_field="text")
        else:
            messages.success(request, _("Your answer is sent to the akimat."))
            return redirect("portal:order", pk=complaint.order_id)
    return order_page(request, order, journey.SUPPLIER, answer_form=form,
                      complaint_id=complaint.pk)
