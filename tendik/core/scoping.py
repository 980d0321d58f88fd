"""Region and organisation scope: the one filter every back-office query goes through.

A model declares where its region and organisation live with `scope = Scope(...)`
(a lookup path, "" for the model itself, None when it has no such link). Querysets then
offer `visible_to(user)`; views fetch single objects with `get_visible_or_404`, so an
object outside the user's scope is indistinguishable from one that does not exist.

    national roles (МТСЗН analyst, auditor, administrator)  everything
    akimat official                                           rows of the akimat's region
    other organisation staff (ministry, supplier, provider)   rows of their organisation
    everybody else                                            nothing
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.http import Http404

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from tendik.core.models import User

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Scope:
    region: str | None = None
    organisation: str | None = None

    def lookup(self, path: str, value: Any) -> models.Q:
        return models.Q(**{f"{path}__pk" if path else "pk": value})


class ScopedQuerySet(models.QuerySet[M], Generic[M]):
    def visible_to(self, user: User | AnonymousUser | None) -> ScopedQuerySet[M]:
        return self.filter(scope_filter(self.model, user))


def scope_filter(model: type[models.Model], user: Any) -> models.Q:
    """The Q that limits `model` to what `user` may see; an empty match when nothing."""
    nothing = models.Q(pk__in=[])
    if user is None or not user.is_authenticated or not user.is_active:
        return nothing
    if user.has_national_scope:
        return models.Q()
    scope: Scope | None = getattr(model, "scope", None)
    organisation = user.organisation
    if scope is None or organisation is None:
        return nothing
    if user.has_region_scope:
        if scope.region is None or organisation.region_id is None:
            return nothing
        return scope.lookup(scope.region, organisation.region_id)
    if user.is_staff_role:
        if scope.organisation is None:
            return nothing
        return scope.lookup(scope.organisation, organisation.pk)
    return nothing


def get_visible_or_404(queryset: models.QuerySet[M], user: Any, **lookup: Any) -> M:
    try:
        return queryset.filter(scope_filter(queryset.model, user)).get(**lookup)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc
