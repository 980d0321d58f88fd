"""`__any`: the same rows as `__in`, with the whole list sent as one parameter."""

from __future__ import annotations

import pytest
from django.db import connection

from tendik.core.models import Region


@pytest.mark.django_db
def test_it_finds_what_in_finds_by_key_and_by_text(reference):
    regions = list(Region.objects.order_by("pk"))
    some = [r.pk for r in regions[::3]]
    assert set(Region.objects.filter(pk__any=some)) == set(Region.objects.filter(pk__in=some))
    codes = [r.kato for r in regions[:4]] + ["000000000"]
    assert set(Region.objects.filter(kato__any=codes).values_list("kato", flat=True)) \
        == set(codes[:4])
    # Excluded and combined like any other lookup.
    assert Region.objects.exclude(pk__any=some).count() == len(regions) - len(some)


@pytest.mark.django_db
def test_an_empty_list_matches_nothing(reference):
    assert not Region.objects.filter(pk__any=[]).exists()
    assert Region.objects.exclude(pk__any=[]).count() == Region.objects.count()


@pytest.mark.django_db
def test_thousands_of_keys_go_as_one_parameter(reference):
    first = Region.objects.order_by("pk").first()
    assert first is not None
    keys = [first.pk, *range(10**6, 10**6 + 20_000)]
    found = Region.objects.filter(pk__any=keys)
    _sql, params = found.query.get_compiler(connection=connection).as_sql()
    assert len(params) == 1
    assert list(found) == [first]


@pytest.mark.django_db
def test_dates_are_compared_as_the_column_stores_them(reference):
    import datetime as dt

    from tendik.cases.models import Hit, Rule, Task
    from tests.portal.conftest import make_person

    region = Region.objects.get(kato="750000000")
    rule = Rule.objects.create(code="r", name_ru="r", name_kk="r", name_en="r",
                               responsible=Rule.Responsible.AKIMAT)
    person = make_person(region)
    for day in (1, 2, 3):
        hit = Hit.objects.create(rule=rule, key=str(day), person=person, region=region)
        Task.objects.create(hit=hit, region=region, due=dt.date(2026, 12, day))
    due = Task.objects.filter(due__any=[dt.date(2026, 12, 1), dt.date(2026, 12, 3)])
    assert sorted(t.due.day for t in due) == [1, 3]
