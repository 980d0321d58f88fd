"""Server-side clustering for the map.

The map asks for a bounding box at a zoom. Facilities are grouped in a grid of cells a
quarter of a map tile wide (360° / 2^(zoom+2)). Up to zoom 12 the cells are
pre-aggregated in ClusterCell, kept current as facilities change, so the whole country
is read from a few hundred rows whatever the number of facilities; closer in, and
whenever a filter applies, the cells are grouped live from the facilities in the box.
From zoom 15, or when the box holds few facilities, single facilities are returned.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, models, transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Cast, Floor
from django.utils.translation import gettext as _

from tendik.access.assessment import Access, Category
from tendik.access.models import (
    CATEGORY_COLUMNS,
    CLUSTER_ZOOMS,
    LEVEL_COLUMNS,
    ClusterCell,
    Facility,
    Level,
)

SINGLES_FROM_ZOOM = 15
SINGLES_UP_TO = 300  # a box with no more facilities than this shows each of them


@dataclass(frozen=True)
class BBox:
    west: float
    south: float
    east: float
    north: float

    @classmethod
    def parse(cls, text: str) -> BBox:
        """West,south,east,north in degrees; a ValueError says what is wrong."""
        message = _("Give the box as four numbers: west,south,east,north (degrees, west "
                    "not greater than east, south not greater than north).")
        try:
            parts = [float(p) for p in text.split(",")]
        except ValueError:
            raise ValueError(message) from None
        if len(parts) != 4 or not all(math.isfinite(p) for p in parts):
            raise ValueError(message)
        box = cls(*parts)
        if not (-180 <= box.west <= box.east <= 180 and -90 <= box.south <= box.north <= 90):
            raise ValueError(message)
        return box


def cell_size(zoom: int) -> float:
    return 360.0 / (1 << (zoom + 2))


def cell_of(zoom: int, latitude: float, longitude: float) -> tuple[int, int]:
    size = cell_size(zoom)
    return int((longitude + 180) // size), int((latitude + 90) // size)


def _cell_expression(field: str, offset: int, size: float) -> Any:
    shifted = (F(field) + offset) / size
    # SQLite's CAST truncates, which is the floor for these positive numbers, and runs
    # in SQL; Django's FLOOR on SQLite is a Python function, far slower on a million rows.
    if connection.vendor == "sqlite":
        return Cast(shifted, models.IntegerField())
    return Cast(Floor(shifted), models.IntegerField())


def _aggregates() -> dict[str, Any]:
    sums: dict[str, Any] = {"count": Count("id"), "latitude_sum": Sum("latitude"),
                            "longitude_sum": Sum("longitude")}
    for level, column in LEVEL_COLUMNS.items():
        sums[column] = Count("id", filter=Q(level=level))
    for category, column in CATEGORY_COLUMNS.items():
        sums[column] = Count("id", filter=Q(**{
            f"access_{category.value.lower()}__gte": int(Access.PARTIAL)}))
    return sums


def _cells_query(facilities: models.QuerySet[Facility], zoom: int) -> Any:
    """The facilities grouped by cell at the zoom: cx, cy and the cell's counts."""
    size = cell_size(zoom)
    return facilities.order_by().annotate(
        cx=_cell_expression("longitude", 180, size), cy=_cell_expression("latitude", 90, size),
    ).values("cx", "cy").annotate(**_aggregates())


def grouped(facilities: models.QuerySet[Facility], zoom: int) -> list[dict[str, Any]]:
    return [dict(row) for row in _cells_query(facilities, zoom)]


@transaction.atomic
def rebuild() -> int:
    """Recount every cell from the facilities (after a bulk import), in the database: one
    INSERT … SELECT … GROUP BY per zoom."""
    ClusterCell.objects.all().delete()
    table = connection.ops.quote_name(ClusterCell._meta.db_table)
    columns = ["count", "latitude_sum", "longitude_sum", *LEVEL_COLUMNS.values(),
               *CATEGORY_COLUMNS.values()]
    quoted = [connection.ops.quote_name(c) for c in columns]
    with connection.cursor() as cursor:
        for zoom in CLUSTER_ZOOMS:
            select, params = _cells_query(Facility.objects.all(), zoom).query.sql_with_params()
            cursor.execute(
                f"INSERT INTO {table} (zoom, x, y, {', '.join(quoted)}) "  # noqa: S608
                f"SELECT %s, cells.cx, cells.cy, {', '.join('cells.' + q for q in quoted)} "
                f"FROM ({select}) cells", (zoom, *params))
    return ClusterCell.objects.count()


# --- Keeping the cells current ------------------------------------------------------------

Contribution = tuple[float, float, str, tuple[bool, ...]]


def contribution(facility: Facility) -> Contribution:
    ok = tuple((facility.access(c) or Access.NOT_ACCESSIBLE) >= Access.PARTIAL
               for c in Category)
    return (facility.latitude, facility.longitude, facility.level, ok)


