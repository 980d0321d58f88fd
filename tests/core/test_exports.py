"""Exported spreadsheets carry no formulas: text that starts like one is quoted, and the
platform's own importers read it back as it was (CSV injection, OWASP)."""

from __future__ import annotations

import csv
import io

import pytest

from tendik.access.exchange import export_csv
from tendik.access.models import Facility, FacilityType
from tendik.core.exports import neutralised, restored, row
from tendik.core.models import Region
from tests.conftest import ALMATY


@pytest.mark.parametrize("text", ['=HYPERLINK("http://evil.example","x")', "+7 701", "-1",
                                  "@SUM(A1)", "\tcmd", "\rcmd"])
def test_text_that_starts_like_a_formula_is_quoted_and_read_back(text):
    assert neutralised(text) == "'" + text
    assert restored(neutralised(text)) == text


def test_numbers_and_ordinary_text_are_left_alone():
    assert row([-5, 2.5, None, "Алматы", "'quoted already"]) == [
        -5, 2.5, None, "Алматы", "'quoted already"]
    assert restored("'quoted already") == "'quoted already"


@pytest.mark.django_db
def test_the_public_map_export_quotes_a_formula_in_a_name(reference):
    Facility.objects.create(name_ru='=HYPERLINK("http://evil.example","Аптека")',
                            address_ru="пр. Абая, 1", region=Region.objects.get(kato=ALMATY),
                            latitude=43.2, longitude=76.9, type=FacilityType.PHARMACY)
    (header, line) = list(csv.reader(io.StringIO(export_csv(Facility.objects.all()))))
    assert line[header.index("name_ru")] == '\'=HYPERLINK("http://evil.example","Аптека")'
