"""The site's search: what anyone may open — the plan's measures, the indicators, places
on the accessibility map, social workers, providers of special social services and the
regions — found by words of their names in any of the three languages.

Nothing personal is searched: social workers' names and employers are public by law of
the registry, the rest is open data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tendik.core.models import Region

PER_GROUP = 10


@dataclass(frozen=True)
class Hit:
    url: str
    text: str
    language: str  # of the text: names kept only in Russian are marked as such
    note: str = ""


@dataclass
class Group:
    title: Promise
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    more_url: str = ""


def _spellings(words: str) -> set[str]:
    """SQLite compares only Latin letters without case: try the usual casings of
    Cyrillic words too (PostgreSQL needs none of this)."""
    return {words, words.lower(), words.capitalize(), words.upper(), words.title()}


def _matching(fields: list[str], words: str) -> Q:
    return reduce(or_, (Q(**{f"{name}__icontains": spelling})
                        for name in fields for spelling in _spellings(words)))


def _in_language(obj: object, name: str) -> tuple[str, str]:
    """The field in the page's language, else in Russian, with the language it is in."""
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    value = getattr(obj, f"{name}_{language}", "")
    if value:
        return value, language
    return getattr(obj, f"{name}_ru"), "ru"


def _fill(group: Group, queryset: QuerySet[Any], make: Callable[[Any], Hit]) -> Group:
    found = list(queryset[:PER_GROUP + 1])
    group.total = len(found) if len(found) <= PER_GROUP else queryset.count()
    group.hits = [make(obj) for obj in found[:PER_GROUP]]
    return group


def _measures(words: str) -> Group:
    from tendik.plan.models import Measure
    from tendik.plan.services import NATIONAL_PLAN_CODE

    matches = _matching(["title_ru", "title_kk", "title_en"], words)
    if words.isdigit():
        matches |= Q(number=int(words))
    measures = Measure.objects.filter(plan__code=NATIONAL_PLAN_CODE).exclude(title_ru="") \
        .filter(matches).order_by("number")

    def hit(measure: Measure) -> Hit:
        title, language = _in_language(measure, "title")
        return Hit(reverse("plan:measure", args=[measure.number]), title, language,
                   _("Measure %(number)s") % {"number": measure.number})

    return _fill(Group(_("Measures of the National Plan")), measures, hit)


def _indicators(words: str) -> Group:
    from tendik.indicators.models import Indicator

    indicators = Indicator.objects.filter(_matching(["name_ru", "name_kk", "name_en"], words))

    def hit(indicator: Indicator) -> Hit:
        name, language = _in_language(indicator, "name")
        return Hit(reverse("indicators:indicator", args=[indicator.code]), name, language)

    return _fill(Group(_("Target indicators")), indicators.order_by("name_ru"), hit)


def _facilities(words: str) -> Group:
    from tendik.access.models import Facility

    facilities = Facility.objects.filter(_matching(
        ["name_ru", "name_kk", "address_ru", "address_kk"], words)).select_related("region")

    def hit(facility: Facility) -> Hit:
        name, language = _in_language(facility, "name")
        return Hit(reverse("access:facility", args=[facility.pk]), name, language,
                   facility.region.name)

    group = _fill(Group(_("Places on the accessibility map")),
                  facilities.order_by("name_ru", "pk"), hit)
    if group.total > PER_GROUP:
        group.more_url = f"{reverse('access:list')}?{urlencode({'q': words})}"
    return group


def _social_workers(words: str) -> Group:
    from tendik.workforce.models import SocialWorker

    workers = SocialWorker.objects.filter(active=True).filter(
        _matching(["last_name", "first_name", "employer__name_ru", "employer__name_kk",
                   "employer__name_en"], words)).select_related("employer")

    def hit(worker: SocialWorker) -> Hit:
        return Hit(reverse("workforce:profile", args=[worker.pk]), worker.full_name, "",
                   worker.employer.name)

    return _fill(Group(_("Social workers")), workers.order_by("last_name", "first_name", "pk"),
                 hit)


def _providers(words: str) -> Group:
    from tendik.care.models import Provider

    providers = Provider.objects.filter(is_active=True).filter(_matching(
        ["organisation__name_ru", "organisation__name_kk", "organisation__name_en"], words)) \
        .select_related("organisation")

    def hit(provider: Provider) -> Hit:
        name, language = _in_language(provider.organisation, "name")
        return Hit(reverse("care:provider", args=[provider.pk]), name, language)

    return _fill(Group(_("Providers of special social services")),
                 providers.order_by("organisation__name_ru"), hit)


def _regions(words: str) -> Group:
    regions = Region.objects.filter(_matching(
        ["name_ru", "name_kk", "name_en", "centre_ru", "centre_kk", "centre_en"], words))

    def hit(region: Region) -> Hit:
        name, language = _in_language(region, "name")
        return Hit(reverse("core:region_detail", args=[region.kato]), name, language)

    return _fill(Group(_("Regions")), regions.order_by("name_ru"), hit)


def search(words: str) -> list[Group]:
    """The groups with something found, in a fixed order; `words` as the person typed
    them."""
    words = " ".join(words.split())
    groups = [finder(words) for finder in (_measures, _indicators, _facilities,
                                           _social_workers, _providers, _regions)]
    return [group for group in groups if group.total]
