"""Target indicators of the plan: definitions, targets by year and region, observations."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from tendik.core.audit import AuditedModel
from tendik.core.models import Region, localized
from tendik.core.scoping import Scope, ScopedQuerySet
from tendik.indicators.progress import Progress
from tendik.plan.models import Direction, ExecutorReport, LegalAct, Measure

# What the loader of the decree's indicators writes for people who check the extraction:
# the line of the extracted text, and two remarks the pages put in the reader's language.
LINE_REFERENCE = re.compile(r"\s*(?:;|—)\s*строка \d+(?:[–-]\d+)?\s*$")
YEAR_ASSUMED = re.compile(r"\s*\(год не указан: принят последний год плана, \d{4}\)")
DIRECTION_ASSUMED = "Направление прогресса в постановлении не указано"
UNDATED_BASELINE = re.compile(r"Базовое значение без года \(строка \d+\): «(.*?)»\.?$",
                              re.MULTILINE)


class PriorityArea(models.IntegerChoices):
    """The seven priority areas of Section 3 of the decree, under which it names the
    indicators."""

    PREVENTION = 1, _("Prevention of disability")
    REHABILITATION = 2, _("Social rehabilitation and habilitation")
    ACCESSIBILITY = 3, _("Accessibility and a barrier-free environment")
    EDUCATION = 4, _("Accessible education")
    EMPLOYMENT = 5, _("Economic independence and quality employment")
    SOCIAL_SERVICES = 6, _("Social services")
    AWARENESS = 7, _("Modernising public awareness")


class Indicator(AuditedModel):
    """What is measured, in which unit, and which way counts as progress."""

    class Unit(models.TextChoices):
        PER_10000 = "per_10000", _("per 10,000 population")
        PERCENT = "percent", _("percent")
        COUNT = "count", _("number")
        THOUSAND_PERSONS = "thousand_persons", _("thousand persons")

    class Kind(models.TextChoices):
        RATE = "rate_per_10000", _("rate per 10,000 population")
        PERCENT = "percent", _("share, percent")
        COUNT = "count", _("count")

    class Desired(models.TextChoices):
        UP = "up", _("higher is better")
        DOWN = "down", _("lower is better")

    code = models.SlugField(_("code"), max_length=80, unique=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=500)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=500, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=500, blank=True)
    definition_ru = models.TextField(_("definition (Russian)"), blank=True)
    definition_kk = models.TextField(_("definition (Kazakh)"), blank=True)
    definition_en = models.TextField(_("definition (English)"), blank=True)
    unit = models.CharField(_("unit"), max_length=20, choices=Unit.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    desired = models.CharField(_("progress is"), max_length=4, choices=Desired.choices,
                               default=Desired.UP)
    numerator_code = models.SlugField(
        _("numerator series"), max_length=80, blank=True,
        help_text=_("For a computed indicator: the code of the indicator counted above the "
                    "line."))
    denominator_code = models.SlugField(_("denominator series"), max_length=80, blank=True)
    source = models.TextField(_("source"), blank=True)
    area = models.PositiveSmallIntegerField(_("priority area"), choices=PriorityArea.choices,
                                            null=True, blank=True)
    directions = models.ManyToManyField(Direction, verbose_name=_("directions of the plan"),
                                        blank=True, related_name="indicators")
    measures = models.ManyToManyField(Measure, verbose_name=_("measures of the plan"),
                                      blank=True, related_name="indicators")
    crpd_articles = models.CharField(_("CRPD articles"), max_length=100, blank=True,
                                     help_text=_("Comma-separated, e.g. 9, 24, 27."))
    sdg_targets = models.CharField(_("SDG targets"), max_length=100, blank=True,
                                   help_text=_("Comma-separated, e.g. 4.5, 8.5."))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def definition(self) -> str:
        return localized(self, "definition")

    @property
    def rising(self) -> bool:
        return self.desired == self.Desired.UP

    @property
    def is_computed(self) -> bool:
        return bool(self.numerator_code and self.denominator_code)

    @property
    def scale(self) -> int:
        """What a computed ratio is multiplied by: 100 for a share, 10,000 for a rate."""
        scales: dict[str, int] = {self.Unit.PERCENT: 100, self.Unit.PER_10000: 10_000}
        return scales.get(self.unit, 1)

    @property
    def source_document(self) -> str:
        """The act that names the indicator, without the line of the extracted text."""
        return LINE_REFERENCE.sub("", self.source).strip(" ;")

    @property
    def progress_way_assumed(self) -> bool:
        """Whether the decree leaves open which way is progress (the loader notes it)."""
        return DIRECTION_ASSUMED in self.note

    def undated_quotes(self) -> list[str]:
        """The decree's words for values it gives without a year (kept out of the series)."""
        return [match.group(1) for match in UNDATED_BASELINE.finditer(self.note)]

    def crpd_list(self) -> list[str]:
        return [a.strip() for a in self.crpd_articles.split(",") if a.strip()]

    def sdg_list(self) -> list[str]:
        return [t.strip() for t in self.sdg_targets.split(",") if t.strip()]

    def figure_error(self, number: Decimal | None, part: str = "value") -> str | None:
        """Why a figure given for this indicator cannot be right, or None: a share above
        100 %, or a count (a count indicator's value, any numerator or denominator) with
        decimals."""
        if number is None:
            return None
        if number < 0:
            return str(_("A figure cannot be negative."))
        if part == "value" and self.unit == self.Unit.PERCENT and number > 100:
            return str(_("A share cannot be more than 100 %."))
        counted = part in ("numerator", "denominator") or self.unit == self.Unit.COUNT
        if counted and number != number.to_integral_value():
            return str(_("This is a count of whole units: give it without decimals."))
        return None

    def clean(self) -> None:
        if bool(self.numerator_code) != bool(self.denominator_code):
            raise ValidationError(_("A computed indicator has both a numerator and a "
                                    "denominator."))
        if self.code and self.code in (self.numerator_code, self.denominator_code):
            raise ValidationError(_("An indicator cannot be computed from itself."))


