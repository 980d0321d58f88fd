from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tendik.core.forms import DateField, DecimalField
from tendik.core.models import Organisation, Region
from tendik.plan.models import (
    ALL_AKIMATS,
    NOT_ASSESSED,
    Direction,
    ExecutorReport,
    LegalAct,
    Measure,
    Plan,
)


class MeasureFilterForm(forms.Form):
    direction = forms.TypedChoiceField(label=_("Direction"), required=False, coerce=int,
                                       empty_value=None)
    executor = forms.ChoiceField(label=_("Executor"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int,
                                  empty_value=None)
    status = forms.ChoiceField(label=_("Status in the year"), required=False, choices=[
        ("", _("Any status")), *ExecutorReport.Status.choices,
        (NOT_ASSESSED, _("not assessed yet"))])
    region = forms.ModelChoiceField(label=_("Region"), required=False,
                                    queryset=Region.objects.all(), to_field_name="kato",
                                    empty_label=_("All regions"))

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("status") and not data.get("year"):
            self.add_error("year", _("Choose the year whose status you want to see."))
        return data

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


class ReportForm(forms.ModelForm):
    """The executor's report; one field per yearly target of the measure."""

    class Meta:
        model = ExecutorReport
        fields = ["status", "narrative_ru", "narrative_kk", "spending", "act_kind",
                  "act_number", "act_date"]
        field_classes = {"act_date": DateField, "spending": DecimalField}
        widgets = {
            "status": forms.RadioSelect,
            "narrative_ru": forms.Textarea(attrs={"rows": 8, "lang": "ru"}),
            "narrative_kk": forms.Textarea(attrs={"rows": 8, "lang": "kk"}),
            "spending": forms.NumberInput(attrs={"step": "0.1", "min": "0"}),
        }
        help_texts = {
            "narrative_ru": _("What was done in the year, with figures. Write in Russian, "
                              "Kazakh or both."),
            "spending": _("Leave empty when the measure needs no funding."),
            "act_number": _("Required when the form of completion is an order, a decree or "
                            "a law and the measure is completed."),
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["status"].choices = ExecutorReport.Status.choices  # type: ignore[attr-defined]
        self.fields["status"].required = False
        report: ExecutorReport = self.instance
        for year, target in sorted((report.measure.targets or {}).items()):
            name = f"target_{year}"
            self.fields[name] = DecimalField(
                label=_("Value reached in %(year)s (target %(value)s %(unit)s)") % {
                    "year": year, "value": target["value"], "unit": target.get("unit", "")},
                required=False, max_digits=12, decimal_places=2)
            reached = (report.target_values or {}).get(year)
            if reached is not None:
                self.initial[name] = reached

    def report_values(self) -> dict[str, object]:
        values: dict[str, object] = {name: self.cleaned_data[name] for name in self.Meta.fields}
        values["target_values"] = {
            name.removeprefix("target_"): float(value)
            for name, value in self.cleaned_data.items()
            if name.startswith("target_") and value is not None
        }
        return values


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Attach a file"),
        help_text=_("PDF, DOCX, XLSX or an image (PNG, JPEG, WEBP), at most 20 MB."))


class ReviewForm(forms.Form):
    ACTIONS = [("start_review", _("Take for review")), ("return", _("Return for changes")),
               ("accept", _("Accept"))]
    action = forms.ChoiceField(label=_("Decision"), choices=ACTIONS, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Comment to the executor"), required=False,
                              widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("Required when you return the report."))

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("action") == "return" and not str(data.get("comment", "")).strip():
            self.add_error("comment", _("Say what the executor must change."))
        return data


class OpenCycleForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Reporting year"), coerce=int)

    def __init__(self, *args: object, plan: Plan, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        opened = set(plan.cycles.values_list("year", flat=True))
        self.fields["year"].choices = [(y, str(y)) for y in plan.years  # type: ignore[attr-defined]
                                       if y not in opened]


class AssessmentForm(forms.Form):
    status = forms.ChoiceField(label=_("Status of the measure"), widget=forms.RadioSelect,
                               choices=ExecutorReport.Status.choices)
    text_ru = forms.CharField(label=_("Information on execution (Russian)"),
                              widget=forms.Textarea(attrs={"rows": 10, "lang": "ru"}))
    text_kk = forms.CharField(label=_("Information on execution (Kazakh)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 10, "lang": "kk"}),
                              help_text=_("The Kazakh version of the consolidated report "
                                          "uses it; where it is empty, the Russian text is "
                                          "used."))


class GenerateForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), widget=forms.RadioSelect,
                               choices=[("docx", "DOCX"), ("pdf", _("PDF (tagged)")),
                                        ("xlsx", _("XLSX (all data)"))])
    language = forms.ChoiceField(label=_("Language"), widget=forms.RadioSelect,
                                 choices=[("ru", _("Russian")), ("kk", _("Kazakh"))])


class PlanImportForm(forms.Form):
    file = forms.FileField(label=_("Plan file"),
                           help_text=_("XLSX with the sheets «measures» and «plan», or CSV with "
                                       "the measures (then fill in the plan below). At most "
                                       "5 MB."))
    code = forms.SlugField(label=_("Code of the plan"), required=False, max_length=50,
                           help_text=_("Latin letters, digits and hyphens, e.g. np-2026."))
    title_ru = forms.CharField(label=_("Title (Russian)"), required=False, max_length=500)
    title_kk = forms.CharField(label=_("Title (Kazakh)"), required=False, max_length=500)
    title_en = forms.CharField(label=_("Title (English)"), required=False, max_length=500)
    start_year = forms.CharField(label=_("First year"), required=False, max_length=4)
    end_year = forms.CharField(label=_("Last year"), required=False, max_length=4)
    approved_by_kind = forms.ChoiceField(label=_("Approved by (kind of act)"), required=False,
                                         choices=[("", "—"), *LegalAct.Kind.choices])
    approved_by_number = forms.CharField(label=_("Number of the act"), required=False,
                                         max_length=50)
    approved_by_date = DateField(label=_("Date of the act"), required=False)

    def clean_approved_by_date(self) -> str:
        """As the plan's file gives it: dd.mm.yyyy, read by the import with the rest."""
        day = self.cleaned_data["approved_by_date"]
        return day.strftime("%d.%m.%Y") if day else ""


class MeasureEditForm(forms.ModelForm):
    """An analyst's change of a measure, naming the act that made it."""

    amending_act = forms.ModelChoiceField(
        label=_("Amending act"), required=False, queryset=LegalAct.objects.none(),
        empty_label=_("— none (the row is being completed from the official act) —"),
        help_text=_("Every change of a measure published in the decree names the act "
                    "that made it."))
    comment = forms.CharField(label=_("Comment"), required=False, max_length=500)

    class Meta:
        model = Measure
        fields = ["title_ru", "title_kk", "title_en", "direction", "completion_form_kind",
                  "completion_form_text", "executors", "includes_akimats", "deadline_kind",
                  "start_year", "end_year", "deadline_text", "cost_kind", "cost_text",
                  "funding_code", "funding_name"]
        widgets = {"title_ru": forms.Textarea(attrs={"rows": 3, "lang": "ru"}),
                   "title_kk": forms.Textarea(attrs={"rows": 3, "lang": "kk"}),
                   "title_en": forms.Textarea(attrs={"rows": 3, "lang": "en"}),
                   "executors": forms.CheckboxSelectMultiple}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        measure: Measure = self.instance
        self.fields["direction"].queryset = measure.plan.directions.all()  # type: ignore[attr-defined]
        self.fields["executors"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            kind__in=[Organisation.Kind.MINISTRY, Organisation.Kind.COMMISSION])
        self.fields["amending_act"].queryset = LegalAct.objects.filter(  # type: ignore[attr-defined]
            plan_amendments__plan=measure.plan).order_by("-date")

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if self.instance.in_source and not data.get("amending_act"):
            self.add_error("amending_act", _("Name the act that changes this measure."))
        return data