def _add(zoom: int, what: Contribution, sign: int) -> None:
    latitude, longitude, level, ok = what
    x, y = cell_of(zoom, latitude, longitude)
    changes: dict[str, Any] = {"count": F("count") + sign,
                               "latitude_sum": F("latitude_sum") + sign * latitude,
                               "longitude_sum": F("longitude_sum") + sign * longitude,
                               LEVEL_COLUMNS[level]: F(LEVEL_COLUMNS[level]) + sign}
    for category, passes in zip(Category, ok, strict=True):
        if passes:
            changes[CATEGORY_COLUMNS[category]] = F(CATEGORY_COLUMNS[category]) + sign
    cells = ClusterCell.objects.filter(zoom=zoom, x=x, y=y)
    if cells.update(**changes):
        cells.filter(count__lte=0).delete()
        return
    if sign < 0:
        return  # never counted (cells rebuilt since): nothing to take away
    fresh = {"count": 1, "latitude_sum": latitude, "longitude_sum": longitude,
             LEVEL_COLUMNS[level]: 1}
    fresh.update({CATEGORY_COLUMNS[c]: 1 for c, passes in zip(Category, ok, strict=True)
                  if passes})
    try:
        with transaction.atomic():
            ClusterCell.objects.create(zoom=zoom, x=x, y=y, **fresh)
    except IntegrityError:  # created meanwhile by another writer: add to it
        cells.update(**changes)


def move(old: Contribution | None, new: Contribution | None) -> None:
    """Take a facility's old contribution out of its cells and put the new one in."""
    if old == new:
        return
    for zoom in CLUSTER_ZOOMS:
        if old is not None:
            _add(zoom, old, -1)
        if new is not None:
            _add(zoom, new, +1)


# --- Reading --------------------------------------------------------------------------------

def in_box(facilities: models.QuerySet[Facility], box: BBox) -> models.QuerySet[Facility]:
    return facilities.filter(latitude__gte=box.south, latitude__lte=box.north,
                             longitude__gte=box.west, longitude__lte=box.east)


def cluster_feature(row: dict[str, Any], zoom: int) -> dict[str, Any]:
    """A group at its cell's centre: cells are a quarter tile apart, so the groups' markers
    never cover one another (the facilities' mean position is given beside it)."""
    count = row["count"]
    size = cell_size(zoom)
    x, y = (row["x"], row["y"]) if "x" in row else (row["cx"], row["cy"])
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [
            round((x + 0.5) * size - 180, 5), round((y + 0.5) * size - 90, 5)]},
        "properties": {
            "cluster": True, "count": count,
            "centroid": [round(row["longitude_sum"] / count, 5),
                         round(row["latitude_sum"] / count, 5)],
            "levels": {level: row[column] for level, column in LEVEL_COLUMNS.items()
                       if row[column]},
            "accessible": {c.value: row[column] for c, column in CATEGORY_COLUMNS.items()},
        },
    }


def facility_feature(facility: Facility, url: str = "") -> dict[str, Any]:
    return {
        "type": "Feature", "id": facility.pk,
        "geometry": {"type": "Point", "coordinates": [facility.longitude,
                                                      facility.latitude]},
        "properties": {
            "cluster": False, "id": facility.pk, "name": facility.name,
            "type": facility.type, "status": facility.level, "code": facility.status_code,
            "access": {c.value: level_of(facility.access(c)) for c in Category},
            "url": url,
        },
    }


CATEGORY_LEVELS = {Access.FULL: Level.FULL, Access.PARTIAL: Level.PARTIAL,
                   Access.CONDITIONAL: Level.CONDITIONAL, Access.NOT_ACCESSIBLE: Level.NONE}


def level_of(access: Access | None) -> str:
    """A category's status in the words of the map's levels."""
    return (CATEGORY_LEVELS[access] if access is not None else Level.UNKNOWN).value


def precomputed(box: BBox, zoom: int) -> list[dict[str, Any]]:
    size = cell_size(zoom)
    x0, x1 = int((box.west + 180) // size), int((box.east + 180) // size)
    y0, y1 = int((box.south + 90) // size), int((box.north + 90) // size)
    cells = ClusterCell.objects.filter(zoom=zoom, x__gte=x0, x__lte=x1, y__gte=y0, y__lte=y1)
    return [dict(cell) for cell in cells.values()]


def features(facilities: models.QuerySet[Facility], box: BBox, zoom: int, *,
             filtered: bool, url_of: Any = None) -> list[dict[str, Any]]:
    """The GeoJSON features for the box: clusters, or single facilities close in."""
    zoom = max(0, min(zoom, 20))
    boxed = in_box(facilities, box)
    if zoom >= SINGLES_FROM_ZOOM:
        return _singles(boxed, url_of)
    if not filtered and zoom in CLUSTER_ZOOMS:
        cells = precomputed(box, zoom)
        if sum(cell["count"] for cell in cells) > SINGLES_UP_TO:
            return [cluster_feature(cell, zoom) for cell in cells]
        return _singles(boxed, url_of)
    few = list(boxed.order_by()[:SINGLES_UP_TO + 1].values_list("pk", flat=True))
    if len(few) <= SINGLES_UP_TO:
        return _singles(facilities.filter(pk__in=few), url_of)
    return [cluster_feature(row, zoom) for row in grouped(boxed, zoom)]


def _singles(facilities: models.QuerySet[Facility], url_of: Any) -> list[dict[str, Any]]:
    rows = facilities.order_by("pk")[:5000]
    return [facility_feature(f, url_of(f) if url_of else "") for f in rows]
