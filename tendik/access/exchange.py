"""Facilities in and out: GeoJSON, CSV and A11yJSON exports; imports from CSV / XLSX
(facilities, and their passports' findings when the file has criterion columns) and from
OpenStreetMap files (.osm XML, .pbf through the osmium package). Imports are all or
nothing: every row is checked, the errors are named by row and column, and nothing is
written while one remains."""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tendik.access import clusters, services
from tendik.access.assessment import Access, Category
from tendik.access.models import (
    Criterion,
    Facility,
    FacilityType,
    Passport,
    PassportAnswer,
    PassportTransition,
    result_json,
)
from tendik.core import exports, imports
from tendik.core.audit import acting_as
from tendik.core.imports import ImportRefused, RowError
from tendik.core.models import Organisation, Region, Role, User

MAX_ROWS = 20_000
FACILITY_COLUMNS = ("name_ru", "name_kk", "address_ru", "address_kk", "region", "kato",
                    "latitude", "longitude", "type", "osm_id")
REQUIRED = ("name_ru", "address_ru", "region", "latitude", "longitude", "type")
# Stored as they are read: checked against their columns' lengths (imports.field_errors).
TEXT_COLUMNS = ("name_ru", "name_kk", "address_ru", "address_kk", "kato", "osm_id")




# --- Export ---------------------------------------------------------------------------------

def export_geojson(facilities: QuerySet[Facility]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": [
        clusters.facility_feature(f) | {"properties": {
            **clusters.facility_feature(f)["properties"], "name_ru": f.name_ru,
            "name_kk": f.name_kk, "address_ru": f.address_ru, "region": f.region.kato,
            "osm_id": f.osm_id or None, "meets_standard": f.meets_standard}}
        for f in facilities.select_related("region").order_by("pk")]}


def export_csv(facilities: QuerySet[Facility]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", *FACILITY_COLUMNS, "status", *(c.value for c in Category),
                     "meets_standard"])
    for f in facilities.select_related("region").order_by("pk"):
        writer.writerow(exports.row([
            f.pk, f.name_ru, f.name_kk, f.address_ru, f.address_kk, f.region.kato, f.kato,
            f.latitude, f.longitude, f.type, f.osm_id, f.status_code,
            *(clusters.level_of(f.access(c)) for c in Category),
            "yes" if f.meets_standard else "no"]))
    return out.getvalue()


A11Y_CATEGORIES = {  # our types → A11yJSON / accessibility.cloud categories
    "railway_station": "train_station", "bus_terminal": "bus_station",
    "bus_station": "bus_station", "airport": "airport", "school": "school",
    "kindergarten": "kindergarten", "college": "college", "university": "university",
    "health": "hospital", "pharmacy": "pharmacy", "shop": "shopping_mall",
    "market": "marketplace", "cinema": "cinema", "museum": "museum", "theatre": "theatre",
    "sports": "sports_centre", "government": "townhall", "social": "social_facility",
    "bank": "bank", "post": "post_office", "hotel": "hotel", "food": "restaurant",
    "park": "park", "other": "undefined",
}


def export_a11yjson(facilities: QuerySet[Facility]) -> dict[str, Any]:
    """PlaceInfo features in sozialhelden's A11yJSON: what the approved passports found."""
    approved = {p.facility_id: p for p in Passport.objects.filter(
        state=Passport.State.APPROVED, facility__in=facilities)}
    findings: dict[int, dict[str, Any]] = {}
    for answer in PassportAnswer.objects.filter(passport__in=approved.values()) \
            .select_related("criterion", "passport"):
        findings.setdefault(answer.passport.facility_id, {})[answer.criterion.code] = \
            answer.answer
    return {"type": "FeatureCollection", "features": [
        place_info(f, findings.get(f.pk, {})) for f in facilities.select_related("region")
        .order_by("pk")]}


def _length(value: Any) -> dict[str, Any] | None:
    return None if value is None else {"value": float(value), "unit": "m"}


