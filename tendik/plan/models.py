"""The National Plan as data: legal acts, directions, measures and their history."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tendik.core.audit import AuditedModel
from tendik.core.models import Organisation, localized
from tendik.core.scoping import Scope, ScopedQuerySet

# The organisation code that stands for every akimat (local executive bodies).
ALL_AKIMATS = "МИО"
# The public status of a measure that the МТСЗН has not assessed for the year yet.
NOT_ASSESSED = "not_assessed"


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

    def with_status(self, year: int, status: str) -> MeasureQuerySet:
        """Measures the МТСЗН assessed with `status` in `year` ("not_assessed": none yet)."""
        assessed = models.Q(assessments__cycle__year=year)
        if status == NOT_ASSESSED:
            return self.active_in(year).exclude(assessed)
        return self.filter(assessed, assessments__status=status)

    def in_region(self, region: Any) -> MeasureQuerySet:
        """Measures executed in a region: by its akimat (МИО) or a body of the region."""
        return self.filter(models.Q(includes_akimats=True)
                           | models.Q(executors__region=region)).distinct()

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




# --- The yearly reporting cycle -------------------------------------------------------


def executor_deadline_for(year: int) -> dt.date:
    """Point 2 of the decree: executors report by 20 January after the reporting year."""
    return dt.date(year + 1, 1, 20)


def consolidation_deadline_for(year: int) -> dt.date:
    """Point 3 of the decree: МТСЗН consolidates by 15 February after the reporting year."""
    return dt.date(year + 1, 2, 15)


class ReportingCycle(AuditedModel):
    """The reporting of one plan for one year: an obligation per measure × executor."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="cycles")
    year = models.PositiveSmallIntegerField(_("reporting year"))
    executor_deadline = models.DateField(_("executors report by"))
    consolidation_deadline = models.DateField(_("consolidated information due by"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("opened by"),
                                  on_delete=models.PROTECT, null=True, related_name="+")
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)

    class Meta:
        ordering = ["plan", "-year"]
        verbose_name = _("reporting cycle")
        verbose_name_plural = _("reporting cycles")
        constraints = [models.UniqueConstraint(fields=["plan", "year"],
                                               name="reporting_cycle_unique_year")]

    def __str__(self) -> str:
        return _("Reporting for %(year)s") % {"year": self.year}


class ReportQuerySet(ScopedQuerySet["ExecutorReport"]):
    def overdue(self, today: dt.date) -> ReportQuerySet:
        """Reports with no submission that counts after the deadline: never submitted, or
        returned for changes and not yet submitted again."""
        return self.filter(models.Q(submitted_at__isnull=True)
                           | models.Q(state=ExecutorReport.State.RETURNED),
                           cycle__executor_deadline__lt=today)


