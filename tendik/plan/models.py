"""The National Plan as data: legal acts, directions, measures and their history."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tendik.core.audit import AuditedModel
from tendik.core.models import Organisation, localized

# The organisation code that stands for every akimat (local executive bodies).
ALL_AKIMATS = "МИО"


class LegalAct(AuditedModel):
    """A decree, order or law: the plan's approval, its amendments, evidence of a measure."""

    class Kind(models.TextChoices):
        GOVERNMENT_DECREE = "government_decree", _("government decree")
        PRESIDENTIAL_DECREE = "presidential_decree", _("decree of the President")
        LAW = "law", _("law")
        ORDER = "order", _("order of a minister")
        AKIMAT_DECREE = "akimat_decree", _("akimat decree")
        OTHER = "other", _("other act")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=50)
    date = models.DateField(_("date"))
    title_ru = models.CharField(_("title (Russian)"), max_length=500, blank=True)
    title_kk = models.CharField(_("title (Kazakh)"), max_length=500, blank=True)

    class Meta:
        ordering = ["date", "number"]
        verbose_name = _("legal act")
        verbose_name_plural = _("legal acts")
        constraints = [models.UniqueConstraint(fields=["kind", "number", "date"],
                                               name="legal_act_unique")]

    def __str__(self) -> str:
        return _("%(kind)s No. %(number)s of %(date)s") % {
            "kind": self.get_kind_display(), "number": self.number,
            "date": self.date.strftime("%d.%m.%Y")}


