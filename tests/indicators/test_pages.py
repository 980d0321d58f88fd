import pytest
from django.core.management import call_command

from tendik.indicators.models import Observation
from tendik.plan.services import load_national_plan


@pytest.fixture
def loaded(reference):
    load_national_plan()
    call_command("load_indicators", stdout=None)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_the_dashboard_lists_every_indicator_with_its_status(loaded, client, language):
    page = client.get(f"/{language}/indicators/")
    assert page.status_code == 200
    listed = [item["indicator"].code for _d, items in page.context["groups"] for item in items]
    assert len(listed) == 32
    rate = next(item for _d, items in page.context["groups"] for item in items
                if item["indicator"].code == "primary-disability-rate")
    assert rate["status"] == "deterioration"


@pytest.mark.django_db
def test_the_chart_and_the_table_hold_the_same_numbers(loaded, client):
    page = client.get("/ru/indicators/primary-disability-rate/")
    body = page.content.decode()
    chart = page.context["chart"]
    charted = [(p.year, p.value) for p in chart.series[0].points]
    tabled = [(year, values[0]) for year, values in page.context["table"]]
    assert charted == tabled == [(2015, 28.5), (2016, 29.4), (2017, 28.9), (2018, 29.2)]
    assert chart.target_y is not None
    assert 'role="img"' in body and "<title id=\"chart-title\">" in body
    assert ">28,50<" in body  # chart labels are written as the table and the language write them
    assert "d=\"M" in body and "," in body.split('d="M', 1)[1].split('"', 1)[0]


@pytest.mark.django_db
def test_a_region_and_a_breakdown_filter_the_chart(loaded, client):
    from tendik.core.models import Region
    from tendik.indicators.models import Indicator

    rate = Indicator.objects.get(code="primary-disability-rate")
    almaty = Region.objects.get(kato="750000000")
    Observation.objects.create(indicator=rate, year=2018, region=almaty, value="25.1")
    Observation.objects.create(indicator=rate, year=2018, value="40.2",
                               disability_group=Observation.Group.CHILDREN)
    page = client.get("/ru/indicators/primary-disability-rate/", {"region": "750000000"})
    assert [s.label for s in page.context["chart"].series][1] == almaty.name
    assert page.context["table"][-1] == (2018, [29.2, 25.1])
    children = client.get("/ru/indicators/primary-disability-rate/",
                          {"disability_group": "children"})
    assert [(y, v) for y, v in children.context["table"]] == [(2018, [40.2])]


@pytest.mark.django_db
def test_the_csv_download_and_the_region_comparison(loaded, client):
    csv = client.get("/ru/indicators/primary-disability-rate/data.csv").content.decode()
    assert csv.splitlines()[1] == "2015,,per_10000,primary-disability-rate,,,,,28.5"
    page = client.get("/kk/indicators/regions/750000000/")
    assert page.status_code == 200 and len(page.context["rows"]) == 32
    jump = client.get("/ru/indicators/regions/", {"kato": "710000000"})
    assert jump["Location"] == "/ru/indicators/regions/710000000/"


@pytest.mark.django_db
def test_the_demo_gives_every_chart_data(loaded, settings):
    from tendik.indicators.demo import load_demo

    load_demo()
    assert load_demo() == "indicator demo: already there"
    rate = Observation.objects.filter(indicator__code="primary-disability-rate")
    years = set(rate.filter(region__isnull=True).values_list("year", flat=True))
    assert years == set(range(2015, 2025))
    assert rate.filter(year=2024, region__isnull=False).count() == 20
    assert rate.get(year=2018, region__isnull=True).status == Observation.Status.FINAL
    assert not Observation.objects.filter(indicator__unit="percent", value__gt=100).exists()


@pytest.mark.django_db
def test_an_analyst_imports_observations_and_sees_row_errors(loaded, make_user, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tendik.core.models import Role

    analyst = client_for(make_user(Role.ANALYST, "МТСЗН", username="analyst"))
    bad = SimpleUploadedFile("d.csv", b"Year,GeoCode,Value\n2024,,28.4\n2024,123,x\n")
    page = analyst.post("/ru/indicators/primary-disability-rate/import/", {"file": bad})
    assert [(e.row, e.column) for e in page.context["errors"]] == [(3, "GeoCode"),
                                                                   (3, "Value")]
    assert not Observation.objects.filter(year=2024).exists()
    good = SimpleUploadedFile("d.csv", b"Year,GeoCode,Value\n2024,,28.4\n")
    response = analyst.post("/ru/indicators/primary-disability-rate/import/", {"file": good})
    assert response.status_code == 302
    chart = analyst.get("/ru/indicators/primary-disability-rate/").context["chart"]
    assert chart.series[0].points[-1].year == 2024
    executor = client_for(make_user(Role.AGENCY_EXECUTOR, "МЗ", username="mz"))
    assert executor.get("/ru/indicators/primary-disability-rate/import/").status_code == 404


@pytest.mark.django_db
def test_an_analyst_corrects_a_status_with_a_reason_shown_to_all(loaded, make_user,
                                                                 client_for, client):
    from tendik.core.models import Role

    analyst = client_for(make_user(Role.ANALYST, "МТСЗН", username="analyst"))
    page = analyst.post("/ru/indicators/primary-disability-rate/status/",
                        {"year": "2018", "status": "moderate", "reason": ""})
    assert page.context["form"].errors["reason"]
    analyst.post("/ru/indicators/primary-disability-rate/status/",
                 {"year": "2018", "status": "moderate", "reason": "Изменена методика МСЭ."})
    public = client.get("/ru/indicators/primary-disability-rate/")
    assert public.context["national"]["status"] == "moderate"
    assert "Изменена методика МСЭ." in public.content.decode()