def place_info(facility: Facility, found: dict[str, Any]) -> dict[str, Any]:
    wheelchair = facility.access(Category.K)
    accessibility: dict[str, Any] = {}
    if wheelchair is not None:
        accessibility["accessibleWith"] = {"wheelchair": wheelchair >= Access.PARTIAL}
    entrance = {key: value for key, value in {
        "isLevel": found.get("step-free-entrance"),
        "hasFixedRamp": None if "ramp-slope" not in found else found["ramp-slope"] is not None,
        "hasRemovableRamp": found.get("portable-ramp"),
        "door": {"width": _length(found["door-clear-width"])}
        if found.get("door-clear-width") is not None else None,
    }.items() if value is not None}
    if entrance:
        accessibility["entrances"] = [entrance]
    if "accessible-toilet" in found:
        accessibility["restrooms"] = [{key: value for key, value in {
            "isAccessibleWithWheelchair": found.get("accessible-toilet"),
            "grabBars": {"onUsersLeftSide": found["toilet-grab-bars"],
                         "onUsersRightSide": found["toilet-grab-bars"]}
            if found.get("toilet-grab-bars") is not None else None,
        }.items() if value is not None}]
    if found.get("accessible-parking-share") is not None:
        accessibility["parking"] = {"forWheelchairUsers": {
            "isAvailable": found["accessible-parking-share"] > 0}}
    if found.get("induction-loop") is not None:
        accessibility["hasInductionLoop"] = found["induction-loop"]
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [facility.longitude, facility.latitude]},
        "properties": {
            "name": {"ru": facility.name_ru, **({"kk": facility.name_kk}
                                                if facility.name_kk else {})},
            "category": A11Y_CATEGORIES.get(facility.type, "undefined"),
            "address": {"text": {"ru": facility.address_ru}, "regions": [facility.region.name_ru],
                        "countryCode": "KZ"},
            "accessibility": accessibility,
            "originalId": str(facility.pk),
            "sameAs": [f"https://www.openstreetmap.org/{facility.osm_id}"]
            if facility.osm_id else [],
        },
    }


# --- Import from a table ------------------------------------------------------------------

def read_table(handle: IO[bytes], filename: str) -> tuple[list[list[str]], list[RowError]]:
    """The rows of a table, read one at a time: reading stops past MAX_ROWS
    (tendik/core/imports.py)."""
    name = filename.lower()
    if not name.endswith((".xlsx", ".csv")):
        return [], [RowError(0, "", _("Upload an .xlsx or .csv file."))]
    try:
        imports.check_size(handle)
        if name.endswith(".csv"):
            return [[str(exports.restored(c)) for c in row]
                    for row in imports.csv_rows(handle, MAX_ROWS, delimiter=_delimiter)], []
        workbook = imports.open_workbook(handle)
        try:
            if not workbook.worksheets:
                return [], [RowError(0, "", _("The file is empty."))]
            return list(imports.sheet_rows(workbook.worksheets[0], _cell, MAX_ROWS)), []
        finally:
            workbook.close()
    except ImportRefused as refused:
        return [], refused.errors


def _delimiter(header: str) -> str:
    return max(",;\t", key=lambda d: len(set(header.split(d)) & set(REQUIRED)))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    return str(exports.restored(str(value).strip()))


@dataclass
class ParsedRow:
    number: int
    facility: dict[str, Any]
    answers: dict[str, Decimal | bool | None] = field(default_factory=dict)
    surveyed_on: dt.date | None = None


