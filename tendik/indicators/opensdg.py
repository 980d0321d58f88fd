"""Observations in and out in the Open SDG data format.

One CSV per indicator: `Year`, optional `GeoCode` (the region's KATO code; empty for the
country), `Units`, `Series`, any breakdown columns (`Disability group`, `Sex`, `Age`,
`Location`), and `Value` last. Import is all or nothing: each bad row is named with its
column and nothing is written.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _

from tendik.core import exports, imports
from tendik.core.audit import acting_as
from tendik.core.imports import ImportRefused, RowError
from tendik.core.models import Region, User
from tendik.indicators.models import Indicator, Observation
from tendik.indicators.services import refresh_computed

BREAKDOWN_COLUMNS = {  # Open SDG column → model field
    "Disability group": "disability_group",
    "Sex": "sex",
    "Age": "age_band",
    "Location": "settlement",
}
ALLOWED = {
    "disability_group": set(Observation.Group.values),
    "sex": set(Observation.Sex.values),
    "settlement": set(Observation.Settlement.values),
}
FIELD_COLUMNS = {"value": "Value", **{f: c for c, f in BREAKDOWN_COLUMNS.items()}}
MAX_ROWS = 50_000




def export_csv(indicator: Indicator) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["Year", "GeoCode", "Units", "Series", *BREAKDOWN_COLUMNS, "Value"])
    observations = (Observation.objects.filter(indicator=indicator).select_related("region")
                    .order_by("year", "region__kato", *BREAKDOWN_COLUMNS.values()))
    for o in observations:
        writer.writerow(exports.row([
            o.year, o.region.kato if o.region else "", indicator.unit, indicator.code,
            *(getattr(o, f) for f in BREAKDOWN_COLUMNS.values()), _plain(o.value)]))
    return buffer.getvalue()


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def parse(indicator: Indicator, handle: IO[bytes]) -> tuple[list[dict[str, Any]],
                                                             list[RowError]]:
    """The file's rows, read as they stream in: reading stops past MAX_ROWS."""
    try:
        imports.check_size(handle)
        return _parse(indicator, imports.csv_rows(handle, MAX_ROWS))
    except ImportRefused as refused:
        return [], refused.errors


def _parse(indicator: Indicator, rows: Iterator[list[str]]) -> tuple[list[dict[str, Any]],
                                                                     list[RowError]]:
    header = next(rows, None)
    if not header:
        return [], [RowError(0, "", _("The file is empty."))]
    errors: list[RowError] = []
    if header[0] != "Year" or header[-1] != "Value":
        errors.append(RowError(1, "", _("The first column is Year and the last is Value.")))
    known = {"Year", "GeoCode", "Units", "Series", "Value", *BREAKDOWN_COLUMNS}
    unknown = [h for h in header if h not in known]
    if unknown:
        errors.append(RowError(1, ", ".join(unknown), _("Unknown columns.")))
    if errors:
        return [], errors
    regions = {r.kato: r for r in Region.objects.all()}
    parsed: list[dict[str, Any]] = []
    seen: dict[tuple[Any, ...], int] = {}
    for number, raw in enumerate(rows, start=2):
        if not any(raw):
            continue
        cells = dict(zip(header, raw, strict=False))

        def error(column: str, message: str, row: int = number) -> None:
            errors.append(RowError(row, column, message))

        year = cells.get("Year", "")
        if not (year.isdigit() and 1990 <= int(year) <= 2100):
            error("Year", _("Give a year such as 2024."))
        geo = cells.get("GeoCode", "")
        if geo and geo not in regions:
            error("GeoCode", _("Unknown KATO code %(code)s.") % {"code": geo})
        if cells.get("Units") and cells["Units"] != indicator.unit:
            error("Units", _("This indicator is measured in %(unit)s.") % {"unit": indicator.unit})
        if cells.get("Series") and cells["Series"] != indicator.code:
            error("Series",
                  _("This file is for the indicator %(code)s.") % {"code": indicator.code})
        breakdown = {}
        for column, field in BREAKDOWN_COLUMNS.items():
            given = cells.get(column, "")
            if given and field in ALLOWED and given not in ALLOWED[field]:
                error(column, _("Unknown value «%(value)s»; allowed: %(allowed)s.")
                      % {"value": given, "allowed": ", ".join(sorted(ALLOWED[field]))})
            breakdown[field] = given
        try:
            value = Decimal(cells.get("Value", "").replace(",", "."))
            if not value.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            error("Value", _("Give a number."))
            continue
        refused = indicator.figure_error(value)
        if refused:
            error("Value", refused)
            continue
        if not year.isdigit():
            continue
        checked = imports.field_errors(  # the breakdowns with choices are checked above
            Observation, {"value": value, "age_band": breakdown["age_band"]}, row=number,
            columns=FIELD_COLUMNS)
        if checked:
            errors.extend(checked)
            continue
        key = (int(year), geo, *breakdown.values())
        if key in seen:
            error("Year", _("The same cell is already on row %(row)s.") % {"row": seen[key]})
        seen[key] = number
        parsed.append({"year": int(year), "region": regions.get(geo), "value": value,
                       **breakdown})
    return parsed, errors


def import_csv(indicator: Indicator, handle: IO[bytes], *, by: User) -> int:
    """Write every row of a good file (new cells created, existing ones updated). The
    file is read and checked before the transaction that writes it."""
    if indicator.is_computed:
        raise ImportRefused([RowError(0, "", _(
            "This indicator is computed from %(numerator)s and %(denominator)s: import "
            "those series instead.") % {"numerator": indicator.numerator_code,
                                          "denominator": indicator.denominator_code})])
    rows, errors = parse(indicator, handle)
    if errors:
        raise ImportRefused(errors)
    if not rows:
        raise ImportRefused([RowError(0, "", _("The file has no rows."))])
    return _write(indicator, rows, by=by)


@transaction.atomic
def _write(indicator: Indicator, rows: list[dict[str, Any]], *, by: User) -> int:
    with acting_as(user=by, reason=f"Open SDG import for {indicator.code}"):
        for row in rows:
            cell = {k: row[k] for k in ("year", "region", *BREAKDOWN_COLUMNS.values())}
            Observation.objects.update_or_create(
                indicator=indicator, **cell,
                defaults={"value": row["value"], "source": f"import by {by.username}",
                          "status": Observation.Status.PROVISIONAL})
        refresh_computed([indicator.code])
    return len(rows)