class Plan(AuditedModel):
    """A national plan: approved by one act, amended by others."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    title_ru = models.CharField(_("title (Russian)"), max_length=500)
    title_kk = models.CharField(_("title (Kazakh)"), max_length=500, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    approved_by = models.ForeignKey(LegalAct, verbose_name=_("approved by"),
                                    on_delete=models.PROTECT, related_name="+")
    source = models.TextField(_("source"), blank=True)

    class Meta:
        ordering = ["-start_year"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [models.CheckConstraint(condition=models.Q(end_year__gte=models.F(
            "start_year")), name="plan_years_in_order")]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def years(self) -> range:
        return range(self.start_year, self.end_year + 1)


class PlanAmendment(AuditedModel):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="amendments")
    act = models.ForeignKey(LegalAct, verbose_name=_("amending act"), on_delete=models.PROTECT,
                            related_name="plan_amendments")
    summary = models.CharField(_("what it changed"), max_length=500, blank=True)

    class Meta:
        ordering = ["act__date"]
        verbose_name = _("amendment of the plan")
        verbose_name_plural = _("amendments of the plan")
        constraints = [models.UniqueConstraint(fields=["plan", "act"],
                                               name="plan_amendment_unique")]

    def __str__(self) -> str:
        return str(self.act)


class Direction(AuditedModel):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="directions")
    number = models.PositiveSmallIntegerField(_("number"))
    title_ru = models.CharField(_("title (Russian)"), max_length=500, blank=True)
    title_kk = models.CharField(_("title (Kazakh)"), max_length=500, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)
    in_source = models.BooleanField(
        _("title in the source text"), default=True,
        help_text=_("Off where the published text lacks the title; an analyst may add it."))

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("direction")
        verbose_name_plural = _("directions")
        constraints = [models.UniqueConstraint(fields=["plan", "number"],
                                               name="direction_unique_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}" if self.title else str(self.number)

    @property
    def title(self) -> str:
        return localized(self, "title")


class MeasureQuerySet(models.QuerySet["Measure"]):
    def active_in(self, year: int) -> MeasureQuerySet:
        """Measures due in `year`: their deadline spans it, or they are annual."""
        return self.filter(in_source=True).filter(
            models.Q(deadline_kind=Measure.DeadlineKind.ANNUAL,
                     start_year__isnull=True)
            | models.Q(start_year__lte=year, end_year__gte=year)
            | models.Q(deadline_kind=Measure.DeadlineKind.ANNUAL, start_year__lte=year,
                       end_year__isnull=True)
        )

    def for_executor(self, organisation: Organisation) -> MeasureQuerySet:
        if organisation.kind == Organisation.Kind.AKIMAT:
            return self.filter(models.Q(includes_akimats=True)
                               | models.Q(executors=organisation)).distinct()
        return self.filter(executors=organisation)


class Measure(AuditedModel):
    """One row of the plan's table of measures."""

    class CompletionKind(models.TextChoices):
        ORDER = "order", _("order")
        GOVERNMENT_DECREE = "government_decree", _("government decree")
        LAW = "law", _("law")
        INFORMATION = "information", _("information")
        PROPOSALS = "proposals", _("proposals")
        REPORT = "report", _("report")
        STATISTICAL_DATA = "statistical_data", _("statistical data")
        METHODOLOGICAL_RECOMMENDATIONS = ("methodological_recommendations",
                                          _("methodological recommendations"))
        RECOMMENDATIONS = "recommendations", _("recommendations")
        ARTICLES_AND_PUBLICATIONS = "articles_and_publications", _("articles and publications")
        PROTOCOL = "protocol", _("protocol")
        MAP = "map", _("map")
        OTHER = "other", _("other")

    class DeadlineKind(models.TextChoices):
        YEAR = "year", _("one year")
        RANGE = "range", _("range of years")
        ANNUAL = "annual", _("every year")

    class CostKind(models.TextChoices):
        NOT_REQUIRED = "not_required", _("not required")
        WITHIN_ALLOCATED = "within_allocated_funds", _("within allocated funds")
        AMOUNT = "amount", _("amount")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="measures")
    number = models.PositiveSmallIntegerField(_("number"))
    direction = models.ForeignKey(Direction, verbose_name=_("direction"),
                                  on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="measures")
    in_source = models.BooleanField(
        _("in the source text"), default=True,
        help_text=_("Off for rows missing from the published text (1–13): no content is "
                    "invented; an analyst fills them from the official act."))
    title_ru = models.TextField(_("title (Russian)"), blank=True)
    title_kk = models.TextField(_("title (Kazakh)"), blank=True)
    title_en = models.TextField(_("title (English)"), blank=True)
    completion_form_kind = models.CharField(_("form of completion"), max_length=40,
                                            choices=CompletionKind.choices, blank=True)
    completion_form_text = models.CharField(_("form of completion (as written)"),
                                            max_length=300, blank=True)
    executors = models.ManyToManyField(Organisation, verbose_name=_("executors"),
                                       blank=True, related_name="plan_measures")
    includes_akimats = models.BooleanField(_("akimats execute it (МИО)"), default=False)
    deadline_kind = models.CharField(_("deadline"), max_length=10,
                                     choices=DeadlineKind.choices, blank=True)
    start_year = models.PositiveSmallIntegerField(_("first year"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("last year"), null=True, blank=True)
    deadline_text = models.CharField(_("deadline (as written)"), max_length=200, blank=True)
    cost_kind = models.CharField(_("cost"), max_length=30, choices=CostKind.choices,
                                 blank=True)
    cost_text = models.CharField(_("cost (as written)"), max_length=300, blank=True)
    funding_code = models.CharField(_("budget programme"), max_length=10, blank=True)
    funding_name = models.CharField(_("budget programme name"), max_length=500, blank=True)
    targets = models.JSONField(_("yearly targets"), default=dict, blank=True)

    objects = MeasureQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="measure_unique_number"),
            models.CheckConstraint(
                condition=models.Q(start_year__isnull=True) | models.Q(end_year__isnull=True)
                | models.Q(end_year__gte=models.F("start_year")),
                name="measure_years_in_order"),
        ]

    def __str__(self) -> str:
        title = self.title
        return f"{self.number}. {title[:80]}" if title else str(self.number)

    @property
    def title(self) -> str:
        return localized(self, "title")

    def executor_codes(self) -> list[str]:
        codes = [o.code for o in self.executors.all()]
        return [*codes, ALL_AKIMATS] if self.includes_akimats else codes

    def clean(self) -> None:
        if self.in_source and not self.title_ru:
            raise ValidationError({"title_ru": _("A measure of the source text has a title.")})
        if self.deadline_kind == self.DeadlineKind.YEAR and self.start_year != self.end_year:
            raise ValidationError({"end_year": _("A one-year deadline starts and ends in the "
                                                 "same year.")})
        for year, target in (self.targets or {}).items():
            if not str(year).isdigit() or not isinstance(target, dict) \
                    or "value" not in target:
                raise ValidationError({"targets": _("Targets are year → {value, unit}.")})


class MeasureRevision(models.Model):
    """One change of a measure, with the act that made it: the measure's history."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="revisions")
    act = models.ForeignKey(LegalAct, verbose_name=_("amending act"), on_delete=models.PROTECT,
                            null=True, blank=True, related_name="measure_revisions")
    at = models.DateTimeField(_("when"), default=timezone.now)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("who"),
                               on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+")
    changes = models.JSONField(_("changes"), default=dict)
    comment = models.CharField(_("comment"), max_length=500, blank=True)

    audit_exclude: ClassVar[frozenset[str]] = frozenset()

    class Meta:
        ordering = ["measure", "-at", "-id"]
        verbose_name = _("revision of a measure")
        verbose_name_plural = _("revisions of measures")

    def __str__(self) -> str:
        return f"{self.measure.number} @ {self.at:%Y-%m-%d}"


__all__: list[Any] = ["ALL_AKIMATS", "Direction", "LegalAct", "Measure", "MeasureRevision",
                      "Plan", "PlanAmendment"]