class Target(AuditedModel):
    """The value an indicator should reach in a year, nationally or in one region."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("year"))
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT,
                               null=True, blank=True, related_name="+")
    value = models.DecimalField(_("target"), max_digits=14, decimal_places=3)
    legal_act = models.ForeignKey(LegalAct, verbose_name=_("legal source"),
                                  on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    source_text = models.TextField(_("as written in the source"), blank=True)

    class Meta:
        ordering = ["indicator", "year"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year", "region"],
                                    name="target_unique_regional"),
            models.UniqueConstraint(fields=["indicator", "year"],
                                    condition=models.Q(region__isnull=True),
                                    name="target_unique_national"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.name} {self.year}: {self.value}"

    @property
    def quote(self) -> str:
        """The decree's words for the target, as a reader quotes them."""
        return YEAR_ASSUMED.sub("", LINE_REFERENCE.sub("", self.source_text)).strip()

    @property
    def year_assumed(self) -> bool:
        """The decree gives no year: the plan's last year was taken."""
        return bool(YEAR_ASSUMED.search(self.source_text))


class Observation(AuditedModel):
    """A measured value: indicator × year × region (or national) × breakdown."""

    class Group(models.TextChoices):
        GROUP_1 = "1", _("group I")
        GROUP_2 = "2", _("group II")
        GROUP_3 = "3", _("group III")
        CHILDREN = "children", _("children under 18")

    class Sex(models.TextChoices):
        FEMALE = "female", _("women")
        MALE = "male", _("men")

    class Settlement(models.TextChoices):
        URBAN = "urban", _("urban")
        RURAL = "rural", _("rural")

    class Status(models.TextChoices):
        PROVISIONAL = "provisional", _("provisional")
        FINAL = "final", _("final")

    BREAKDOWNS: ClassVar[tuple[str, ...]] = ("disability_group", "sex", "age_band",
                                             "settlement")

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE,
                                  related_name="observations")
    year = models.PositiveSmallIntegerField(_("year"))
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT,
                               null=True, blank=True, related_name="+")
    # Blank means "all": the total over that breakdown.
    disability_group = models.CharField(_("disability group"), max_length=10,
                                        choices=Group.choices, blank=True)
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices, blank=True)
    age_band = models.CharField(_("age band"), max_length=10, blank=True,
                                help_text=_("e.g. 0-17, 18-29, 30-59, 60+"))
    settlement = models.CharField(_("urban or rural"), max_length=5,
                                  choices=Settlement.choices, blank=True)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=3)
    numerator = models.DecimalField(_("numerator"), max_digits=16, decimal_places=3,
                                    null=True, blank=True)
    denominator = models.DecimalField(_("denominator"), max_digits=16, decimal_places=3,
                                      null=True, blank=True)
    source = models.TextField(_("source"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.FINAL)
    # Written by the platform from the numerator and denominator series, never by hand.
    computed = models.BooleanField(_("computed"), default=False)

    class Meta:
        ordering = ["indicator", "year"]
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "region", "disability_group", "sex", "age_band",
                        "settlement"], name="observation_unique_cell"),
            models.UniqueConstraint(
                fields=["indicator", "year", "disability_group", "sex", "age_band",
                        "settlement"], condition=models.Q(region__isnull=True),
                name="observation_unique_national_cell"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.name} {self.year}: {self.value}"

    @property
    def is_total(self) -> bool:
        return not any(getattr(self, name) for name in self.BREAKDOWNS)

    def clean(self) -> None:
        if not self.indicator_id:
            return
        errors = {field: refused for field in ("value", "numerator", "denominator")
                  if (refused := self.indicator.figure_error(getattr(self, field), field))}
        if errors:
            raise ValidationError(errors)


