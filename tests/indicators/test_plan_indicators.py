"""The plan's indicators as shipped: traceable to the decree, loaded as `make run` does."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from tendik.indicators.models import Indicator, Observation, Target
from tendik.indicators.progress import Progress
from tendik.indicators.services import standing
from tendik.plan.services import load_national_plan


@pytest.fixture
def loaded(reference):
    load_national_plan()
    call_command("load_indicators", stdout=None)


@pytest.mark.django_db
def test_primary_disability_has_its_baselines_target_and_the_decrees_words(loaded):
    rate = Indicator.objects.get(code="primary-disability-rate")
    assert rate.unit == Indicator.Unit.PER_10000 and rate.desired == Indicator.Desired.DOWN
    baselines = {o.year: o.value for o in Observation.objects.filter(indicator=rate)}
    assert baselines == {2015: Decimal("28.5"), 2016: Decimal("29.4"),
                         2017: Decimal("28.9"), 2018: Decimal("29.2")}
    target = Target.objects.get(indicator=rate)
    assert (target.year, target.value, target.legal_act.number) == (2025, 28, "326")
    assert "28 %" in target.source_text and "строка 668" in target.source_text
    assert "28 %" in rate.note  # the decree's inconsistent unit is noted
    assert standing(rate).computed.status == Progress.DETERIORATION


@pytest.mark.django_db
def test_shares_keep_their_numerator_and_denominator(loaded):
    # «На сегодня» carries no year: the figure stays with its words, not as an observation.
    schools = Indicator.objects.get(code="schools-with-sen-conditions")
    assert not Observation.objects.filter(indicator=schools).exists()
    assert "Базовое значение без года" in schools.note and "4207" in schools.note.replace(
        " ", "").replace("\u00a0", "")
    employed = Observation.objects.get(indicator__code="employed-working-age-share")
    assert (employed.year, employed.numerator, employed.denominator) == (
        2019, Decimal("111500"), Decimal("411000"))
    assert employed.computed and employed.value == Decimal("27.129")
    # The decree's counts are the series the share is computed from, with its words.
    count = Observation.objects.get(
        indicator__code="employed-working-age-persons-with-disabilities")
    assert count.value == 111500 and "строка" in count.source
    aids = Observation.objects.filter(indicator__code="technical-aids-provision-ipr")
    assert dict(aids.values_list("year", "value")) == {
        2013: Decimal("88"), 2015: Decimal("67"), 2016: Decimal("67"),
        2017: Decimal("67.5"), 2018: Decimal("57.8")}


@pytest.mark.django_db
def test_the_measure_targets_are_linked_to_their_measures(loaded):
    publications = Indicator.objects.get(code="measure-94-publications")
    assert list(publications.measures.values_list("number", flat=True)) == [94]
    assert dict(Target.objects.filter(indicator=publications).values_list("year", "value")) \
        == {2019: 5, 2020: 10, 2021: 15, 2022: 20, 2023: 25, 2024: 30}
    screening = Indicator.objects.get(code="measure-83-screening-coverage")
    assert screening.directions.get().number == 8


@pytest.mark.django_db
def test_loading_twice_keeps_what_is_there(loaded, capsys):
    call_command("load_indicators")
    assert "indicators kept: 32" in capsys.readouterr().out
    assert Indicator.objects.count() == 32 + 16  # with the series of 8 computed shares


@pytest.mark.django_db
def test_a_reload_fills_blank_descriptions_and_keeps_an_analysts_words(loaded, capsys):
    rate = Indicator.objects.get(code="primary-disability-rate")
    Indicator.objects.filter(pk=rate.pk).update(name_kk="", definition_en="Analyst's words")
    call_command("load_indicators")
    assert "indicators completed: 1" in capsys.readouterr().out
    rate.refresh_from_db()
    assert rate.name_kk and rate.definition_en == "Analyst's words"


@pytest.mark.django_db
def test_every_indicator_is_described_in_three_languages_and_placed(loaded):
    for indicator in Indicator.objects.all():
        assert indicator.name_kk and indicator.name_en, indicator.code
        assert indicator.area in range(1, 8), indicator.code
    headline = Indicator.objects.exclude(code__in=[
        *Indicator.objects.values_list("numerator_code", flat=True),
        *Indicator.objects.values_list("denominator_code", flat=True)])
    for indicator in headline:
        assert indicator.definition_ru and indicator.definition_kk and indicator.definition_en
        assert indicator.crpd_list(), indicator.code
    schools = Indicator.objects.get(code="schools-with-sen-conditions")
    assert schools.crpd_list() == ["9", "24"] and "4.5" in schools.sdg_list()
    assert schools.is_computed and set(schools.measures.values_list("number", flat=True)) \
        == {14, 15}
