import io

import pytest

from tendik.core.models import AuditEvent, Role
from tendik.indicators import opensdg
from tendik.indicators.models import Indicator, Observation


@pytest.fixture
def employment(reference):
    return Indicator.objects.create(code="employed-share", name_ru="Доля работающих",
                                    unit="percent", kind="percent")


def upload(text: str) -> io.BytesIO:
    return io.BytesIO(text.encode())


GOOD = """Year,GeoCode,Units,Series,Sex,Value
2023,,percent,employed-share,,27.5
2023,750000000,percent,employed-share,,31.2
2023,750000000,percent,employed-share,female,29.9
2024,,percent,employed-share,,28.1
"""


@pytest.mark.django_db
def test_a_good_file_lands_and_round_trips(employment, make_user):
    analyst = make_user(Role.ANALYST, "МТСЗН", username="analyst")
    assert opensdg.import_csv(employment, upload(GOOD), by=analyst) == 4
    almaty_women = Observation.objects.get(indicator=employment, region__kato="750000000",
                                           sex="female")
    assert str(almaty_women.value) == "29.900"
    exported = opensdg.export_csv(employment)
    assert exported.splitlines()[0] == ("Year,GeoCode,Units,Series,Disability group,Sex,Age,"
                                        "Location,Value")
    again = opensdg.parse(employment, upload(exported))
    assert again[1] == [] and len(again[0]) == 4
    assert AuditEvent.objects.filter(model="indicators.observation",
                                     action="create").count() == 4


@pytest.mark.django_db
def test_a_second_import_updates_the_same_cells(employment, make_user):
    analyst = make_user(Role.ANALYST, "МТСЗН", username="analyst")
    opensdg.import_csv(employment, upload(GOOD), by=analyst)
    opensdg.import_csv(employment, upload("Year,Value\n2024,30\n"), by=analyst)
    assert Observation.objects.filter(indicator=employment).count() == 4
    assert Observation.objects.get(indicator=employment, year=2024).value == 30


@pytest.mark.django_db
def test_one_bad_row_is_named_and_nothing_lands(employment, make_user):
    analyst = make_user(Role.ANALYST, "МТСЗН", username="analyst")
    bad = GOOD + "2024,999999999,percent,employed-share,robot,abc\n20x4,,count,other,,5\n"
    with pytest.raises(opensdg.ImportRefused) as refused:
        opensdg.import_csv(employment, upload(bad), by=analyst)
    assert {(e.row, e.column) for e in refused.value.errors} == {
        (6, "GeoCode"), (6, "Sex"), (6, "Value"), (7, "Year"), (7, "Units"), (7, "Series")}
    assert not Observation.objects.exists()


@pytest.mark.django_db
def test_the_header_and_duplicates_are_checked(employment):
    _rows, errors = opensdg.parse(employment, upload("Value,Year\n5,2020\n"))
    assert errors[0].row == 1
    _rows, errors = opensdg.parse(employment, upload("Year,Colour,Value\n2020,red,5\n"))
    assert errors[0].column == "Colour"
    _rows, errors = opensdg.parse(employment, upload("Year,Value\n2020,5\n2020,6\n"))
    assert [(e.row, e.column) for e in errors] == [(3, "Year")]


@pytest.mark.django_db
def test_a_computed_indicator_takes_its_series_not_a_file(make_user):
    analyst = make_user(Role.ANALYST, "МТСЗН", username="analyst")
    Indicator.objects.create(code="employed", name_ru="Работающие", unit="count",
                             kind="count")
    Indicator.objects.create(code="working-age", name_ru="Трудоспособного возраста",
                             unit="count", kind="count")
    share = Indicator.objects.create(code="employed-share", name_ru="Доля работающих",
                                     unit="percent", kind="percent",
                                     numerator_code="employed", denominator_code="working-age")
    with pytest.raises(opensdg.ImportRefused) as refused:
        opensdg.import_csv(share, upload(GOOD), by=analyst)
    assert "employed" in refused.value.errors[0].message
    assert not Observation.objects.exists()

    opensdg.import_csv(Indicator.objects.get(code="working-age"), upload(
        "Year,GeoCode,Value\n2023,,400\n2023,750000000,40\n"), by=analyst)
    opensdg.import_csv(Indicator.objects.get(code="employed"), upload(
        "Year,GeoCode,Value\n2023,,110\n2023,750000000,9\n"), by=analyst)
    computed = {(o.region.kato if o.region else None): o.value
                for o in share.observations.all()}
    assert computed == {None: 27.5, "750000000": 22.5}