class ProgressOverride(AuditedModel):
    """An analyst's correction of a computed status, with the reason shown beside it."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE,
                                  related_name="overrides")
    year = models.PositiveSmallIntegerField(_("year"))
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT,
                               null=True, blank=True, related_name="+")
    status = models.CharField(_("status"), max_length=20,
                              choices=[(p.value, p.value) for p in Progress])
    reason = models.TextField(_("reason"))
    by = models.ForeignKey("core.User", verbose_name=_("who"), on_delete=models.PROTECT,
                           related_name="+")

    class Meta:
        ordering = ["indicator", "year"]
        verbose_name = _("override of a progress status")
        verbose_name_plural = _("overrides of progress statuses")
        constraints = [models.UniqueConstraint(fields=["indicator", "year", "region"],
                                               name="progress_override_unique")]

    def __str__(self) -> str:
        return f"{self.indicator.name} {self.year}: {self.status}"


class ReportedValue(AuditedModel):
    """A value an executor gives for an indicator in a yearly report on a measure. It
    becomes an observation when the report is accepted."""

    report = models.ForeignKey(ExecutorReport, on_delete=models.CASCADE,
                               related_name="indicator_values")
    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"),
                                  on_delete=models.PROTECT, related_name="reported_values")
    # The executor's region for an akimat, empty (the country) for a ministry.
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT,
                               null=True, blank=True, related_name="+")
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=3)
    numerator = models.DecimalField(_("numerator"), max_digits=16, decimal_places=3,
                                    null=True, blank=True)
    denominator = models.DecimalField(_("denominator"), max_digits=16, decimal_places=3,
                                      null=True, blank=True)
    comment = models.TextField(_("comment on the figure"), blank=True)
    observation = models.ForeignKey(Observation, on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="+",
                                    help_text=_("The observation it became on acceptance."))

    objects = ScopedQuerySet.as_manager()
    scope = Scope(region="report__organisation__region", organisation="report__organisation")

    class Meta:
        ordering = ["report", "indicator__code"]
        verbose_name = _("reported value of an indicator")
        verbose_name_plural = _("reported values of indicators")
        constraints = [models.UniqueConstraint(fields=["report", "indicator"],
                                               name="reported_value_once_per_report")]

    def __str__(self) -> str:
        return f"{self.report} · {self.indicator.name}: {self.value}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        for field in ("value", "numerator", "denominator"):
            number = getattr(self, field)
            if number is not None and number < 0:
                errors[field] = _("A figure cannot be negative.")
            elif self.indicator_id:
                refused = self.indicator.figure_error(number, field)
                if refused:
                    errors[field] = refused
        if (self.numerator is None) != (self.denominator is None):
            errors["denominator"] = _("Give both the numerator and the denominator, or "
                                      "neither.")
        elif self.denominator is not None and self.denominator == 0:
            errors["denominator"] = _("The denominator cannot be zero.")
        if errors:
            raise ValidationError(errors)
