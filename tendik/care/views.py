"""Pages of special social services.

Public: the providers, a provider's page and the rates. Staff: placements, bills and the
spending dashboard, each limited to the user's scope. A record outside the scope is a 404;
a page of the user's scope they may read but not change answers 403 to a change.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
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

from tendik.care import services
from tendik.care.forms import (
    EndPlacementForm,
    MonthForm,
    PlacementForm,
    RateForm,
    SpendingForm,
    YearRegionForm,
)
from tendik.care.models import (
    CareForm,
    MonthlyBill,
    Placement,
    Provider,
    Rate,
    Spending,
    SpendingCategory,
)
from tendik.core.audit import record_access
from tendik.core.models import Region, Role, User
from tendik.core.once import created_once
from tendik.core.scoping import get_visible_or_404
from tendik.people.models import Person

PLACEMENTS_PER_PAGE = 50


def current_user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def staff_or_404(request: HttpRequest) -> User:
    """The back-office pages exist only for staff roles."""
    user = current_user(request)
    if not (user.is_staff_role or user.is_superuser):
        raise Http404
    return user


def add_errors(form: Any, error: ValidationError, *, default_field: str | None = None) -> None:
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else default_field, problems)
    else:
        form.add_error(default_field, error)


def last_month(today: dt.date) -> dt.date:
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


# --- Providers (public) ----------------------------------------------------------------

def capacity_rows(provider: Provider, taken: dict[tuple[int, str], int]) -> list[dict[str, Any]]:
    rows = []
    for capacity in provider.capacities.all():
        present = taken.get((provider.pk, capacity.form), 0)
        rows.append({"form": capacity.get_form_display(), "form_value": capacity.form,
                     "places": capacity.places, "taken": present,
                     "free": max(capacity.places - present, 0)})
    return rows


def providers(request: HttpRequest) -> HttpResponse:
    form = YearRegionForm(request.GET or None)
    form.fields["year"].required = False
    chosen = Provider.objects.filter(is_active=True).select_related(
        "organisation__region").prefetch_related("capacities")
    region = form.cleaned_data.get("region") if form.is_bound and form.is_valid() else None
    if region is not None:
        chosen = chosen.filter(organisation__region=region)
    care_form = request.GET.get("form", "")
    if care_form in CareForm.values:
        chosen = chosen.filter(capacities__form=care_form)
    taken = services.occupancy(chosen, timezone.localdate())
    rows = [{"provider": p, "capacities": capacity_rows(p, taken)} for p in chosen]
    return render(request, "care/providers.html", {
        "form": form, "rows": rows, "care_forms": CareForm.choices, "care_form": care_form,
        "user_may_place": current_user(request).is_authenticated
        and current_user(request).role == Role.AKIMAT_OFFICIAL})


def provider(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Provider.objects.select_related("organisation__region"), pk=pk)
    user = current_user(request)
    today = timezone.localdate()
    taken = services.occupancy(Provider.objects.filter(pk=pk), today)
    region_id = found.organisation.region_id
    rates = {r.form: r for r in Rate.objects.filter(region_id=region_id, year=today.year)} \
        if region_id is not None else {}
    capacities = capacity_rows(found, taken)
    for row in capacities:
        row["rate"] = rates.get(row["form_value"])
    in_scope = Provider.objects.visible_to(user).filter(pk=pk).exists()
    return render(request, "care/provider.html", {
        "provider": found, "capacities": capacities, "year": today.year,
        "in_scope": in_scope,
        "bills": found.bills.all()[:12] if in_scope else [],
        "may_report": services.may_report_spending(user, found),
        "last_month": last_month(today)})


# --- Placements (the akimat's register) -------------------------------------------------

@login_required
def placements(request: HttpRequest) -> HttpResponse:
    user = staff_or_404(request)
    show = request.GET.get("show", "current")
    chosen = Placement.objects.all() if show == "all" else Placement.objects.on(
        timezone.localdate())
    rows = chosen.visible_to(user).select_related("person", "provider__organisation",
                                                  "region")
    provider_id = request.GET.get("provider", "")
    if provider_id.isdigit():
        rows = rows.filter(provider_id=int(provider_id))
    page = Paginator(rows.order_by("person__last_name", "person__first_name", "pk"),
                     PLACEMENTS_PER_PAGE).get_page(request.GET.get("page"))
    # Names and IIN fragments of recipients are personal data: the read is recorded.
    record_access(request.get_full_path(), Person, sorted({p.person_id for p in page}),
                  purpose="special social services: placements")
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "care/placements.html", {
        "page": page, "show": show, "query": query.urlencode(),
        "providers": Provider.objects.visible_to(user).select_related("organisation"),
        "provider_id": provider_id,
        "may_place": user.role == Role.AKIMAT_OFFICIAL and user.organisation is not None})


def akimat_region_or_404(request: HttpRequest) -> tuple[User, Region]:
    user = staff_or_404(request)
    organisation = user.organisation
    if user.role != Role.AKIMAT_OFFICIAL or organisation is None \
            or organisation.region is None:
        raise Http404
    return user, organisation.region


@login_required
@created_once
def placement_add(request: HttpRequest) -> HttpResponse:
    user, region = akimat_region_or_404(request)
    form = PlacementForm(
        request.POST or None, persons=Person.objects.visible_to(user),
        providers=Provider.objects.filter(organisation__region=region, is_active=True)
        .select_related("organisation"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.place(data["iin"], data["provider"], by=user, form=data["form"],
                           start=data["start"], end=data["end"], basis=data["basis"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The recipient is placed."))
            return redirect("care:placements")
    return render(request, "care/placement_form.html", {"form": form, "region": region})


@login_required
def placement_end(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_or_404(request)
    placement = get_visible_or_404(
        Placement.objects.select_related("person", "provider__organisation"), user, pk=pk)
    if not services.may_place(user, placement.provider):
        raise PermissionDenied
    form = EndPlacementForm(request.POST or None,
                            initial={"end": placement.end or timezone.localdate(),
                                     "reason": placement.end_reason})
    if request.method == "POST" and form.is_valid():
        try:
            services.end_placement(placement, by=user, end=form.cleaned_data["end"],
                                   reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_errors(form, error, default_field="end")
        else:
            messages.success(request, _("The placement's end is saved."))
            return redirect("care:placements")
    record_access(request.get_full_path(), Person, [placement.person_id],
                  purpose="special social services: ending a placement")
    return render(request, "care/placement_end.html", {"form": form,
                                                        "placement": placement})


# --- Rates (public; set by the МТСЗН and the akimats) ----------------------------------

def rate_regions(user: User) -> models.QuerySet[Region]:
    if services.is_national(user):
        return Region.objects.all()
    organisation = user.organisation if user.is_authenticated else None
    region_id = organisation.region_id if organisation is not None else None
    if region_id is not None and services.is_akimat_of(user, region_id):
        return Region.objects.filter(pk=region_id)
    return Region.objects.none()


def rates(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    today = timezone.localdate()
    filters = YearRegionForm(request.GET if "year" in request.GET else None,
                             initial={"year": today.year})
    year, region = today.year, None
    if filters.is_bound and filters.is_valid():
        year, region = filters.cleaned_data["year"], filters.cleaned_data["region"]
    editable = rate_regions(user)
    form = RateForm(request.POST or None, regions=editable) if editable.exists() else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                services.set_rate(by=user, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            except PermissionDenied:
                raise Http404 from None
            else:
                messages.success(request, _("The rate is saved."))
                return redirect(f"{request.path}?year={form.cleaned_data['year']}")
    regions = Region.objects.all() if region is None else Region.objects.filter(pk=region.pk)
    found: dict[tuple[int, str], Rate] = {
        (r.region_id, r.form): r for r in Rate.objects.filter(year=year, region__in=regions)}
    table = [{"region": r, "cells": [found.get((r.pk, f)) for f in CareForm.values]}
             for r in regions]
    return render(request, "care/rates.html", {
        "filters": filters, "form": form, "year": year, "table": table,
        "care_forms": CareForm.choices,
        "acts": sorted({r.legal_act for r in found.values()})})


# --- Monthly bills -----------------------------------------------------------------------

@login_required
def billing(request: HttpRequest) -> HttpResponse:
    user = staff_or_404(request)
    form, year, month = MonthForm.for_request(request.GET, last_month(timezone.localdate()))
    visible = Provider.objects.visible_to(user).select_related("organisation__region")
    bills = {b.provider_id: b for b in MonthlyBill.objects.visible_to(user).filter(
        year=year, month=month)}
    rows = [{"provider": p, "bill": bills.get(p.pk)} for p in visible]
    return render(request, "care/billing.html", {
        "form": form, "year": year, "month": month, "rows": rows,
        "period": dt.date(year, month, 1)})


@login_required
def bill(request: HttpRequest, pk: int, year: int, month: int) -> HttpResponse:
    user = staff_or_404(request)
    found = get_visible_or_404(Provider.objects.select_related("organisation__region"),
                               user, pk=pk)
    if not 1 <= month <= 12 or not 2019 <= year <= 2100:
        raise Http404
    current = MonthlyBill.objects.filter(provider=found, year=year, month=month).first()
    if request.method == "POST":
        try:
            if "approve" in request.POST:
                if current is None:
                    raise ValidationError(_("Compute the bill before approving it."))
                services.approve_bill(current, by=user)
                messages.success(request, _("The bill is approved; it can no longer change."))
            else:
                services.compute_bill(found, year, month, by=user)
                messages.success(request, _("The bill is computed."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("care:bill", pk=pk, year=year, month=month)
    lines = list(current.lines.select_related("placement__person").order_by(
        "placement__person__last_name", "pk")) if current else []
    record_access(request.get_full_path(), Person,
                  sorted({line.placement.person_id for line in lines}),
                  purpose="special social services: monthly bill")
    period = dt.date(year, month, 1)
    return render(request, "care/bill.html", {
        "provider": found, "bill": current, "lines": lines, "year": year, "month": month,
        "period": period,
        "previous": last_month(period),
        "next": (period + dt.timedelta(days=32)).replace(day=1),
        "may_compute": services.may_compute(user, found)
        and (current is None or not current.is_locked),
        "may_approve": services.may_approve(user, found) and current is not None
        and not current.is_locked})


# --- Spending against income ---------------------------------------------------------------

@login_required
def spending(request: HttpRequest) -> HttpResponse:
    user = staff_or_404(request)
    today = timezone.localdate()
    filters = YearRegionForm(request.GET if "year" in request.GET else None,
                             initial={"year": today.year})
    year, region = today.year, None
    if filters.is_bound and filters.is_valid():
        year, region = filters.cleaned_data["year"], filters.cleaned_data["region"]
    rows = services.spending_vs_income(year, providers=Provider.objects.visible_to(user),
                                       region=region)
    by_region: dict[Region, list[services.Comparison]] = defaultdict(list)
    for row in rows:
        if row.provider.organisation.region is not None:
            by_region[row.provider.organisation.region].append(row)
    regions = [{"region": r, **services.totals(items)}
               for r, items in sorted(by_region.items(), key=lambda kv: kv[0].name)]
    return render(request, "care/spending.html", {
        "filters": filters, "year": year, "rows": sorted(rows, key=lambda r: (
            r.ratio is None, r.ratio or Decimal(0))),
        "regions": regions, "totals": services.totals(rows),
        "threshold": int(services.UNDERSPENDING_RATIO * 100),
        "own": [p for p in Provider.objects.visible_to(user).select_related("organisation")
                if services.may_report_spending(user, p)]})


@login_required
@created_once
def spending_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_or_404(request)
    found = get_visible_or_404(Provider.objects.select_related("organisation"), user, pk=pk)
    if not services.may_report_spending(user, found):
        raise PermissionDenied
    previous = last_month(timezone.localdate())
    form = SpendingForm(request.POST or None,
                        initial={"year": previous.year, "month": previous.month})
    if request.method == "POST" and form.is_valid():
        try:
            services.report_spending(found, form.cleaned_data["year"],
                                     form.cleaned_data["month"], by=user,
                                     amounts=form.amounts())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The spending is saved."))
            return redirect("care:spending_add", pk=pk)
    reported: dict[tuple[int, int], dict[str, Decimal]] = defaultdict(dict)
    for row in Spending.objects.filter(provider=found).order_by("-year", "-month")[:60]:
        reported[(row.year, row.month)][row.category] = row.amount
    history = [{"period": dt.date(y, m, 1),
                "cells": [amounts.get(c) for c in SpendingCategory.values],
                "total": sum(amounts.values(), Decimal(0))}
               for (y, m), amounts in reported.items()]
    return render(request, "care/spending_form.html", {
        "provider": found, "form": form, "history": history,
        "categories": SpendingCategory.choices})
