"""Working days: weekends and Kazakhstan's public holidays are skipped, and a holiday on a
weekend gives the next working day off."""

from __future__ import annotations

import datetime as dt

from tendik.core.calendar import add_working_days, days_off, is_working_day


def test_it_skips_weekends():
    friday = dt.date(2026, 11, 27)
    assert add_working_days(friday, 1) == dt.date(2026, 11, 30)  # Monday
    assert add_working_days(friday, 5) == dt.date(2026, 12, 4)


def test_it_skips_public_holidays():
    # Independence Day, Wednesday 16 December 2026.
    assert not is_working_day(dt.date(2026, 12, 16))
    assert add_working_days(dt.date(2026, 12, 15), 1) == dt.date(2026, 12, 17)
    assert add_working_days(dt.date(2026, 12, 4), 15) == dt.date(2026, 12, 28)


def test_a_holiday_on_a_weekend_moves_its_day_off_to_the_next_working_day():
    # 8 March 2026 is a Sunday: Monday the 9th is off. Nauryz 2026 is Saturday to
    # Monday: the Saturday and the Sunday move to Tuesday and Wednesday.
    off = days_off(2026)
    assert dt.date(2026, 3, 9) in off
    assert {dt.date(2026, 3, 23), dt.date(2026, 3, 24), dt.date(2026, 3, 25)} <= off
    assert is_working_day(dt.date(2026, 3, 26))
    # In 2025 8 March is a Saturday: Monday the 10th is off, Tuesday is not.
    assert not is_working_day(dt.date(2025, 3, 10))
    assert is_working_day(dt.date(2025, 3, 11))


def test_the_new_year_crosses_into_the_next_years_holidays():
    # 31 December 2026 is a Thursday; 1 and 2 January 2027 are Friday and Saturday,
    # and the Saturday gives Monday the 4th off.
    assert add_working_days(dt.date(2026, 12, 31), 1) == dt.date(2027, 1, 5)
