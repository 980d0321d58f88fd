from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tendik.core.forms import DecimalField
from tendik.core.models import Region
from tendik.indicators.models import Indicator, Observation, ReportedValue
from tendik.indicators.reporting import Figure, FiguresRefused


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


class FiguresForm(forms.Form):
    """The figures of a report: value, numerator, denominator and a comment for each
    indicator asked, in fields named after the indicator's code."""

    PARTS = ("value", "numerator", "denominator")

    def __init__(self, *args: Any, indicators: list[Indicator],
                 current: dict[str, ReportedValue], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        for indicator in indicators:
            saved = current.get(indicator.code)
            unit = indicator.get_unit_display()
            labels: dict[str, Any] = {"value": _("Value (%(unit)s)") % {"unit": unit},
                      "numerator": _("Numerator"), "denominator": _("Denominator")}
            for part in self.PARTS:
                self.fields[f"{indicator.code}-{part}"] = DecimalField(
                    label=labels[part], required=False, min_value=0, max_digits=16,
                    decimal_places=3, initial=getattr(saved, part, None),
                    help_text=_("Leave the value empty to have it computed from the "
                                "numerator and denominator.") if part == "value"
                    and indicator.unit != Indicator.Unit.COUNT else "")
            self.fields[f"{indicator.code}-comment"] = forms.CharField(
                label=_("Comment on the figure"), required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=saved.comment if saved else "")

    def groups(self) -> list[tuple[Indicator, list[forms.BoundField]]]:
        return [(indicator, [self[f"{indicator.code}-{part}"]
                             for part in (*self.PARTS, "comment")])
                for indicator in self.indicators]

    def figures(self) -> dict[str, Figure]:
        data = self.cleaned_data
        return {i.code: Figure(value=data.get(f"{i.code}-value"),
                               numerator=data.get(f"{i.code}-numerator"),
                               denominator=data.get(f"{i.code}-denominator"),
                               comment=data.get(f"{i.code}-comment") or "")
                for i in self.indicators}

    def add_refusal(self, refused: FiguresRefused) -> None:
        for code, fields in refused.by_indicator.items():
            for part, messages in fields.items():
                name = f"{code}-{part}" if part in (*self.PARTS, "comment") else None
                for message in messages:
                    self.add_error(name, message)
