import pytest
from django.core.management import call_command

from tendik.core.models import AuditEvent, Organisation, Region
from tendik.core.reference import load_reference_data

DECREE_ABBREVIATIONS = {"МИОР", "МОН", "МВК", "МНВО", "МЗ", "МТСЗН", "МИИР", "МФ", "МКС", "МП",
                        "МВД", "МЦРИАП"}


@pytest.mark.django_db
def test_it_loads_the_twenty_regions_with_kato_codes_and_coordinates():
    load_reference_data()
    regions = Region.objects.all()
    assert regions.count() == 20
    assert regions.filter(kind=Region.Kind.CITY).count() == 3
    assert regions.filter(kind=Region.Kind.OBLAST).count() == 17
    for region in regions:
        assert len(region.kato) == 9 and region.kato.isdigit()
        assert region.kato.endswith("0000000")
        assert 40 < region.latitude < 56 and 46 < region.longitude < 88, region
        assert region.name_ru and region.name_kk and region.name_en
        assert region.centre_ru and region.centre_kk and region.centre_en
    assert {r.name_en for r in regions} >= {"Abai Region", "Zhetysu Region", "Ulytau Region",
                                             "Astana", "Almaty", "Shymkent"}
    assert Region.objects.get(kato="710000000").centre_kk == "Астана"


@pytest.mark.django_db
def test_it_loads_every_executor_of_the_decree_and_one_akimat_per_region():
    load_reference_data()
    codes = set(Organisation.objects.values_list("code", flat=True))
    assert DECREE_ABBREVIATIONS | {"МНЭ"} <= codes
    akimats = Organisation.objects.filter(kind=Organisation.Kind.AKIMAT)
    assert akimats.count() == 20
    assert set(akimats.values_list("region__kato", flat=True)) == set(
        Region.objects.values_list("kato", flat=True))
    almaty = Organisation.objects.get(code="AKIMAT-750000000")
    assert almaty.name_ru == "Акимат города Алматы"
    assert almaty.name_kk == "Алматы қаласының әкімдігі"
    assert Organisation.objects.get(code="МОН").is_active is False
    for organisation in Organisation.objects.all():
        assert organisation.name_ru and organisation.name_kk and organisation.name_en


@pytest.mark.django_db
def test_it_changes_nothing_when_loaded_twice():
    first = load_reference_data()
    events = AuditEvent.objects.count()
    second = load_reference_data()
    assert first["regions created"] == 20
    assert second == {"regions unchanged": 20, "organisations unchanged": 33}
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_it_restores_a_reference_row_edited_by_hand_and_audits_it():
    load_reference_data()
    Region.objects.filter(kato="100000000").update(name_en="Semey Region")
    counts = load_reference_data()
    assert counts["regions updated"] == 1
    assert Region.objects.get(kato="100000000").name_en == "Abai Region"
    event = AuditEvent.objects.filter(model="core.region", action="update").get()
    assert event.changes == {"name_en": ["Semey Region", "Abai Region"]}
    assert event.actor_repr == "load_reference"


@pytest.mark.django_db
def test_the_command_prints_what_it_did(capsys):
    call_command("load_reference")
    out = capsys.readouterr().out
    assert "regions created: 20" in out
