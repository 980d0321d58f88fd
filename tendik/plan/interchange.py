"""Plans in and out of Teńdik as XLSX or CSV, so the next national plan needs no code.

One row per measure, the columns of `COLUMNS`. An XLSX file has the measures on a sheet
named «measures» and the plan itself on a sheet named «plan» (two columns: field, value);
a CSV file holds the measures and the plan's fields come from the import form. Import is
all or nothing: every row is checked first, and any error is reported with its row and
column while nothing is written.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _

from tendik.core import exports, imports
from tendik.core.audit import acting_as
from tendik.core.imports import ImportRefused, RowError
from tendik.core.models import Organisation, User
from tendik.plan.models import (
    ALL_AKIMATS,
    Direction,
    LegalAct,
    Measure,
    Plan,
)
from tendik.plan.sheets import DATE_FORMAT, print_on_a4

COLUMNS = [
    "number", "direction_number", "direction_title", "in_source", "title_ru", "title_kk",
    "title_en", "completion_form_kind", "completion_form_text", "executors", "deadline_kind",
    "start_year", "end_year", "deadline_text", "cost_kind", "cost_text", "funding_code",
    "funding_name", "targets",
]
PLAN_FIELDS = ["code", "title_ru", "title_kk", "title_en", "start_year", "end_year",
               "approved_by_kind", "approved_by_number", "approved_by_date"]
MAX_ROWS = 2000
# Written as they are read: checked against their columns (imports.field_errors).
MEASURE_TEXTS = ("title_ru", "title_kk", "title_en", "completion_form_text", "deadline_text",
                 "cost_text", "funding_code", "funding_name")
PLAN_SHEET_ROWS = 100  # the «plan» sheet: one row per field


@dataclass
class ParsedPlan:
    plan: dict[str, Any]
    measures: list[dict[str, Any]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


# --- Export -----------------------------------------------------------------------------


def targets_text(targets: dict[str, dict[str, Any]]) -> str:
    return json.dumps(targets, ensure_ascii=False, sort_keys=True) if targets else ""


def measure_row(measure: Measure) -> list[Any]:
    direction = measure.direction
    return [
        measure.number, direction.number if direction else "",
        direction.title_ru if direction else "", "1" if measure.in_source else "0",
        measure.title_ru, measure.title_kk, measure.title_en, measure.completion_form_kind,
        measure.completion_form_text, ";".join(measure.executor_codes()),
        measure.deadline_kind, measure.start_year or "", measure.end_year or "",
        measure.deadline_text, measure.cost_kind, measure.cost_text, measure.funding_code,
        measure.funding_name, targets_text(measure.targets),
    ]


def plan_values(plan: Plan) -> list[Any]:
    act = plan.approved_by
    return [plan.code, plan.title_ru, plan.title_kk, plan.title_en, plan.start_year,
            plan.end_year, act.kind, act.number, act.date.isoformat()]


def measures_of(plan: Plan) -> list[Measure]:
    return list(plan.measures.select_related("direction").prefetch_related("executors")
                .order_by("number"))


def export_csv(plan: Plan) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for measure in measures_of(plan):
        writer.writerow(exports.row(measure_row(measure)))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export_xlsx(plan: Plan) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    measures = workbook.active
    measures.title = "measures"
    measures.append(COLUMNS)
    for measure in measures_of(plan):
        measures.append(exports.row(str(v) if v != "" else None for v in measure_row(measure)))
    for cell in measures[1]:
        cell.font = Font(bold=True)
    measures.freeze_panes = "A2"
    sheet = workbook.create_sheet("plan")
    for name, value in zip(PLAN_FIELDS, plan_values(plan), strict=True):
        sheet.append([name, exports.neutralised(str(value))])
    act_date = sheet.cell(row=PLAN_FIELDS.index("approved_by_date") + 1, column=2)
    act_date.value, act_date.number_format = plan.approved_by.date, DATE_FORMAT
    print_on_a4(measures)
    print_on_a4(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Import -----------------------------------------------------------------------------


def read_rows(handle: IO[bytes], filename: str) -> tuple[list[dict[str, str]],
                                                          dict[str, str], list[RowError]]:
    """The measure rows (by column name) and, from an XLSX file, the plan's fields."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        return read_xlsx(handle)
    if name.endswith(".csv"):
        return read_csv(handle)
    return [], {}, [RowError(0, "", _("Upload an .xlsx or .csv file."))]


