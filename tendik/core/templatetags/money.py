"""{{ claim.claimed|tenge }} → «320 000 ₸»; {{ row.total|amount }} → «320 000» for a
column whose header says ₸. See tendik/core/money.py."""

from __future__ import annotations

from typing import Any

from django import template

from tendik.core import money

register = template.Library()


@register.filter
def tenge(value: Any, decimals: str = "") -> str:
    """`|tenge` kopecks when there are some; `|tenge:"whole"` never."""
    return money.tenge(value, decimals=False if decimals == "whole" else None)


@register.filter
def amount(value: Any, decimals: str = "") -> str:
    return money.amount(value, decimals=False if decimals == "whole" else None)
