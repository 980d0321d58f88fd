"""Loading the reference data the platform ships in tendik/core/data/."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db import models, transaction

from tendik.core.audit import acting_as
from tendik.core.models import ANALYST_GROUP, Organisation, Region

DATA_DIR = Path(__file__).resolve().parent / "data"
ANALYST_PERMISSIONS = [
    "view_region", "change_region", "view_organisation", "add_organisation",
    "change_organisation", "view_user", "view_apitoken",
]


def read_data_file(name: str) -> Iterator[dict[str, str]]:
    """Rows of a shipped CSV file; lines starting with # name its source."""
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        yield from csv.DictReader(line for line in handle if not line.startswith("#"))


def upsert(model: type[models.Model], key: dict[str, Any], values: dict[str, Any]) -> str:
    """Create or update one row; an unchanged row is not written at all."""
    instance = model._default_manager.filter(**key).first()
    if instance is None:
        model._default_manager.create(**key, **values)
        return "created"
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    if not changed:
        return "unchanged"
    for name in changed:
        setattr(instance, name, values[name])
    instance.save(update_fields=changed)
    return "updated"


@transaction.atomic
def load_reference_data() -> Counter[str]:
    counts: Counter[str] = Counter()
    with acting_as(label="load_reference"):
        regions: dict[str, Region] = {}
        for row in read_data_file("regions.csv"):
            outcome = upsert(Region, {"kato": row["kato"]}, {
                "kind": row["kind"],
                "name_ru": row["name_ru"], "name_kk": row["name_kk"], "name_en": row["name_en"],
                "centre_ru": row["centre_ru"], "centre_kk": row["centre_kk"],
                "centre_en": row["centre_en"],
                "latitude": Decimal(row["latitude"]), "longitude": Decimal(row["longitude"]),
            })
            counts[f"regions {outcome}"] += 1
            regions[row["kato"]] = Region.objects.get(kato=row["kato"])
        for row in read_data_file("organisations.csv"):
            outcome = upsert(Organisation, {"code": row["code"]}, {
                "kind": row["kind"], "abbreviation_ru": row["abbreviation_ru"],
                "is_active": row["is_active"] == "1",
                "name_ru": row["name_ru"], "name_kk": row["name_kk"], "name_en": row["name_en"],
                "note": row["note"], "region": None,
            })
            counts[f"organisations {outcome}"] += 1
        for row in read_data_file("akimats.csv"):
            outcome = upsert(Organisation, {"code": f"AKIMAT-{row['kato']}"}, {
                "kind": Organisation.Kind.AKIMAT, "abbreviation_ru": "МИО",
                "is_active": True, "region": regions[row["kato"]],
                "name_ru": row["name_ru"], "name_kk": row["name_kk"], "name_en": row["name_en"],
            })
            counts[f"organisations {outcome}"] += 1
        group, _ = Group.objects.get_or_create(name=ANALYST_GROUP)
        group.permissions.set(Permission.objects.filter(
            content_type__app_label="core", codename__in=ANALYST_PERMISSIONS))
    return counts
