"""Server-rendered line charts: plain SVG, readable without colour, script or images.

Each series has its own dash pattern and marker shape, the target is a labelled dashed
line, every point carries its value as text, and the page shows a table with the same
numbers. Colours come from CSS `currentColor`, so the low-vision schemes and print apply.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext as _

WIDTH, HEIGHT = 720, 360
LEFT, RIGHT, TOP, BOTTOM = 64, 24, 24, 48
MARKERS = ["circle", "square", "triangle"]
DASHES = ["", "8 4", "2 4"]


@dataclass
class SeriesPoint:
    year: int
    value: float
    x: float = 0
    y: float = 0

    @property
    def label(self) -> str:
        """The value as the table shows it (Django's floatformat:"-2", localized)."""
        return display_number(self.value)


def display_number(value: float) -> str:
    if float(value).is_integer():
        return number_format(int(value))
    return number_format(round(value, 2), decimal_pos=2)


@dataclass
class Series:
    label: str
    points: list[SeriesPoint]
    marker: str = "circle"
    dash: str = ""
    path: str = ""


@dataclass
class Chart:
    title: str
    description: str
    series: list[Series]
    trend: str = ""
    target_value: float | None = None
    target_label: str = ""
    target_y: float | None = None
    x_ticks: list[tuple[float, int]] = field(default_factory=list)
    y_ticks: list[tuple[float, str]] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    top: int = TOP
    bottom_edge: int = HEIGHT - BOTTOM

    @property
    def is_empty(self) -> bool:
        return not any(s.points for s in self.series)


def trend_in_words(series: list[tuple[str, list[tuple[int, float]]]], *, percent: bool,
                   target: tuple[int, float] | None = None) -> str:
    """What the chart shows, said in sentences: where each line starts and ends, and the
    target. Screen readers hear it as the chart's description; everyone reads it."""

    def amount(value: float) -> str:
        return f"{display_number(value)} %" if percent else display_number(value)

    sentences = []
    for label, points in series:
        ordered = sorted(points)
        if not ordered:
            continue
        (first_year, first), (last_year, last) = ordered[0], ordered[-1]
        words = {"series": label, "first": amount(first), "first_year": first_year,
                 "last": amount(last), "last_year": last_year}
        if len(ordered) == 1:
            sentences.append(_("%(series)s: %(first)s in %(first_year)s.") % words)
        elif last > first:
            sentences.append(_("%(series)s rose from %(first)s in %(first_year)s to %(last)s "
                               "in %(last_year)s.") % words)
        elif last < first:
            sentences.append(_("%(series)s fell from %(first)s in %(first_year)s to %(last)s "
                               "in %(last_year)s.") % words)
        else:
            sentences.append(_("%(series)s stayed at %(first)s from %(first_year)s to "
                               "%(last_year)s.") % words)
    if target is not None:
        sentences.append(_("The target is %(value)s by %(year)s.") % {
            "value": amount(target[1]), "year": target[0]})
    return " ".join(sentences)


def nice_step(span: float, steps: int = 5) -> float:
    raw = span / steps if span > 0 else 1
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def line_chart(title: str, description: str, series: list[tuple[str, list[tuple[int, float]]]],
               *, target: tuple[int, float] | None = None, target_label: str = "",
               years: range | None = None, percent: bool = False) -> Chart:
    all_points = [(y, v) for _label, points in series for y, v in points]
    values = [v for _y, v in all_points] + ([target[1]] if target else [])
    year_list = [y for y, _v in all_points] + ([target[0]] if target else [])
    chart = Chart(title=title, description=description, series=[],
                  trend=trend_in_words(series, percent=percent, target=target),
                  target_value=target[1] if target else None, target_label=target_label)
    if not values:
        return chart
    first_year = min(year_list) if years is None else years.start
    last_year = max(year_list) if years is None else years.stop - 1
    if last_year == first_year:
        last_year += 1
    low, high = min(0.0, min(values)), max(values)
    step = nice_step(high - low)
    high = math.ceil(high / step) * step if high > 0 else step
    plot_w = chart.right_edge - chart.left
    plot_h = chart.bottom_edge - chart.top

    def x_of(year: int) -> float:
        return round(chart.left + plot_w * (year - first_year) / (last_year - first_year), 1)

    def y_of(value: float) -> float:
        return round(chart.bottom_edge - plot_h * (value - low) / (high - low), 1)

    for index, (label, points) in enumerate(series):
        placed = [SeriesPoint(y, v, x_of(y), y_of(v)) for y, v in sorted(points)]
        path = " ".join(f"{'M' if i == 0 else 'L'}{p.x},{p.y}" for i, p in enumerate(placed))
        chart.series.append(Series(label, placed, MARKERS[index % len(MARKERS)],
                                   DASHES[index % len(DASHES)], path))
    if target is not None:
        chart.target_y = y_of(target[1])
    year_step = max(1, math.ceil((last_year - first_year) / 8))
    chart.x_ticks = [(x_of(y), y) for y in range(first_year, last_year + 1, year_step)]
    ticks = []
    value = low
    while value <= high + step / 1000:
        ticks.append((y_of(value), f"{value:g}"))
        value += step
    chart.y_ticks = ticks
    return chart
