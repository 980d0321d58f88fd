"""The IIN: its date of birth, century, sex and check digit, and a person that agrees
with it."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tendik.core.models import Region
from tendik.people.iin import check_digit, make_iin, parse_iin
from tendik.people.models import Person
from tests.conftest import ALMATY


@pytest.mark.parametrize(("birth", "sex"), [
    (dt.date(1985, 3, 14), "male"), (dt.date(1999, 12, 31), "female"),
    (dt.date(2007, 1, 1), "male"), (dt.date(2024, 2, 29), "female"),
    (dt.date(1899, 6, 30), "male"),
])
def test_a_made_iin_reads_back(birth, sex):
    for serial in range(0, 300, 37):
        number = make_iin(birth, sex, serial)
        assert len(number) == 12
        assert parse_iin(number).birth_date == birth and parse_iin(number).sex == sex


def test_the_check_digit_uses_the_second_weights_when_the_first_give_ten():
    # Search a number whose first sum gives 10: the second weights decide.
    for serial in range(10000):
        first = f"8503143{serial:04d}"
        if sum(int(d) * w for d, w in zip(first, range(1, 12), strict=True)) % 11 == 10:
            second = sum(int(d) * w for d, w in zip(
                first, (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2), strict=True)) % 11
            assert check_digit(first) == (None if second == 10 else second)
            break
    else:
        pytest.fail("no such serial")


@pytest.mark.parametrize(("number", "code"), [
    ("12345", "format"), ("85031430001a", "format"), ("850314700015", "century"),
    ("851314300015", "date"), ("850230400012", "date"),
])
def test_bad_numbers_say_what_is_wrong(number, code):
    with pytest.raises(ValidationError) as invalid:
        parse_iin(number)
    assert invalid.value.code == code


def test_one_wrong_digit_breaks_the_check():
    number = make_iin(dt.date(1990, 5, 17), "female", 1234)
    typo = number[:9] + str((int(number[9]) + 1) % 10) + number[10:]
    with pytest.raises(ValidationError) as invalid:
        parse_iin(typo)
    assert invalid.value.code in {"check"}


@pytest.mark.django_db
def test_a_person_agrees_with_the_iin(reference):
    number = make_iin(dt.date(1990, 5, 17), "female", 7)
    person = Person(iin=number, last_name="Ахметова", first_name="Айгерим",
                    birth_date=dt.date(1990, 5, 17), sex="female",
                    region=Region.objects.get(kato=ALMATY), address="ул. Абая, 1",
                    communication_needs=["sign_language"])
    person.full_clean()
    person.birth_date = dt.date(1990, 5, 18)
    person.sex = "male"
    person.communication_needs = ["telepathy"]
    with pytest.raises(ValidationError) as invalid:
        person.full_clean()
    assert set(invalid.value.message_dict) == {"birth_date", "sex", "communication_needs"}
    assert person.masked_iin == f"{number[:2]}••••••••{number[-2:]}"
