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


LONG_RU = ("Утверждены методические рекомендации по трудоустройству лиц с инвалидностью; "
           "проведено 14 семинаров для специалистов центров занятости, охвачено 1 250 человек, "
           "из них трудоустроено 312.")
LONG_KK = ("Мүгедектігі бар адамдарды жұмысқа орналастыру жөніндегі әдістемелік ұсынымдар "
           "бекітілді; жұмыспен қамту орталықтарының мамандары үшін 14 семинар өткізілді.")


@pytest.fixture
def reported_cycle(small_plan, make_user):
    """The 2021 reporting of the small plan: МЗ's report accepted, Almaty's submitted."""
    from tendik.core.models import Role
    from tendik.plan import reporting
    from tendik.plan.models import ExecutorReport, Plan
    from tendik.plan.services import NATIONAL_PLAN_CODE

    analyst = make_user(Role.ANALYST, "МТСЗН", username="analyst",
                        first_name="Айгерим", last_name="Сапарова")
    cycle = reporting.open_cycle(Plan.objects.get(code=NATIONAL_PLAN_CODE), 2021, by=analyst)
    mz = make_user(Role.AGENCY_EXECUTOR, "МЗ", username="mz")
    report = ExecutorReport.objects.get(cycle=cycle, organisation__code="МЗ")
    reporting.save_report(report, {"status": "completed", "narrative_ru": LONG_RU,
                                   "narrative_kk": LONG_KK, "act_kind": "order",
                                   "act_number": "7", "act_date": "2021-05-05",
                                   "spending": "1234567.5",
                                   "target_values": {"2021": 9.5}}, by=mz)
    reporting.submit_report(report, by=mz)
    reporting.accept_report(report, by=analyst)
    almaty = make_user(Role.AKIMAT_OFFICIAL, "AKIMAT-750000000", username="almaty")
    akimat_report = ExecutorReport.objects.get(cycle=cycle,
                                               organisation__code="AKIMAT-750000000")
    reporting.save_report(akimat_report, {"status": "in_progress",
                                          "narrative_ru": "Мониторинг ведётся ежеквартально.",
                                          "narrative_kk": "Мониторинг тоқсан сайын жүргізіледі."},
                          by=almaty)
    reporting.submit_report(akimat_report, by=almaty)
    return cycle
