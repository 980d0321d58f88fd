from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tendik.core.display import DisplayPreferences
from tendik.core.models import AuditEvent, Organisation, Region


class LoginForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150,
                               widget=forms.TextInput(attrs={"autocomplete": "username",
                                                             "autocapitalize": "none"}))
    password = forms.CharField(label=_("Password"), strip=False,
                               widget=forms.PasswordInput(
                                   attrs={"autocomplete": "current-password"}))


class OTPForm(forms.Form):
    token = forms.RegexField(
        label=_("Six-digit code from your authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Enter the six digits your app shows now.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "size": "8"}),
    )

    def clean_token(self) -> str:
        return str(self.cleaned_data["token"]).strip()


class DisplayForm(forms.Form):
    text_size = forms.ChoiceField(label=_("Text size"), widget=forms.RadioSelect,
                                  choices=DisplayPreferences.CHOICES["text_size"])
    scheme = forms.ChoiceField(label=_("Colours"), widget=forms.RadioSelect,
                               choices=DisplayPreferences.CHOICES["scheme"])
    images = forms.ChoiceField(label=_("Images"), widget=forms.RadioSelect,
                               choices=DisplayPreferences.CHOICES["images"])
    spacing = forms.ChoiceField(label=_("Letter spacing"), widget=forms.RadioSelect,
                                choices=DisplayPreferences.CHOICES["spacing"])

    def preferences(self) -> DisplayPreferences:
        return DisplayPreferences.from_mapping(self.cleaned_data)


class OrganisationFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[("", _("All kinds")), *Organisation.Kind.choices])
    region = forms.ModelChoiceField(label=_("Region"), required=False,
                                    queryset=Region.objects.all(), to_field_name="kato",
                                    empty_label=_("All regions"))


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("Who (username)"), required=False, max_length=150)
    action = forms.ChoiceField(label=_("Action"), required=False,
                               choices=[("", _("All actions")), *AuditEvent.Action.choices])
    model = forms.CharField(label=_("Record type"), required=False, max_length=100,
                            help_text=_("For example core.organisation"))
    date_from = forms.DateField(label=_("From"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data


def add_errors(form: forms.BaseForm, error: ValidationError, *,
               default_field: str | None = None) -> None:
    """Put a service's ValidationError on the form: each message on its field when the
    form has it, the rest on `default_field` (None: the form as a whole)."""
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else default_field, messages_)
    else:
        form.add_error(default_field, error)