def parse_table(rows: list[list[str]], *, by: User) -> tuple[list[ParsedRow], list[RowError]]:
    if not rows:
        return [], [RowError(0, "", _("The file is empty."))]
    header = [h.strip() for h in rows[0]]
    errors: list[RowError] = []
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        return [], [RowError(1, ", ".join(missing), _("These columns are missing."))]
    criteria = {c.code: c for c in Criterion.objects.all()}
    known = {*FACILITY_COLUMNS, "surveyed_on", *criteria}
    unknown = [h for h in header if h and h not in known]
    if unknown:
        errors.append(RowError(1, ", ".join(unknown), _("Unknown columns.")))
    body = [(n, row) for n, row in enumerate(rows[1:], start=2) if any(row)]
    if len(body) > MAX_ROWS:
        return [], [RowError(0, "", _("At most %(n)s rows in one file.") % {"n": MAX_ROWS})]
    regions = {r.kato: r for r in Region.objects.all()}
    types = set(FacilityType.values)
    seen_osm: dict[str, int] = {}
    parsed = []
    for number, raw in body:
        cells = dict(zip(header, [*raw, *[""] * (len(header) - len(raw))], strict=False))

        def error(column: str, message: str, row: int = number) -> None:
            errors.append(RowError(row, column, message))

        for column in REQUIRED:
            if not cells.get(column):
                error(column, _("Required."))
        region = regions.get(cells.get("region", ""))
        if cells.get("region") and region is None:
            error("region", _("Unknown KATO code %(code)s.") % {"code": cells["region"]})
        if region is not None and not may_import_for(by, region):
            error("region", _("You may import facilities of your own region only."))
        coordinates = {}
        for column, low, high in (("latitude", 40, 56), ("longitude", 46, 88)):
            try:
                number_value = float(cells.get(column, "").replace(",", "."))
            except ValueError:
                if cells.get(column):
                    error(column, _("Give a number in degrees."))
                continue
            if not low <= number_value <= high:
                error(column, _("Outside Kazakhstan: between %(low)s and %(high)s.")
                      % {"low": low, "high": high})
            coordinates[column] = number_value
        if cells.get("type") and cells["type"] not in types:
            error("type", _("Unknown type; allowed: %(types)s.") % {"types": ", ".join(
                sorted(types))})
        osm_id = cells.get("osm_id", "")
        if osm_id:
            if osm_id in seen_osm:
                error("osm_id", _("The same OpenStreetMap id is on row %(row)s.")
                      % {"row": seen_osm[osm_id]})
            seen_osm[osm_id] = number
        answers = {}
        for code, criterion in criteria.items():
            if cells.get(code):
                try:
                    answers[code] = services.parse_answer(criterion,
                                                          _answer_text(criterion, cells[code]))
                except ValidationError as invalid:
                    error(code, " ".join(invalid.messages))
        surveyed_on = None
        if cells.get("surveyed_on"):
            try:
                surveyed_on = dt.date.fromisoformat(cells["surveyed_on"])
            except ValueError:
                error("surveyed_on", _("Give the date as YYYY-MM-DD."))
        elif answers:
            error("surveyed_on", _("Give the date of the survey for the findings."))
        texts = {column: cells.get(column, "") for column in TEXT_COLUMNS}
        errors.extend(imports.field_errors(Facility, texts, row=number))
        for code, answer in answers.items():
            if criteria[code].measured:
                errors.extend(imports.field_errors(PassportAnswer, {"value": answer},
                                                   row=number, columns={"value": code}))
        parsed.append(ParsedRow(number, {
            **texts, "region": region, "type": cells.get("type", ""), **coordinates},
            answers, surveyed_on))
    return parsed, errors


YES_NO = {"yes": "yes", "да": "yes", "иә": "yes", "true": "yes",
          "no": "no", "нет": "no", "жоқ": "no", "false": "no"}


def _answer_text(criterion: Criterion, text: str) -> str:
    """Spreadsheets write yes / no in the language of whoever filled them."""
    return text if criterion.measured else YES_NO.get(text.strip().lower(), text)


def may_import_for(user: User, region: Region) -> bool:
    if user.role == Role.ANALYST or user.is_superuser:
        return True
    organisation = user.organisation
    return (user.role == Role.AKIMAT_OFFICIAL and organisation is not None
            and organisation.region_id == region.pk)


def import_table(handle: IO[bytes], filename: str, *, by: User) -> dict[str, int]:
    """Create or update facilities (matched by OpenStreetMap id when given); rows with
    findings get a new approved passport version, the importer approving. The file is
    read and checked before the transaction: a write lock is held only while writing."""
    if not (by.role in (Role.ANALYST, Role.AKIMAT_OFFICIAL) or by.is_superuser):
        raise PermissionDenied
    rows, errors = read_table(handle, filename)
    parsed, more = parse_table(rows, by=by) if not errors else ([], [])
    errors += more
    if errors:
        raise ImportRefused(errors)
    if not parsed:
        raise ImportRefused([RowError(0, "", _("The file has no rows."))])
    return _write_table(parsed, filename, by=by)


@transaction.atomic
def _write_table(parsed: list[ParsedRow], filename: str, *, by: User) -> dict[str, int]:
    counts = {"created": 0, "updated": 0, "passports": 0}
    akimats = {o.region_id: o for o in Organisation.objects.filter(
        kind=Organisation.Kind.AKIMAT)}
    rules = services.rules()
    with acting_as(user=by, reason=f"import {filename}"[:300]):
        for row in parsed:
            values = row.facility
            existing = Facility.objects.filter(osm_id=values["osm_id"]).first() \
                if values["osm_id"] else None
            if existing is None:
                facility = Facility.objects.create(**values)
                counts["created"] += 1
            else:
                for name, value in values.items():
                    setattr(existing, name, value)
                existing.save()
                facility = existing
                counts["updated"] += 1
            if row.answers:
                _approved_passport(facility, row, akimats[facility.region_id], by, rules)
                counts["passports"] += 1
    return counts


