"""The registry of social workers: public search.

Only what a recipient needs to choose is published: the worker's name, organisation,
qualification, services, languages, regions, rating, free places and whether a valid
certificate allows choosing them. Never an account, a phone, an IIN or who they serve.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Schema

from tendik.api.auth import PUBLIC, PUBLIC_OPENAPI
from tendik.api.schemas import Error
from tendik.core.models import Region
from tendik.workforce.models import Language, Service, SocialWorker, filter_json_list

router = Router(tags=["social workers"], auth=PUBLIC)


class OrganisationRef(Schema):
    code: str
    name: str


class WorkerOut(Schema):
    id: int
    name: str
    organisation: OrganisationRef
    qualification: str
    category: str
    services: list[str]
    languages: list[str]
    regions: list[str]
    rating: float | None
    ratings: int
    capacity: int
    free_places: int
    certified: bool


class WorkerFilter(Schema):
    region: str | None = None
    service: Service | None = None
    language: Language | None = None


@router.get("/social-workers", response={200: list[WorkerOut], 404: Error},
            openapi_extra=PUBLIC_OPENAPI,
            summary="Active social workers (serving a region, offering a service, speaking a "
                    "language) with their rating, free places and certification today")
def social_workers(request: HttpRequest, filters: Query[WorkerFilter]) -> list[dict[str, Any]]:
    workers = SocialWorker.objects.filter(active=True).with_figures(timezone.localdate()) \
        .select_related("employer").prefetch_related("regions")
    if filters.region:
        workers = workers.filter(regions=get_object_or_404(Region, kato=filters.region))
    if filters.service:
        workers = filter_json_list(workers, "services", filters.service)
    if filters.language:
        workers = filter_json_list(workers, "languages", filters.language)
    return [{
        "id": w.pk, "name": w.full_name,
        "organisation": {"code": w.employer.code, "name": w.employer.name},
        "qualification": w.qualification, "category": w.category,
        "services": w.services, "languages": w.languages,
        "regions": sorted(r.kato for r in w.regions.all()),
        "rating": None if w.rating_mean is None  # type: ignore[attr-defined]
        else round(float(w.rating_mean), 2),  # type: ignore[attr-defined]
        "ratings": w.rating_count,  # type: ignore[attr-defined]
        "capacity": w.capacity, "free_places": w.free_places,
        "certified": w.certified,  # type: ignore[attr-defined]
    } for w in workers.order_by("last_name", "first_name", "pk")]
