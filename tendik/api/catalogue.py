"""The classifier of technical aids and services, with the price caps in force."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Schema

from tendik.api.auth import PUBLIC, PUBLIC_OPENAPI
from tendik.api.schemas import Error
from tendik.core.models import Region
from tendik.portal.models import CatalogueItem, cap_for

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
