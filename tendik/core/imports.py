"""What every import of Teńdik reports: the errors of a file by row and column, and the
refusal that carries them while nothing is written.

And how every import reads its file, so that no file costs more than its limits: the size
is checked first; an XLSX workbook's parts are checked unpacked before it is opened (a
workbook of a few kilobytes can unpack to gigabytes); rows are read one at a time, from
the sheet or the CSV text as it streams, and reading stops at the first row past the
limit. The values are then checked against the columns they go to as PostgreSQL would
(field_errors): SQLite stores a name longer than its column without a word."""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils.translation import gettext as _

MAX_FILE_SIZE = 50 * 2**20
# All the parts of an XLSX workbook, unpacked: 20,000 rows of 80 columns are some 60 MB.
MAX_UNPACKED_SIZE = 100 * 2**20
MAX_COLUMNS = 300


@dataclass(frozen=True)
class RowError:
    row: int  # 0: the file as a whole; 1: the header
    column: str
    message: str


class ImportRefused(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


def refused(message: str, row: int = 0, column: str = "") -> ImportRefused:
    return ImportRefused([RowError(row, column, message)])


def size_of(handle: IO[bytes]) -> int:
    size = getattr(handle, "size", None)
    if isinstance(size, int):
        return size
    position = handle.tell()
    handle.seek(0, io.SEEK_END)
    end = handle.tell()
    handle.seek(position)
    return end


def check_size(handle: IO[bytes], max_size: int | None = None) -> None:
    max_size = max_size or MAX_FILE_SIZE
    if size_of(handle) > max_size:
        raise refused(_("The file is too large: at most %(limit)s MB.")
                      % {"limit": max_size // 2**20})


def too_many_rows(max_rows: int, row: int) -> ImportRefused:
    return refused(_("The file has more than %(n)s rows: at most %(n)s rows in one file. "
                     "Split it into several files.") % {"n": max_rows}, row=row)


def limited(rows: Iterable[list[str]], max_rows: int) -> Iterator[list[str]]:
    """The header and at most `max_rows` rows with something in them; the row after the
    last allowed one stops the reading. Empty rows are skipped over, but not without end."""
    filled = 0
    for read, row in enumerate(rows, start=1):
        if any(row):
            filled += 1
        if filled > max_rows + 1 or read > 2 * max_rows + 1:
            raise too_many_rows(max_rows, read)
        yield row


# --- XLSX -----------------------------------------------------------------------------------

def open_workbook(handle: IO[bytes], *, max_unpacked: int | None = None) -> Any:
    """A read-only openpyxl workbook, or ImportRefused: not a workbook, or one whose
    parts unpack to more than `max_unpacked` bytes (MAX_UNPACKED_SIZE)."""
    max_unpacked = max_unpacked or MAX_UNPACKED_SIZE
    handle.seek(0)
    try:
        with zipfile.ZipFile(handle) as archive:
            # The sizes the archive declares bound what it unpacks to: a part that
            # unpacks to more than its declared size fails its check while it is read.
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise refused(_("The file is not a readable XLSX workbook.")) from None
    if unpacked > max_unpacked:
        raise refused(_("The workbook unpacks to more than %(limit)s MB: it cannot be "
                        "imported. Save it again without empty formatted rows, or split "
                        "it.") % {"limit": max_unpacked // 2**20})
    handle.seek(0)
    try:
        reader = _reader()(handle, read_only=True, data_only=True)
        reader.read()
        return reader.wb
    except Exception:
        raise refused(_("The file is not a readable XLSX workbook.")) from None


def _unsized_sheet() -> type[Any]:
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    class UnsizedSheet(ReadOnlyWorksheet):  # type: ignore[misc]
        def _get_size(self) -> None:
            """Not measured on opening: openpyxl reads a sheet that does not declare its
            size through to its end to find it (3 s for 100,000 rows), and sheet_rows()
            believes no declared size anyway."""

    return UnsizedSheet


def _reader() -> type[Any]:
    from openpyxl.reader.excel import ExcelReader

    class Reader(ExcelReader):  # type: ignore[misc]
        """openpyxl's read-only reader, its sheets unsized (the rest as openpyxl reads)."""

        def read_worksheets(self) -> None:
            sheet_class = _unsized_sheet()
            for sheet, rel in self.parser.find_sheets():
                if rel.target not in self.valid_files or "chartsheet" in rel.Type:
                    continue
                ws = sheet_class(self.wb, sheet.name, rel.target, self.shared_strings)
                ws.sheet_state = sheet.state
                self.wb._sheets.append(ws)

    return Reader


def sheet_rows(sheet: Any, cell: Callable[[Any], str], max_rows: int) -> Iterator[list[str]]:
    """A read-only sheet's rows as text, one at a time. The size the sheet declares for
    itself is not believed (a sheet can declare a million empty rows): rows are as wide
    as their cells, and never wider than MAX_COLUMNS."""
    sheet.reset_dimensions()
    try:
        for row in limited(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1),
                           max_rows):
            if len(row) > MAX_COLUMNS and row[MAX_COLUMNS] is not None:
                raise refused(_("The sheet has more than %(n)s columns.")
                              % {"n": MAX_COLUMNS})
            values = [cell(v) for v in row[:MAX_COLUMNS]]
            while values and not values[-1]:
                values.pop()
            yield values
    except ImportRefused:
        raise
    except Exception:  # what openpyxl raises on a broken sheet varies
        raise refused(_("The file is not a readable XLSX workbook.")) from None


# --- CSV --------------------------------------------------------------------------------------

def csv_rows(handle: IO[bytes], max_rows: int,
             delimiter: Callable[[str], str] | None = None) -> Iterator[list[str]]:
    """A UTF-8 CSV file's rows as they stream in, cells stripped. `delimiter` chooses the
    delimiter from the header line (spreadsheets in Russian locales write semicolons)."""
    handle.seek(0)
    try:
        lines = _lines(handle)
        first = next(lines, "")
        chosen = delimiter(first.rstrip("\r\n")) if delimiter else ","
        for row in limited(csv.reader(_chain(first, lines), delimiter=chosen), max_rows):
            yield [cell.strip() for cell in row]
    except UnicodeDecodeError:
        raise refused(_("The CSV file must be in UTF-8.")) from None
    except csv.Error:
        raise refused(_("The CSV file could not be read: a cell is too long, or a "
                        "quotation mark is not closed.")) from None


def _lines(handle: IO[bytes]) -> Iterator[str]:
    """The file's lines decoded one by one (a newline byte is never part of a UTF-8 letter)."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    for line in handle:
        yield decoder.decode(line)
    if tail := decoder.decode(b"", final=True):
        yield tail


def _chain(first: str, rest: Iterable[str]) -> Iterator[str]:
    if first:
        yield first
    yield from rest


# --- Values against their columns -----------------------------------------------------------

INTEGER_RANGES = BaseDatabaseOperations.integer_field_ranges


def field_errors(model: type[models.Model], values: dict[str, Any], *, row: int,
                 columns: dict[str, str] | None = None) -> list[RowError]:
    """The values the model's columns would refuse, each named by the file's column:
    too long, too many digits, out of range, not one of the choices. Checked here the same
    way on SQLite and PostgreSQL (SQLite itself keeps a string longer than its column, and
    integers of any size). Empty values and relations are the import's own business."""
    errors = []
    for name, value in values.items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if not isinstance(field, models.Field) or field.is_relation \
                or value is None or value == "":
            continue
        try:
            if isinstance(field, models.DecimalField) and isinstance(value, Decimal) \
                    and value.is_finite():
                # Both databases round to the column's places: only the whole digits count.
                value = value.quantize(Decimal(1).scaleb(-(field.decimal_places or 0)))
            value = field.clean(value, None)
            low, high = INTEGER_RANGES.get(field.get_internal_type(), (None, None))
            if low is not None and high is not None:
                MinValueValidator(low)(value)
                MaxValueValidator(high)(value)
        except ValidationError as invalid:
            errors.append(RowError(row, (columns or {}).get(name, name),
                                   " ".join(invalid.messages)))
    return errors
