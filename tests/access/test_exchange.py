"""Facilities in and out: exports, table imports with passports, OpenStreetMap files."""

import csv
import io
import json
from pathlib import Path

import osmium
import pytest
from openpyxl import Workbook

from tendik.access import exchange
from tendik.access.assessment import Category
from tendik.access.models import Facility, Level, Passport
from tendik.core.models import Role
from tests.conftest import ALMATY, ASTANA

HEADER = "name_ru,address_ru,region,latitude,longitude,type,osm_id,surveyed_on,ramp-slope," \
         "door-clear-width,accessible-toilet\n"


@pytest.fixture
def people(make_user):
    return {"analyst": make_user(Role.ANALYST, "МТСЗН", username="analyst"),
            "almaty": make_user(Role.AKIMAT_OFFICIAL, f"AKIMAT-{ALMATY}", username="almaty"),
            "user": make_user(Role.REGISTERED, username="user")}


def table(text: str) -> io.BytesIO:
    return io.BytesIO(text.encode())


@pytest.mark.django_db
def test_a_table_with_one_bad_row_imports_nothing_and_names_it(criteria, people):
    text = HEADER + (
        f"Вокзал Алматы-1,ул. Станционная 1,{ALMATY},43.34,76.95,railway_station,node/1,"
        "2025-06-01,10,0.8,да\n"
        f"Автовокзал Сайран,пр. Толе би 294,{ALMATY},43.24,76.86,bus_terminal,,,,,\n"
        f"Школа,ул. Школьная,999999999,91.0,76.9,castle,,2025-13-01,крутой,,может быть\n")
    with pytest.raises(exchange.ImportRefused) as refused:
        exchange.import_table(table(text), "facilities.csv", by=people["analyst"])
    named = {(e.row, e.column) for e in refused.value.errors}
    assert named == {(4, "region"), (4, "latitude"), (4, "type"), (4, "ramp-slope"),
                     (4, "accessible-toilet"), (4, "surveyed_on")}
    assert not Facility.objects.exists()


@pytest.mark.django_db
def test_a_good_table_creates_facilities_and_approved_passports(criteria, people):
    text = HEADER + (
        f"Вокзал Алматы-1,ул. Станционная 1,{ALMATY},43.34,76.95,railway_station,node/1,"
        "2025-06-01,10,0.8,да\n"
        f"Автовокзал Сайран,пр. Толе би 294,{ALMATY},43.24,76.86,bus_terminal,,,,,\n")
    counts = exchange.import_table(table(text), "facilities.csv", by=people["analyst"])
    assert counts == {"created": 2, "updated": 0, "passports": 1}
    station = Facility.objects.get(osm_id="node/1")
    passport = station.passports.get()
    assert passport.state == Passport.State.APPROVED and passport.approved_by == \
        people["analyst"]
    assert station.access(Category.K) is not None and station.level != Level.UNKNOWN
    assert Facility.objects.get(name_ru="Автовокзал Сайран").level == Level.UNKNOWN
    # The same file again updates the facility matched by its OSM id, and archives.
    again = exchange.import_table(table(text.replace("Вокзал Алматы-1", "Вокзал Алматы-I")),
                                  "facilities.csv", by=people["analyst"])
    assert again["updated"] == 1
    station.refresh_from_db()
    assert station.name_ru == "Вокзал Алматы-I"
    assert list(station.passports.values_list("version", "state")) == [
        (2, "approved"), (1, "archived")]


@pytest.mark.django_db
def test_an_akimat_imports_its_own_region_only_and_xlsx_reads_too(criteria, people):
    book = Workbook()
    sheet = book.active
    sheet.append(["name_ru", "address_ru", "region", "latitude", "longitude", "type"])
    sheet.append(["Поликлиника №1", "ул. Абая 1", ALMATY, 43.25, 76.92, "health"])
    sheet.append(["Акимат", "пр. Мангилик Ел 1", ASTANA, 51.13, 71.43, "government"])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(exchange.ImportRefused) as refused:
        exchange.import_table(io.BytesIO(out.getvalue()), "f.xlsx", by=people["almaty"])
    assert [(e.row, e.column) for e in refused.value.errors] == [(3, "region")]
    counts = exchange.import_table(io.BytesIO(out.getvalue()), "f.xlsx", by=people["analyst"])
    assert counts["created"] == 2


