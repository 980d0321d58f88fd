"""The review form with a photo: the description is required with a photo and marked so;
when the form fails for another reason the photo is kept, for its uploader only."""

from __future__ import annotations

import io

import pytest

from tendik.access.models import Photo, Review
from tests.access.test_contributions import jpeg_with_gps, media, people  # noqa: F401


def chosen(name: str = "вход.jpg") -> io.BytesIO:
    handle = io.BytesIO(jpeg_with_gps())
    handle.name = name
    return handle


@pytest.mark.django_db
def test_the_description_is_required_and_marked_so(people, make_facility,  # noqa: F811
                                                   client_for):
    facility = make_facility()
    for language, label in (("ru", "Описание фотографии (обязательно, если есть "
                                   "фотография)"),
                            ("kk", "Фотосуреттің сипаттамасы (фотосурет болса, міндетті)"),
                            ("en", "Description of the photo (required with a photo)")):
        page = client_for(people["user"]).get(
            f"/{language}/access/facilities/{facility.pk}/review/").content.decode()
        field = page[page.index('<label for="id_alt_text">'):]
        field = field[:field.index("</label>")]
        assert label in field
        assert "(" + {"ru": "необязательно", "kk": "міндетті емес",
                      "en": "optional"}[language] not in field


@pytest.mark.django_db
def test_a_photo_is_kept_when_its_description_is_missing(people, make_facility,  # noqa: F811
                                                         client_for):
    facility = make_facility()
    url = f"/ru/access/facilities/{facility.pk}/review/"
    browser = client_for(people["user"])
    refused = browser.post(url, {"rating_k": "2", "photo": chosen()})
    form = refused.context["form"]
    assert refused.status_code == 200 and "alt_text" in form.errors
    assert form.kept is not None and form.kept.label == "вход.jpg"
    body = refused.content.decode()
    assert f'name="kept_photo" value="{form.kept.token}"' in body
    assert "Выбранная вами фотография «вход.jpg» сохранена" in body
    assert not Photo.objects.exists()

    # Someone else with the same token gets nothing of it.
    stranger = client_for(people["other"]).post(url, {
        "rating_k": "3", "kept_photo": form.kept.token, "alt_text": "Чужое фото"})
    assert stranger.status_code == 302
    assert not Photo.objects.exists()

    # The author sends the description only: the photo kept is the review's.
    sent = browser.post(url, {"rating_k": "2", "kept_photo": form.kept.token,
                              "alt_text": "Три ступени у входа"})
    assert sent.status_code == 302
    photo = Photo.objects.get()
    assert photo.author == people["user"] and photo.alt_text == "Три ступени у входа"
    assert photo.review == Review.objects.get(author=people["user"])
    assert not form.kept.path.exists()  # used, then gone


@pytest.mark.django_db
def test_a_kept_photo_may_be_dropped_and_a_bad_file_is_not_kept(people,  # noqa: F811
                                                                make_facility, client_for):
    facility = make_facility()
    url = f"/ru/access/facilities/{facility.pk}/review/"
    browser = client_for(people["user"])
    kept = browser.post(url, {"rating_k": "2", "photo": chosen()}).context["form"].kept
    sent = browser.post(url, {"rating_k": "2", "kept_photo": kept.token,
                              "kept_photo_drop": "1"})
    assert sent.status_code == 302 and not Photo.objects.exists()
    assert not kept.path.exists()
    text = io.BytesIO(b"just text, named photo.jpg\n")
    text.name = "photo.jpg"
    refused = browser.post(url, {"rating_k": "2", "photo": text})
    assert "photo" in refused.context["form"].errors and refused.context["form"].kept is None


@pytest.mark.django_db
def test_the_rejection_reason_is_marked_required_and_its_error_is_on_the_item(
        people, make_facility, client_for):  # noqa: F811
    from tendik.access import contributions

    problem = contributions.report_problem(make_facility(), by=people["user"], kind="lift",
                                           description="Лифт не работает.")
    moderator = client_for(people["moderator"])
    page = moderator.get("/ru/access/moderation/").content.decode()
    assert "Причина отклонения (обязательна для отклонения)" in page
    assert "Причина отклонения (необязательно)" not in page
    refused = moderator.post("/ru/access/moderation/", {
        "kind": "problem", "id": problem.pk, "reject": "", "reason": "  "})
    body = refused.content.decode()
    assert refused.status_code == 200
    assert f'href="#reason-problems-{problem.pk}"' in body
    assert f'id="reason-problems-{problem.pk}-error"' in body
    assert 'aria-invalid="true"' in body
