import pytest

from tendik.core.audit import Actor, acting_as
from tendik.core.models import AccessRecord, AuditEvent, Organisation, Role
from tests.conftest import ALMATY


@pytest.mark.django_db
def test_it_records_create_update_and_delete_with_the_changes(reference, personas):
    analyst = personas["analyst"]
    with acting_as(Actor(user=analyst, ip_address="10.1.2.3")):
        org = Organisation.objects.create(code="NGO-1", kind=Organisation.Kind.NGO,
                                          name_ru="ОО «Жол»", name_kk="«Жол» ҚБ",
                                          name_en="Zhol NGO")
        org.name_en = "Zhol Public Association"
        org.save()
        org.save()  # nothing changed: no event
        pk = org.pk
        org.delete()
    events = list(AuditEvent.objects.filter(model="core.organisation", object_id=str(pk))
                  .order_by("id"))
    assert [e.action for e in events] == ["create", "update", "delete"]
    assert all(e.actor == analyst and e.ip_address == "10.1.2.3" for e in events)
    assert events[0].changes["code"] == [None, "NGO-1"]
    assert events[1].changes == {"name_en": ["Zhol NGO", "Zhol Public Association"]}
    assert events[2].changes["code"] == ["NGO-1", None]


@pytest.mark.django_db
def test_it_never_writes_password_hashes_into_the_log(make_user):
    user = make_user(Role.REGISTERED, username="secretive")
    user.set_password("another-long-password")
    user.save()
    for event in AuditEvent.objects.filter(model="core.user", object_id=str(user.pk)):
        assert "password" not in event.changes


@pytest.mark.django_db
def test_it_attributes_back_office_edits_to_the_user_and_address(personas, client_for):
    admin = personas["administrator"]
    client = client_for(admin)
    org = Organisation.objects.get(code="МКС")
    response = client.post(f"/ru/admin/core/organisation/{org.pk}/change/", {
        "code": "МКС", "abbreviation_ru": "МКС", "kind": "ministry", "region": "",
        "bin": "", "is_active": "on", "note": "", "name_ru": org.name_ru,
        "name_kk": org.name_kk, "name_en": "Ministry of Culture and Sports",
    }, REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(model="core.organisation", object_id=str(org.pk),
                                   action="update")
    assert event.actor == admin
    assert event.ip_address == "192.0.2.7"
    assert event.changes["name_en"][1] == "Ministry of Culture and Sports"


@pytest.mark.django_db
def test_viewing_a_staff_list_leaves_an_access_record(personas, client_for):
    official = personas["akimat_official"]
    client_for(official).get(f"/ru/office/organisations/AKIMAT-{ALMATY}/",
                             REMOTE_ADDR="198.51.100.4")
    record = AccessRecord.objects.get()
    assert record.actor == official
    assert record.ip_address == "198.51.100.4"
    assert record.model == "core.user"
    assert record.object_ids == [str(official.pk)]
    assert record.path == f"/ru/office/organisations/AKIMAT-{ALMATY}/"


@pytest.mark.django_db
def test_a_page_without_personal_data_leaves_no_access_record(personas, client_for):
    client_for(personas["akimat_official"]).get(f"/ru/office/regions/{ALMATY}/")
    assert not AccessRecord.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role,status", [
    ("auditor", 200), ("administrator", 200), ("analyst", 404), ("akimat_official", 404),
    ("agency_executor", 404), ("supplier", 404), ("recipient", 404), ("registered", 404),
])
@pytest.mark.parametrize("page", ["/ru/office/audit/", "/ru/office/access-log/"])
def test_only_auditors_and_administrators_read_the_logs(role, status, page, personas,
                                                        client_for):
    assert client_for(personas[role]).get(page).status_code == status


@pytest.mark.django_db
def test_the_auditor_filters_the_log(personas, client_for):
    with acting_as(Actor(user=personas["analyst"])):
        Organisation.objects.filter(code="МФ").get().save()  # unchanged: no event
        org = Organisation.objects.get(code="МФ")
        org.note = "checked"
        org.save()
    client = client_for(personas["auditor"])
    response = client.get("/ru/office/audit/", {"actor": "p.analyst", "action": "update"})
    events = list(response.context["page"])
    assert [(e.model, e.object_repr) for e in events] == [("core.organisation", str(org))]
    response = client.get("/ru/office/audit/", {"actor": "nobody"})
    assert list(response.context["page"]) == []
    response = client.get("/ru/office/audit/", {"date_from": "2030-01-02",
                                                "date_to": "2030-01-01"})
    assert response.context["form"].errors["date_to"]
    assert "error-summary" in response.content.decode()


@pytest.mark.django_db
def test_failed_sign_in_is_recorded(reference, client):
    client.post("/ru/accounts/login/", {"username": "nobody", "password": "wrong-password"})
    event = AuditEvent.objects.get(action="login_failed")
    assert event.object_repr == "nobody"


@pytest.mark.django_db
def test_the_back_office_logs_views_of_user_records(personas, client_for):
    admin = personas["administrator"]
    client = client_for(admin)
    assert client.get("/ru/admin/core/user/").status_code == 200
    listed = AccessRecord.objects.get(path="/ru/admin/core/user/")
    assert set(listed.object_ids) == {str(u.pk) for u in personas.values()}
    target = personas["recipient"]
    assert client.get(f"/ru/admin/core/user/{target.pk}/change/").status_code == 200
    record = AccessRecord.objects.get(path=f"/ru/admin/core/user/{target.pk}/change/")
    assert record.object_ids == [str(target.pk)] and record.actor == admin


@pytest.mark.django_db
def test_partly_loaded_records_are_audited_without_extra_queries(reference,
                                                                 django_assert_num_queries):
    with django_assert_num_queries(1):
        codes = [o.code for o in Organisation.objects.only("code")]
    assert len(codes) == 33
    org = Organisation.objects.only("code", "note").get(code="МФ")
    org.note = "partly loaded"
    org.save(update_fields=["note"])
    event = AuditEvent.objects.get(model="core.organisation", action="update")
    assert event.changes == {"note": ["", "partly loaded"]}
