from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from tendik.core.forms import DateField, DecimalField
from tendik.core.models import Organisation, Region
from tendik.people.iin import parse_iin
from tendik.people.models import Person
from tendik.workforce.models import (
    Assignment,
    Category,
    Language,
    Qualification,
    Service,
    SocialWorker,
    Volunteer,
    VolunteerLink,
)


class SearchForm(forms.Form):
    region = forms.ModelChoiceField(label=_("Region"), required=False,
                                    queryset=Region.objects.all(), to_field_name="kato",
                                    empty_label=_("All regions"))
    service = forms.ChoiceField(label=_("Service"), required=False,
                                choices=[("", _("All services")), *Service.choices])
    language = forms.ChoiceField(label=_("Language"), required=False,
                                 choices=[("", _("All languages")), *Language.choices])
    free = forms.BooleanField(label=_("Only workers with free places"), required=False)


class ChooseForm(forms.Form):
    person = forms.ModelChoiceField(label=_("For whom"), queryset=Person.objects.none(),
                                    widget=forms.RadioSelect, empty_label=None)

    def __init__(self, *args: Any, persons: models.QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["person"]
        field.queryset = persons
        field.label_from_instance = lambda p: p.full_name
        if len(persons) == 1:
            field.initial = persons[0].pk


class VisitForm(forms.Form):
    assignment = forms.ModelChoiceField(label=_("Recipient"), queryset=Assignment.objects.none(),
                                        empty_label=_("Choose the recipient"))
    date = DateField(label=_("Date of the visit"))
    minutes = forms.IntegerField(label=_("Duration, minutes"), min_value=5, max_value=720)
    services = forms.MultipleChoiceField(label=_("Services provided"), choices=Service.choices,
                                         widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args: Any, offered: list[str] | None = None,
                 assignments: models.QuerySet[Assignment] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # On an assignment's own page the recipient is known; on the caseload it is chosen.
        if assignments is None:
            del self.fields["assignment"]
        else:
            field_: Any = self.fields["assignment"]
            field_.queryset = assignments
            field_.label_from_instance = lambda a: a.person.full_name
        if offered is not None:
            field: Any = self.fields["services"]
            field.choices = [(v, label) for v, label in Service.choices if v in offered]
        self.fields["date"].initial = timezone.localdate()


class EndForm(forms.Form):
    reason = forms.CharField(label=_("Why does the service end?"), required=False,
                             max_length=300)


class RatingForm(forms.Form):
    stars = forms.TypedChoiceField(
        label=_("How do you rate the social worker?"), coerce=int, widget=forms.RadioSelect,
        choices=[(5, _("5 — excellent")), (4, _("4 — good")), (3, _("3 — acceptable")),
                 (2, _("2 — poor")), (1, _("1 — very poor"))])
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))


class CertificateForm(forms.Form):
    number = forms.CharField(label=_("Certificate number"), max_length=50)
    issued_on = DateField(label=_("Issued on"))
    expires_on = DateField(label=_("Valid until"))
    assessor = forms.CharField(label=_("Assessing organisation"), max_length=300,
                               help_text=_("The independent body that assessed the "
                                           "qualification."))


