"""Every import checks its values against the columns they go to, the same way on SQLite
(which would keep a value longer than its column) and PostgreSQL (which would refuse it
with a server error): the row and the column are named and nothing is written."""

from __future__ import annotations

import csv
import io

import pytest
from django.utils import translation

from tendik.access import exchange
from tendik.access.models import Facility
from tendik.access.services import load_criteria
from tendik.core import imports
from tendik.core.models import Role
from tendik.indicators import opensdg
from tendik.indicators.models import Indicator, Observation
from tendik.plan import interchange
from tendik.plan.models import Measure, Plan
from tests.conftest import ALMATY


@pytest.fixture
def criteria(reference) -> None:
    load_criteria()


@pytest.fixture
def analyst(make_user):
    return make_user(Role.ANALYST, "МТСЗН", username="analyst")


def named(errors: list[imports.RowError]) -> dict[tuple[int, str], str]:
    return {(e.row, e.column): e.message for e in errors}


@pytest.mark.django_db
@translation.override("en")
def test_facility_values_longer_than_their_columns_are_named(criteria, analyst):
    text = ("name_ru,address_ru,region,latitude,longitude,type,osm_id,kato,surveyed_on,"
            "ramp-slope\n"
            f"Вокзал,ул. Станционная 1,{ALMATY},43.3,76.9,railway_station,node/1,,,\n"
            f"{'Я' * 301},ул. Абая,{ALMATY},43.3,76.9,school,node/{'9' * 30},7511234567,"
            "2025-06-01,12345678.5\n")
    with pytest.raises(imports.ImportRefused) as refused:
        exchange.import_table(io.BytesIO(text.encode()), "facilities.csv", by=analyst)
    errors = named(refused.value.errors)
    assert set(errors) == {(3, "name_ru"), (3, "osm_id"), (3, "kato"), (3, "ramp-slope")}
    assert "at most 300 characters (it has 301)" in errors[(3, "name_ru")]
    assert "no more than 10 digits" in errors[(3, "ramp-slope")]
    assert not Facility.objects.exists()


def plan_csv(**changes: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(interchange.COLUMNS)
    good = dict.fromkeys(interchange.COLUMNS, "") | {
        "number": "1", "in_source": "1", "title_ru": "Мероприятие", "executors": "МЗ",
        "deadline_kind": "year", "start_year": "2026", "end_year": "2026"}
    writer.writerow([good[c] for c in interchange.COLUMNS])
    writer.writerow([(good | changes)[c] for c in interchange.COLUMNS])
    return buffer.getvalue().encode()


PLAN_FIELDS = {"code": "np-2026", "title_ru": "Новый план", "start_year": "2026",
               "end_year": "2030", "approved_by_kind": "government_decree",
               "approved_by_number": "1", "approved_by_date": "2026-01-15"}


@pytest.mark.django_db
@translation.override("en")
def test_plan_values_out_of_their_columns_are_named(reference, analyst):
    data = plan_csv(number="40000", funding_code="0" * 11, deadline_text="д" * 201,
                    direction_number="2", direction_title="Н" * 501,
                    start_year="70000", end_year="70000")
    with pytest.raises(imports.ImportRefused) as refused:
        interchange.import_plan(io.BytesIO(data), "plan.csv", by=analyst, plan_fields=PLAN_FIELDS
                                | {"approved_by_number": "№" * 51, "title_ru": "П" * 501})
    errors = named(refused.value.errors)
    assert set(errors) == {(3, "number"), (3, "funding_code"), (3, "deadline_text"),
                           (3, "direction_title"), (3, "start_year"), (3, "end_year"),
                           (0, "approved_by_number"), (0, "title_ru")}
    assert "less than or equal to 32767" in errors[(3, "number")]
    assert not Plan.objects.exists() and not Measure.objects.exists()


@pytest.mark.django_db
@translation.override("en")
def test_indicator_values_out_of_their_columns_are_named(reference, analyst):
    indicator = Indicator.objects.create(code="aids-issued", name_ru="Выдано ТСР",
                                         unit="count", kind="count")
    text = ("Year,GeoCode,Age,Value\n"
            "2024,,,10\n"
            f"2024,{ALMATY},{'9' * 11},12\n"
            "2023,,,123456789012\n")
    with pytest.raises(imports.ImportRefused) as refused:
        opensdg.import_csv(indicator, io.BytesIO(text.encode()), by=analyst)
    errors = named(refused.value.errors)
    assert set(errors) == {(3, "Age"), (4, "Value")}
    assert not Observation.objects.exists()


@pytest.mark.django_db
def test_values_that_fit_still_import(criteria, analyst):
    text = ("name_ru,address_ru,region,latitude,longitude,type,osm_id\n"
            f"{'Я' * 300},ул. Абая,{ALMATY},43.3,76.9,school,node/{'9' * 25}\n")
    counts = exchange.import_table(io.BytesIO(text.encode()), "facilities.csv", by=analyst)
    assert counts["created"] == 1 and len(Facility.objects.get().name_ru) == 300
