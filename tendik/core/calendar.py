"""Working days in Kazakhstan, for the deadlines of answers to the public.

The Labour Code (art. 84–85) makes these public holidays days off; when one falls on a
Saturday or Sunday, the next working day is off instead. Kurban Ait (its first day, by
the lunar calendar) and the Government's yearly transfers of days off are announced
each year and are not known here, so a deadline may fall a day earlier than the
official count, never later.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

# (month, day) of every public holiday that is a day off, one entry per day.
HOLIDAYS: tuple[tuple[int, int], ...] = (
    (1, 1), (1, 2),             # New Year
    (3, 8),                     # International Women's Day
    (3, 21), (3, 22), (3, 23),  # Nauryz
    (5, 1),                     # Unity of the People of Kazakhstan
    (5, 7),                     # Defender of the Fatherland
    (5, 9),                     # Victory Day
    (7, 6),                     # Capital Day
    (8, 30),                    # Constitution Day
    (10, 25),                   # Republic Day
    (12, 16),                   # Independence Day
)


@cache
def days_off(year: int) -> frozenset[dt.date]:
    """The public holidays of the year and the days off moved from weekends."""
    off: set[dt.date] = set()
    for month, day in HOLIDAYS:
        holiday = dt.date(year, month, day)
        off.add(holiday)
    # A holiday on a weekend moves its day off to the next day that is neither a
    # weekend nor a holiday itself (so Nauryz on Sat–Mon gives Tue and Wed off).
    for holiday in sorted(d for d in off.copy() if d.weekday() >= 5):
        moved = holiday + dt.timedelta(days=1)
        while moved.weekday() >= 5 or moved in off:
            moved += dt.timedelta(days=1)
        off.add(moved)
    return frozenset(off)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in days_off(day.year)


def add_working_days(start: dt.date, count: int) -> dt.date:
    """The day on which `count` working days after `start` have passed (start excluded)."""
    day = start
    remaining = count
    while remaining > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day
