"""Ratings, comments, photos and problem reports from users, and their moderation."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from PIL import ExifTags, Image

from tendik.access import contributions
from tendik.access.assessment import Access, Category
from tendik.access.models import Moderation, Photo, ProblemReport, Review
from tendik.core.models import AccessRecord, AuditEvent, Role
from tests.conftest import ALMATY, ASTANA


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def people(make_user):
    return {
        "user": make_user(Role.REGISTERED, username="aigerim", first_name="Айгерим"),
        "other": make_user(Role.REGISTERED, username="other"),
        "moderator": make_user(Role.AKIMAT_OFFICIAL, f"AKIMAT-{ALMATY}", username="mod"),
        "astana": make_user(Role.AKIMAT_OFFICIAL, f"AKIMAT-{ASTANA}", username="astana"),
    }


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (640, 480), (200, 30, 30))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Teńdik test camera"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (43.0, 15.0, 20.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (76.0, 56.0, 30.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def upload(content: bytes, alt: str = "Пандус у главного входа, справа перила"):
    return contributions.PhotoUpload(io.BytesIO(content), len(content), alt)


@pytest.mark.django_db
def test_a_photo_comes_back_without_its_gps_and_camera_data(people, make_facility):
    original = jpeg_with_gps()
    with Image.open(io.BytesIO(original)) as before:
        assert before.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test file has them
    photo = contributions.add_photo(make_facility(), upload(original), by=people["user"])
    with photo.image.open("rb") as stored:
        data = stored.read()
    with Image.open(io.BytesIO(data)) as after:
        assert not after.getexif()
        assert after.size == (640, 480) and after.format == "JPEG"
    assert b"Exif" not in data and b"test camera" not in data
    assert (photo.width, photo.height) == (640, 480)
    assert photo.moderation == Moderation.PENDING


@pytest.mark.django_db
def test_a_huge_photo_is_made_smaller(people, make_facility):
    out = io.BytesIO()
    Image.new("RGB", (5000, 2000), (0, 90, 0)).save(out, format="PNG")
    photo = contributions.add_photo(make_facility(), upload(out.getvalue()), by=people["user"])
    assert (photo.width, photo.height) == (2560, 1024)


@pytest.mark.django_db
@translation.override("en")
def test_bad_uploads_are_refused_with_a_clear_message(people, make_facility):
    facility = make_facility()
    too_big = contributions.PhotoUpload(io.BytesIO(b"\xff\xd8\xff" + b"0" * 16),
                                        50 * 2**20, "Фото входа")
    with pytest.raises(ValidationError, match="10 MB"):
        contributions.add_photo(facility, too_big, by=people["user"])
    with pytest.raises(ValidationError, match="JPG, PNG, WEBP"):
        contributions.add_photo(facility, upload(b"just text, named photo.jpg\n"),
                                by=people["user"])
    with pytest.raises(ValidationError, match="damaged"):
        contributions.add_photo(facility, upload(b"\xff\xd8\xff\xe0" + b"\x00" * 200),
                                by=people["user"])
    with pytest.raises(ValidationError):
        contributions.add_photo(facility, upload(jpeg_with_gps(), alt="  "),
                                by=people["user"])
    assert not Photo.objects.exists()


@pytest.mark.django_db
def test_the_review_page_takes_ratings_a_comment_and_a_photo(people, make_facility,
                                                             client_for):
    facility = make_facility()
    browser = client_for(people["user"])
    refused = browser.post(f"/ru/access/facilities/{facility.pk}/review/", {
        "rating_k": "2", "photo": io.BytesIO(jpeg_with_gps())})
    assert refused.status_code == 200 and "alt_text" in refused.context["form"].errors
    photo = io.BytesIO(jpeg_with_gps())
    photo.name = "ramp.jpg"
    sent = browser.post(f"/ru/access/facilities/{facility.pk}/review/", {
        "rating_k": "2", "rating_s": "4", "comment": "Пандус крутой, но есть кнопка вызова.",
        "photo": photo, "alt_text": "Крутой пандус у входа"})
    assert sent.status_code == 302
    review = Review.objects.get()
    assert review.ratings() == {Category.K: 2, Category.S: 4}
    assert review.photos.get().alt_text == "Крутой пандус у входа"
    # Nothing is shown before moderation.
    page = browser.get(f"/ru/access/facilities/{facility.pk}/").content.decode()
    assert "Пандус крутой" not in page and "Крутой пандус" not in page



@pytest.mark.django_db
def test_the_page_refuses_a_fifty_megabyte_photo_and_a_renamed_text(people, make_facility,
                                                                     client_for):
    facility = make_facility()
    browser = client_for(people["user"])
    for content, expected in ((b"\xff\xd8\xff\xe0" + bytes(50 * 2**20), "10 MB"),
                              (b"not a photo at all\n", "JPG, PNG, WEBP")):
        photo = io.BytesIO(content)
        photo.name = "photo.jpg"
        page = browser.post(f"/en/access/facilities/{facility.pk}/review/", {
            "rating_k": "3", "photo": photo, "alt_text": "Вход"})
        assert page.status_code == 200
        assert expected in " ".join(page.context["form"].errors["photo"])
    assert not Review.objects.exists() and not Photo.objects.exists()


@pytest.mark.django_db
def test_only_signed_in_users_contribute(make_facility, client):
    facility = make_facility()
    for page in ("review", "problem"):
        response = client.get(f"/ru/access/facilities/{facility.pk}/{page}/")
        assert response.status_code == 302 and "/login/" in response["Location"]
    assert "/login/" in client.get(f"/ru/access/facilities/{facility.pk}/").content.decode()


@pytest.mark.django_db
def test_moderators_of_the_region_publish_or_reject_with_a_reason(people, make_facility,
                                                                  client_for):
    facility = make_facility()
    review = contributions.add_review(facility, by=people["user"],
                                      ratings={Category.K: 1}, comment="Вход закрыт.")
    problem = contributions.report_problem(facility, by=people["user"], kind="lift",
                                           description="Лифт не работает с понедельника.")
    with pytest.raises(PermissionDenied):
        contributions.moderate(review, publish=True, by=people["astana"])
    with pytest.raises(PermissionDenied):
        contributions.moderate(review, publish=True, by=people["other"])
    with pytest.raises(ValidationError):
        contributions.moderate(review, publish=False, by=people["moderator"], reason=" ")

    queue = client_for(people["moderator"]).get("/ru/access/moderation/")
    assert [r.pk for r in queue.context["queue"]["reviews"]] == [review.pk]
    assert client_for(people["astana"]).get("/ru/access/moderation/").context[
        "queue"]["reviews"].count() == 0
    assert client_for(people["user"]).get("/ru/access/moderation/").status_code == 404

    moderator = client_for(people["moderator"])
    published = moderator.post("/ru/access/moderation/", {"kind": "review", "id": review.pk,
                                                          "publish": ""})
    assert published.status_code == 302
    rejected = moderator.post("/ru/access/moderation/", {"kind": "problem", "id": problem.pk,
                                                         "reject": "", "reason": ""})
    assert rejected.status_code == 200 and rejected.context["errors"]
    moderator.post("/ru/access/moderation/", {"kind": "problem", "id": problem.pk,
                                              "reject": "", "reason": "Лифт исправен."})
    review.refresh_from_db()
    problem.refresh_from_db()
    assert review.moderation == Moderation.PUBLISHED and review.moderated_by == \
        people["moderator"]
    assert problem.moderation == Moderation.REJECTED
    assert problem.rejection_reason == "Лифт исправен."
    assert AuditEvent.objects.filter(model="access.review", action="update").exists()
    assert "Вход закрыт." in client_for(people["other"]).get(
        f"/ru/access/facilities/{facility.pk}/").content.decode()
    assert not AccessRecord.objects.filter(path__contains="/access/").exists()


@pytest.mark.django_db
def test_a_problem_shows_until_resolved_or_expired(people, make_facility):
    facility = make_facility()
    problem = contributions.report_problem(facility, by=people["user"], kind="ramp",
                                           description="Пандус заставлен.")
    assert not contributions.active_problems(facility).exists()
    contributions.moderate(problem, publish=True, by=people["moderator"])
    assert list(contributions.active_problems(facility)) == [problem]
    ProblemReport.objects.filter(pk=problem.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert not contributions.active_problems(facility).exists()
    ProblemReport.objects.filter(pk=problem.pk).update(
        expires_at=timezone.now() + dt.timedelta(days=1))
    with pytest.raises(PermissionDenied):
        contributions.resolve_problem(problem, by=people["other"])
    contributions.resolve_problem(problem, by=people["user"])
    assert not contributions.active_problems(facility).exists()


@pytest.mark.django_db
def test_the_bayesian_average_and_the_flag_for_re_inspection(people, make_facility,
                                                            make_user):
    facility = make_facility(access_k=int(Access.FULL))
    elsewhere = make_facility(name="Другой объект")
    contributions.moderate(contributions.add_review(
        elsewhere, by=people["user"], ratings={Category.K: 4}), publish=True,
        by=people["moderator"])
    one = contributions.add_review(facility, by=people["user"], ratings={Category.K: 1})
    contributions.moderate(one, publish=True, by=people["moderator"])
    ratings = contributions.ratings_of(facility)
    # Means over all facilities: (4 + 1) / 2 = 2.5; one rating of 1 is pulled towards it.
    assert ratings[Category.K].count == 1
    assert ratings[Category.K].average == round((5 * 2.5 + 1) / 6, 2)
    assert ratings[Category.S].count == 0 and ratings[Category.S].average == 3.0
    facility.refresh_from_db()
    assert not facility.needs_reinspection  # one voice is not a disagreement
    for number in range(6):
        author = make_user(Role.REGISTERED, username=f"rater{number}")
        review = contributions.add_review(facility, by=author, ratings={Category.K: 1})
        contributions.moderate(review, publish=True, by=people["moderator"])
    facility.refresh_from_db()
    assert facility.needs_reinspection  # officially ДП for К, rated 1 by seven people


@pytest.mark.django_db
def test_the_moderator_sees_flagged_facilities(people, make_facility, client_for):
    flagged = make_facility(needs_reinspection=True)
    make_facility(name="В Астане", kato=ASTANA, latitude=51.1, longitude=71.4,
                  needs_reinspection=True)
    page = client_for(people["moderator"]).get("/ru/access/moderation/")
    assert list(page.context["flagged"]) == [flagged]