class WorkerForm(forms.Form):
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    first_name = forms.CharField(label=_("First name"), max_length=100)
    patronymic = forms.CharField(label=_("Patronymic"), max_length=100, required=False)
    employer = forms.ModelChoiceField(label=_("Employer"), queryset=Organisation.objects.none(),
                                      empty_label=_("Choose the employer"))
    qualification = forms.ChoiceField(label=_("Qualification"), choices=Qualification.choices)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    services = forms.MultipleChoiceField(label=_("Services offered"), choices=Service.choices,
                                         widget=forms.CheckboxSelectMultiple)
    languages = forms.MultipleChoiceField(label=_("Languages"), choices=Language.choices,
                                          widget=forms.CheckboxSelectMultiple)
    regions = forms.ModelMultipleChoiceField(label=_("Regions served"),
                                             queryset=Region.objects.all(),
                                             widget=forms.CheckboxSelectMultiple)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=100,
                                  help_text=_("How many recipients the worker serves at most "
                                              "at one time."))

    def __init__(self, *args: Any, employers: models.QuerySet[Organisation],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["employer"]
        field.queryset = employers
        if len(employers) == 1:
            field.initial = employers[0].pk


class VolunteerForm(forms.Form):
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    first_name = forms.CharField(label=_("First name"), max_length=100)
    patronymic = forms.CharField(label=_("Patronymic"), max_length=100, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False,
                            widget=forms.TextInput(attrs={"autocomplete": "off",
                                                          "inputmode": "tel"}))
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none(),
                                    empty_label=_("Choose the region"))
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), required=False, queryset=Organisation.objects.none(),
        empty_label=_("No organisation (an independent volunteer)"),
        help_text=_("Staff of a provider register their own organisation's volunteers: "
                    "left empty, it is yours."))
    training = forms.CharField(label=_("Training course"), max_length=300)
    trained_on = DateField(label=_("Trained on"))

    def __init__(self, *args: Any, regions: models.QuerySet[Region],
                 organisations: models.QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region_field: Any = self.fields["region"]
        region_field.queryset = regions
        if len(regions) == 1:
            region_field.initial = regions[0].pk
        organisation_field: Any = self.fields["organisation"]
        organisation_field.queryset = organisations


class LinkForm(forms.Form):
    worker = forms.ModelChoiceField(label=_("Social worker"),
                                    queryset=SocialWorker.objects.none(),
                                    empty_label=_("Choose a social worker"))
    volunteer = forms.ModelChoiceField(label=_("Volunteer"), queryset=Volunteer.objects.none(),
                                       empty_label=_("Choose a volunteer"))

    def __init__(self, *args: Any, workers: models.QuerySet[SocialWorker],
                 volunteers: models.QuerySet[Volunteer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        worker_field: Any = self.fields["worker"]
        worker_field.queryset = workers
        volunteer_field: Any = self.fields["volunteer"]
        volunteer_field.queryset = volunteers


class VolunteerHoursForm(forms.Form):
    link = forms.ModelChoiceField(label=_("Volunteer and worker"),
                                  queryset=VolunteerLink.objects.none(),
                                  empty_label=_("Choose the volunteer and the worker"))
    date = DateField(label=_("Date"))
    hours = DecimalField(label=_("Hours"), min_value=Decimal("0.5"),
                               max_value=Decimal(24), max_digits=4, decimal_places=1)
    activity = forms.CharField(label=_("What was done"), max_length=300)

    def __init__(self, *args: Any, links: models.QuerySet[VolunteerLink],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["link"]
        field.queryset = links
        field.label_from_instance = lambda link: f"{link.volunteer.full_name} — " \
                                                 f"{link.worker.full_name}"
        self.fields["date"].initial = timezone.localdate()


class AssistantForm(forms.Form):
    recipient = forms.CharField(label=_("Recipient's IIN"), min_length=12, max_length=12,
                                widget=forms.TextInput(attrs={"inputmode": "numeric",
                                                              "autocomplete": "off"}))
    assistant = forms.CharField(label=_("Family member's IIN"), min_length=12, max_length=12,
                                help_text=_("The family member who becomes the paid "
                                            "assistant; both are on one family card."),
                                widget=forms.TextInput(attrs={"inputmode": "numeric",
                                                              "autocomplete": "off"}))
    hourly_rate = DecimalField(label=_("Hourly rate, tenge"), min_value=Decimal(1),
                                     max_digits=10, decimal_places=2)
    registered_on = DateField(label=_("Registered on"))

    def __init__(self, *args: Any, persons: models.QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.persons = persons
        self.fields["registered_on"].initial = timezone.localdate()

    def _person(self, field: str) -> Person:
        iin = self.cleaned_data[field].strip()
        parse_iin(iin)
        person = self.persons.filter(iin=iin).first()
        if person is None:
            raise forms.ValidationError(_("No person with this IIN in your region's "
                                          "register."))
        return person

    def clean_recipient(self) -> Person:
        return self._person("recipient")

    def clean_assistant(self) -> Person:
        return self._person("assistant")


class HoursForm(forms.Form):
    date = DateField(label=_("Date"))
    hours = DecimalField(label=_("Hours"), min_value=Decimal("0.5"),
                               max_value=Decimal(24), max_digits=4, decimal_places=1)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()


class MonthForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2019, max_value=2100)
    month = forms.TypedChoiceField(label=_("Month"), coerce=int, choices=list(MONTHS.items()))

    @classmethod
    def for_request(cls, data: Any, default: dt.date) -> tuple[MonthForm, int, int]:
        form = cls(data if "year" in data else None,
                   initial={"year": default.year, "month": default.month})
        if form.is_bound and form.is_valid():
            return form, form.cleaned_data["year"], form.cleaned_data["month"]
        return form, default.year, default.month
