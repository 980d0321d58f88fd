import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tendik.core.models import Region, Role
from tendik.indicators.models import Indicator, Observation, ProgressOverride, Target
from tendik.indicators.progress import Progress
from tendik.indicators.services import final_target, standing, total_series


@pytest.fixture
def disability_rate(reference):
    indicator = Indicator.objects.create(
        code="primary-disability-rate", name_ru="Первичная инвалидность на 10 000 населения",
        unit=Indicator.Unit.PER_10000, kind=Indicator.Kind.RATE,
        desired=Indicator.Desired.DOWN)
    for year, value in [(2015, "28.5"), (2016, "29.4"), (2017, "28.9"), (2018, "29.2")]:
        Observation.objects.create(indicator=indicator, year=year, value=value)
    Target.objects.create(indicator=indicator, year=2025, value=28,
                          source_text="снижение уровня первичной инвалидности до 28 %")
    return indicator


@pytest.mark.django_db
def test_the_national_series_holds_totals_only(disability_rate):
    Observation.objects.create(indicator=disability_rate, year=2018, value="31.0",
                               disability_group=Observation.Group.CHILDREN)
    assert [(p.year, p.value) for p in total_series(disability_rate)] == [
        (2015, 28.5), (2016, 29.4), (2017, 28.9), (2018, 29.2)]


@pytest.mark.django_db
def test_a_falling_indicator_moving_away_from_its_target_deteriorates(disability_rate):
    result = standing(disability_rate)
    assert result.status == Progress.DETERIORATION  # 28.5 in 2015 → 29.2 in 2018
    assert result.computed.latest.year == 2018 and result.override is None
    assert standing(disability_rate, year=2016).computed.latest.year == 2016


@pytest.mark.django_db
def test_a_region_uses_its_own_target_or_else_the_national_one(disability_rate):
    almaty = Region.objects.get(kato="750000000")
    assert final_target(disability_rate, almaty).region is None
    own = Target.objects.create(indicator=disability_rate, year=2025, region=almaty,
                                value=27)
    assert final_target(disability_rate, almaty) == own
    assert standing(disability_rate, almaty).status == Progress.NOT_AVAILABLE  # no data


@pytest.mark.django_db
def test_an_analyst_override_replaces_the_status_and_keeps_the_reason(disability_rate,
                                                                      make_user):
    analyst = make_user(Role.ANALYST, "МТСЗН", username="analyst")
    ProgressOverride.objects.create(indicator=disability_rate, year=2018, status="moderate",
                                    reason="В 2018 году изменена методика МСЭ.", by=analyst)
    result = standing(disability_rate)
    assert result.status == Progress.MODERATE
    assert result.computed.status == Progress.DETERIORATION
    assert result.override.reason == "В 2018 году изменена методика МСЭ."


@pytest.mark.django_db
def test_one_observation_per_cell_and_one_national_target_a_year(disability_rate):
    with pytest.raises(IntegrityError), transaction.atomic():
        Observation.objects.create(indicator=disability_rate, year=2015, value="1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Target.objects.create(indicator=disability_rate, year=2025, value=27)


def test_a_computed_indicator_names_both_series():
    indicator = Indicator(code="x", name_ru="x", unit="percent", kind="percent",
                          numerator_code="employed")
    with pytest.raises(ValidationError):
        indicator.clean()
