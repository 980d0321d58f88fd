"""Every import reads its file within limits: the size first, an XLSX workbook's unpacked
size before it is opened, and rows one at a time, stopping at the first row past the
limit; a refused file writes nothing."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.utils import translation

from tendik.access import exchange
from tendik.access.models import Facility
from tendik.core import imports
from tendik.core.models import Role
from tendik.indicators import opensdg
from tendik.indicators.models import Indicator, Observation
from tendik.plan import interchange
from tendik.plan.models import Plan
from tests.conftest import ALMATY

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '{sheets}</Types>')
SHEET_TYPE = ('<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
              'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http:'
        '//schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>')


def xlsx(*sheets: tuple[str, str], extra: dict[str, bytes] | None = None) -> bytes:
    """A workbook written by hand: each sheet its name and the XML of its rows. Rows
    repeated a hundred thousand times compress to a few kilobytes."""
    out = io.BytesIO()
    names = "".join(f'<sheet name="{name}" sheetId="{n}" r:id="rId{n}"/>'
                    for n, (name, _rows) in enumerate(sheets, start=1))
    links = "".join(
        f'<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/'
        f'2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, len(sheets) + 1))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES.format(sheets="".join(
            SHEET_TYPE.format(n=n) for n in range(1, len(sheets) + 1))))
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("xl/workbook.xml", (
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.'
            'openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships">'
            f'<sheets>{names}</sheets></workbook>'))
        archive.writestr("xl/_rels/workbook.xml.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            f'openxmlformats.org/package/2006/relationships">{links}</Relationships>'))
        for n, (_name, rows) in enumerate(sheets, start=1):
            archive.writestr(f"xl/worksheets/sheet{n}.xml", (
                '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                'openxmlformats.org/spreadsheetml/2006/main">'
                f'<sheetData>{rows}</sheetData></worksheet>'))
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def row(*cells: str) -> str:
    return "<row>" + "".join(f'<c t="inlineStr"><is><t>{c}</t></is></c>' for c in cells) \
        + "</row>"


FACILITY_HEADER = ("name_ru", "address_ru", "region", "latitude", "longitude", "type")
FACILITY = ("Школа", "ул. Абая, 1", ALMATY, "43.2", "76.9", "school")


@pytest.fixture
def analyst(make_user):
    return make_user(Role.ANALYST, "МТСЗН", username="analyst")


@pytest.mark.django_db
@translation.override("en")
def test_an_xlsx_declaring_100000_rows_stops_at_the_limit(reference, analyst):
    # The sheet's XML breaks off after its 100,000 rows: read that far, the import
    # would call the file unreadable; it stops at the row past the limit instead.
    data = xlsx(("facilities", row(*FACILITY_HEADER) + row(*FACILITY) * 100_000
                 + "<row><c"))
    assert len(data) < 200_000
    with pytest.raises(imports.ImportRefused) as refused:
        exchange.import_table(io.BytesIO(data), "facilities.xlsx", by=analyst)
    [error] = refused.value.errors
    assert error.row == exchange.MAX_ROWS + 2  # the header, the rows allowed, this one
    assert "more than 20000 rows" in error.message
    assert not Facility.objects.exists()


@pytest.mark.django_db
def test_a_sheet_that_declares_itself_huge_is_read_as_it_is(reference, analyst):
    # A dimension of a million rows and 16,384 columns, and the two rows that are there.
    data = xlsx(("facilities", row(*FACILITY_HEADER) + row(*FACILITY)))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(
        b"<sheetData>", b'<dimension ref="A1:XFD1048576"/><sheetData>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, part in parts.items():
            archive.writestr(name, part)
    counts = exchange.import_table(io.BytesIO(out.getvalue()), "facilities.xlsx", by=analyst)
    assert counts["created"] == 1


@pytest.mark.django_db
@translation.override("en")
def test_a_workbook_that_unpacks_too_large_is_not_opened(reference, analyst, monkeypatch):
    monkeypatch.setattr(imports, "MAX_UNPACKED_SIZE", 2 * 2**20)
    bomb = xlsx(("facilities", row(*FACILITY_HEADER)),
                extra={"xl/media/padding.bin": b"\0" * (3 * 2**20)})
    assert len(bomb) < 20_000

    def never(*args, **kwargs):
        raise AssertionError("the workbook was opened")
    monkeypatch.setattr(imports, "_reader", never)
    with pytest.raises(imports.ImportRefused) as refused:
        exchange.import_table(io.BytesIO(bomb), "facilities.xlsx", by=analyst)
    assert "unpacks to more than 2 MB" in refused.value.errors[0].message
    plan = interchange.parse(io.BytesIO(bomb), "plan.xlsx")
    assert "unpacks to more than 2 MB" in plan.errors[0].message


@pytest.mark.django_db
@translation.override("en")
def test_a_csv_is_read_no_further_than_the_row_past_the_limit(reference, analyst):
    # What follows the row past the limit is not UTF-8: it is never read.
    text = (",".join(FACILITY_HEADER) + "\n" + (",".join(FACILITY) + "\n")
            * (exchange.MAX_ROWS + 1)).encode()
    data = text + b"\xff\xfe broken\n" * 10
    with pytest.raises(imports.ImportRefused) as refused:
        exchange.import_table(io.BytesIO(data), "facilities.csv", by=analyst)
    [error] = refused.value.errors
    assert error.row == exchange.MAX_ROWS + 2 and "more than 20000 rows" in error.message
    assert not Facility.objects.exists()


@pytest.mark.django_db
@translation.override("en")
def test_the_plan_import_stops_at_its_limit_too(reference):
    header = ",".join(interchange.COLUMNS)
    line = ",".join(["1", *[""] * (len(interchange.COLUMNS) - 1)])
    text = (header + "\n" + (line + "\n") * (interchange.MAX_ROWS + 1)).encode()
    parsed = interchange.parse(io.BytesIO(text + b"\xff" * 10), "plan.csv")
    [error] = parsed.errors
    assert error.row == interchange.MAX_ROWS + 2 and "more than 2000 rows" in error.message
    data = xlsx(("measures", row(*interchange.COLUMNS) + row("1") * 5000),
                ("plan", row("code", "np")))
    [error] = interchange.parse(io.BytesIO(data), "plan.xlsx").errors
    assert error.row == interchange.MAX_ROWS + 2
    assert not Plan.objects.exists()


@pytest.mark.django_db
@translation.override("en")
def test_the_indicator_import_stops_at_its_limit_too(reference, analyst, monkeypatch):
    indicator = Indicator.objects.create(code="employed-share", name_ru="Доля работающих",
                                         unit="percent", kind="percent")
    monkeypatch.setattr(opensdg, "MAX_ROWS", 100)
    text = ("Year,Value\n" + "2024,10\n" * 101).encode() + b"\xff" * 10
    with pytest.raises(imports.ImportRefused) as refused:
        opensdg.import_csv(indicator, io.BytesIO(text), by=analyst)
    [error] = refused.value.errors
    assert error.row == 102 and "more than 100 rows" in error.message
    assert not Observation.objects.exists()


@translation.override("en")
def test_a_file_too_large_is_refused_before_it_is_read(monkeypatch):
    handle = io.BytesIO(b"x" * 1000)
    with pytest.raises(imports.ImportRefused) as refused:
        imports.check_size(handle, max_size=999)
    assert "too large" in refused.value.errors[0].message
    monkeypatch.setattr(imports, "MAX_FILE_SIZE", 999)
    rows, errors = exchange.read_table(handle, "facilities.csv")
    assert not rows and "too large" in errors[0].message
