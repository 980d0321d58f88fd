"""What people tell the МТСЗН about the platform's own accessibility: a barrier they met,
or a page they need in another format. Each one is answered by a deadline."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tendik.core import once
from tendik.core.audit import AuditedModel
from tendik.core.calendar import add_working_days

# The Administrative Procedural Code gives a public body fifteen working days to answer
# an appeal; the statement promises the same.
ANSWER_WORKING_DAYS = 15


class ReportQuerySet(models.QuerySet["AccessibilityReport"]):
    def waiting(self) -> ReportQuerySet:
        return self.filter(state=AccessibilityReport.State.WAITING)

    def overdue(self, today: dt.date | None = None) -> ReportQuerySet:
        return self.waiting().filter(answer_due__lt=today or timezone.localdate())


class AccessibilityReport(AuditedModel):
    class Kind(models.TextChoices):
        BARRIER = "barrier", _("A barrier on a page")
        FORMAT = "format", _("Content in another format")

    class Format(models.TextChoices):
        LARGE_PRINT = "large_print", _("large print")
        BRAILLE = "braille", _("Braille")
        EASY_READ = "easy_read", _("easy-read text")
        AUDIO = "audio", _("audio recording")
        SIGN_LANGUAGE = "sign_language", _("video in sign language")
        PLAIN_TEXT = "plain_text", _("plain text document")

    class State(models.TextChoices):
        WAITING = "waiting", _("waiting for an answer")
        ANSWERED = "answered", _("answered")

    kind = models.CharField(_("what it is about"), max_length=10, choices=Kind.choices)
    page = models.CharField(_("page"), max_length=500, blank=True,
                            help_text=_("The address of the page on this site."))
    description = models.TextField(_("description"), max_length=4000)
    wanted_format = models.CharField(_("format wanted"), max_length=20, blank=True,
                                     choices=Format.choices)
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telephone"), max_length=20, blank=True)
    # The language of the page the form was sent from: the answer is written in it.
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                 null=True, blank=True, related_name="+",
                                 verbose_name=_("sent by"))
    filed_at = models.DateTimeField(_("sent"), default=timezone.now)
    answer_due = models.DateField(_("answer due"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices,
                             default=State.WAITING)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("answered by"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    idempotency_key = once.key_field()

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("accessibility report")
        verbose_name_plural = _("accessibility reports")
        ordering = ["answer_due", "pk"]
        indexes = [models.Index(fields=["state", "answer_due"])]
        constraints = [
            models.CheckConstraint(
                name="feedback_format_only_for_format_requests",
                condition=models.Q(kind="format") | models.Q(wanted_format="")),
            models.CheckConstraint(
                name="feedback_answered_has_answer",
                condition=models.Q(state="waiting")
                | (~models.Q(answer="") & models.Q(answered_at__isnull=False))),
        ]

    def __str__(self) -> str:
        return str(_("Report No. %(number)s") % {"number": self.number})

    @property
    def number(self) -> str:
        return f"{self.pk:06d}" if self.pk else ""

    @staticmethod
    def due_for(filed_on: dt.date) -> dt.date:
        return add_working_days(filed_on, ANSWER_WORKING_DAYS)

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return self.state == self.State.WAITING and self.answer_due < (
            today or timezone.localdate())

    @property
    def can_be_answered(self) -> bool:
        return bool(self.email)
