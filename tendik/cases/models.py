"""The integrated model of case management: a case manager takes a person's or a family's
difficult life situation as a whole, assesses it over eight domains, plans goals and
services with the agencies of an interagency team, refers (with consent), follows up and
closes with a supervisor's approval. And proactive services: rules over the registry that
find a need before anyone applies.

Case data is personal and sensitive: only the case's manager, its team and the managers'
supervisors see it, and every view is in the access log."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tendik.core.audit import AppendOnly, AuditedModel
from tendik.core.models import Organisation, Region, localized
from tendik.core.scoping import Scope, ScopedQuerySet
from tendik.people.models import Consent, Family, Person


class Team(AuditedModel):
    """An interagency team: people of education, health, social protection, police and
    others who work cases together in a region, by the «one window» principle."""

    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT,
                               related_name="+")
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="TeamMember",
                                     related_name="case_teams")

    objects = ScopedQuerySet.as_manager()
    scope = Scope(region="region")

    class Meta:
        ordering = ["region", "name"]
        verbose_name = _("interagency team")
        verbose_name_plural = _("interagency teams")

    def __str__(self) -> str:
        return self.name


class TeamMember(AuditedModel):
    class Sector(models.TextChoices):
        SOCIAL = "social", _("social protection")
        HEALTH = "health", _("health")
        EDUCATION = "education", _("education")
        POLICE = "police", _("police")
        EMPLOYMENT = "employment", _("employment")
        NGO = "ngo", _("non-governmental organisation")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    sector = models.CharField(_("sector"), max_length=12, choices=Sector.choices)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [models.UniqueConstraint(fields=["team", "user"],
                                               name="team_member_once")]

    def __str__(self) -> str:
        return f"{self.team_id}: {self.user_id}"


class Case(AuditedModel):
    class State(models.TextChoices):
        INTAKE = "intake", _("intake")
        ASSESSMENT = "assessment", _("needs assessment")
        PLANNING = "planning", _("case plan")
        SERVICES = "services", _("services under way")
        REVIEW = "review", pgettext_lazy("case state", "review")
        CLOSING = "closing", _("closure waiting for the supervisor")
        CLOSED = "closed", _("closed")

    # The case manager moves a case forward; a supervisor approves its closure; a closed
    # case is reopened into a new assessment.
    TRANSITIONS: ClassVar[dict[str, frozenset[str]]] = {
        State.INTAKE: frozenset({State.ASSESSMENT}),
        State.ASSESSMENT: frozenset({State.PLANNING}),
        State.PLANNING: frozenset({State.SERVICES}),
        State.SERVICES: frozenset({State.REVIEW}),
        State.REVIEW: frozenset({State.SERVICES, State.PLANNING, State.CLOSING}),
        State.CLOSING: frozenset({State.CLOSED, State.REVIEW}),
        State.CLOSED: frozenset({State.ASSESSMENT}),
    }

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT,
                               null=True, blank=True, related_name="cases")
    family = models.ForeignKey(Family, verbose_name=_("family"), on_delete=models.PROTECT,
                               null=True, blank=True, related_name="cases")
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT,
                               related_name="+")
    manager = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("case manager"),
                                on_delete=models.PROTECT, related_name="managed_cases")
    team = models.ForeignKey(Team, verbose_name=_("interagency team"),
                             on_delete=models.PROTECT, null=True, blank=True,
                             related_name="cases")
    state = models.CharField(_("state"), max_length=12, choices=State.choices,
                             default=State.INTAKE, db_index=True)
    summary = models.TextField(_("situation"), help_text=_(
        "The difficult life situation as the person or family describes it."))
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closure_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                            null=True, blank=True, related_name="+")

    objects = ScopedQuerySet.as_manager()
    scope = Scope(region="region")

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        permissions = [("supervise_case", _("Supervise case managers and approve closures"))]
        constraints = [models.CheckConstraint(
            condition=models.Q(person__isnull=False) | models.Q(family__isnull=False),
            name="case_has_a_person_or_a_family")]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"C-{self.pk:07d}"

    def can_move_to(self, state: str) -> bool:
        return state in self.TRANSITIONS[self.state]

    def persons(self) -> list[Person]:
        """Whom the case is about: the person, or every member of the family."""
        if self.person_id:
            return [self.person]  # type: ignore[list-item]
        assert self.family is not None
        return [m.person for m in self.family.members.select_related("person")]


class CaseEvent(AppendOnly):
    """The case's timeline, append-only: each step, note and decision."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                           blank=True, related_name="+")
    kind = models.CharField(_("what"), max_length=30)
    text = models.TextField(_("text"), blank=True)
    # What the entry is about, by key (an organisation's, a person's, a worker's pk; the
    # scores): the timeline names them in the reader's language (tendik.cases.timeline).
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.kind}"


