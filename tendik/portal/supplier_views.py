"""Suppliers' pages: their orders, their offers, answers to complaints."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tendik.core.audit import acting_as, record_access
from tendik.core.forms import add_errors
from tendik.core.models import Role, User
from tendik.people.models import Person
from tendik.portal import journey, services
from tendik.portal.forms import AnswerForm, OfferForm, OfferPhotoForm, OrderFilterForm
from tendik.portal.models import Complaint, Offer, Order


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
        "form": form, "offer": offer, "photo_form": OfferPhotoForm()})


@login_required
def offer_photo(request: HttpRequest, pk: int) -> HttpResponse:
    user = _supplier(request)
    offer = get_object_or_404(Offer, pk=pk, supplier=user.organisation)
    form = OfferPhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["photo"]
        try:
            services.add_offer_photo(offer, upload, upload.size,
                                     form.cleaned_data["alt_text"], by=user)
        except ValidationError as error:
            add_errors(form, error, default_field="photo")
        else:
            messages.success(request, _("The photo is added."))
            return redirect("portal:supplier_offer", pk=offer.pk)
    return render(request, "portal/offer_form.html", {
        "form": OfferForm(instance=offer), "offer": offer, "photo_form": form})


@login_required
@require_POST
def complaint_answer(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    complaint = get_object_or_404(Complaint.objects.select_related("order"), pk=pk)
    form = AnswerForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Write the answer."))
        journey.answer_complaint(complaint, form.cleaned_data["text"], by=user)
    except PermissionDenied as denied:
        raise Http404 from denied
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Your answer is sent to the akimat."))
    return redirect("portal:order", pk=complaint.order_id)
