from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tendik.core.models import Organisation
from tendik.plan.models import ALL_AKIMATS, Direction, Plan


class MeasureFilterForm(forms.Form):
    direction = forms.TypedChoiceField(label=_("Direction"), required=False, coerce=int,
                                       empty_value=None)
    executor = forms.ChoiceField(label=_("Executor"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int,
                                  empty_value=None)

    def __init__(self, *args: object, plan: Plan, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["direction"].choices = [("", _("All directions"))] + [  # type: ignore[attr-defined]
            (d.number, str(d)) for d in Direction.objects.filter(plan=plan)]
        executors = Organisation.objects.filter(plan_measures__plan=plan).distinct()
        self.fields["executor"].choices = [  # type: ignore[attr-defined]
            ("", _("All executors")),
            *[(o.code, f"{o.abbreviation_ru or o.code} — {o.name}") for o in executors],
            (ALL_AKIMATS, _("МИО — akimats of the regions")),
        ]
        self.fields["year"].choices = [("", _("All years")), *[  # type: ignore[attr-defined]
            (y, str(y)) for y in plan.years]]