class ExecutorReport(AuditedModel):
    """One executor's report on one measure for one year: the obligation and its answer."""

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        UNDER_REVIEW = "under_review", _("under review")
        RETURNED = "returned", _("returned for changes")
        ACCEPTED = "accepted", _("accepted")

    class Status(models.TextChoices):
        COMPLETED = "completed", _("completed")
        PARTIALLY_COMPLETED = "partially_completed", _("partially completed")
        IN_PROGRESS = "in_progress", _("in progress")
        NOT_COMPLETED = "not_completed", _("not completed")
        NOT_DUE = "not_due", _("not due this year")

    # Which state may follow which: the workflow in one place.
    TRANSITIONS: ClassVar[dict[str, frozenset[str]]] = {
        State.DRAFT: frozenset({State.SUBMITTED}),
        State.SUBMITTED: frozenset({State.UNDER_REVIEW, State.RETURNED, State.ACCEPTED}),
        State.UNDER_REVIEW: frozenset({State.RETURNED, State.ACCEPTED}),
        State.RETURNED: frozenset({State.SUBMITTED}),
        State.ACCEPTED: frozenset(),
    }
    EDITABLE_STATES: ClassVar[frozenset[str]] = frozenset({State.DRAFT, State.RETURNED})

    cycle = models.ForeignKey(ReportingCycle, on_delete=models.PROTECT, related_name="reports")
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="reports")
    organisation = models.ForeignKey(Organisation, verbose_name=_("executor"),
                                     on_delete=models.PROTECT, related_name="plan_reports")
    state = models.CharField(_("state"), max_length=20, choices=State.choices,
                             default=State.DRAFT)
    status = models.CharField(_("implementation"), max_length=20, choices=Status.choices,
                              blank=True)
    narrative_ru = models.TextField(_("information on execution (Russian)"), blank=True)
    narrative_kk = models.TextField(_("information on execution (Kazakh)"), blank=True)
    spending = models.DecimalField(_("actual spending, thousand tenge"), max_digits=16,
                                   decimal_places=1, null=True, blank=True)
    target_values = models.JSONField(_("values reached"), default=dict, blank=True)
    act_kind = models.CharField(_("type of legal act"), max_length=20,
                                choices=LegalAct.Kind.choices, blank=True)
    act_number = models.CharField(_("number of the act"), max_length=50, blank=True)
    act_date = models.DateField(_("date of the act"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("first submitted"), null=True, blank=True)
    resubmitted_at = models.DateTimeField(_("last resubmitted"), null=True, blank=True,
                                          help_text=_("When the report was last submitted "
                                                      "again after being returned."))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)

    objects = ReportQuerySet.as_manager()
    scope = Scope(region="organisation__region", organisation="organisation")

    class Meta:
        ordering = ["cycle", "measure__number", "organisation__code"]
        verbose_name = _("executor's report")
        verbose_name_plural = _("executors' reports")
        constraints = [models.UniqueConstraint(fields=["cycle", "measure", "organisation"],
                                               name="report_one_per_obligation")]

    def __str__(self) -> str:
        return f"{self.cycle.year} · {self.measure.number} · {self.organisation.code}"

    @property
    def is_editable(self) -> bool:
        return self.state in self.EDITABLE_STATES

    def can_move_to(self, state: str) -> bool:
        return state in self.TRANSITIONS[self.state]

    @property
    def counted_submission_at(self) -> dt.datetime | None:
        """The submission that counts: the last one, after any return for changes."""
        return self.resubmitted_at or self.submitted_at

    def timeliness(self, today: dt.date) -> str:
        """on_time / late (the submission that counts came after the deadline) / overdue
        (none has come, or the report was returned and not yet submitted again) / open."""
        deadline = self.cycle.executor_deadline
        counted = self.counted_submission_at
        if counted is not None and self.state != self.State.RETURNED:
            submitted = timezone.localdate(counted)
            return "on_time" if submitted <= deadline else "late"
        return "overdue" if today > deadline else "open"

    def requires_act(self) -> bool:
        return self.measure.completion_form_kind in {Measure.CompletionKind.ORDER,
                                                     Measure.CompletionKind.GOVERNMENT_DECREE,
                                                     Measure.CompletionKind.LAW}

    def submission_problems(self) -> dict[str, str]:
        """What must be filled before submitting; empty when the report is complete."""
        problems: dict[str, str] = {}
        if not self.status:
            problems["status"] = gettext("Choose the state of implementation.")
        if not (self.narrative_ru.strip() or self.narrative_kk.strip()):
            problems["narrative_ru"] = gettext("Describe what was done, in Russian or Kazakh.")
        if self.requires_act() and self.status == self.Status.COMPLETED and not (
                self.act_kind and self.act_number and self.act_date):
            problems["act_number"] = gettext(
                "The form of completion is a legal act: give its type, number and date.")
        return problems