class Domain(models.TextChoices):
    HEALTH = "health", _("health")
    DISABILITY = "disability", _("disability-related needs")
    HOUSING = "housing", _("housing")
    INCOME = "income", _("income")
    EMPLOYMENT = "employment", _("employment")
    EDUCATION = "education", _("education")
    CARE = "care", _("care")
    SAFETY = "safety", _("safety")


class Assessment(AuditedModel):
    """A needs assessment on a version of the form (tendik.cases.assessment): a score per
    domain from 0 (no need) to 4 (critical), with notes."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    form_version = models.PositiveSmallIntegerField(_("form version"))
    answers = models.JSONField(_("answers"), default=dict)
    scores = models.JSONField(_("scores"), default=dict)
    notes = models.TextField(_("notes"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                           related_name="+")
    at = models.DateTimeField(_("assessed"), default=timezone.now)

    class Meta:
        ordering = ["case", "-at"]
        verbose_name = _("needs assessment")
        verbose_name_plural = _("needs assessments")

    def __str__(self) -> str:
        return f"{self.case_id} v{self.form_version}"

    @property
    def total(self) -> int:
        return sum(self.scores.values())

    def priorities(self) -> list[tuple[str, int]]:
        return sorted(((d, s) for d, s in self.scores.items() if s >= 2),
                      key=lambda item: -item[1])


class Goal(AuditedModel):
    class State(models.TextChoices):
        OPEN = "open", _("open")
        MET = "met", _("met")
        DROPPED = "dropped", _("dropped")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="goals")
    domain = models.CharField(_("domain"), max_length=12, choices=Domain.choices)
    text = models.CharField(_("goal"), max_length=500)
    due = models.DateField(_("due"))
    state = models.CharField(_("state"), max_length=8, choices=State.choices,
                             default=State.OPEN)

    class Meta:
        ordering = ["case", "due", "pk"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return self.text


class PlannedService(AuditedModel):
    class State(models.TextChoices):
        PLANNED = "planned", _("planned")
        REFERRED = "referred", _("referred")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="services")
    description = models.CharField(_("service"), max_length=500)
    agency = models.ForeignKey(Organisation, verbose_name=_("agency"),
                               on_delete=models.PROTECT, related_name="+")
    due = models.DateField(_("due"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices,
                             default=State.PLANNED)

    class Meta:
        ordering = ["goal", "due", "pk"]
        verbose_name = _("planned service")
        verbose_name_plural = _("planned services")

    def __str__(self) -> str:
        return self.description


class Referral(AuditedModel):
    """A planned service sent to its agency. Sent only with the person's consent to share
    with the team's agencies, or with an override whose reason is in the audit log."""

    class State(models.TextChoices):
        SENT = "sent", _("sent")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")
        DONE = "done", _("service done")

    service = models.ForeignKey(PlannedService, on_delete=models.CASCADE,
                                related_name="referrals")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    agency = models.ForeignKey(Organisation, verbose_name=_("agency"),
                               on_delete=models.PROTECT, related_name="referrals")
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")
    override_reason = models.TextField(_("reason to refer without consent"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices,
                             default=State.SENT)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="+")
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    answer = models.TextField(_("answer"), blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(region="case__region", organisation="agency")

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self) -> str:
        return f"{self.case_id} → {self.agency_id}"


# --- Registers that proactive rules read --------------------------------------------------

class Enrolment(AuditedModel):
    """A child's or student's place in education, as the education system reports it."""

    class Kind(models.TextChoices):
        PRESCHOOL = "preschool", _("preschool")
        SCHOOL = "school", _("school")
        HOME = "home", _("home schooling")
        COLLEGE = "college", _("college")
        UNIVERSITY = "university", _("university")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="enrolments")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    institution = models.CharField(_("institution"), max_length=300)
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["person", "-start"]
        verbose_name = _("enrolment in education")
        verbose_name_plural = _("enrolments in education")

    def __str__(self) -> str:
        return f"{self.person_id}: {self.institution}"


