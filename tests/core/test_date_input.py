"""Dates are typed as day, month and year (GOV.UK's date input) whatever the browser's
language; the server parses them and says which part is wrong."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.utils import translation

from tendik.core.forms import DateField, field_errors


class Visit(forms.Form):
    day = DateField(label="Дата визита")
    until = DateField(label="До", required=False)


def errors(data: dict[str, str], language: str = "ru") -> list[str]:
    with translation.override(language):
        form = Visit(data={"until_day": "", **data})
        form.is_valid()
        return field_errors(form["day"])


def test_three_numbers_make_a_date():
    form = Visit(data={"day_day": "7", "day_month": "03", "day_year": "2026"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"day": dt.date(2026, 3, 7), "until": None}


def test_a_link_may_still_give_the_date_as_one_value():
    form = Visit(data={"day": "2026-03-07", "until": "20.01.2027"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["until"] == dt.date(2027, 1, 20)
    with translation.override("ru"):
        html = str(form["day"])
    assert 'name="day_day" value="7"' in html and 'name="day_year" value="2026"' in html


@pytest.mark.parametrize(("data", "message"), [
    ({}, "Укажите «Дата визита»: день, месяц и год."),
    ({"day_day": "7", "day_year": "2026"}, "«Дата визита»: укажите месяц."),
    ({"day_month": "3"}, "«Дата визита»: укажите день и год."),
    ({"day_day": "7", "day_month": "март", "day_year": "2026"},
     "«Дата визита»: напишите цифрами, например 27 3 2026."),
    ({"day_day": "7", "day_month": "3", "day_year": "26"},
     "«Дата визита»: в годе должно быть четыре цифры."),
    ({"day_day": "31", "day_month": "4", "day_year": "2026"},
     "«Дата визита»: такой даты нет, проверьте день и месяц."),
])
def test_each_wrong_part_is_named(data, message):
    assert errors(data) == [message]


def test_the_messages_are_in_the_pages_language():
    assert errors({"day_day": "7", "day_year": "2026"}, "kk") == ["«Дата визита»: айды көрсетіңіз."]
    assert errors({"day_day": "7", "day_year": "2026"}, "en") == [
        "«Дата визита» must include a month."]


def test_it_renders_as_a_labelled_group_that_keeps_what_was_typed():
    from django.template.loader import render_to_string

    with translation.override("ru"):
        form = Visit(data={"day_day": "31", "day_month": "4", "day_year": "2026"})
        form.is_valid()
        html = render_to_string("core/includes/field.html", {"field": form["day"]})
        summary = render_to_string("core/includes/error_summary.html", {"form": form})
    assert '<fieldset class="field field-error" role="group"' in html
    assert "<legend>Дата визита</legend>" in html
    assert "Например, 27 3 2026" in html
    for label, part, value in (("День", "day", "31"), ("Месяц", "month", "4"),
                               ("Год", "year", "2026")):
        index = ("day", "month", "year").index(part)
        assert f'<label for="id_day_{index}">{label}</label>' in html
        assert f'name="day_{part}" value="{value}"' in html
    assert 'inputmode="numeric"' in html and 'type="date"' not in html
    assert 'aria-invalid="true"' in html
    assert 'href="#id_day_0"' in summary