def read_date(text: str) -> dt.date:
    """dd.mm.yyyy as people write it, or yyyy-mm-dd as a spreadsheet's date cell reads."""
    try:
        return dt.datetime.strptime(text.strip(), "%d.%m.%Y").date()
    except ValueError:
        return dt.date.fromisoformat(text.strip())


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(exports.restored(value)).strip()


def read_xlsx(handle: IO[bytes]) -> tuple[list[dict[str, str]], dict[str, str],
                                          list[RowError]]:
    try:
        imports.check_size(handle)
        workbook = imports.open_workbook(handle)
        try:
            if "measures" not in workbook.sheetnames:
                return [], {}, [RowError(0, "", _("The workbook has no sheet named "
                                                  "«measures»."))]
            rows = list(imports.sheet_rows(workbook["measures"], cell_text, MAX_ROWS))
            plan: dict[str, str] = {}
            if "plan" in workbook.sheetnames:
                for row in imports.sheet_rows(workbook["plan"], cell_text, PLAN_SHEET_ROWS):
                    if row and row[0]:
                        plan[row[0]] = row[1] if len(row) > 1 else ""
        finally:
            workbook.close()
    except ImportRefused as refused:
        return [], {}, refused.errors
    measures, errors = rows_by_header(rows)
    return measures, plan, errors


def read_csv(handle: IO[bytes]) -> tuple[list[dict[str, str]], dict[str, str],
                                         list[RowError]]:
    try:
        imports.check_size(handle)
        rows = list(imports.csv_rows(handle, MAX_ROWS, delimiter=_delimiter))
    except ImportRefused as refused:
        return [], {}, refused.errors
    measures, errors = rows_by_header(rows)
    return measures, {}, errors


def _delimiter(header: str) -> str:
    """The one that splits the header into the known columns (spreadsheet programs in
    Russian locales write semicolons)."""
    return max(",;\t", key=lambda d: len(set(header.split(d)) & set(COLUMNS)))


