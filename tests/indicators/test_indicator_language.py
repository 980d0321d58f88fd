"""An indicator page speaks to people in their language: names that tell the two halves of
the decree's «доля школ и детских садов…» apart, provenance in a «source» note written for
people (no developer notes, no lines of the extracted text), no status without a target,
and figures refused at input when they cannot be true."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from tendik.indicators import opensdg
from tendik.indicators.models import Indicator, Observation, Target
from tendik.indicators.progress import Progress
from tendik.indicators.services import standing
from tendik.plan.services import load_national_plan


@pytest.fixture
def loaded(reference):
    load_national_plan()
    call_command("load_indicators", stdout=io.StringIO())


@pytest.mark.django_db
def test_it_names_the_schools_and_the_kindergartens_apart_with_the_decrees_split(loaded):
    schools = Indicator.objects.get(code="schools-with-sen-conditions")
    kindergartens = Indicator.objects.get(code="kindergartens-with-sen-conditions")
    for language in ("ru", "kk", "en"):
        assert getattr(schools, f"name_{language}") != getattr(kindergartens,
                                                                f"name_{language}")
    assert "школ" in schools.name_ru and "детских садов" not in schools.name_ru
    assert "детских садов" in kindergartens.name_ru and "школ" not in kindergartens.name_ru
    assert "мектеп" in schools.name_kk and "балабақша" in kindergartens.name_kk
    school_target = Target.objects.get(indicator=schools)
    kindergarten_target = Target.objects.get(indicator=kindergartens)
    assert (school_target.year, school_target.value) == (2020, Decimal("70"))
    assert (kindergarten_target.year, kindergarten_target.value) == (2020, Decimal("30"))
    assert "70 % школ" in school_target.quote and "30 %" not in school_target.quote
    assert "30 % детских садов" in kindergarten_target.quote
    assert "70 %" not in kindergarten_target.quote


@pytest.mark.django_db
def test_no_name_carries_the_trace_of_the_extraction(loaded):
    for indicator in Indicator.objects.all():
        for name in (indicator.name_ru, indicator.name_kk, indicator.name_en):
            assert "в тексте приложения" not in name and "қосымша мәтінінде" not in name, name


def visible(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_the_page_keeps_provenance_in_a_source_note_for_people(loaded, language):
    indicator = Indicator.objects.get(code="chronic-disease-programme-coverage")
    assert "plan_direction is null" in indicator.note  # what the loader keeps for analysts
    html = Client().get(f"/{language}/indicators/{indicator.code}/").content.decode()
    text = visible(html)
    for leak in ("plan_direction", "is null", "строка", "line 6", "год не указан"):
        assert leak not in text, leak
    note = re.search(r"<details class=\"source-note\">.*?</details>", html, re.S)
    assert note is not None
    with translation.override(language):
        summary = translation.gettext("Where the indicator and its figures come from")
        assumed = translation.gettext("the decree gives no year, so the plan's last year, "
                                      "%(year)s, is taken.") % {"year": 2025}
    assert f"<summary>{summary}</summary>" in note.group(0)
    # the decree's words, quoted in Russian and marked so; the remark in the page's language
    assert '<span lang="ru">«достижение 100 % охвата пациентов ПУЗ»</span>' in note.group(0)
    assert assumed in note.group(0)
    assert '<span lang="ru">Постановление Правительства РК от 28 мая 2019 года № 326' \
        in note.group(0)


@pytest.mark.django_db
def test_an_indicator_without_a_target_gets_no_status(reference):
    rising = Indicator.objects.create(code="no-target", name_ru="Без цели", unit="percent",
                                      kind="percent")
    for year, value in [(2019, "10"), (2020, "15"), (2021, "20")]:
        Observation.objects.create(indicator=rising, year=year, value=value)
    assert standing(rising).status == Progress.NOT_AVAILABLE
    assert standing(rising).computed.latest.value == 20.0
    html = Client().get("/ru/indicators/").content.decode()
    with translation.override("ru"):
        label = translation.gettext("none: the plan sets no target")
        assert label != "none: the plan sets no target"
    row = re.search(r'<tr>\s*<th scope="row"><a href="/ru/indicators/no-target/".*?</tr>',
                    html, re.S)
    assert row is not None and label in row.group(0)
    Target.objects.create(indicator=rising, year=2025, value=40)
    assert standing(rising).status != Progress.NOT_AVAILABLE


@pytest.mark.django_db
def test_a_share_above_100_or_a_count_with_decimals_is_refused(reference):
    share = Indicator.objects.create(code="share", name_ru="Доля", unit="percent",
                                     kind="percent")
    count = Indicator.objects.create(code="count", name_ru="Число", unit="count",
                                     kind="count")
    assert share.figure_error(Decimal("100")) is None
    assert share.figure_error(Decimal("62.5")) is None
    assert count.figure_error(Decimal("12")) is None
    with translation.override("kk"):
        above = share.figure_error(Decimal("100.5"))
        decimals = count.figure_error(Decimal("12.5"))
        part = share.figure_error(Decimal("3.5"), "numerator")
    with translation.override("en"):
        assert share.figure_error(Decimal("101")) == "A share cannot be more than 100 %."
        english = count.figure_error(Decimal("12.5"))
    assert above and decimals and part == decimals
    assert decimals != english  # translated
    with pytest.raises(ValidationError) as refused:
        Observation(indicator=count, year=2024, value=Decimal("7.25")).full_clean()
    assert "value" in refused.value.message_dict


@pytest.mark.django_db
def test_an_import_refuses_a_share_above_100_on_its_row(reference):
    share = Indicator.objects.create(code="employed-share", name_ru="Доля работающих",
                                     unit="percent", kind="percent")
    text = "Year,GeoCode,Units,Series,Value\n2023,,percent,employed-share,27.5\n" \
           "2024,,percent,employed-share,127.5\n"
    with translation.override("en"):
        _rows, errors = opensdg.parse(share, io.BytesIO(text.encode()))
    assert [(e.row, e.column, str(e.message)) for e in errors] == [
        (3, "Value", "A share cannot be more than 100 %.")]
