from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tendik.core.models import Region
from tendik.indicators.models import Observation


class BreakdownForm(forms.Form):
    region = forms.ModelChoiceField(label=_("Region"), required=False,
                                    queryset=Region.objects.all(), to_field_name="kato",
                                    empty_label=_("The country only"))
    disability_group = forms.ChoiceField(label=_("Disability group"), required=False,
                                         choices=[("", _("All")), *Observation.Group.choices])
    sex = forms.ChoiceField(label=_("Sex"), required=False,
                            choices=[("", _("All")), *Observation.Sex.choices])
    settlement = forms.ChoiceField(label=_("Urban or rural"), required=False,
                                   choices=[("", _("All")), *Observation.Settlement.choices])

    def breakdown(self) -> dict[str, str]:
        data = self.cleaned_data if self.is_valid() else {}
        return {name: data.get(name) or "" for name in ("disability_group", "sex",
                                                        "settlement")}


class ObservationImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file in the Open SDG format"),
                           help_text=_("Columns: Year, GeoCode (KATO, empty for the country), "
                                       "Units, Series, breakdown columns, Value last. At most "
                                       "5 MB."))


class OverrideForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    status = forms.ChoiceField(label=_("Status"), widget=forms.RadioSelect, choices=[])
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4}),
                             help_text=_("Shown to everyone beside the status."))

    def __init__(self, *args: object, labels: dict[str, str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["status"].choices = list(labels.items())  # type: ignore[attr-defined]
