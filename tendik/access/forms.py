from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db import models
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tendik.access.assessment import Access, Category, Zone
from tendik.access.models import (
    CATEGORY_LABELS,
    ZONE_LABELS,
    AdaptationItem,
    Criterion,
    Facility,
    FacilityType,
    Level,
    Passport,
    Photo,
    ProblemReport,
    WorkType,
)
from tendik.core.forms import DateField, DecimalField
from tendik.core.models import Region
from tendik.core.once import SentOnce
from tendik.core.photo_forms import KeepsPhoto

# Statuses a person may ask for, per category or overall.
STATUS_CHOICES = [("", _("Any status")), *Level.choices]


class FacilityFilterForm(forms.Form):
    """The filters of the map and of its list: the same form, the same results."""

    q = forms.CharField(label=_("Name or address"), required=False, max_length=100)
    type = forms.ChoiceField(label=_("Type"), required=False,
                             choices=[("", _("All types")), *FacilityType.choices])
    region = forms.ModelChoiceField(label=_("Region"), required=False,
                                    queryset=Region.objects.all(), to_field_name="kato",
                                    empty_label=_("All regions"))
    category = forms.ChoiceField(
        label=_("My needs"), required=False,
        # Lazy, so that each request reads the labels in its own language.
        choices=[("", _("All categories")),
                 *[(c.value, format_lazy("{} — {}", c.letter, CATEGORY_LABELS[c]))
                   for c in Category]],
        help_text=_("Statuses are shown for this category."))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)

    def chosen_category(self) -> Category | None:
        value = self.cleaned_data.get("category") if self.is_valid() else None
        return Category(value) if value else None

    def is_filtered(self) -> bool:
        return self.is_valid() and any(self.cleaned_data.get(name) for name in
                                       ("q", "type", "region", "status", "category"))

    def apply(self, facilities: models.QuerySet[Facility]) -> models.QuerySet[Facility]:
        if not self.is_valid():
            return facilities
        data = self.cleaned_data
        if data.get("q"):
            words = data["q"].strip()
            facilities = facilities.filter(models.Q(name_ru__icontains=words)
                                           | models.Q(name_kk__icontains=words)
                                           | models.Q(address_ru__icontains=words)
                                           | models.Q(address_kk__icontains=words))
        if data.get("type"):
            facilities = facilities.filter(type=data["type"])
        if data.get("region"):
            facilities = facilities.filter(region=data["region"])
        if data.get("status"):
            facilities = facilities.filter(**status_lookup(data["status"],
                                                           self.chosen_category()))
        return facilities


def status_lookup(status: str, category: Category | None) -> dict[str, Any]:
    """A status asked for overall, or for one category (where ДП-И does not exist)."""
    if category is None:
        return {"level": status}
    field = f"access_{category.value.lower()}"
    by_level = {Level.FULL: Access.FULL, Level.SELECTIVE: Access.FULL,
                Level.PARTIAL: Access.PARTIAL, Level.CONDITIONAL: Access.CONDITIONAL,
                Level.NONE: Access.NOT_ACCESSIBLE}
    if status == Level.UNKNOWN:
        return {f"{field}__isnull": True}
    return {field: int(by_level[Level(status)])}


def plain(value: Decimal) -> Decimal:
    """0.900 as 0.9 and 8.000 as 8: what the commission typed, not the column's scale."""
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


