"""A review, a problem report or a work of an adaptation plan is made once however often
its form is sent: a double click, a reload, or two requests at the same instant (those on
PostgreSQL, where they really run side by side)."""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from tendik.access import contributions, plans
from tendik.access.models import AdaptationItem, Photo, ProblemReport, Review
from tendik.core.models import AuditEvent
from tests.access.test_contributions import jpeg_with_gps, media, people  # noqa: F401
from tests.access.test_photo_pixels import named
from tests.conftest import ALMATY, sign_in

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def form_key(page) -> str:
    return page.context["form"]["key"].value()


@pytest.mark.django_db
def test_a_review_sent_twice_is_one_review(people, make_facility, client_for):  # noqa: F811
    facility = make_facility()
    browser = client_for(people["user"])
    url = f"/en/access/facilities/{facility.pk}/review/"
    page = browser.get(url)
    key = form_key(page)
    assert f'type="hidden" name="key" value="{key}"' in page.content.decode()
    for _ in range(2):
        sent = browser.post(url, {"rating_k": "2", "comment": "Нет пандуса", "key": key,
                                  "alt_text": "Вход", "photo": named(jpeg_with_gps(),
                                                                    "a.jpg")})
        assert sent.status_code == 302
    review = Review.objects.get()
    assert review.idempotency_key == key and Photo.objects.count() == 1
    assert AuditEvent.objects.filter(model="access.review").count() == 1
    # A new page has a new key: a second review is a second review.
    browser.post(url, {"rating_k": "3", "key": form_key(browser.get(url))})
    assert Review.objects.count() == 2


@pytest.mark.django_db
def test_the_key_of_someone_elses_review_gives_nothing(people, make_facility):  # noqa: F811
    facility = make_facility()
    contributions.add_review(facility, by=people["user"], ratings={}, comment="Тесно",
                             key="k1")
    with pytest.raises(contributions.PermissionDenied):
        contributions.add_review(facility, by=people["other"], ratings={}, comment="Чужое",
                                 key="k1")
    assert Review.objects.get().author == people["user"]


@pytest.mark.django_db
def test_a_problem_report_sent_twice_is_one_report(people, make_facility,  # noqa: F811
                                                   client_for):
    facility = make_facility()
    browser = client_for(people["user"])
    url = f"/en/access/facilities/{facility.pk}/problem/"
    page = browser.get(url)
    key = form_key(page)
    assert f'type="hidden" name="key" value="{key}"' in page.content.decode()
    for _ in range(2):
        sent = browser.post(url, {"kind": "lift", "description": "Лифт стоит", "key": key})
        assert sent.status_code == 302
    assert ProblemReport.objects.get().idempotency_key == key


@pytest.mark.django_db
def test_a_work_of_the_plan_sent_twice_is_one_work(make_user, make_facility, client_for):
    planner = make_user("akimat_official", f"AKIMAT-{ALMATY}", username="planner")
    facility = make_facility()
    browser = client_for(planner)
    url = f"/en/access/plans/AKIMAT-{ALMATY}/2026/"
    page = browser.get(url)
    assert page.status_code == 200
    key = form_key(page)
    values = {"facility": facility.pk, "work_type": "ramp", "zones": ["entrance"],
              "deadline": "2026-12-31", "budget": "1500", "responsible": "Акимат",
              "target_level": "full", "key": key}
    for _ in range(2):
        assert browser.post(url, values).status_code == 302
    assert AdaptationItem.objects.get().idempotency_key == key


# --- At the same instant ----------------------------------------------------------------

def side_by_side(monkeypatch, module, *requests) -> list:
    """Run the requests in threads, each on its own connection; both pass the check for
    an earlier record before either writes, as two requests arriving together do."""
    barrier = threading.Barrier(len(requests), timeout=10)
    real = module.acting_as

    def together(*args, **kwargs):
        barrier.wait()
        return real(*args, **kwargs)
    monkeypatch.setattr(module, "acting_as", together)
    results: list = [None] * len(requests)

    def run(index, request):
        try:
            results[index] = request()
        except Exception as error:  # the test reads it
            results[index] = error
        finally:
            connection.close()
    threads = [threading.Thread(target=run, args=(i, r)) for i, r in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


@pytest.mark.skipif(not ON_POSTGRESQL, reason="two writers at once need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_reviews_sent_at_the_same_instant_are_one(people, make_facility,  # noqa: F811
                                                      monkeypatch):
    facility = make_facility()
    browsers = [sign_in(Client(), people["user"]) for _ in range(2)]
    url = f"/en/access/facilities/{facility.pk}/review/"
    answers = side_by_side(monkeypatch, contributions, *[
        (lambda b=b: b.post(url, {"rating_k": "2", "comment": "Узко", "key": "same"}))
        for b in browsers])
    assert [a.status_code for a in answers] == [302, 302]
    assert Review.objects.count() == 1
    assert AuditEvent.objects.filter(model="access.review").count() == 1


@pytest.mark.skipif(not ON_POSTGRESQL, reason="two writers at once need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_problem_reports_sent_at_the_same_instant_are_one(people,  # noqa: F811
                                                             make_facility, monkeypatch):
    facility = make_facility()
    answers = side_by_side(monkeypatch, contributions, *[
        (lambda: contributions.report_problem(facility, by=people["user"], kind="ramp",
                                              description="Занят", key="same"))
        for _ in range(2)])
    assert answers[0].pk == answers[1].pk
    assert ProblemReport.objects.count() == 1


@pytest.mark.skipif(not ON_POSTGRESQL, reason="two writers at once need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_works_sent_at_the_same_instant_are_one(make_user, make_facility, monkeypatch):
    planner = make_user("akimat_official", f"AKIMAT-{ALMATY}", username="planner")
    plan = plans.plan_for(planner.organisation, 2026, by=planner)
    facility = make_facility()
    values = {"facility": facility, "work_type": "ramp", "zones": "entrance",
              "deadline": "2026-12-31", "budget": 1500, "responsible": "Акимат"}
    answers = side_by_side(monkeypatch, plans, *[
        (lambda: plans.add_item(plan, by=planner, key="same", **values)) for _ in range(2)])
    assert answers[0].pk == answers[1].pk
    assert AdaptationItem.objects.count() == 1
