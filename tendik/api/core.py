"""Reference data: regions (KATO) and the organisations that execute the plan."""

from __future__ import annotations

from typing import Annotated

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema

from tendik.api.auth import PUBLIC, PUBLIC_OPENAPI
from tendik.api.schemas import Error, Name, OrganisationOut, RegionOut, named
from tendik.core.models import Organisation, Region

router = Router(tags=["reference data"], auth=PUBLIC)

OrganisationKind = Annotated[Organisation.Kind, named(Organisation.Kind, "OrganisationKind")]


def region_out(region: Region) -> RegionOut:
    return RegionOut(
        kato=region.kato,
        kind=region.kind,
        name=Name(ru=region.name_ru, kk=region.name_kk, en=region.name_en),
        centre=Name(ru=region.centre_ru, kk=region.centre_kk, en=region.centre_en),
        latitude=float(region.latitude),
        longitude=float(region.longitude),
    )


def organisation_out(organisation: Organisation) -> OrganisationOut:
    return OrganisationOut(
        code=organisation.code,
        kind=organisation.kind,
        abbreviation_ru=organisation.abbreviation_ru,
        name=Name(ru=organisation.name_ru, kk=organisation.name_kk, en=organisation.name_en),
        region_kato=organisation.region.kato if organisation.region else None,
        is_active=organisation.is_active,
    )


@router.get("/regions", response=list[RegionOut], summary="List the 20 first-level regions",
            openapi_extra=PUBLIC_OPENAPI)
def list_regions(request: HttpRequest) -> list[RegionOut]:
    return [region_out(region) for region in Region.objects.order_by("kato")]


@router.get("/regions/{kato}", response={200: RegionOut, 404: Error},
            summary="One region by its KATO code",
            openapi_extra=PUBLIC_OPENAPI)
def get_region(request: HttpRequest, kato: str) -> RegionOut:
    return region_out(get_object_or_404(Region, kato=kato))


class OrganisationFilter(Schema):
    kind: OrganisationKind | None = None
    region: str | None = None
    active: bool | None = None


@router.get("/organisations", response={200: list[OrganisationOut], 422: Error},
            summary="List organisations, by kind and region (KATO)",
            openapi_extra=PUBLIC_OPENAPI)
def list_organisations(request: HttpRequest,
                       filters: Query[OrganisationFilter]) -> list[OrganisationOut]:
    organisations = Organisation.objects.select_related("region").order_by("kind", "code")
    if filters.kind:
        organisations = organisations.filter(kind=filters.kind)
    if filters.region:
        organisations = organisations.filter(region__kato=filters.region)
    if filters.active is not None:
        organisations = organisations.filter(is_active=filters.active)
    return [organisation_out(o) for o in organisations]


@router.get("/organisations/{code}", response={200: OrganisationOut, 404: Error},
            summary="One organisation by its code",
            openapi_extra=PUBLIC_OPENAPI)
def get_organisation(request: HttpRequest, code: str) -> OrganisationOut:
    return organisation_out(get_object_or_404(Organisation.objects.select_related("region"),
                                              code=code))