def _approved_passport(facility: Facility, row: ParsedRow, commission: Organisation,
                       by: User, rules: list[Any]) -> None:
    from tendik.access.assessment import assess

    previous = facility.passports.order_by("-version").first()
    result = assess(rules, row.answers)
    for old in facility.passports.filter(state__in=[Passport.State.APPROVED,
                                                    Passport.State.DRAFT,
                                                    Passport.State.SUBMITTED]):
        old.state = Passport.State.ARCHIVED
        old.save()
    passport = Passport.objects.create(
        facility=facility, version=(previous.version + 1) if previous else 1,
        state=Passport.State.APPROVED, commission=commission,
        surveyed_on=row.surveyed_on or timezone.localdate(), status_code=result.code,
        result=result_json(result.zones), approved_at=timezone.now(), approved_by=by,
        notes=_("Imported from a file."))
    criteria = Criterion.objects.in_bulk(list(row.answers), field_name="code")
    PassportAnswer.objects.bulk_create(
        PassportAnswer(passport=passport, criterion=criteria[code],
                       value=value if criteria[code].measured else None,
                       met=None if criteria[code].measured else bool(value))
        for code, value in row.answers.items() if value is not None)
    PassportTransition.objects.create(passport=passport, from_state=Passport.State.DRAFT,
                                      to_state=Passport.State.APPROVED, by=by,
                                      comment="import")
    services.apply_status(facility, result)


# --- Import from OpenStreetMap -------------------------------------------------------------

OSM_TYPES = (  # the first tag that matches decides
    ("railway", "station", FacilityType.RAILWAY_STATION),
    ("building", "train_station", FacilityType.RAILWAY_STATION),
    ("amenity", "bus_station", FacilityType.BUS_TERMINAL),
    ("aeroway", "aerodrome", FacilityType.AIRPORT),
    ("aeroway", "terminal", FacilityType.AIRPORT),
    ("amenity", "school", FacilityType.SCHOOL),
    ("amenity", "kindergarten", FacilityType.KINDERGARTEN),
    ("amenity", "college", FacilityType.COLLEGE),
    ("amenity", "university", FacilityType.UNIVERSITY),
    ("amenity", "hospital", FacilityType.HEALTH),
    ("amenity", "clinic", FacilityType.HEALTH),
    ("amenity", "doctors", FacilityType.HEALTH),
    ("amenity", "pharmacy", FacilityType.PHARMACY),
    ("shop", "mall", FacilityType.SHOP),
    ("shop", "supermarket", FacilityType.SHOP),
    ("amenity", "marketplace", FacilityType.MARKET),
    ("amenity", "cinema", FacilityType.CINEMA),
    ("tourism", "museum", FacilityType.MUSEUM),
    ("amenity", "theatre", FacilityType.THEATRE),
    ("leisure", "sports_centre", FacilityType.SPORTS),
    ("leisure", "stadium", FacilityType.SPORTS),
    ("amenity", "townhall", FacilityType.GOVERNMENT),
    ("office", "government", FacilityType.GOVERNMENT),
    ("amenity", "social_facility", FacilityType.SOCIAL),
    ("amenity", "bank", FacilityType.BANK),
    ("amenity", "post_office", FacilityType.POST),
    ("tourism", "hotel", FacilityType.HOTEL),
    ("amenity", "restaurant", FacilityType.FOOD),
    ("amenity", "cafe", FacilityType.FOOD),
    ("leisure", "park", FacilityType.PARK),
)
OSM_ACCESS_TAGS = ("wheelchair", "toilets:wheelchair", "entrance:wheelchair",
                   "wheelchair:description", "ramp:wheelchair", "tactile_paving",
                   "hearing_impaired:induction_loop", "blind:description:ru")


@dataclass
class OsmObject:
    osm_id: str
    latitude: float
    longitude: float
    tags: dict[str, str]


def facility_type(tags: dict[str, str]) -> str | None:
    for key, value, kind in OSM_TYPES:
        if tags.get(key) == value:
            return kind
    if tags.get("shop"):
        return FacilityType.SHOP
    return None


