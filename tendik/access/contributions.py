"""What registered users add to a facility: ratings, comments, photos, problem reports;
and the akimat moderators' work on them.

Users' ratings are summarised apart from the official status, as a Bayesian average: each
facility's mean is pulled towards the mean of all facilities by a few imagined ratings, so
that one enthusiastic or angry review does not make a facility the best or worst on the
map. When many users clearly disagree with the official status, the facility is flagged
for the commission to inspect again.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tendik.access.assessment import Access, Category
from tendik.access.models import (
    UNMODERATED,
    Facility,
    Moderation,
    Photo,
    ProblemReport,
    Review,
    photo_storage,
)
from tendik.core import once
from tendik.core.audit import acting_as
from tendik.core.models import Organisation, Role, User
from tendik.core.uploads import reencode_image

PRIOR_WEIGHT = 5  # imagined ratings at the overall mean
NEUTRAL = 3.0  # the prior when nobody has rated a category anywhere yet
DISAGREEMENT_MIN_RATINGS = 5
LONGEST_SIDE = 2560


# --- Photos ---------------------------------------------------------------------------------

def clean_photo(handle: IO[bytes], size: int) -> ContentFile[bytes]:
    """A review's photo, decoded and encoded again (tendik.core.uploads.reencode_image)."""
    return reencode_image(handle, size, max_size=Photo.MAX_SIZE, longest_side=LONGEST_SIDE)


# --- Contributions ----------------------------------------------------------------------

@dataclass(frozen=True)
class PhotoUpload:
    handle: IO[bytes]
    size: int
    alt_text: str


def _may_contribute(user: User) -> None:
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied


def add_review(facility: Facility, *, by: User, ratings: dict[Category, int],
               comment: str = "", photo: PhotoUpload | None = None, key: str = "") -> Review:
    """A review, with its photo if one comes. The form's `key` makes the same form sent
    twice give the first review back (tendik/core/once.py)."""
    _may_contribute(by)
    photo = _decoded(photo)  # before the transaction: no lock is held while it decodes
    return _save_review(facility, by=by, ratings=ratings, comment=comment, photo=photo,
                        key=key)


@transaction.atomic
def _save_review(facility: Facility, *, by: User, ratings: dict[Category, int],
                 comment: str, photo: PhotoUpload | None, key: str) -> Review:
    review = Review(facility=facility, author=by, comment=comment.strip(),
                    **{f"rating_{c.value.lower()}": value for c, value in ratings.items()})
    review.full_clean(exclude=["facility", "author", "idempotency_key"])

    def make(key: str | None) -> Review:
        review.idempotency_key = key
        with acting_as(user=by):
            review.save()
            if photo is not None:
                add_photo(facility, photo, by=by, review=review)
        return review

    return once.create(Review, key, make, owner=lambda first: first.author_id == by.pk)


def _decoded(upload: PhotoUpload | None) -> PhotoUpload | None:
    """The upload with its photo decoded and encoded again (a form's clean() has usually
    done it already: then nothing is decoded twice)."""
    if upload is None:
        return None
    content = clean_photo(upload.handle, upload.size)
    return PhotoUpload(content, content.size, upload.alt_text)


def add_photo(facility: Facility, upload: PhotoUpload, *, by: User,
              review: Review | None = None) -> Photo:
    _may_contribute(by)
    if not upload.alt_text.strip():
        raise ValidationError({"alt_text": _("Describe the photo for those who cannot see "
                                             "it.")})
    upload = _decoded(upload) or upload
    return _save_photo(facility, upload, by=by, review=review)


@transaction.atomic
def _save_photo(facility: Facility, upload: PhotoUpload, *, by: User,
                review: Review | None) -> Photo:
    content = clean_photo(upload.handle, upload.size)  # already clean: returned as it is
    with acting_as(user=by):
        photo = Photo(facility=facility, review=review, author=by,
                      alt_text=upload.alt_text.strip()[:300])
        photo.image.save(content.name or "photo.jpg", content, save=False)
        photo.save()
    return photo


@transaction.atomic
def report_problem(facility: Facility, *, by: User, kind: str, description: str,
                   key: str = "") -> ProblemReport:
    _may_contribute(by)
    problem = ProblemReport(
        facility=facility, author=by, kind=kind, description=description.strip(),
        expires_at=timezone.now() + dt.timedelta(days=ProblemReport.LIFETIME_DAYS))
    problem.full_clean(exclude=["facility", "author", "idempotency_key"])

    def make(key: str | None) -> ProblemReport:
        problem.idempotency_key = key
        with acting_as(user=by):
            problem.save()
        return problem

    return once.create(ProblemReport, key, make,
                       owner=lambda first: first.author_id == by.pk)


def active_problems(facility: Facility) -> models.QuerySet[ProblemReport]:
    return facility.problems.filter(moderation=Moderation.PUBLISHED, resolved_at__isnull=True,
                                    expires_at__gt=timezone.now())