OSM = """<?xml version='1.0' encoding='UTF-8'?>
<osm version="0.6">
  <node id="101" lat="43.2389" lon="76.8897">
    <tag k="railway" v="station"/><tag k="name" v="Алматы-2"/>
    <tag k="wheelchair" v="limited"/><tag k="toilets:wheelchair" v="no"/>
  </node>
  <node id="102" lat="43.25" lon="76.93"><tag k="amenity" v="bench"/></node>
  <node id="1" lat="43.20" lon="76.90"/><node id="2" lat="43.22" lon="76.92"/>
  <way id="555"><nd ref="1"/><nd ref="2"/>
    <tag k="amenity" v="hospital"/><tag k="name:ru" v="Больница №7"/><tag k="wheelchair" v="yes"/>
  </way>
</osm>
"""


@pytest.mark.django_db
def test_an_osm_extract_brings_facilities_and_keeps_their_wheelchair_tags(people):
    counts = exchange.import_osm(io.BytesIO(OSM.encode()), "almaty.osm", by=people["analyst"])
    assert counts == {"created": 2, "updated": 0, "skipped": 1}
    station = Facility.objects.get(osm_id="node/101")
    assert station.type == "railway_station" and station.region.kato == ALMATY
    assert station.osm_tags == {"wheelchair": "limited", "toilets:wheelchair": "no"}
    assert station.level == Level.UNKNOWN  # mappers' tags never make an official status
    hospital = Facility.objects.get(osm_id="way/555")
    assert (round(hospital.latitude, 2), round(hospital.longitude, 2)) == (43.21, 76.91)
    again = exchange.import_osm(io.BytesIO(OSM.encode()), "almaty.osm", by=people["analyst"])
    assert again["updated"] == 2 and Facility.objects.count() == 2
    with pytest.raises(exchange.ImportRefused):
        exchange.import_osm(io.BytesIO(b"<osm><node"), "broken.osm", by=people["analyst"])


@pytest.mark.django_db
def test_an_osm_pbf_file_is_read_through_osmium(people, tmp_path: Path):
    path = tmp_path / "extract.osm.pbf"
    with osmium.SimpleWriter(str(path)) as writer:
        writer.add_node(osmium.osm.mutable.Node(
            id=7, location=(71.43, 51.13),
            tags={"amenity": "townhall", "name": "Акимат", "wheelchair": "yes"}))
    counts = exchange.import_osm(io.BytesIO(path.read_bytes()), "extract.osm.pbf",
                                 by=people["analyst"])
    assert counts["created"] == 1
    townhall = Facility.objects.get(osm_id="node/7")
    assert townhall.region.kato == ASTANA and townhall.osm_tags == {"wheelchair": "yes"}


@pytest.mark.django_db
def test_exports_in_geojson_csv_and_a11yjson(criteria, people, client):
    exchange.import_table(table(HEADER + (
        f"Вокзал Алматы-1,ул. Станционная 1,{ALMATY},43.34,76.95,railway_station,node/1,"
        "2025-06-01,10,0.8,да\n")), "f.csv", by=people["analyst"])
    station = Facility.objects.get()
    geojson = json.loads(client.get("/ru/access/export/facilities.geojson").content)
    assert geojson["features"][0]["properties"]["code"] == station.status_code
    rows = list(csv.DictReader(io.StringIO(client.get(
        "/ru/access/export/facilities.csv").content.decode())))
    assert rows[0]["osm_id"] == "node/1" and rows[0]["region"] == ALMATY
    assert rows[0]["K"] == "none"  # a narrow door and a steep ramp, and no help recorded
    a11y = json.loads(client.get("/ru/access/export/facilities.a11y.json").content)
    place = a11y["features"][0]["properties"]
    assert place["category"] == "train_station"
    entrance = place["accessibility"]["entrances"][0]
    assert entrance["hasFixedRamp"] is True
    assert entrance["door"]["width"] == {"value": 0.8, "unit": "m"}
    assert place["accessibility"]["restrooms"][0]["isAccessibleWithWheelchair"] is True
    assert place["sameAs"] == ["https://www.openstreetmap.org/node/1"]
    filtered = json.loads(client.get("/ru/access/export/facilities.geojson",
                                     {"type": "airport"}).content)
    assert filtered["features"] == []


@pytest.mark.django_db
def test_the_import_page_lists_row_errors(criteria, people, client_for):
    analyst = client_for(people["analyst"])
    upload = io.BytesIO((HEADER + f"X,Y,{ALMATY},43.3,76.9,castle,,,,,\n").encode())
    upload.name = "f.csv"
    page = analyst.post("/ru/access/import/", {"file": upload})
    assert page.status_code == 200 and [(e.row, e.column) for e in page.context["errors"]] \
        == [(2, "type")]
    assert client_for(people["user"]).get("/ru/access/import/").status_code == 404
