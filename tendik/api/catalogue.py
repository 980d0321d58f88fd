"""The classifier of technical aids and services with the price caps in force, and the
accredited suppliers with their offers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Avg, Count
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Schema

from tendik.api.auth import PUBLIC, PUBLIC_OPENAPI
from tendik.api.schemas import Error
from tendik.core.models import Organisation, Region
from tendik.portal.models import Accreditation, CatalogueItem, Offer, cap_for

router = Router(tags=["social services portal"], auth=PUBLIC)


class CapOut(Schema):
    amount: float
    currency: str
    region: str | None
    valid_from: dt.date
    valid_to: dt.date | None
    legal_act: str


class ItemOut(Schema):
    code: str
    group: str
    name: dict[str, str]
    unit: str
    replacement_months: int
    yearly_quantity: int | None
    needs_fitting: bool
    is_service: bool
    cap: CapOut | None


class ItemFilter(Schema):
    group: str | None = None
    region: str | None = None
    on: dt.date | None = None
    q: str | None = None


@router.get("/catalogue/items", response={200: list[ItemOut], 404: Error},
            openapi_extra=PUBLIC_OPENAPI,
            summary="The classifier of aids and services with the price cap in force (on a "
                    "day, in a region)")
def items(request: HttpRequest, filters: Query[ItemFilter]) -> list[dict[str, Any]]:
    region = get_object_or_404(Region, kato=filters.region) if filters.region else None
    day = filters.on or timezone.localdate()
    found = CatalogueItem.objects.filter(active=True).select_related("group")
    if filters.group:
        found = found.filter(group__code=filters.group)
    if filters.q:
        found = found.filter(name_ru__icontains=filters.q) | found.filter(
            name_kk__icontains=filters.q) | found.filter(name_en__icontains=filters.q)
    result = []
    for item in found.order_by("code"):
        cap = cap_for(item, region, day)
        result.append({
            "code": item.code, "group": item.group.code,
            "name": {"ru": item.name_ru, "kk": item.name_kk, "en": item.name_en},
            "unit": item.unit, "replacement_months": item.replacement_months,
            "yearly_quantity": item.yearly_quantity, "needs_fitting": item.needs_fitting,
            "is_service": item.is_service,
            "cap": None if cap is None else {
                "amount": float(cap.amount), "currency": "KZT",
                "region": cap.region.kato if cap.region else None,
                "valid_from": cap.valid_from, "valid_to": cap.valid_to,
                "legal_act": cap.legal_act},
        })
    return result


class PublicOfferOut(Schema):
    """An offer as anyone may see it; `id` is what an order names (POST /me/orders)."""

    id: int
    item: str
    title: str
    price: float
    copayment: float
    delivery: list[str]
    lead_time_days: int
    fitting: bool


class SupplierOut(Schema):
    code: str
    name: str
    bin: str
    regions: list[str]
    rating: float | None
    ratings: int
    offers: list[PublicOfferOut]


class SupplierFilter(Schema):
    region: str | None = None
    item: str | None = None


def rating(supplier: Any) -> float | None:
    return None if supplier.rating_mean is None else round(supplier.rating_mean, 2)


@router.get("/suppliers", response={200: list[SupplierOut], 404: Error},
            openapi_extra=PUBLIC_OPENAPI,
            summary="Suppliers accredited today (in a region), with their offers (of an item) "
                    "and the co-payment each leaves after the cap")
def suppliers(request: HttpRequest, filters: Query[SupplierFilter]) -> list[dict[str, Any]]:
    today = timezone.localdate()
    region = get_object_or_404(Region, kato=filters.region) if filters.region else None
    accreditations = Accreditation.objects.filter(
        status=Accreditation.Status.ACCREDITED, valid_from__lte=today, valid_to__gte=today)
    if region is not None:
        accreditations = accreditations.filter(region=region)
    served: dict[int, set[str]] = {}
    for supplier_id, kato in accreditations.values_list("supplier_id", "region__kato"):
        served.setdefault(supplier_id, set()).add(kato)
    offers = Offer.objects.filter(supplier_id__in=served, active=True).select_related("item")
    if filters.item:
        offers = offers.filter(item__code=filters.item)
    by_supplier: dict[int, list[dict[str, Any]]] = {}
    for offer in offers.order_by("item__code", "price"):
        cap = cap_for(offer.item, region, today)
        by_supplier.setdefault(offer.supplier_id, []).append({
            "id": offer.pk, "item": offer.item.code, "title": offer.title,
            "price": float(offer.price),
            "copayment": float(offer.copayment(cap)), "delivery": offer.delivery,
            "lead_time_days": offer.lead_time_days, "fitting": offer.fitting})
    organisations = Organisation.objects.filter(pk__in=served).order_by("code").annotate(
        rating_mean=Avg("ratings__stars"), rating_count=Count("ratings"))
    return [{"code": o.code, "name": o.name, "bin": o.bin, "regions": sorted(served[o.pk]),
             "rating": rating(o), "ratings": o.rating_count,  # type: ignore[attr-defined]
             "offers": by_supplier.get(o.pk, [])}
            for o in organisations if not filters.item or o.pk in by_supplier]
