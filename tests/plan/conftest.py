from __future__ import annotations

import json
from pathlib import Path

import pytest

from tendik.plan.services import load_national_plan


def record(number: int, **fields: object) -> dict[str, object]:
    empty: dict[str, object] = {
        "number": number, "in_source": False, "direction": None, "title": None,
        "completion_form": {"kind": None, "text": None}, "executors": [],
        "deadline": {"kind": None, "start_year": None, "end_year": None, "text": None},
        "cost": {"kind": None, "text": None}, "funding": {"code": None, "name": None},
        "targets": {},
    }
    return {**empty, **fields}


SMALL_PLAN = {
    "source": "test document",
    "directions": [{"number": 1, "title": None, "in_source": False},
                   {"number": 3, "title": "Обеспечение занятости", "in_source": True}],
    "measures": [
        record(1),
        record(20, in_source=True, direction={"number": 3, "title": "Обеспечение занятости"},
               title="Мониторинг трудоустройства лиц с инвалидностью",
               completion_form={"kind": "information", "text": "информация в МТСЗН"},
               executors=["МТСЗН", "МИО"],
               deadline={"kind": "annual", "start_year": None, "end_year": None,
                         "text": "ежегодно"},
               cost={"kind": "not_required", "text": "не требуются"}),
        record(21, in_source=True, direction={"number": 3, "title": "Обеспечение занятости"},
               title="Разработка методических рекомендаций",
               completion_form={"kind": "order", "text": "приказ"}, executors=["МЗ"],
               deadline={"kind": "range", "start_year": 2020, "end_year": 2022,
                         "text": "2020–2022 годы"},
               cost={"kind": "within_allocated_funds", "text": "в пределах выделенных средств"},
               funding={"code": "099", "name": "Программа"},
               targets={"2020": {"value": 5, "unit": "%"}, "2021": {"value": 10, "unit": "%"}}),
    ],
}


@pytest.fixture
def small_plan(reference, tmp_path: Path):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(SMALL_PLAN, ensure_ascii=False), encoding="utf-8")
    load_national_plan(path)
    return path
