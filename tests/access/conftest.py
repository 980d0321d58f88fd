from __future__ import annotations

import pytest

from tendik.access.models import Facility, FacilityType
from tendik.access.services import load_criteria
from tendik.core.models import Region
from tests.conftest import ALMATY


@pytest.fixture
def criteria(reference) -> None:
    load_criteria()


@pytest.fixture
def make_facility(reference):
    def make(name: str = "Железнодорожный вокзал Алматы-2", kato: str = ALMATY,
             kind: str = FacilityType.RAILWAY_STATION, latitude: float = 43.2714,
             longitude: float = 76.9413, **fields) -> Facility:
        return Facility.objects.create(
            name_ru=name, address_ru="пр. Абылай хана, 1", region=Region.objects.get(kato=kato),
            latitude=latitude, longitude=longitude, type=kind, **fields)
    return make
