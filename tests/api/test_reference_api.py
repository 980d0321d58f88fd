import pytest
from openapi_spec_validator import validate

from tendik.core.models import Organisation


@pytest.mark.django_db
def test_regions_lists_twenty_units_with_kato_and_coordinates(reference, client):
    response = client.get("/api/v1/regions")
    assert response.status_code == 200
    regions = response.json()
    assert len(regions) == 20
    assert len({r["kato"] for r in regions}) == 20
    almaty = next(r for r in regions if r["kato"] == "750000000")
    assert almaty["name"] == {"ru": "город Алматы", "kk": "Алматы қаласы", "en": "Almaty"}
    assert almaty["kind"] == "city"
    assert isinstance(almaty["latitude"], float) and 43 < almaty["latitude"] < 44
    assert isinstance(almaty["longitude"], float) and 76 < almaty["longitude"] < 78


@pytest.mark.django_db
def test_one_region_and_the_error_shape_for_a_missing_one(reference, client):
    assert client.get("/api/v1/regions/710000000").json()["centre"]["en"] == "Astana"
    response = client.get("/api/v1/regions/123", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json() == {"error": {"status": 404, "code": "not_found",
                                         "message": "Not found.", "details": []}}


@pytest.mark.django_db
def test_organisations_filter_by_kind_and_region(reference, client):
    akimats = client.get("/api/v1/organisations", {"kind": "akimat"}).json()
    assert len(akimats) == 20
    assert {o["kind"] for o in akimats} == {"akimat"}
    in_shymkent = client.get("/api/v1/organisations", {"region": "790000000"}).json()
    assert [o["code"] for o in in_shymkent] == ["AKIMAT-790000000"]
    ministries = client.get("/api/v1/organisations",
                            {"kind": "ministry", "active": "true"}).json()
    codes = {o["code"] for o in ministries}
    assert "МЗ" in codes and "МОН" not in codes
    assert all(o["region_kato"] is None for o in ministries)
    assert client.get("/api/v1/organisations/МТСЗН").json()["name"]["kk"].startswith(
        "Қазақстан Республикасы Еңбек")
    assert Organisation.objects.count() == len(client.get("/api/v1/organisations").json())


@pytest.mark.django_db
def test_a_bad_filter_gets_the_error_shape_with_details(reference, client):
    response = client.get("/api/v1/organisations", {"kind": "bank"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid" and error["status"] == 422
    assert error["details"][0]["field"] == "kind"


@pytest.mark.django_db
def test_errors_are_translated_by_accept_language(reference, client):
    messages = {language: client.get("/api/v1/regions/1", HTTP_ACCEPT_LANGUAGE=language)
                .json()["error"]["message"] for language in ["ru", "kk", "en"]}
    assert messages["en"] == "Not found."
    assert len(set(messages.values())) == 3
    assert client.get("/api/v1/regions/1").json()["error"]["message"] == messages["ru"]


def test_an_unknown_endpoint_answers_in_the_error_shape(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_the_schema_is_a_valid_openapi_document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    validate(schema)
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/regions", "/api/v1/organisations", "/api/v1/me"} <= set(schema["paths"])


def test_the_docs_are_an_accessible_page_that_lists_every_endpoint(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 302 and response["Location"] == "/ru/api/"
    page = client.get("/ru/api/").content.decode()
    schema = client.get("/api/v1/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method in operations:
            assert f"<code>{method.upper()} {path}</code>" in page, (method, path)
    assert "<script" not in page.split("<main", 1)[1]


@pytest.mark.django_db
def test_the_docs_try_an_endpoint_with_a_plain_form(reference, client):
    response = client.get("/ru/api/try/tendik_api_core_get_region/", {"kato": "750000000"})
    assert response.status_code == 302
    assert response["Location"] == "/api/v1/regions/750000000"
    response = client.get("/ru/api/try/tendik_api_core_list_organisations/",
                          {"kind": "akimat", "region": "", "active": "true"})
    assert response["Location"] == "/api/v1/organisations?kind=akimat&active=true"
    assert client.get("/ru/api/try/no_such_operation/").status_code == 404


def test_open_data_operations_say_credentials_are_optional(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert {} in schema["paths"]["/api/v1/regions"]["get"]["security"]
    assert {} not in schema["paths"]["/api/v1/me"]["get"]["security"]