def read_osm_xml(handle: IO[bytes]) -> Iterator[OsmObject]:
    """Nodes with tags, and ways at the centre of their nodes. The parser resolves no
    entities and fetches nothing (Python's expat does neither by default)."""
    coordinates: dict[str, tuple[float, float]] = {}
    for _event, element in ET.iterparse(handle, events=("end",)):  # noqa: S314
        if element.tag == "node":
            point = (float(element.get("lat", "nan")), float(element.get("lon", "nan")))
            coordinates[element.get("id", "")] = point
            tags = {t.get("k", ""): t.get("v", "") for t in element.findall("tag")}
            if tags:
                yield OsmObject(f"node/{element.get('id')}", *point, tags)
            element.clear()
        elif element.tag == "way":
            refs = [coordinates.get(nd.get("ref", "")) for nd in element.findall("nd")]
            points = [p for p in refs if p is not None]
            tags = {t.get("k", ""): t.get("v", "") for t in element.findall("tag")}
            if tags and points:
                yield OsmObject(f"way/{element.get('id')}",
                                sum(p[0] for p in points) / len(points),
                                sum(p[1] for p in points) / len(points), tags)
            element.clear()


def read_osm_pbf(handle: IO[bytes]) -> Iterator[OsmObject]:
    import osmium

    with tempfile.NamedTemporaryFile(suffix=".osm.pbf") as copy:
        copy.write(handle.read())
        copy.flush()
        processor = osmium.FileProcessor(copy.name).with_locations().with_areas()
        for obj in processor:
            tags = {tag.k: tag.v for tag in obj.tags}
            if not tags:
                continue
            if isinstance(obj, osmium.osm.Node):
                yield OsmObject(f"node/{obj.id}", obj.location.lat, obj.location.lon, tags)
            elif isinstance(obj, osmium.osm.Way):
                points = [(n.lat, n.lon) for n in obj.nodes if n.location.valid()]
                if points:
                    yield OsmObject(f"way/{obj.id}", sum(p[0] for p in points) / len(points),
                                    sum(p[1] for p in points) / len(points), tags)


def nearest_region(latitude: float, longitude: float, regions: Iterable[Region]) -> Region:
    return min(regions, key=lambda r: (float(r.latitude) - latitude) ** 2
               + ((float(r.longitude) - longitude) * 0.7) ** 2)


@transaction.atomic
def import_osm(handle: IO[bytes], filename: str, *, by: User) -> dict[str, int]:
    """Facilities from an OpenStreetMap extract, matched by their OSM id. What mappers
    say of wheelchair access is kept beside the facility; it never makes an official
    status, which only an approved passport gives."""
    if not (by.role == Role.ANALYST or by.is_superuser):
        raise PermissionDenied
    name = filename.lower()
    try:
        if name.endswith(".osm") or name.endswith(".xml"):
            objects = list(read_osm_xml(handle))
        elif name.endswith(".pbf"):
            objects = list(read_osm_pbf(handle))
        else:
            raise ImportRefused([RowError(0, "", _("Upload an .osm or .osm.pbf file."))])
    except (ET.ParseError, ValueError, RuntimeError) as broken:
        raise ImportRefused([RowError(0, "", _("The OpenStreetMap file could not be read: "
                                                "%(error)s") % {"error": broken})]) from broken
    regions = list(Region.objects.all())
    counts = {"created": 0, "updated": 0, "skipped": 0}
    with acting_as(user=by, reason=f"OpenStreetMap import {filename}"[:300]):
        for obj in objects:
            kind = facility_type(obj.tags)
            name_ru = obj.tags.get("name:ru") or obj.tags.get("name", "")
            if kind is None or not name_ru or not (40 <= obj.latitude <= 56
                                                   and 46 <= obj.longitude <= 88):
                counts["skipped"] += 1
                continue
            address = ", ".join(part for part in (obj.tags.get("addr:city", ""),
                                                  obj.tags.get("addr:street", ""),
                                                  obj.tags.get("addr:housenumber", ""))
                                if part) or name_ru
            values = {"name_ru": name_ru[:300], "name_kk": obj.tags.get("name:kk", "")[:300],
                      "address_ru": address[:300], "type": kind,
                      "latitude": obj.latitude, "longitude": obj.longitude,
                      "region": nearest_region(obj.latitude, obj.longitude, regions),
                      "osm_tags": {k: v for k, v in obj.tags.items() if k in OSM_ACCESS_TAGS}}
            facility = Facility.objects.filter(osm_id=obj.osm_id).first()
            if facility is None:
                Facility.objects.create(osm_id=obj.osm_id, **values)
                counts["created"] += 1
            else:
                for key, value in values.items():
                    setattr(facility, key, value)
                facility.save()
                counts["updated"] += 1
    return counts
