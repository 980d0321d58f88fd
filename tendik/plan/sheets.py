"""How the plan's spreadsheets print: Kazakhstan's paper and dates."""

from __future__ import annotations

from typing import Any

DATE_FORMAT = "DD.MM.YYYY"
DATE_TIME_FORMAT = "DD.MM.YYYY HH:MM"


def print_on_a4(sheet: Any) -> None:
    """Landscape A4, as wide as the page, the header row repeated on every page."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
