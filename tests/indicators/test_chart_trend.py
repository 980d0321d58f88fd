"""A chart says in words what its lines do: where each starts and ends, and the target."""

from __future__ import annotations

from django.utils import translation

from tendik.indicators.charts import line_chart, trend_in_words


def test_each_line_is_said_from_its_first_year_to_its_last():
    with translation.override("en"):
        said = trend_in_words([("Kazakhstan", [(2024, 31.0), (2019, 27.0)]),
                               ("Almaty", [(2019, 40.0), (2024, 35.5)]),
                               ("Astana", [(2020, 12.0), (2023, 12.0)]),
                               ("Shymkent", [(2022, 5.0)])],
                              percent=True, target=(2030, 35.0))
    assert said == ("Kazakhstan rose from 27 % in 2019 to 31 % in 2024. "
                    "Almaty fell from 40 % in 2019 to 35.50 % in 2024. "
                    "Astana stayed at 12 % from 2020 to 2023. "
                    "Shymkent: 5 % in 2022. The target is 35 % by 2030.")


def test_the_trend_is_in_the_pages_language_and_in_the_charts_description():
    with translation.override("ru"):
        chart = line_chart("Доля", "процент", [("Казахстан", [(2019, 27.0), (2024, 31.0)])],
                           target=(2030, 35.0), target_label="цель", percent=True)
    assert chart.trend == ("Казахстан: рост с 27 % в 2019 году до 31 % в 2024 году. "
                           "Цель — 35 % к 2030 году.")
    with translation.override("kk"):
        chart = line_chart("Үлес", "сан", [("Қазақстан", [(2019, 270.0), (2024, 250.0)])])
    assert chart.trend == ("Қазақстан: 2019 жылғы 270 көрсеткіштен 2024 жылы 250 көрсеткішке "
                           "дейін төмендеді.")
