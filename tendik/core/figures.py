"""What the home page counts: every number is read from the database when the page is
shown, so the page says what the platform holds, never what it was once written to hold."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from tendik.core.models import Organisation, Region


@dataclass(frozen=True)
class PlatformFigures:
    directions: int
    measures_with_text: int
    measures_without_text: int
    indicators: int
    facilities: int
    facilities_with_passport: int
    catalogue_items: int
    accredited_suppliers: int
    care_providers: int
    social_workers: int
    certified_social_workers: int
    proactive_rules: int
    regions: int
    executors: int


def platform_figures() -> PlatformFigures:
    from tendik.access.models import Facility, Passport
    from tendik.care.models import Provider
    from tendik.cases.models import Rule
    from tendik.cases.rules import RULES
    from tendik.indicators.views import headline_indicators
    from tendik.plan.models import Direction, Measure
    from tendik.plan.services import NATIONAL_PLAN_CODE
    from tendik.portal.models import Accreditation, CatalogueItem
    from tendik.workforce.models import SocialWorker

    today = timezone.localdate()
    measures = Measure.objects.filter(plan__code=NATIONAL_PLAN_CODE)
    # The decree's published appendix lacks some rows (1–13): they have no text until an
    # analyst enters it from the official act, and are not counted as measures shown.
    with_text = measures.exclude(title_ru="").count()
    workers = SocialWorker.objects.filter(active=True)
    return PlatformFigures(
        directions=Direction.objects.filter(plan__code=NATIONAL_PLAN_CODE).count(),
        measures_with_text=with_text,
        measures_without_text=measures.count() - with_text,
        # As the indicators' dashboard shows them: without the count series of shares.
        indicators=headline_indicators().count(),
        facilities=Facility.objects.count(),
        facilities_with_passport=Passport.objects.filter(
            state=Passport.State.APPROVED).values("facility").distinct().count(),
        catalogue_items=CatalogueItem.objects.filter(active=True).count(),
        accredited_suppliers=Accreditation.objects.filter(
            Q(status=Accreditation.Status.ACCREDITED), valid_from__lte=today,
            valid_to__gte=today).values("supplier").distinct().count(),
        care_providers=Provider.objects.filter(is_active=True).count(),
        social_workers=workers.count(),
        certified_social_workers=workers.certified_on(today).count(),
        # A rule's row is written on its first run; until the ministry switches it off,
        # a rule is in force.
        proactive_rules=len(RULES) - Rule.objects.filter(
            enabled=False, code__in=[spec.code for spec in RULES]).count(),
        regions=Region.objects.count(),
        executors=Organisation.objects.executors().count(),
    )