class PassportForm(forms.Form):
    """One field per criterion: a number for measured ones, yes / no / not checked for
    the others. Empty means the criterion does not apply to this building."""

    def __init__(self, *args: Any, criteria: list[Criterion], passport: Passport,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        saved = {a.criterion_id: a for a in passport.answers.all()}
        for criterion in criteria:
            answer = saved.get(criterion.pk)
            label = f"{criterion.element}: {criterion.question}"
            hint = " · ".join(part for part in (
                criterion.norm and _("the norm: %(norm)s") % {"norm": criterion.norm},
                _("categories %(letters)s") % {"letters": criterion.category_letters()},
                criterion.clause) if part)
            if criterion.measured:
                # Localized: «0,9» in Russian and Kazakh, «0.9» in English.
                self.fields[criterion.code] = DecimalField(
                    label=label, required=False, min_value=0, max_digits=10,
                    decimal_places=3, help_text=hint, localize=True,
                    widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                    initial=plain(answer.value) if answer and answer.value is not None
                    else None)
            else:
                self.fields[criterion.code] = forms.ChoiceField(
                    label=label, required=False, widget=forms.RadioSelect, help_text=hint,
                    choices=[("yes", _("yes")), ("no", _("no")),
                             ("", _("not checked or not applicable"))],
                    initial="" if answer is None or answer.met is None
                    else ("yes" if answer.met else "no"))

    def zones(self) -> list[tuple[str, list[forms.BoundField]]]:
        grouped: dict[str, list[forms.BoundField]] = {}
        for criterion in self.criteria:
            grouped.setdefault(criterion.zone, []).append(self[criterion.code])
        return [(str(ZONE_LABELS[Zone(zone)]), fields) for zone, fields in grouped.items()]

    def answers(self) -> dict[str, Decimal | bool | None]:
        data = self.cleaned_data
        result: dict[str, Decimal | bool | None] = {}
        for criterion in self.criteria:
            value = data.get(criterion.code)
            if criterion.measured:
                result[criterion.code] = value
            else:
                result[criterion.code] = None if not value else value == "yes"
        return result


class PassportReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect, choices=[
        ("approve", _("Approve: the facility takes this status")),
        ("return", _("Return to the commission for correction"))])
    comment = forms.CharField(label=_("Comment"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("Required when returning: say what to correct."))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "return" and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Say what the commission must correct."))
        return data


RATING_CHOICES = [("", _("not rated")), *[(str(n), str(n)) for n in range(1, 6)]]


class ReviewForm(SentOnce, KeepsPhoto):
    """A rating per category the person knows, 1 (not adapted) to 5 (fully), a comment,
    and optionally one photo with its description. A photo chosen is kept when the form
    fails for another reason (tendik/core/photo_forms.py)."""

    photo_max_size = Photo.MAX_SIZE
    photo_optional = True

    comment = forms.CharField(label=_("Comment"), required=False, max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 4}))
    photo = forms.FileField(label=_("Photo"), required=False,
                            help_text=_("JPEG, PNG or WebP, at most 10 MB. Location and "
                                        "camera data are removed."))
    # Required whenever a photo comes with the review: so it is never marked optional.
    alt_text = forms.CharField(
        label=_("Description of the photo (required with a photo)"), max_length=300,
        help_text=_("What the photo shows, for people who cannot see it."),
        error_messages={"required": _("Describe the photo for those who cannot see it.")})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.is_bound and not self.has_photo():
            self.fields["alt_text"].required = False
        for category in reversed(list(Category)):
            self.fields = {f"rating_{category.value.lower()}": forms.ChoiceField(
                label=_("%(letter)s — %(label)s: how well adapted, 1 to 5") % {
                    "letter": category.letter, "label": CATEGORY_LABELS[category]},
                choices=RATING_CHOICES, required=False, widget=forms.RadioSelect,
                initial=""), **self.fields}

    def ratings(self) -> dict[Category, int]:
        return {c: int(value) for c in Category
                if (value := self.cleaned_data.get(f"rating_{c.value.lower()}"))}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.ratings() and not (data.get("comment") or "").strip() \
                and not self.has_photo():
            raise forms.ValidationError(_("Rate at least one category or write a comment."))
        return data


class ProblemForm(SentOnce):
    kind = forms.ChoiceField(label=_("What is wrong"), widget=forms.RadioSelect,
                             choices=ProblemReport.Kind.choices)
    description = forms.CharField(label=_("Details"), max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 4}),
                                  help_text=_("Where exactly, since when. The report is shown "
                                              "for 14 days or until it is resolved."))


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason for rejection"), max_length=300, required=False,
                             help_text=_("Needed to reject; the author sees it."))


IMPORT_COLUMNS = ("name_ru", "address_ru", "region", "latitude", "longitude", "type")
IMPORT_OPTIONAL_COLUMNS = ("name_kk", "address_kk", "kato", "osm_id", "surveyed_on")


def _columns(names: tuple[str, ...]) -> SafeString:
    return format_html_join(", ", "<code>{}</code>", ((name,) for name in names))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The column headings are what the file must literally hold, so they are code.
        self.fields["file"].help_text = format_html(
            gettext("A table (.xlsx or .csv) with the columns {required} (the region by its KATO "
              "code) and optionally {optional} and one column per passport criterion; or an "
              "OpenStreetMap extract (.osm or .osm.pbf). At most 50 MB."),
            required=_columns(IMPORT_COLUMNS), optional=_columns(IMPORT_OPTIONAL_COLUMNS))


class AdaptationItemForm(SentOnce):
    facility = forms.ModelChoiceField(label=_("Facility"), queryset=Facility.objects.none())
    work_type = forms.ChoiceField(label=_("Work"), choices=WorkType.choices)
    zones = forms.MultipleChoiceField(label=_("Zones"), widget=forms.CheckboxSelectMultiple,
                                      choices=[(z.value, ZONE_LABELS[z]) for z in Zone])
    description = forms.CharField(label=_("Description of the works"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    deadline = DateField(label=_("Deadline"))
    budget = DecimalField(label=_("Budget, thousand tenge"), min_value=0,
                                max_digits=14, decimal_places=1)
    responsible = forms.CharField(label=_("Responsible body"), max_length=300)
    target_level = forms.ChoiceField(label=_("Target status"), choices=[
        (level.value, level.label) for level in Level if level != Level.UNKNOWN])

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = Facility.objects.filter(  # type: ignore[attr-defined]
            region=region).order_by("name_ru")

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["zones"] = ",".join(data["zones"])
        return data


class ItemStateForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), choices=AdaptationItem.State.choices)
    done_on = DateField(label=_("Completed on"), required=False)
