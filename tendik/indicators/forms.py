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