# --- Moderation -----------------------------------------------------------------------------

Contribution = Review | Photo | ProblemReport


def is_moderator_for(user: User, facility: Facility) -> bool:
    """Officials of the facility's akimat moderate; МТСЗН analysts everywhere."""
    if not user.is_authenticated:
        return False
    if user.role == Role.ANALYST or user.is_superuser:
        return True
    organisation = user.organisation
    return (user.role == Role.AKIMAT_OFFICIAL and organisation is not None
            and organisation.kind == Organisation.Kind.AKIMAT
            and organisation.region_id == facility.region_id)


def queue_for(user: User) -> dict[str, Any]:
    """What waits for this moderator, oldest first."""
    querysets = {"reviews": Review.objects, "photos": Photo.objects,
                 "problems": ProblemReport.objects}
    return {name: manager.visible_to(user).filter(moderation=Moderation.PENDING)
            .select_related("facility", "author").order_by("created_at")
            for name, manager in querysets.items()}


@transaction.atomic
def moderate(item: Contribution, *, publish: bool, by: User, reason: str = "") -> None:
    item = type(item).objects.select_for_update().select_related("facility").get(pk=item.pk)
    if not is_moderator_for(by, item.facility):
        raise PermissionDenied
    if item.moderation != Moderation.PENDING:
        raise ValidationError(_("This has already been moderated."))
    if not publish and not reason.strip():
        raise ValidationError({"reason": _("Say why it is rejected; the author sees it.")})
    item.moderation = Moderation.PUBLISHED if publish else Moderation.REJECTED
    item.moderated_by, item.moderated_at = by, timezone.now()
    item.rejection_reason = "" if publish else reason.strip()[:300]
    if publish and isinstance(item, Photo) and not item.is_public:
        # Named public now; the file follows once the decision is committed, so that a
        # photo whose publication failed is never served.
        unmoderated = item.image.name or ""
        item.image.name = unmoderated.removeprefix(UNMODERATED)
        transaction.on_commit(partial(_make_public, unmoderated, item.image.name))
    with acting_as(user=by):
        item.save()
        if isinstance(item, Review):
            flag_disagreement(item.facility)


def _make_public(unmoderated: str, public: str) -> None:
    storage = photo_storage()
    target = Path(storage.path(public))
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(storage.path(unmoderated), target)


def may_see_photo(user: User, photo: Photo) -> bool:
    """A photo not (yet) published: its author and the facility's moderators."""
    return photo.is_public or (user.is_authenticated and photo.author_id == user.pk) \
        or is_moderator_for(user, photo.facility)


@transaction.atomic
def resolve_problem(problem: ProblemReport, *, by: User) -> None:
    if by.pk != problem.author_id and not is_moderator_for(by, problem.facility):
        raise PermissionDenied
    with acting_as(user=by):
        problem.resolved_at = timezone.now()
        problem.save(update_fields=["resolved_at"])


# --- Ratings ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Rating:
    category: Category
    average: float  # the Bayesian average
    count: int
    raw_mean: float | None


def overall_means() -> dict[Category, float]:
    published = Review.objects.filter(moderation=Moderation.PUBLISHED)
    means = published.aggregate(**{c.value: models.Avg(f"rating_{c.value.lower()}")
                                   for c in Category})
    return {c: float(means[c.value]) if means[c.value] is not None else NEUTRAL
            for c in Category}


def ratings_of(facility: Facility, priors: dict[Category, float] | None = None) \
        -> dict[Category, Rating]:
    priors = priors or overall_means()
    published = facility.reviews.filter(moderation=Moderation.PUBLISHED)
    stats = published.aggregate(**{
        f"{c.value}_sum": models.Sum(f"rating_{c.value.lower()}") for c in Category}, **{
        f"{c.value}_n": models.Count(f"rating_{c.value.lower()}") for c in Category})
    result = {}
    for c in Category:
        total, count = stats[f"{c.value}_sum"] or 0, stats[f"{c.value}_n"]
        average = (PRIOR_WEIGHT * priors[c] + total) / (PRIOR_WEIGHT + count)
        result[c] = Rating(c, round(average, 2), count, total / count if count else None)
    return result


def disagrees(official: Access | None, rating: Rating) -> bool:
    """Many users rate low what is officially fully accessible, or high what is not."""
    if official is None or rating.count < DISAGREEMENT_MIN_RATINGS:
        return False
    if official == Access.FULL:
        return rating.average <= 2.0
    if official <= Access.CONDITIONAL:
        return rating.average >= 4.0
    return False


def flag_disagreement(facility: Facility) -> bool:
    ratings = ratings_of(facility)
    flagged = any(disagrees(facility.access(c), ratings[c]) for c in Category)
    if flagged != facility.needs_reinspection:
        facility.needs_reinspection = flagged
        facility.save(update_fields=["needs_reinspection"])
    return flagged
