import datetime as dt

import pytest
from django.utils import translation

from tendik.core.models import AuditEvent, Organisation, Role
from tendik.plan.models import LegalAct, Measure, MeasureRevision, Plan
from tendik.plan.services import NATIONAL_PLAN_CODE, edit_measure, load_national_plan


@pytest.mark.django_db
def test_the_plan_records_its_decree_and_amendments(small_plan):
    plan = Plan.objects.get(code=NATIONAL_PLAN_CODE)
    assert (plan.approved_by.number, plan.approved_by.date) == ("326", dt.date(2019, 5, 28))
    assert [(a.act.number, a.act.date) for a in plan.amendments.all()] == [
        ("850", dt.date(2022, 10, 26)), ("1142", dt.date(2022, 12, 31)),
        ("236", dt.date(2023, 3, 17))]
    assert list(plan.years) == list(range(2019, 2026))


@pytest.mark.django_db
def test_it_loads_measures_with_their_executors(small_plan):
    measure = Measure.objects.get(number=20)
    assert measure.executor_codes() == ["МТСЗН", "МИО"]
    assert measure.includes_akimats
    assert measure.direction.number == 3
    missing = Measure.objects.get(number=1)
    assert missing.in_source is False and missing.title_ru == "" and missing.direction is None


@pytest.mark.django_db
def test_loading_again_keeps_what_analysts_changed(small_plan, make_user):
    analyst = make_user(Role.ANALYST, "МТСЗН", username="analyst")
    measure = Measure.objects.get(number=1)
    edit_measure(measure, {"title_ru": "Заполнено аналитиком", "in_source": False},
                 by=analyst, amending_act=None, comment="по тексту постановления")
    counts = load_national_plan(small_plan)
    assert counts["measures kept"] == 3
    assert Measure.objects.get(number=1).title_ru == "Заполнено аналитиком"


@pytest.mark.django_db
def test_an_edit_names_its_act_and_leaves_history(small_plan, make_user):
    analyst = make_user(Role.ANALYST, "МТСЗН", username="analyst")
    act = LegalAct.objects.get(number="1142")
    measure = Measure.objects.get(number=21)
    revision = edit_measure(measure, {"end_year": 2023, "deadline_text": "2020–2023 годы"},
                            by=analyst, amending_act=act, comment="срок продлён",
                            executors=[Organisation.objects.get(code="МЗ"),
                                       Organisation.objects.get(code="МП")])
    assert revision.act == act and revision.author == analyst
    assert revision.changes["end_year"] == [2022, 2023]
    assert revision.changes["executors"] == [["МЗ"], ["МЗ", "МП"]]
    event = AuditEvent.objects.get(model="plan.measure", object_id=str(measure.pk),
                                   action="update")
    assert event.actor == analyst and event.reason == "срок продлён"


@pytest.mark.django_db
def test_an_edit_of_a_published_measure_without_an_act_is_refused(small_plan, make_user):
    analyst = make_user(Role.ANALYST, "МТСЗН", username="analyst")
    with translation.override("en"), pytest.raises(ValueError, match="amending act"):
        edit_measure(Measure.objects.get(number=21), {"end_year": 2024}, by=analyst,
                     amending_act=None)
    assert not MeasureRevision.objects.exists()


@pytest.mark.django_db
def test_an_unchanged_edit_leaves_no_revision(small_plan, make_user):
    analyst = make_user(Role.ANALYST, "МТСЗН", username="analyst")
    measure = Measure.objects.get(number=21)
    assert edit_measure(measure, {"end_year": 2022}, by=analyst,
                        amending_act=LegalAct.objects.get(number="850")) is None


@pytest.mark.django_db
def test_active_measures_of_a_year(small_plan):
    def numbers(year: int) -> list[int]:
        return sorted(Measure.objects.active_in(year).values_list("number", flat=True))

    assert numbers(2019) == [20]
    assert numbers(2021) == [20, 21]
    assert numbers(2023) == [20]


@pytest.mark.django_db
def test_an_akimat_executes_the_measures_of_all_akimats(small_plan):
    akimat = Organisation.objects.get(code="AKIMAT-750000000")
    assert list(Measure.objects.for_executor(akimat).values_list("number", flat=True)) == [20]
    ministry = Organisation.objects.get(code="МЗ")
    assert list(Measure.objects.for_executor(ministry).values_list("number", flat=True)) == [21]


@pytest.mark.django_db
def test_an_analyst_changes_a_measure_from_its_page(small_plan, make_user, client_for):
    analyst = client_for(make_user(Role.ANALYST, "МТСЗН", username="analyst"))
    measure = Measure.objects.get(number=21)
    act = LegalAct.objects.get(number="236")
    form = {"title_ru": measure.title_ru, "title_kk": "Әдістемелік ұсынымдар әзірлеу",
            "title_en": "", "direction": measure.direction_id,
            "completion_form_kind": "order", "completion_form_text": "приказ",
            "executors": [Organisation.objects.get(code="МЗ").pk], "includes_akimats": "",
            "deadline_kind": "range", "start_year": "2020", "end_year": "2023",
            "deadline_text": "2020–2023 годы", "cost_kind": "within_allocated_funds",
            "cost_text": "в пределах выделенных средств", "funding_code": "099",
            "funding_name": "Программа", "comment": "продлён срок"}
    page = analyst.post("/ru/plan/measures/21/edit/", form)
    assert page.status_code == 200 and page.context["form"].errors["amending_act"]
    response = analyst.post("/ru/plan/measures/21/edit/", {**form, "amending_act": act.pk})
    assert response.status_code == 302
    revision = MeasureRevision.objects.get(measure=measure)
    assert revision.act == act
    assert revision.changes["end_year"] == [2022, 2023]
    assert revision.changes["title_kk"] == ["", "Әдістемелік ұсынымдар әзірлеу"]
    detail = analyst.get("/ru/plan/measures/21/").content.decode()
    assert "продлён срок" in detail
    executor = client_for(make_user(Role.AGENCY_EXECUTOR, "МЗ", username="mz"))
    assert executor.get("/ru/plan/measures/21/edit/").status_code == 404
