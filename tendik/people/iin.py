"""The individual identification number (ИИН) of Kazakhstan: 12 digits that carry the
date of birth, the century and sex, a serial number and a check digit.

    YYMMDD C NNNN K
    C: 1/2 born in the 1800s, 3/4 in the 1900s, 5/6 in the 2000s (odd: male, even: female)
    K: Σ dᵢ·i (i = 1…11) mod 11; if that is 10, Σ dᵢ·wᵢ with w = 3…11, 1, 2 mod 11;
       if it is 10 again the number is not valid.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

FIRST_WEIGHTS = tuple(range(1, 12))
SECOND_WEIGHTS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
CENTURIES = {"1": 1800, "2": 1800, "3": 1900, "4": 1900, "5": 2000, "6": 2000}


@dataclass(frozen=True)
class IinInfo:
    birth_date: dt.date
    sex: str  # "male" / "female"


def check_digit(first_eleven: str) -> int | None:
    digits = [int(c) for c in first_eleven]
    for weights in (FIRST_WEIGHTS, SECOND_WEIGHTS):
        remainder = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if remainder != 10:
            return remainder
    return None


def parse_iin(value: str) -> IinInfo:
    """What the number says, or a ValidationError that says what is wrong with it."""
    if len(value) != 12 or not value.isdigit():
        raise ValidationError(_("An IIN has 12 digits."), code="format")
    century = CENTURIES.get(value[6])
    if century is None:
        raise ValidationError(_("The seventh digit of an IIN is 1 to 6."), code="century")
    try:
        birth_date = dt.date(century + int(value[:2]), int(value[2:4]), int(value[4:6]))
    except ValueError:
        raise ValidationError(_("The first six digits of an IIN are the date of birth."),
                              code="date") from None
    if check_digit(value[:11]) != int(value[11]):
        raise ValidationError(_("The IIN's check digit does not match: look for a typing "
                                "error."), code="check")
    return IinInfo(birth_date, "male" if int(value[6]) % 2 else "female")


def make_iin(birth_date: dt.date, sex: str, serial: int) -> str:
    """A valid IIN for the date, sex and serial, trying the next serials when a check digit
    cannot be formed (for demonstration data and tests; real numbers come from the state)."""
    century_digit = {1800: 1, 1900: 3, 2000: 5}[birth_date.year // 100 * 100]
    century_digit += 0 if sex == "male" else 1
    for attempt in range(serial, serial + 20):
        first = f"{birth_date:%y%m%d}{century_digit}{attempt % 10000:04d}"
        digit = check_digit(first)
        if digit is not None:
            return f"{first}{digit}"
    raise ValueError("no serial gives a check digit")


def check_bin(value: str) -> None:
    """A business identification number (БИН): 12 digits, the year and month of
    registration, the kind of entity (4 resident legal entity, 5 non-resident, 6 branch or
    representative office) and the same check digit as an IIN."""
    if len(value) != 12 or not value.isdigit():
        raise ValidationError(_("A BIN has 12 digits."), code="format")
    if not 1 <= int(value[2:4]) <= 12:
        raise ValidationError(_("The third and fourth digits of a BIN are the month of "
                                "registration."), code="month")
    if value[4] not in "456":
        raise ValidationError(_("The fifth digit of a BIN is 4, 5 or 6."), code="kind")
    if check_digit(value[:11]) != int(value[11]):
        raise ValidationError(_("The BIN's check digit does not match: look for a typing "
                              "error."), code="check")


def make_bin(year: int, month: int, kind: int, serial: int) -> str:
    """A valid BIN for demonstration data and tests."""
    for attempt in range(serial, serial + 20):
        first = f"{year % 100:02d}{month:02d}{kind}{attempt % 1000000:06d}"
        digit = check_digit(first)
        if digit is not None:
            return f"{first}{digit}"
    raise ValueError("no serial gives a check digit")
