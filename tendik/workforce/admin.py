from __future__ import annotations

from typing import Any

from django.contrib import admin

from tendik.core.admin import PersonalDataAdmin
from tendik.people.models import Person
from tendik.workforce.models import (
    Assignment,
    AssistantHours,
    AssistantPayment,
    Certificate,
    FamilyAssistant,
    SocialWorker,
    Visit,
    Volunteer,
    VolunteerHours,
    VolunteerLink,
    WorkerRating,
)


class CertificateInline(admin.TabularInline):
    model = Certificate
    extra = 0
    fields = ["number", "issued_on", "expires_on", "assessor"]


@admin.register(SocialWorker)
class SocialWorkerAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "employer", "qualification", "category",
                    "capacity", "active"]
    list_filter = ["active", "qualification", "category", "regions"]
    search_fields = ["last_name", "first_name", "employer__code", "employer__name_ru"]
    autocomplete_fields = ["employer", "account"]
    filter_horizontal = ["regions"]
    inlines = [CertificateInline]


class RecipientDataAdmin(PersonalDataAdmin):
    """Rows that name a recipient: each view of them is logged against the person."""

    person_path = "person_id"

    def personal_model(self) -> Any:
        return Person

    def personal_ids(self, obj: Any) -> list[Any]:
        value: Any = obj
        for part in self.person_path.split("."):
            value = getattr(value, part)
        return [value]


@admin.register(Assignment)
class AssignmentAdmin(RecipientDataAdmin):
    list_display = ["worker", "person", "start", "end"]
    list_filter = ["worker__employer"]
    raw_id_fields = ["person", "worker", "chosen_by"]
    personal_purpose = "social work assignment"


@admin.register(Visit)
class VisitAdmin(RecipientDataAdmin):
    list_display = ["assignment", "date", "minutes", "confirmed_at"]
    raw_id_fields = ["assignment", "logged_by", "confirmed_by"]
    person_path = "assignment.person_id"
    personal_purpose = "social work visit"


@admin.register(WorkerRating)
class WorkerRatingAdmin(RecipientDataAdmin):
    list_display = ["worker", "person", "stars", "rated_at"]
    raw_id_fields = ["worker", "person", "rated_by"]
    personal_purpose = "social worker rating"


@admin.register(Volunteer)
class VolunteerAdmin(PersonalDataAdmin):
    list_display = ["last_name", "first_name", "region", "organisation", "trained_on"]
    list_filter = ["region"]
    search_fields = ["last_name", "first_name"]
    raw_id_fields = ["account", "organisation"]
    personal_purpose = "volunteer"


class VolunteerDataAdmin(PersonalDataAdmin):
    """Rows that name a volunteer (a worker's name is public, a volunteer's is not)."""

    def personal_model(self) -> Any:
        return Volunteer

    def personal_ids(self, obj: Any) -> list[Any]:
        return [obj.volunteer_id]


@admin.register(VolunteerLink)
class VolunteerLinkAdmin(VolunteerDataAdmin):
    list_display = ["worker", "volunteer", "start", "end"]
    raw_id_fields = ["worker", "volunteer"]
    personal_purpose = "volunteer link"


@admin.register(VolunteerHours)
class VolunteerHoursAdmin(VolunteerDataAdmin):
    list_display = ["volunteer", "worker", "date", "hours"]
    raw_id_fields = ["worker", "volunteer", "logged_by"]
    personal_purpose = "volunteer hours"


@admin.register(FamilyAssistant)
class FamilyAssistantAdmin(RecipientDataAdmin):
    list_display = ["recipient", "assistant", "relationship", "registered_on", "ended_on",
                    "hourly_rate"]
    raw_id_fields = ["recipient", "assistant", "registered_by"]
    person_path = "recipient_id"
    personal_purpose = "family assistant"

    def personal_ids(self, obj: Any) -> list[Any]:
        return [obj.recipient_id, obj.assistant_id]


@admin.register(AssistantHours)
class AssistantHoursAdmin(RecipientDataAdmin):
    list_display = ["assistant", "date", "hours", "confirmed_at"]
    raw_id_fields = ["assistant", "logged_by", "confirmed_by"]
    person_path = "assistant.recipient_id"
    personal_purpose = "family assistant hours"


@admin.register(AssistantPayment)
class AssistantPaymentAdmin(RecipientDataAdmin):
    list_display = ["assistant", "year", "month", "hours_paid", "amount"]
    raw_id_fields = ["assistant", "computed_by"]
    person_path = "assistant.recipient_id"
    personal_purpose = "family assistant payment"
