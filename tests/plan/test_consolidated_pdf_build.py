"""What keeps the consolidated report's PDF fast at national scale (bench/plan_report.py)
without changing what it says: the executors' information is not hyphenated, pydyf's list
of page references is built once per page rather than once per tagged line, and the cycle
collector runs less often while WeasyPrint builds."""

from __future__ import annotations

import gc
import io
import re

import pydyf
import pytest
from django.utils.translation import override
from pypdf import PdfReader

from tendik.plan import consolidation
from tendik.plan.models import ExecutorReport

from .conftest import LONG_RU


@pytest.mark.django_db
def test_the_information_on_execution_keeps_its_words_whole(reported_cycle):
    report = ExecutorReport.objects.get(cycle=reported_cycle, organisation__code="МЗ")
    report.narrative_ru = " ".join([LONG_RU] * 6)  # two dozen lines of long words
    report.save()
    with override("ru"):
        pdf = consolidation.build_pdf(reported_cycle, "ru", lambda _percent: None)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    text = " ".join(text.split())
    words = set(re.findall(r"\w{6,}", LONG_RU))
    assert words and [word for word in words if word not in text] == []


def test_page_references_are_kept_until_a_page_is_added():
    consolidation.remember_page_references()
    consolidation.remember_page_references()  # once is enough, twice changes nothing
    pdf = pydyf.PDF()
    for _ in range(3):
        pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    first = pdf.page_references
    assert pdf.page_references is first
    assert first == tuple(f"{number} 0 R".encode() for number in pdf.pages["Kids"][::3])
    pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    assert len(pdf.page_references) == 4 and pdf.page_references[:3] == first


def test_the_collector_runs_less_often_while_a_pdf_builds_and_as_before_after():
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), consolidation.fewer_collections():
        assert gc.get_threshold()[0] == 50_000
        with consolidation.fewer_collections():  # another build in another thread
            assert gc.get_threshold()[0] == 50_000
        assert gc.get_threshold()[0] == 50_000
        raise RuntimeError
    assert gc.get_threshold() == before
