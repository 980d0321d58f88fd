"""Amounts of money as people read them: tenge with the thousands apart by spaces, the
decimal separator of the page's language, the kopecks only when there are some, and the
sign ₸. The same in every language: «320 000 ₸», «1 234,50 ₸» (en: «1 234.50 ₸»)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import get_language

NO_BREAK = "\u00a0"  # a number and its sign, and groups of digits, stay on one line
SIGN = "₸"
POINT_LANGUAGES = ("en",)


def _decimal_separator() -> str:
    language = (get_language() or "ru").split("-")[0]
    return "." if language in POINT_LANGUAGES else ","


def amount(value: Any, *, decimals: bool | None = None) -> str:
    """The number alone, for a column whose header names the currency. `decimals`: True
    always shows kopecks, False never, None when there are some."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return str(value)
    if decimals is False:
        number = number.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    sign = "−" if number < 0 else ""
    whole, _point, cents = f"{abs(number):.2f}".partition(".")
    groups = f"{int(whole):,}".replace(",", NO_BREAK)
    show_cents = decimals is True or (decimals is None and cents != "00")
    return f"{sign}{groups}{_decimal_separator() + cents if show_cents else ''}"


def tenge(value: Any, *, decimals: bool | None = None) -> str:
    """«320 000 ₸»; an empty string for no amount."""
    text = amount(value, decimals=decimals)
    return f"{text}{NO_BREAK}{SIGN}" if text else ""
