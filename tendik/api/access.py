"""The accessibility map: facilities as GeoJSON, clustered by the server, and one facility
with its approved passport."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError

from tendik.access import clusters
from tendik.access.assessment import Access, Category, Zone
from tendik.access.forms import FacilityFilterForm
from tendik.access.models import Criterion, Facility, Passport
from tendik.api.auth import PUBLIC, PUBLIC_OPENAPI
from tendik.api.schemas import Error

router = Router(tags=["accessibility map"], auth=PUBLIC)


class MapQuery(Schema):
    bbox: str = "46,40,88,56"
    zoom: int = 5
    type: str | None = None
    region: str | None = None
    status: str | None = None
    category: str | None = None
    q: str | None = None
    lang: Literal["ru", "kk", "en"] | None = Field(
        None, description="The language of names and links (the map sends its page's); "
                          "otherwise the browser's")


class FeatureCollection(Schema):
    type: str
    features: list[dict[str, Any]]


class FacilityDetail(Schema):
    type: str
    id: int
    geometry: dict[str, Any]
    properties: dict[str, Any]


@router.get("/facilities", response={200: FeatureCollection, 422: Error},
            url_name="facilities", openapi_extra=PUBLIC_OPENAPI,
            summary="Facilities in a bounding box as GeoJSON: clusters at low zoom, single "
                    "facilities with their type and status close in")
def facilities(request: HttpRequest, query: Query[MapQuery]) -> dict[str, Any]:
    with translation.override(query.lang or translation.get_language()):
        return _facilities(query)


def _facilities(query: MapQuery) -> dict[str, Any]:
    try:
        box = clusters.BBox.parse(query.bbox)
    except ValueError as error:
        raise ValidationError([{"loc": ["query", "bbox"], "msg": str(error)}]) from error
    filters = {name: value for name in ("type", "region", "status", "category", "q")
               if (value := getattr(query, name))}
    form = FacilityFilterForm(filters)
    if filters and not form.is_valid():
        raise ValidationError([{"loc": ["query", field], "msg": " ".join(map(str, errors))}
                               for field, errors in form.errors.items()])
    chosen = form.chosen_category() if filters else None
    found = form.apply(Facility.objects.all()) if filters else Facility.objects.all()
    # The category under «my needs» re-colours, it does not filter: the map stays whole.
    narrowing = {k for k in filters if k != "category"}
    features = clusters.features(
        found, box, query.zoom, filtered=bool(narrowing),
        url_of=lambda f: reverse("access:facility", args=[f.pk]))
    if chosen is not None:
        for feature in features:
            props = feature["properties"]
            if not props["cluster"]:
                props["status"] = props["access"][chosen.value]
    return {"type": "FeatureCollection", "features": features}


@router.get("/facilities/{facility_id}", response={200: FacilityDetail, 404: Error},
            openapi_extra=PUBLIC_OPENAPI,
            summary="One facility with its approved accessibility passport")
def facility(request: HttpRequest, facility_id: int) -> dict[str, Any]:
    found = get_object_or_404(Facility.objects.select_related("region"), pk=facility_id)
    feature = clusters.facility_feature(found, reverse("access:facility", args=[found.pk]))
    props = feature["properties"]
    props.update({"name_ru": found.name_ru, "name_kk": found.name_kk,
                  "address_ru": found.address_ru, "address_kk": found.address_kk,
                  "region": found.region.kato, "kato": found.kato or None,
                  "osm_id": found.osm_id or None, "meets_standard": found.meets_standard,
                  "parent": found.parent_id, "passport": None})
    approved = found.passports.filter(state=Passport.State.APPROVED).first()
    if approved is not None:
        codes = dict(Criterion.objects.values_list("pk", "code"))
        props["passport"] = {
            "version": approved.version, "surveyed_on": approved.surveyed_on.isoformat(),
            "approved_at": approved.approved_at.isoformat() if approved.approved_at else None,
            "commission": approved.commission.code, "status": approved.status_code,
            "zones": {zone: {category: (None if value is None else Access(value).code)
                             for category, value in row.items()}
                      for zone, row in approved.result.items()},
            "findings": {codes[a.criterion_id]: (float(a.value) if a.value is not None
                                                 else a.met)
                         for a in approved.answers.all()},
        }
    props["categories"] = [c.value for c in Category]
    props["zones"] = [z.value for z in Zone]
    return feature
