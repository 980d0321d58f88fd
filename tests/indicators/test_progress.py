import pytest

from tendik.indicators.progress import Point, Progress, assess, growth

P = Point


def test_growth_is_compound_and_yearly():
    assert growth(P(2015, 100), P(2017, 121)) == pytest.approx(0.10)
    assert growth(P(2015, 0), P(2017, 5)) is None
    assert growth(P(2015, 10), P(2015, 12)) is None


@pytest.mark.parametrize("points,expected", [
    ([], Progress.NOT_AVAILABLE),
    ([P(2020, 50)], Progress.NOT_AVAILABLE),
    ([P(2020, 50), P(2020, 60)], Progress.NOT_AVAILABLE),
])
def test_too_little_data_is_not_available(points, expected):
    assert assess(points, target=P(2025, 100)).status == expected


def test_a_met_target_is_achieved_whichever_the_direction():
    assert assess([P(2019, 60), P(2023, 100)], target=P(2025, 100)).status == \
        Progress.TARGET_ACHIEVED
    falling = assess([P(2015, 28.5), P(2024, 27.9)], rising=False, target=P(2025, 28))
    assert falling.status == Progress.TARGET_ACHIEVED


@pytest.mark.parametrize("latest,expected", [
    (80.0, Progress.SUBSTANTIAL),     # on the path to 100 by 2025 or faster
    (70.0, Progress.MODERATE),
    (62.0, Progress.LIMITED),
    (55.0, Progress.DETERIORATION),
])
def test_the_ratio_of_actual_to_needed_growth(latest, expected):
    # From 60 in 2019, 100 in 2025 needs 8.9 % a year; 2022 is half-way in time.
    result = assess([P(2019, 60), P(2022, latest)], target=P(2025, 100))
    assert result.status == expected
    assert result.base == P(2019, 60) and result.latest == P(2022, latest)


def test_an_indicator_that_should_fall():
    # Primary disability 29.2 per 10,000 in 2018, target 28 by 2025.
    slow = assess([P(2018, 29.2), P(2021, 29.0)], rising=False, target=P(2025, 28))
    assert slow.status == Progress.LIMITED
    worse = assess([P(2018, 29.2), P(2021, 29.6)], rising=False, target=P(2025, 28))
    assert worse.status == Progress.DETERIORATION
    fast = assess([P(2018, 29.2), P(2021, 28.6)], rising=False, target=P(2025, 28))
    assert fast.status == Progress.SUBSTANTIAL


def test_a_series_starting_at_zero_uses_the_yearly_change():
    result = assess([P(2019, 0), P(2022, 30)], target=P(2025, 60))
    assert result.status == Progress.SUBSTANTIAL
    assert result.ratio == pytest.approx(1.0)


@pytest.mark.parametrize("latest,expected", [
    (110.0, Progress.SUBSTANTIAL), (101.5, Progress.MODERATE), (100.2, Progress.LIMITED),
    (95.0, Progress.DETERIORATION),
])
def test_without_a_target_the_growth_rate_alone(latest, expected):
    assert assess([P(2020, 100), P(2022, latest)]).status == expected


def test_the_base_year_limits_the_series():
    points = [P(2013, 88), P(2015, 67), P(2018, 57.8), P(2022, 80)]
    assert assess(points, base_year=2018, target=P(2025, 100)).base == P(2018, 57.8)
    assert assess(points, target=P(2025, 100)).base == P(2013, 88)


def test_a_target_year_before_the_base_is_not_available():
    assert assess([P(2019, 10), P(2022, 20)], target=P(2018, 50)).status == \
        Progress.NOT_AVAILABLE