def rows_by_header(rows: list[list[str]]) -> tuple[list[dict[str, str]], list[RowError]]:
    if not rows:
        return [], [RowError(0, "", _("The file is empty."))]
    header = [h.strip() for h in rows[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        return [], [RowError(1, ", ".join(missing), _("These columns are missing."))]
    body = [row for row in rows[1:] if any(cell for cell in row)]
    if len(body) > MAX_ROWS:
        return [], [RowError(0, "", _("At most %(n)s measures in one file.") % {"n": MAX_ROWS})]
    return [dict(zip(header, row + [""] * (len(header) - len(row)), strict=False))
            for row in body], []


def parse_int(value: str) -> int | None:
    return int(value) if value.strip().lstrip("-").isdigit() else None


def check_plan(data: dict[str, str], errors: list[RowError]) -> dict[str, Any]:
    plan: dict[str, Any] = {}
    for name in PLAN_FIELDS:
        value = (data.get(name) or "").strip()
        if not value and name not in {"title_kk", "title_en"}:
            errors.append(RowError(0, name, _("This field of the plan is required.")))
        plan[name] = value
    for name in ("start_year", "end_year"):
        if plan[name]:
            year = parse_int(plan[name])
            if year is None or not 1990 <= year <= 2100:
                errors.append(RowError(0, name, _("Give a year such as 2026.")))
            plan[name] = year
    if isinstance(plan.get("start_year"), int) and isinstance(plan.get("end_year"), int) \
            and plan["end_year"] < plan["start_year"]:
        errors.append(RowError(0, "end_year", _("The last year is before the first.")))
    if plan["approved_by_kind"] and plan["approved_by_kind"] not in LegalAct.Kind.values:
        errors.append(RowError(0, "approved_by_kind", _("Unknown kind of act.")))
    if plan["approved_by_date"]:
        try:
            plan["approved_by_date"] = read_date(plan["approved_by_date"])
        except ValueError:
            errors.append(RowError(0, "approved_by_date", _("Give the date as dd.mm.yyyy.")))
    if plan["code"] and Plan.objects.filter(code=plan["code"]).exists():
        errors.append(RowError(0, "code", _("A plan with this code already exists.")))
    errors.extend(imports.field_errors(
        Plan, {name: plan[name] for name in ("code", "title_ru", "title_kk", "title_en")},
        row=0))
    errors.extend(imports.field_errors(LegalAct, {"number": plan["approved_by_number"]},
                                       row=0, columns={"number": "approved_by_number"}))
    return plan


def check_measure(row_number: int, row: dict[str, str], known: set[str],
                  errors: list[RowError]) -> dict[str, Any]:
    def error(column: str, message: str) -> None:
        errors.append(RowError(row_number, column, message))

    number = parse_int(row["number"])
    if number is None or number < 1:
        error("number", _("A measure's number is a whole number from 1."))
    in_source = row["in_source"].strip() in {"1", "true", "True", "да", "иә", "yes"}
    if row["in_source"].strip() not in {"", "0", "1", "true", "false", "True", "False", "да",
                                        "нет", "иә", "жоқ", "yes", "no"}:
        error("in_source", _("Write 1 or 0."))
    direction = parse_int(row["direction_number"]) if row["direction_number"] else None
    if row["direction_number"] and direction is None:
        error("direction_number", _("A direction's number is a whole number."))
    if in_source and not row["title_ru"]:
        error("title_ru", _("A measure of the source text has a title."))
    choices = {
        "completion_form_kind": Measure.CompletionKind.values,
        "deadline_kind": Measure.DeadlineKind.values,
        "cost_kind": Measure.CostKind.values,
    }
    for column, allowed in choices.items():
        if row[column] and row[column] not in allowed:
            error(column, _("Unknown value «%(value)s»; allowed: %(allowed)s.")
                  % {"value": row[column], "allowed": ", ".join(allowed)})
    executors = [c.strip() for c in row["executors"].replace(",", ";").split(";") if c.strip()]
    unknown = [c for c in executors if c != ALL_AKIMATS and c not in known]
    if unknown:
        error("executors", _("Unknown organisation codes: %(codes)s.")
              % {"codes": ", ".join(unknown)})
    years = {}
    for column in ("start_year", "end_year"):
        years[column] = parse_int(row[column]) if row[column] else None
        if row[column] and years[column] is None:
            error(column, _("Give a year such as 2026."))
    if years["start_year"] and years["end_year"] and years["end_year"] < years["start_year"]:
        error("end_year", _("The last year is before the first."))
    targets: dict[str, Any] = {}
    if row["targets"]:
        try:
            targets = json.loads(row["targets"])
            if not isinstance(targets, dict) or not all(
                    str(y).isdigit() and isinstance(t, dict) and "value" in t
                    for y, t in targets.items()):
                raise ValueError
        except ValueError:
            error("targets", _('Write targets as {"2024": {"value": 30, "unit": "%"}}.'))
            targets = {}
    errors.extend(imports.field_errors(Measure, {
        "number": number, **years, **{column: row[column] for column in MEASURE_TEXTS}},
        row=row_number))
    errors.extend(imports.field_errors(
        Direction, {"number": direction, "title_ru": row["direction_title"]}, row=row_number,
        columns={"number": "direction_number", "title_ru": "direction_title"}))
    return {
        "number": number, "direction_number": direction,
        "direction_title": row["direction_title"], "in_source": in_source,
        "title_ru": row["title_ru"], "title_kk": row["title_kk"], "title_en": row["title_en"],
        "completion_form_kind": row["completion_form_kind"],
        "completion_form_text": row["completion_form_text"], "executors": executors,
        "deadline_kind": row["deadline_kind"], **years, "deadline_text": row["deadline_text"],
        "cost_kind": row["cost_kind"], "cost_text": row["cost_text"],
        "funding_code": row["funding_code"], "funding_name": row["funding_name"],
        "targets": targets,
    }


def parse(handle: IO[bytes], filename: str, plan_fields: dict[str, str] | None = None
          ) -> ParsedPlan:
    rows, plan_data, errors = read_rows(handle, filename)
    parsed = ParsedPlan(plan={}, errors=errors)
    if errors:
        return parsed
    parsed.plan = check_plan({**plan_data, **{k: v for k, v in (plan_fields or {}).items()
                                              if v}}, parsed.errors)
    known = set(Organisation.objects.values_list("code", flat=True))
    seen: dict[int, int] = {}
    for index, row in enumerate(rows, start=2):
        measure = check_measure(index, row, known, parsed.errors)
        number = measure["number"]
        if number is not None:
            if number in seen:
                parsed.errors.append(RowError(index, "number", _(
                    "Measure %(number)s is already on row %(row)s.")
                    % {"number": number, "row": seen[number]}))
            seen[number] = index
        parsed.measures.append(measure)
    if not parsed.measures and not parsed.errors:
        parsed.errors.append(RowError(0, "", _("The file has no measures.")))
    return parsed


def import_plan(handle: IO[bytes], filename: str, *, by: User,
                plan_fields: dict[str, str] | None = None) -> Plan:
    """Create a plan with its directions and measures, or refuse with every error. The
    file is read and checked before the transaction that writes it."""
    parsed = parse(handle, filename, plan_fields)
    if parsed.errors:
        raise ImportRefused(parsed.errors)
    return _write_plan(parsed, filename, by=by)


@transaction.atomic
def _write_plan(parsed: ParsedPlan, filename: str, *, by: User) -> Plan:
    data = parsed.plan
    organisations = {o.code: o for o in Organisation.objects.all()}
    with acting_as(user=by, reason=f"import of {filename}"[:300]):
        act, _created = LegalAct.objects.get_or_create(
            kind=data["approved_by_kind"], number=data["approved_by_number"],
            date=data["approved_by_date"])
        plan = Plan.objects.create(
            code=data["code"], title_ru=data["title_ru"], title_kk=data["title_kk"],
            title_en=data["title_en"], start_year=data["start_year"],
            end_year=data["end_year"], approved_by=act, source=filename)
        directions: dict[int, Direction] = {}
        for row in parsed.measures:
            number = row["direction_number"]
            if number is not None and number not in directions:
                directions[number] = Direction.objects.create(
                    plan=plan, number=number, title_ru=row["direction_title"],
                    in_source=bool(row["direction_title"]))
        for row in parsed.measures:
            measure = Measure.objects.create(
                plan=plan, number=row["number"],
                direction=directions.get(row["direction_number"]),
                in_source=row["in_source"], title_ru=row["title_ru"],
                title_kk=row["title_kk"], title_en=row["title_en"],
                completion_form_kind=row["completion_form_kind"],
                completion_form_text=row["completion_form_text"],
                includes_akimats=ALL_AKIMATS in row["executors"],
                deadline_kind=row["deadline_kind"], start_year=row["start_year"],
                end_year=row["end_year"], deadline_text=row["deadline_text"],
                cost_kind=row["cost_kind"], cost_text=row["cost_text"],
                funding_code=row["funding_code"], funding_name=row["funding_name"],
                targets=row["targets"])
            measure.executors.set([organisations[c] for c in row["executors"]
                                   if c != ALL_AKIMATS])
    return plan
