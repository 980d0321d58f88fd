"""Executors give indicator figures in their yearly reports; accepted figures become
observations, and computed indicators follow their series."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tendik.core.models import AuditEvent, Region, Role
from tendik.indicators import reporting as figures
from tendik.indicators.models import Indicator, Observation, ReportedValue
from tendik.indicators.services import refresh_computed
from tendik.plan import reporting
from tendik.plan.models import ExecutorReport, Measure, Plan
from tendik.plan.services import NATIONAL_PLAN_CODE

ALMATY = "750000000"


@pytest.fixture
def people(small_plan, make_user):
    return {
        "analyst": make_user(Role.ANALYST, "МТСЗН", username="analyst"),
        "mtszn": make_user(Role.AGENCY_EXECUTOR, "МТСЗН", username="mtszn"),
        "almaty": make_user(Role.AKIMAT_OFFICIAL, f"AKIMAT-{ALMATY}", username="almaty"),
        "astana": make_user(Role.AKIMAT_OFFICIAL, "AKIMAT-710000000", username="astana"),
    }


@pytest.fixture
def employment(people):
    """A share computed from two counts, both reported with measure 20."""
    measure = Measure.objects.get(plan__code=NATIONAL_PLAN_CODE, number=20)
    employed = Indicator.objects.create(code="employed", name_ru="Работающие лица с "
                                        "инвалидностью", unit="count", kind="count")
    working_age = Indicator.objects.create(code="working-age", name_ru="Лица с инвалидностью "
                                           "трудоспособного возраста", unit="count",
                                           kind="count")
    share = Indicator.objects.create(code="employed-share", name_ru="Доля работающих",
                                     unit="percent", kind="percent", numerator_code="employed",
                                     denominator_code="working-age")
    rate = Indicator.objects.create(code="quota-places", name_ru="Рабочие места по квоте",
                                    unit="percent", kind="percent")
    share.measures.add(measure)
    rate.measures.add(measure)
    return {"employed": employed, "working_age": working_age, "share": share, "rate": rate}


@pytest.fixture
def cycle(people, employment):
    return reporting.open_cycle(Plan.objects.get(code=NATIONAL_PLAN_CODE), 2021,
                                by=people["analyst"])


def report_of(cycle, code: str) -> ExecutorReport:
    return ExecutorReport.objects.get(cycle=cycle, measure__number=20, organisation__code=code)


def complete_and_submit(report, user) -> ExecutorReport:
    reporting.save_report(report, {"status": "completed", "narrative_ru": "Выполнено."},
                          by=user)
    return reporting.submit_report(report, by=user)


@pytest.mark.django_db
def test_a_report_asks_for_the_series_a_computed_indicator_is_made_of(cycle, employment):
    asked = [i.code for i in figures.asked_in(report_of(cycle, f"AKIMAT-{ALMATY}"))]
    assert asked == ["employed", "working-age", "quota-places"]
    assert figures.region_of(report_of(cycle, f"AKIMAT-{ALMATY}")).kato == ALMATY
    assert figures.region_of(report_of(cycle, "МТСЗН")) is None


@pytest.mark.django_db
def test_accepted_figures_become_observations_and_the_ratio_is_computed(people, cycle):
    report = report_of(cycle, f"AKIMAT-{ALMATY}")
    figures.save_figures(report, {
        "employed": figures.Figure(value=Decimal(5200)),
        "working-age": figures.Figure(value=Decimal(20000)),
        "quota-places": figures.Figure(numerator=Decimal(30), denominator=Decimal(1200),
                                       comment="по данным центров занятости"),
    }, by=people["almaty"])
    quota = ReportedValue.objects.get(report=report, indicator__code="quota-places")
    assert quota.value == Decimal("2.5")  # computed from the numerator and denominator
    assert AuditEvent.objects.filter(model="indicators.reportedvalue").count() == 3
    almaty = Region.objects.get(kato=ALMATY)
    assert not Observation.objects.filter(region=almaty).exists()  # not before acceptance

    complete_and_submit(report, people["almaty"])
    reporting.accept_report(report, by=people["analyst"])

    published = {o.indicator.code: o for o in Observation.objects.filter(region=almaty)}
    assert published["employed"].value == 5200
    assert published["employed"].status == Observation.Status.FINAL
    assert "AKIMAT-750000000" in published["employed"].source
    share = published["employed-share"]
    assert share.computed and share.value == Decimal("26.000")
    assert (share.numerator, share.denominator) == (5200, 20000)
    assert ReportedValue.objects.get(report=report, indicator__code="employed").observation \
        == published["employed"]


@pytest.mark.django_db
def test_wrong_figures_are_refused_together_and_nothing_is_saved(people, cycle):
    report = report_of(cycle, f"AKIMAT-{ALMATY}")
    with pytest.raises(figures.FiguresRefused) as refused:
        figures.save_figures(report, {
            "employed": figures.Figure(value=Decimal(10)),
            "quota-places": figures.Figure(value=Decimal(150)),
            "working-age": figures.Figure(numerator=Decimal(3)),
        }, by=people["almaty"])
    assert set(refused.value.by_indicator) == {"quota-places", "working-age"}
    assert "100" in refused.value.by_indicator["quota-places"]["value"][0]
    assert not ReportedValue.objects.exists()

    with pytest.raises(figures.FiguresRefused) as disagreeing:
        figures.save_figures(report, {"quota-places": figures.Figure(
            value=Decimal(40), numerator=Decimal(1), denominator=Decimal(4))},
            by=people["almaty"])
    assert "25" in disagreeing.value.by_indicator["quota-places"]["value"][0]


@pytest.mark.django_db
def test_only_the_executor_writes_and_only_while_the_report_is_open(people, cycle):
    report = report_of(cycle, f"AKIMAT-{ALMATY}")
    one = {"employed": figures.Figure(value=Decimal(1))}
    for outsider in ("astana", "analyst", "mtszn"):
        with pytest.raises(PermissionDenied):
            figures.save_figures(report, one, by=people[outsider])
    figures.save_figures(report, one, by=people["almaty"])
    complete_and_submit(report, people["almaty"])
    with pytest.raises(ValidationError):
        figures.save_figures(report, {"employed": figures.Figure(value=Decimal(2))},
                             by=people["almaty"])
    assert ReportedValue.objects.get().value == 1


@pytest.mark.django_db
def test_a_blank_figure_removes_the_saved_one(people, cycle):
    report = report_of(cycle, "МТСЗН")
    figures.save_figures(report, {"employed": figures.Figure(value=Decimal(7))},
                         by=people["mtszn"])
    figures.save_figures(report, {"employed": figures.Figure()}, by=people["mtszn"])
    assert not ReportedValue.objects.exists()


@pytest.mark.django_db
def test_computed_observations_follow_their_series(employment):
    employed, working_age, share = (employment[k] for k in ("employed", "working_age",
                                                            "share"))
    Observation.objects.create(indicator=employed, year=2019, value=111500)
    Observation.objects.create(indicator=working_age, year=2019, value=411000)
    Observation.objects.create(indicator=employed, year=2020, value=120000,
                               status=Observation.Status.PROVISIONAL)
    assert refresh_computed(["employed"]) == 1  # 2020 has no denominator yet
    ratio = share.observations.get()
    assert (ratio.year, ratio.value, ratio.computed) == (2019, Decimal("27.129"), True)

    Observation.objects.create(indicator=working_age, year=2020, value=400000)
    refresh_computed(["working-age"])
    latest = share.observations.get(year=2020)
    assert latest.value == Decimal("30.000")
    assert latest.status == Observation.Status.PROVISIONAL  # as provisional as its parts

    Observation.objects.filter(indicator=working_age, year=2020).delete()
    refresh_computed(["working-age"])
    assert list(share.observations.values_list("year", flat=True)) == [2019]


@pytest.mark.django_db
def test_the_figures_page_for_the_executor_and_the_reviewer(people, cycle, client_for):
    report = report_of(cycle, f"AKIMAT-{ALMATY}")
    url = f"/ru/indicators/reports/{report.pk}/"
    executor = client_for(people["almaty"])
    page = executor.get(url)
    assert page.status_code == 200
    assert page.context["form"] is not None
    refused = executor.post(url, {"quota-places-value": "120", "employed-value": "5"})
    assert refused.status_code == 200
    assert "error-summary" in refused.content.decode()
    assert not ReportedValue.objects.exists()
    saved = executor.post(url, {"quota-places-numerator": "3", "quota-places-denominator": "4",
                                "employed-value": "5"})
    assert saved.status_code == 302
    assert ReportedValue.objects.get(indicator__code="quota-places").value == Decimal("75")
    assert "75" in executor.get(f"/ru/plan/reports/{report.pk}/").content.decode()

    reviewer = client_for(people["analyst"]).get(url)
    assert reviewer.status_code == 200 and reviewer.context["form"] is None
    assert "75" in reviewer.content.decode()
    assert client_for(people["analyst"]).post(url, {"employed-value": "9"}).status_code == 403
    assert client_for(people["astana"]).get(url).status_code == 404


@pytest.mark.django_db
def test_a_report_on_a_measure_without_indicators_has_no_figures_page(people, cycle,
                                                                      client_for):
    report = ExecutorReport.objects.get(cycle=cycle, measure__number=21)
    assert client_for(people["analyst"]).get(
        f"/ru/indicators/reports/{report.pk}/").status_code == 404
