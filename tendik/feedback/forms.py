from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tendik.core.once import SentOnce
from tendik.feedback.models import AccessibilityReport


class ReportForm(SentOnce):
    kind = forms.ChoiceField(
        label=_("What would you like to tell us?"), widget=forms.RadioSelect,
        choices=AccessibilityReport.Kind.choices,
        error_messages={"required": _("Choose whether you met a barrier or need content "
                                      "in another format.")})
    page = forms.CharField(
        label=_("Address of the page"), required=False, max_length=500,
        help_text=_("Filled in with the page you came from; change it or leave it empty."),
        error_messages={"max_length": _("The address can be at most 500 characters long.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    description = forms.CharField(
        label=_("What happened, or what you need"), max_length=4000,
        help_text=_("For example: which button you could not reach, what your screen reader "
                    "said, which document you need."),
        error_messages={"required": _("Describe the problem or the content you need."),
                        "max_length": _("Write at most 4,000 characters.")},
        widget=forms.Textarea(attrs={"rows": 6}))
    wanted_format = forms.ChoiceField(
        label=_("Format you need"), required=False, widget=forms.RadioSelect,
        choices=AccessibilityReport.Format.choices,
        help_text=_("Only if you need content in another format."))
    name = forms.CharField(
        label=_("Your name"), required=False, max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"max_length": _("Write at most 200 characters.")})
    email = forms.EmailField(
        label=_("E-mail for the answer"), required=False,
        help_text=_("We send the answer here. Without an e-mail address we cannot answer "
                    "you, but we still read your report."),
        error_messages={"invalid": _("Enter an e-mail address like name@example.kz.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}))
    phone = forms.RegexField(
        label=_("Telephone"), required=False, regex=r"^\+?[\d\s()-]{10,20}$",
        help_text=_("If you would rather we called you, for example +7 701 123 45 67."),
        error_messages={"invalid": _("Enter a telephone number like +7 701 123 45 67.")},
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel",
                                      "type": "tel"}))

    def clean_page(self) -> str:
        page = str(self.cleaned_data["page"]).strip()
        if not page:
            return ""
        parts = urlsplit(page)
        site = urlsplit(settings.SITE_URL)
        if parts.scheme or parts.netloc:
            if (parts.scheme, parts.netloc) != (site.scheme, site.netloc):
                raise ValidationError(_("Give the address of a page on this site, or leave "
                                        "the field empty."))
        elif not page.startswith("/"):
            raise ValidationError(_("Give the address of a page on this site, or leave "
                                    "the field empty."))
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        return path

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == AccessibilityReport.Kind.FORMAT and not data.get("wanted_format"):
            self.add_error("wanted_format", _("Choose the format you need."))
        if data.get("kind") == AccessibilityReport.Kind.BARRIER:
            data["wanted_format"] = ""
        return data


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"), max_length=8000,
        help_text=_("Sent by e-mail in the language of the report."),
        error_messages={"required": _("Write the answer.")},
        widget=forms.Textarea(attrs={"rows": 8}))
