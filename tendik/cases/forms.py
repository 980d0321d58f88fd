from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tendik.cases import assessment
from tendik.cases.models import Case, Domain, Team
from tendik.core.models import Organisation, Role, User


class CaseForm(forms.Form):
    iin = forms.CharField(label=_("IIN of the person"), max_length=12, min_length=12,
                          help_text=_("Twelve digits. For a family, the IIN of any member "
                                      "and tick «the whole family»."))
    whole_family = forms.BooleanField(label=_("The case is about the whole family"),
                                      required=False)
    summary = forms.CharField(label=_("Situation"), widget=forms.Textarea(attrs={"rows": 5}),
                              max_length=4000)
    manager = forms.ModelChoiceField(label=_("Case manager"), queryset=User.objects.none())
    team = forms.ModelChoiceField(label=_("Interagency team"), queryset=Team.objects.none(),
                                  required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        managers = User.objects.filter(role=Role.CASE_MANAGER, is_active=True)
        if user.organisation is not None and user.organisation.region_id:
            managers = managers.filter(organisation__region_id=user.organisation.region_id)
            self.fields["team"].queryset = Team.objects.filter(  # type: ignore[attr-defined]
                region_id=user.organisation.region_id)
        self.fields["manager"].queryset = managers.order_by(  # type: ignore[attr-defined]
            "last_name")
        if user.role == Role.CASE_MANAGER:
            self.fields["manager"].initial = user.pk


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
    due = forms.DateField(label=_("Due"), widget=forms.DateInput(attrs={"type": "date"}))


class ServiceForm(forms.Form):
    description = forms.CharField(label=_("Service"), max_length=500)
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Organisation.objects.filter(
        is_active=True).order_by("kind", "name_ru"))
    due = forms.DateField(label=_("Due"), widget=forms.DateInput(attrs={"type": "date"}))


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
