"""The pages: what they show, to whom, and that personal data is masked and its reads
recorded."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.test import Client

from tendik.care import services
from tendik.care.models import CareForm, Placement, Rate, Spending
from tendik.core.models import AccessRecord, Region
from tendik.people.models import Person
from tests.conftest import ALMATY, ASTANA

pytestmark = pytest.mark.django_db


@pytest.fixture
def placed(provider, rates, make_person, place_directly):
    person = make_person(last_name="Сапарова")
    place_directly(person, provider, dt.date(2026, 1, 1))
    return person


def text(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize("path", ["", "rates/"])
def test_the_public_pages_open_without_signing_in(path, placed):
    page = Client().get(f"/en/care/{path}")
    assert page.status_code == 200
    assert "<caption" in text(page)
    assert "Сапарова" not in text(page)


def test_the_providers_list_shows_forms_places_and_occupancy(placed, provider):
    page = text(Client().get("/en/care/"))
    assert provider.organisation.name_en in page
    assert re.search(r"1\s+of\s+3", page)  # one of three inpatient places is taken


def test_the_providers_list_filters_by_region_and_form(provider, astana_provider):
    page = text(Client().get(f"/en/care/?region={ASTANA}"))
    assert astana_provider.organisation.name_en in page
    assert provider.organisation.name_en not in page
    assert "CARE-" not in text(Client().get("/en/care/?form=day_care"))


def test_the_provider_page_shows_the_guaranteed_sum(placed, provider):
    page = Client().get(f"/en/care/providers/{provider.pk}/")
    assert page.status_code == 200
    assert "547" in text(page)
    assert "bills/" not in text(page)  # bills are for staff in scope


def test_the_provider_page_links_staff_in_scope_to_bills(placed, provider, personas,
                                                        client_for):
    page = client_for(personas["akimat_official"]).get(f"/en/care/providers/{provider.pk}/")
    assert f"/care/providers/{provider.pk}/bills/" in text(page)


def test_the_placements_list_masks_iins_and_records_the_read(placed, personas, client_for):
    page = client_for(personas["akimat_official"]).get("/en/care/placements/")
    assert page.status_code == 200
    assert placed.full_name in text(page)
    assert placed.masked_iin in text(page)
    assert placed.iin not in text(page)
    record = AccessRecord.objects.get(path="/en/care/placements/")
    assert record.object_ids == [str(placed.pk)]
    assert record.model == "people.person"
    assert record.actor == personas["akimat_official"]


def test_an_empty_placements_list_records_nothing(provider, personas, client_for):
    page = client_for(personas["agency_executor"]).get("/en/care/placements/")
    assert page.status_code == 200
    assert not AccessRecord.objects.exists()


def test_ended_placements_show_on_request(provider, make_person, place_directly, personas,
                                          client_for):
    person = make_person(last_name="Бывшая")
    place_directly(person, provider, dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    client = client_for(personas["akimat_official"])
    assert "Бывшая" not in text(client.get("/en/care/placements/"))
    assert "Бывшая" in text(client.get("/en/care/placements/?show=all"))


def test_the_bill_page_masks_iins_and_records_the_read(placed, provider, personas,
                                                      client_for):
    official = personas["akimat_official"]
    services.compute_bill(provider, 2026, 3, by=official)
    page = client_for(official).get(f"/en/care/providers/{provider.pk}/bills/2026/3/")
    assert placed.masked_iin in text(page) and placed.iin not in text(page)
    assert "547" in text(page)
    # Tenge with spaces between the thousands, in English too (not «547,200»).
    assert "547\u00a0200\u00a0₸" in page.content.decode() and "547,200" not in text(page)
    assert 'name="approve"' in text(page)
    assert AccessRecord.objects.filter(object_ids=[str(placed.pk)]).exists()


def test_the_akimat_computes_and_approves_through_the_page(placed, provider, personas,
                                                           client_for):
    client = client_for(personas["akimat_official"])
    url = f"/en/care/providers/{provider.pk}/bills/2026/3/"
    assert client.post(url, {"compute": ""}).status_code == 302
    assert client.post(url, {"approve": ""}).status_code == 302
    page = text(client.get(url))
    assert 'name="approve"' not in page and 'name="compute"' not in page
    assert provider.bills.get().is_locked


def test_a_missing_rate_is_told_on_the_bill_page(provider, rates, make_person,
                                                 place_directly, personas, client_for):
    place_directly(make_person(), provider, dt.date(2024, 3, 1))
    client = client_for(personas["akimat_official"])
    url = f"/en/care/providers/{provider.pk}/bills/2024/3/"
    page = client.post(url, {"compute": ""}, follow=True)
    assert "No per-capita rate" in text(page)
    assert not provider.bills.exists()


def test_approving_a_bill_not_computed_is_refused(provider, personas, client_for):
    client = client_for(personas["akimat_official"])
    url = f"/en/care/providers/{provider.pk}/bills/2026/3/"
    assert "Compute the bill before" in text(client.post(url, {"approve": ""}, follow=True))


def test_the_billing_page_lists_the_providers_in_scope(placed, provider, astana_provider,
                                                       personas, client_for):
    page = client_for(personas["akimat_official"]).get("/en/care/billing/?year=2026&month=3")
    assert page.status_code == 200
    assert provider.organisation.name_en in text(page)
    assert astana_provider.organisation.name_en not in text(page)


def test_the_akimat_places_a_recipient_through_the_form(provider, make_person, personas,
                                                        client_for):
    person = make_person()
    client = client_for(personas["akimat_official"])
    assert client.get("/en/care/placements/add/").status_code == 200
    response = client.post("/en/care/placements/add/", {
        "iin": person.iin, "provider": provider.pk, "form": CareForm.HOME,
        "start": "2026-02-01", "end": "", "basis": "Решение № 5"})
    assert response.status_code == 302
    placement = Placement.objects.get()
    assert (placement.person, placement.form, placement.end) == (person, "home", None)


def test_the_placement_form_explains_its_errors(provider, make_person, personas,
                                                client_for):
    other_region = make_person(kato=ASTANA)
    client = client_for(personas["akimat_official"])
    page = client.post("/en/care/placements/add/", {
        "iin": other_region.iin, "provider": provider.pk, "form": CareForm.DAY_CARE,
        "start": "2026-03-01", "end": "2026-02-01", "basis": "x"})
    assert page.status_code == 200
    assert 'id="error-summary"' in text(page)
    assert "No recipient with this IIN" in text(page)
    person = make_person()
    page = client.post("/en/care/placements/add/", {
        "iin": person.iin, "provider": provider.pk, "form": CareForm.DAY_CARE,
        "start": "2026-03-01", "end": "2026-02-01", "basis": "x"})
    assert "does not offer this form" in text(page)
    assert "The end comes after the start" in text(page)
    assert not Placement.objects.exists()


def test_the_akimat_ends_a_placement(placed, provider, personas, client_for):
    placement = Placement.objects.get()
    client = client_for(personas["akimat_official"])
    assert client.get(f"/en/care/placements/{placement.pk}/end/").status_code == 200
    # Ending the services affects the recipient: without a reason nothing changes, and
    # the date typed stays in the form.
    refused = client.post(f"/en/care/placements/{placement.pk}/end/", {"end": "2026-05-31"})
    assert refused.status_code == 200 and "Say why the services end" in text(refused)
    kept = refused.content.decode()
    assert all(f'name="end_{part}" value="{value}"' in kept
               for part, value in (("day", "31"), ("month", "5"), ("year", "2026")))
    placement.refresh_from_db()
    assert placement.end is None
    response = client.post(f"/en/care/placements/{placement.pk}/end/",
                           {"end": "2026-05-31", "reason": "Moved to a day-care centre"})
    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.end == dt.date(2026, 5, 31)
    assert "Moved to a day-care centre" in text(client.get("/en/care/placements/?show=all"))


def test_the_rates_table_shows_a_year(rates):
    page = text(Client().get("/en/care/rates/?year=2025&region="))
    assert "500" in page and "547" not in page


def test_the_analyst_sets_a_rate_for_any_region(personas, client_for, reference):
    response = client_for(personas["analyst"]).post("/en/care/rates/", {
        "form": CareForm.TEMPORARY, "region": Region.objects.get(kato=ASTANA).pk,
        "year": 2026, "amount": "456000", "legal_act": "Приказ МТСЗН № 10"})
    assert response.status_code == 302
    assert Rate.objects.get().amount == Decimal("456000")


def test_an_akimat_sets_rates_of_its_region_only(personas, client_for, reference):
    client = client_for(personas["akimat_official"])
    values = {"form": CareForm.HOME, "year": 2026, "amount": "150000",
              "legal_act": "Решение акимата № 3"}
    page = client.post("/en/care/rates/", {**values,
                                           "region": Region.objects.get(kato=ASTANA).pk})
    assert page.status_code == 200 and 'id="error-summary"' in text(page)
    response = client.post("/en/care/rates/", {**values,
                                               "region": Region.objects.get(kato=ALMATY).pk})
    assert response.status_code == 302
    assert Rate.objects.get().region.kato == ALMATY


@pytest.mark.parametrize("role", ["registered", "supplier", "agency_executor", "auditor"])
def test_others_do_not_set_rates(role, personas, client_for, reference):
    page = client_for(personas[role]).get("/en/care/rates/")
    assert page.status_code == 200 and 'name="legal_act"' not in text(page)
    response = client_for(personas[role]).post("/en/care/rates/", {
        "form": CareForm.HOME, "region": Region.objects.get(kato=ALMATY).pk, "year": 2026,
        "amount": "1", "legal_act": "x"})
    assert response.status_code == 404
    assert not Rate.objects.exists()


def test_the_provider_reports_spending_through_the_form(placed, provider, provider_staff,
                                                        client_for):
    client = client_for(provider_staff)
    url = f"/en/care/providers/{provider.pk}/spending/"
    assert client.post(url, {"year": 2026, "month": 3}).status_code == 200  # nothing given
    response = client.post(url, {"year": 2026, "month": 3, "staff": "300000",
                                 "food": "50000.50"})
    assert response.status_code == 302
    assert Spending.objects.filter(provider=provider).count() == 2
    assert "350" in text(client.get(url))


def test_the_dashboard_flags_underspending(placed, provider, provider_staff, personas,
                                          client_for):
    official = personas["akimat_official"]
    services.approve_bill(services.compute_bill(provider, 2026, 3, by=official), by=official)
    services.report_spending(provider, 2026, 3, by=provider_staff,
                             amounts={"staff": Decimal("273600")})
    page = client_for(personas["analyst"]).get("/en/care/spending/?year=2026&region=")
    assert page.status_code == 200
    assert "spends much less than it receives" in text(page)
    assert re.search(r">\s*50\s*<", text(page))  # 50 % spent
    assert "Сапарова" not in text(page)


def test_the_dashboard_shows_only_the_scope(placed, provider, astana_provider, make_user,
                                            personas, client_for):
    official = personas["akimat_official"]
    services.approve_bill(services.compute_bill(provider, 2026, 3, by=official), by=official)
    astana = make_user("akimat_official", f"AKIMAT-{ASTANA}")
    page = text(client_for(astana).get("/en/care/spending/?year=2026&region="))
    assert provider.organisation.name_en not in page


def test_the_back_office_asks_anonymous_visitors_to_sign_in(provider):
    response = Client().get("/en/care/placements/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_no_page_shows_a_full_iin(placed, provider, personas, client_for):
    official = personas["akimat_official"]
    services.compute_bill(provider, 2026, 3, by=official)
    client = client_for(official)
    placement = Placement.objects.get()
    for path in ["", "rates/", "placements/", "placements/?show=all", "billing/",
                 f"providers/{provider.pk}/", f"providers/{provider.pk}/bills/2026/3/",
                 "spending/", f"placements/{placement.pk}/end/"]:
        page = client.get(f"/en/care/{path}")
        assert page.status_code == 200, path
        assert Person.objects.get().iin not in text(page), path


def test_a_mistyped_iin_is_named_as_such(provider, make_person, personas, client_for):
    person = make_person()
    last = int(person.iin[-1])
    mistyped = person.iin[:-1] + str((last + 1) % 10)
    page = client_for(personas["akimat_official"]).post("/en/care/placements/add/", {
        "iin": mistyped, "provider": provider.pk, "form": CareForm.HOME,
        "start": "2026-02-01", "basis": "Решение № 5"})
    assert "check digit" in text(page)
    assert "No recipient with this IIN" not in text(page)
