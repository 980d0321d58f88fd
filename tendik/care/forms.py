from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from tendik.care.models import CareForm, Provider, SpendingCategory
from tendik.core.forms import DateField, DecimalField
from tendik.core.models import Region
from tendik.people.iin import parse_iin
from tendik.people.models import Person

MONTH_CHOICES = list(MONTHS.items())


class MonthForm(forms.Form):
    """Which month a page shows: a year and a month number."""

    year = forms.IntegerField(label=_("Year"), min_value=2019, max_value=2100)
    month = forms.TypedChoiceField(label=_("Month"), coerce=int, choices=MONTH_CHOICES)

    @classmethod
    def for_request(cls, data: Any, default: dt.date) -> tuple[MonthForm, int, int]:
        form = cls(data if "year" in data else None,
                   initial={"year": default.year, "month": default.month})
        if form.is_bound and form.is_valid():
            return form, form.cleaned_data["year"], form.cleaned_data["month"]
        return form, default.year, default.month


class YearRegionForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2019, max_value=2100)
    region = forms.ModelChoiceField(label=_("Region"), required=False,
                                    queryset=Region.objects.all(), to_field_name="kato",
                                    empty_label=_("All regions"))


class PlacementForm(forms.Form):
    iin = forms.CharField(label=_("Recipient's IIN"), min_length=12, max_length=12,
                          help_text=_("12 digits. The recipient must be in the register of "
                                      "your region."),
                          widget=forms.TextInput(attrs={"inputmode": "numeric",
                                                        "autocomplete": "off"}))
    provider = forms.ModelChoiceField(label=_("Provider"), queryset=Provider.objects.none())
    form = forms.ChoiceField(label=_("Form of care"), choices=CareForm.choices)
    start = DateField(label=_("From"))
    end = DateField(label=_("Until"), required=False,
                      help_text=_("Leave empty: until further notice."))
    basis = forms.CharField(label=_("Decision number"), max_length=100,
                            help_text=_("The akimat's decision to provide the services."))

    def __init__(self, *args: Any, persons: models.QuerySet[Person],
                 providers: models.QuerySet[Provider], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.persons = persons
        provider_field: Any = self.fields["provider"]
        provider_field.queryset = providers

    def clean_iin(self) -> Person:
        iin = self.cleaned_data["iin"].strip()
        parse_iin(iin)  # a mistyped number is named as such, not as "not registered"
        person = self.persons.filter(iin=iin).first()
        if person is None:
            raise forms.ValidationError(_("No recipient with this IIN in your region's "
                                          "register."))
        return person


class EndPlacementForm(forms.Form):
    end = DateField(label=_("Last day of services"))
    reason = forms.CharField(
        label=_("Why the services end"), max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: the recipient moved to another provider, asked to stop, "
                    "or the term of the decision ended. The recipient's file keeps it."),
        error_messages={"required": _("Say why the services end: the recipient's file "
                                      "keeps it.")})


class RateForm(forms.Form):
    form = forms.ChoiceField(label=_("Form of care"), choices=CareForm.choices)
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=2019, max_value=2100)
    amount = DecimalField(label=_("Per person per month, tenge"), min_value=Decimal(0),
                                max_digits=12, decimal_places=2)
    legal_act = forms.CharField(label=_("Legal act"), max_length=300,
                                help_text=_("The order or decision that sets the rate."))

    def __init__(self, *args: Any, regions: models.QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region_field: Any = self.fields["region"]
        region_field.queryset = regions
        if regions.count() == 1:
            self.fields["region"].initial = regions.first()
        self.fields["year"].initial = timezone.localdate().year


class SpendingForm(forms.Form):
    """One month's spending, one field per category."""

    year = forms.IntegerField(label=_("Year"), min_value=2019, max_value=2100)
    month = forms.TypedChoiceField(label=_("Month"), coerce=int, choices=MONTH_CHOICES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value, label in SpendingCategory.choices:
            self.fields[value] = DecimalField(
                label=_("%(category)s, tenge") % {"category": str(label).capitalize()},
                required=False, min_value=Decimal(0), max_digits=14, decimal_places=2)

    def amounts(self) -> dict[str, Decimal]:
        return {value: self.cleaned_data[value] for value in SpendingCategory.values
                if self.cleaned_data.get(value) is not None}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(value) is not None for value in SpendingCategory.values):
            raise forms.ValidationError(_("Give the amount of at least one category."))
        return data
