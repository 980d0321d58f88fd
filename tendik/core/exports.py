"""Cells of exported spreadsheets (CSV, XLSX) that a spreadsheet program cannot mistake
for formulas: text starting with = + - @ (or a tab or carriage return) gets a leading
apostrophe, as OWASP advises against CSV injection. Numbers stay numbers. The platform's
importers take the apostrophe off again (`restored`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(DANGEROUS):
        return "'" + value
    return value


def row(values: Iterable[Any]) -> list[Any]:
    return [neutralised(value) for value in values]


def restored(value: Any) -> Any:
    """The text as it was before `neutralised`."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(DANGEROUS):
        return value[1:]
    return value
