from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tendik.core.display import DisplayPreferences
from tendik.core.models import AuditEvent, Organisation, Region


class DateParts(forms.MultiWidget):
    """GOV.UK's date input: day, month and year as three short number boxes in a fieldset,
    whatever the browser's language. A link or bookmark may still give the date as one
    value (`?date_from=2025-01-20`), which is shown in the three boxes."""

    input_type = "date-parts"  # the field template renders a fieldset for it
    template_name = "core/widgets/date_parts.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        def part(size: int) -> forms.TextInput:
            return forms.TextInput(attrs={"inputmode": "numeric", "maxlength": str(size),
                                          "size": str(size), "autocomplete": "off",
                                          "class": f"date-part date-part-{size}"})
        super().__init__({"day": part(2), "month": part(2), "year": part(4)}, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, str) and value:
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        if name in data:  # one value, as a link gives it
            return data.get(name)
        return super().value_from_datadict(data, files, name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and super().value_omitted_from_data(data, files, name)


class DateField(forms.DateField):
    """A date typed as day, month and year, with errors that say which part is wrong."""

    widget = DateParts
    input_formats = ["%Y-%m-%d", "%d.%m.%Y"]

    def to_python(self, value: Any) -> dt.date | None:
        if not isinstance(value, list | tuple):
            return super().to_python(value)
        day, month, year = (str(part or "").strip() for part in value)
        if not (day or month or year):
            return None
        label = str(self.label or "")
        missing = [name for name, part in ((_("a day"), day), (_("a month"), month),
                                           (_("a year"), year)) if not part]
        if missing:
            raise ValidationError(_("«%(label)s» must include %(parts)s.") % {
                "label": label, "parts": str(_(" and ")).join(str(name) for name in missing)},
                code="incomplete")
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise ValidationError(_("Write «%(label)s» in numbers, for example 27 3 2026.")
                                  % {"label": label}, code="invalid")
        if len(year) != 4:
            raise ValidationError(_("The year of «%(label)s» must have four digits.")
                                  % {"label": label}, code="invalid")
        try:
            return dt.date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(_("«%(label)s» must be a real date.") % {"label": label},
                                  code="invalid") from None


class LoginForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150,
                               error_messages={"required": _("Enter your username.")},
                               widget=forms.TextInput(attrs={"autocomplete": "username",
                                                             "autocapitalize": "none"}))
    password = forms.CharField(label=_("Password"), strip=False,
                               error_messages={"required": _("Enter your password.")},
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


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("What are you looking for?"), max_length=100,
        help_text=_("A word of a name or an address, or the number of a measure."),
        error_messages={"required": _("Type what you are looking for."),
                        "max_length": _("Type at most 100 characters.")},
        widget=forms.TextInput(attrs={"type": "search", "enterkeyhint": "search"}))

    def clean_q(self) -> str:
        words = " ".join(str(self.cleaned_data["q"]).split())
        if len(words) < 2 and not words.isdigit():
            raise ValidationError(_("Type at least two letters, or the number of a measure."))
        return words


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
    date_from = DateField(label=_("From"), required=False)
    date_to = DateField(label=_("To"), required=False)

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


_CHOSEN_WIDGETS = (forms.RadioSelect, forms.CheckboxSelectMultiple, forms.Select,
                   forms.CheckboxInput)


def field_errors(field: forms.BoundField) -> list[str]:
    """A field's error messages as shown to people. A form that leaves Django's bare
    required message gets one naming the field and what to do with it."""
    messages = [str(error) for error in field.errors]
    # Django's own «This field is required.», which says nothing of what to do.
    bare = str(forms.Field.default_error_messages["required"])
    if bare not in messages:
        return messages
    widget = field.field.widget
    label = str(field.label or "")
    if isinstance(widget, DateParts):
        instead = _("Enter «%(label)s»: day, month and year.") % {"label": label}
    elif isinstance(widget, forms.ClearableFileInput | forms.FileInput):
        instead = _("Choose a file for «%(label)s».") % {"label": label}
    elif isinstance(widget, _CHOSEN_WIDGETS):
        instead = _("Choose an answer for «%(label)s».") % {"label": label}
    else:
        instead = _("Fill in «%(label)s».") % {"label": label}
    return [instead if message == bare else message for message in messages]



class DecimalField(forms.DecimalField):
    """A decimal number as people in Kazakhstan type it: «2,5» or «2.5», with spaces
    between thousands («15 000»)."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
            if value.count(",") == 1 and "." not in value:
                value = value.replace(",", ".")
        return super().to_python(value)
