from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tendik.cases import assessment
from tendik.cases.models import Case, Domain, Team
from tendik.core.forms import DateField
from tendik.core.models import Organisation, Role, User
from tendik.people.iin import parse_iin
from tendik.people.models import Person
from tendik.workforce.models import SocialWorker


class CaseForm(forms.Form):
    iin = forms.CharField(label=_("IIN of the person"), max_length=12, min_length=12,
                          help_text=_("Twelve digits. For a family, the IIN of any member "
                                      "and tick «the whole family»."))
    whole_family = forms.BooleanField(label=_("The case is about the whole family"),
                                      required=False)
    summary = forms.CharField(label=_("Situation"), widget=forms.Textarea(attrs={"rows": 5}),
                              max_length=4000)
    manager = forms.ModelChoiceField(label=_("Case manager"), queryset=User.objects.none(),
                                     empty_label=_("Choose a case manager"))
    team = forms.ModelChoiceField(label=_("Interagency team"), queryset=Team.objects.none(),
                                  required=False, empty_label=_("No team"))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        managers = User.objects.filter(role=Role.CASE_MANAGER, is_active=True)
        if user.organisation is not None and user.organisation.region_id:
            managers = managers.filter(organisation__region_id=user.organisation.region_id)
            self.fields["team"].queryset = Team.objects.filter(  # type: ignore[attr-defined]
                region_id=user.organisation.region_id)
        manager: Any = self.fields["manager"]
        manager.queryset = managers.order_by("last_name", "first_name", "pk")
        manager.label_from_instance = lambda u: u.get_full_name() or u.get_role_display()
        if user.role == Role.CASE_MANAGER:
            self.fields["manager"].initial = user.pk

    def clean_iin(self) -> str:
        """A mistyped number is named as such (its length, date or check digit), before the
        register is searched for it."""
        iin = self.cleaned_data["iin"].strip()
        parse_iin(iin)
        return iin


class AssessmentForm(forms.Form):
    notes = forms.CharField(label=_("Notes"), required=False, max_length=4000,
                            widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for question in assessment.FORMS[assessment.CURRENT_VERSION]:
            self.fields[question.code] = forms.TypedChoiceField(
                label=question.text, coerce=int, choices=assessment.SCALE,
                widget=forms.RadioSelect)
        self.order_fields([q.code for q in assessment.FORMS[assessment.CURRENT_VERSION]])

    def answers(self) -> dict[str, int]:
        return {q.code: self.cleaned_data[q.code]
                for q in assessment.FORMS[assessment.CURRENT_VERSION]}


class GoalForm(forms.Form):
    domain = forms.ChoiceField(label=_("Domain"), choices=Domain.choices)
    text = forms.CharField(label=_("Goal"), max_length=500)
    due = DateField(label=_("Due"))


class ServiceForm(forms.Form):
    description = forms.CharField(label=_("Service"), max_length=500)
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Organisation.objects.none(),
                                    empty_label=_("Choose an agency"))
    due = DateField(label=_("Due"))

    def __init__(self, *args: Any, agencies: models.QuerySet[Organisation],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["agency"]
        field.queryset = agencies


class ConsentForm(forms.Form):
    """The consent a person of the case signed, as the case manager records it."""

    confirmed = forms.BooleanField(
        label=_("The person (or their legal representative) signed the consent to share "
                "their data with the team's agencies"),
        help_text=_("Keep the signed form in the case file. The person may revoke the "
                    "consent at any time."),
        error_messages={"required": _("Tick the box once the person (or their legal "
                                      "representative) has signed the consent form.")})


class ProposeForm(forms.Form):
    """A social worker the case manager proposes for a person of the case."""

    person = forms.ModelChoiceField(label=_("For whom"), queryset=Person.objects.none(),
                                    empty_label=None)
    worker = forms.ModelChoiceField(label=_("Social worker"),
                                    queryset=SocialWorker.objects.none(),
                                    empty_label=_("Choose a social worker"),
                                    help_text=_("Certified workers of the case's region who "
                                                "have a free place."))

    def __init__(self, *args: Any, persons: list[Person],
                 workers: models.QuerySet[SocialWorker], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person: Any = self.fields["person"]
        person.queryset = Person.objects.filter(pk__in=[p.pk for p in persons]).order_by(
            "last_name", "pk")
        person.label_from_instance = lambda p: p.full_name
        worker: Any = self.fields["worker"]
        worker.queryset = workers
        worker.label_from_instance = lambda w: ngettext(
            "%(name)s, %(employer)s: %(free)s free place",
            "%(name)s, %(employer)s: %(free)s free places", w.capacity - w.caseload) % {
            "name": w.full_name, "employer": w.employer.name,
            "free": w.capacity - w.caseload}


class ReferForm(forms.Form):
    override_reason = forms.CharField(
        label=_("Reason to refer without consent"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only when the person cannot consent and the service cannot wait. "
                    "The reason goes to the audit log."))


class MoveForm(forms.Form):
    to = forms.ChoiceField(choices=Case.State.choices, widget=forms.HiddenInput)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class AnswerForm(forms.Form):
    accept = forms.TypedChoiceField(label=_("Answer"), coerce=lambda v: v == "yes",
                                    widget=forms.RadioSelect,
                                    choices=[("yes", _("accept")), ("no", _("reject"))])
    text = forms.CharField(label=_("Comment"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))
