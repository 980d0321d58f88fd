"""The plan's directions read in the page's language: Kazakh and English titles come with
the plan's data, and a database loaded before they did gets them without losing an
analyst's own."""

from __future__ import annotations

import pytest
from django.test import Client

from tendik.plan.models import Direction
from tendik.plan.services import load_national_plan

pytestmark = pytest.mark.django_db


def test_directions_are_named_in_kazakh_and_english(reference):
    load_national_plan()
    kk = Client().get("/kk/plan/").content.decode()
    assert "Кедергісіз орта" in kk and "Безбарьерная среда" not in kk
    en = Client().get("/en/plan/").content.decode()
    assert "A barrier-free environment" in en


def test_a_second_load_fills_only_empty_titles(reference):
    load_national_plan()
    Direction.objects.filter(number=8).update(title_kk="")
    Direction.objects.filter(number=9).update(title_kk="Талдаушы жазған атау")
    load_national_plan()
    assert Direction.objects.get(number=8).title_kk == "Кедергісіз орта"
    assert Direction.objects.get(number=9).title_kk == "Талдаушы жазған атау"


def test_the_plans_russian_texts_are_marked_as_russian_on_other_pages(reference):
    load_national_plan()
    kk = Client().get("/kk/plan/").content.decode()
    assert '<span lang="ru">методические рекомендации</span>' in kk
    assert '<span lang="ru">2020 год</span>' in kk