class JobSearch(AuditedModel):
    """A registration as a job seeker at the employment centre."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="job_searches")
    registered_on = models.DateField(_("registered"), db_index=True)
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    centre = models.CharField(_("employment centre"), max_length=300)

    class Meta:
        ordering = ["person", "-registered_on"]
        verbose_name = _("job search")
        verbose_name_plural = _("job searches")

    def __str__(self) -> str:
        return f"{self.person_id}: {self.registered_on}"


# --- Proactive services ------------------------------------------------------------------

class Rule(AuditedModel):
    """A proactive rule as the ministry runs it: switched on or off, with its history of
    hits kept either way. The logic of each rule is in tendik.cases.rules."""

    class Responsible(models.TextChoices):
        CASE_MANAGER = "case_manager", _("the person's case manager, else the akimat")
        AKIMAT = "akimat", _("the akimat of the person's region")

    code = models.CharField(_("code"), max_length=40, unique=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=300)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300)
    enabled = models.BooleanField(_("switched on"), default=True)
    responsible = models.CharField(_("responsible"), max_length=12,
                                   choices=Responsible.choices)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("proactive rule")
        verbose_name_plural = _("proactive rules")

    def __str__(self) -> str:
        return self.code

    @property
    def name(self) -> str:
        return localized(self, "name")


class RuleRun(models.Model):
    """One run of the rules: full or incremental, what it looked at and found."""

    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    as_of = models.DateField(_("as of"))
    incremental = models.BooleanField(_("incremental"))
    persons_checked = models.PositiveIntegerField(_("persons checked"), null=True)
    hits = models.PositiveIntegerField(_("new hits"), default=0)
    seconds = models.FloatField(_("seconds"), null=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("run of the rules")
        verbose_name_plural = _("runs of the rules")

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M}"


class HitQuerySet(ScopedQuerySet["Hit"]):
    pass


class Hit(models.Model):
    """A need a rule found: one per trigger (the rule and what set it off), so the same
    trigger never notifies twice."""

    # rule and region are searched through the indexes that start with them (below).
    rule = models.ForeignKey(Rule, on_delete=models.PROTECT, related_name="hits",
                             db_index=False)
    key = models.CharField(_("trigger"), max_length=100)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="hits")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                               db_index=False)
    facts = models.JSONField(_("facts"), default=dict)
    found_at = models.DateTimeField(_("found"), default=timezone.now)
    run = models.ForeignKey(RuleRun, on_delete=models.SET_NULL, null=True,
                            related_name="+")
    resolved_at = models.DateTimeField(_("need met"), null=True, blank=True)

    objects = HitQuerySet.as_manager()
    scope = Scope(region="region")

    class Meta:
        ordering = ["-found_at", "-pk"]
        verbose_name = _("proactive hit")
        verbose_name_plural = _("proactive hits")
        constraints = [models.UniqueConstraint(fields=["rule", "key"],
                                               name="hit_once_per_trigger")]
        indexes = [models.Index(fields=["region", "found_at"])]

    def __str__(self) -> str:
        return f"{self.rule_id}: {self.key}"


class ProactiveOffer(models.Model):
    """What the person is told: in their language and format, with why they see it."""

    class Format(models.TextChoices):
        STANDARD = "standard", _("standard text")
        EASY_READ = "easy_read", _("easy-to-read text")
        LARGE_PRINT = "large_print", _("large print letter")
        SIGN_LANGUAGE = "sign_language", _("video call with a sign-language interpreter")
        BRAILLE = "braille", _("Braille letter")

    class State(models.TextChoices):
        NEW = "new", _("new")
        SEEN = "seen", _("seen")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    hit = models.OneToOneField(Hit, on_delete=models.CASCADE, related_name="offer")
    language = models.CharField(_("language"), max_length=2)
    format = models.CharField(_("format"), max_length=14, choices=Format.choices)
    text = models.TextField(_("offer"))
    why = models.TextField(_("why am I seeing this"))
    state = models.CharField(_("state"), max_length=8, choices=State.choices,
                             default=State.NEW)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("proactive offer")
        verbose_name_plural = _("proactive offers")

    def __str__(self) -> str:
        return f"offer {self.hit_id}"


class Task(models.Model):
    """The work a hit gives the responsible case manager or akimat."""

    class State(models.TextChoices):
        OPEN = "open", _("open")
        DONE = "done", _("done")

    hit = models.OneToOneField(Hit, on_delete=models.CASCADE, related_name="task")
    # Searched through the index (region, state, due) below.
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                               db_index=False)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 null=True, blank=True, related_name="proactive_tasks")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="proactive_tasks")
    state = models.CharField(_("state"), max_length=6, choices=State.choices,
                             default=State.OPEN)
    due = models.DateField(_("due"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                null=True, blank=True, related_name="+")
    note = models.TextField(_("note"), blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(region="region", organisation="organisation")

    class Meta:
        ordering = ["due", "pk"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [models.Index(fields=["region", "state", "due"])]

    def __str__(self) -> str:
        return f"{self.hit_id}: {self.state}"


def age_on(person: Person, day: dt.date) -> int:
    born = person.birth_date
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