class ReportTransition(models.Model):
    """One move of a report through its workflow, with who made it and why."""

    report = models.ForeignKey(ExecutorReport, on_delete=models.CASCADE,
                               related_name="transitions")
    from_state = models.CharField(max_length=20, choices=ExecutorReport.State.choices)
    to_state = models.CharField(max_length=20, choices=ExecutorReport.State.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                           blank=True, related_name="+")
    api_token = models.ForeignKey("core.ApiToken", on_delete=models.PROTECT, null=True,
                                  blank=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["report", "at", "id"]
        verbose_name = _("report transition")
        verbose_name_plural = _("report transitions")
        constraints = [models.CheckConstraint(
            condition=models.Q(by__isnull=False) | models.Q(api_token__isnull=False),
            name="report_transition_has_author")]

    def __str__(self) -> str:
        return f"{self.report}: {self.from_state} → {self.to_state}"

    @property
    def author(self) -> str:
        if self.by is not None:
            return self.by.get_full_name() or self.by.get_username()
        return str(self.api_token)


def attachment_path(instance: ReportAttachment, filename: str) -> str:
    return f"plan/reports/{instance.report.cycle.year}/{instance.report_id}/{filename}"


class ReportAttachment(AuditedModel):
    """Evidence attached to a report: checked by content, at most 20 MB."""

    MAX_SIZE = 20 * 1024 * 1024

    report = models.ForeignKey(ExecutorReport, on_delete=models.CASCADE,
                               related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size, bytes"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["report", "uploaded_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class ReminderSent(models.Model):
    """A reminder that went out; the unique key makes each one go out exactly once."""

    class Kind(models.TextChoices):
        DAYS_14 = "days_14", _("14 days before the deadline")
        DAYS_3 = "days_3", _("3 days before the deadline")
        OVERDUE = "overdue", _("the deadline has passed")

    report = models.ForeignKey(ExecutorReport, on_delete=models.CASCADE,
                               related_name="reminders")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.JSONField(default=list)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [models.UniqueConstraint(fields=["report", "kind"],
                                               name="reminder_once_per_kind")]

    def __str__(self) -> str:
        return f"{self.report} {self.kind}"


# --- The consolidated report for the Government Office --------------------------------


class MeasureAssessment(AuditedModel):
    """The МТСЗН's assessment of one measure in one year, from the executors' reports."""

    cycle = models.ForeignKey(ReportingCycle, on_delete=models.CASCADE,
                              related_name="assessments")
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="assessments")
    status = models.CharField(_("status"), max_length=20,
                              choices=ExecutorReport.Status.choices)
    text_ru = models.TextField(_("information on execution (Russian)"))
    text_kk = models.TextField(_("information on execution (Kazakh)"), blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    assessed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["cycle", "measure__number"]
        verbose_name = _("assessment of a measure")
        verbose_name_plural = _("assessments of measures")
        constraints = [models.UniqueConstraint(fields=["cycle", "measure"],
                                               name="assessment_one_per_measure")]

    def __str__(self) -> str:
        return f"{self.cycle.year} · {self.measure.number}: {self.status}"


def consolidated_path(instance: ConsolidatedReport, filename: str) -> str:
    return f"plan/consolidated/{instance.cycle.year}/{filename}"


class ConsolidatedReport(models.Model):
    """One generated file of the consolidated information, kept with its version."""

    class Format(models.TextChoices):
        DOCX = "docx", "DOCX"
        PDF = "pdf", "PDF"
        XLSX = "xlsx", "XLSX"

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("being generated")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    cycle = models.ForeignKey(ReportingCycle, on_delete=models.CASCADE,
                              related_name="consolidated_reports")
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress, %"), default=0)
    file = models.FileField(_("file"), upload_to=consolidated_path, blank=True,
                            max_length=300)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["cycle", "-requested_at", "-id"]
        verbose_name = _("consolidated report")
        verbose_name_plural = _("consolidated reports")
        constraints = [models.UniqueConstraint(fields=["cycle", "format", "language",
                                                       "version"],
                                               name="consolidated_report_version")]

    def __str__(self) -> str:
        return f"{self.cycle.year} {self.format} {self.language} v{self.version}"

    @property
    def filename(self) -> str:
        return (f"tendik-national-plan-{self.cycle.year}-{self.language}-v{self.version}"
                f".{self.format}")
