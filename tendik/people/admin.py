from typing import Any

from django.contrib import admin

from tendik.core.admin import PersonalDataAdmin
from tendik.people.models import (
    Consent,
    DisabilityRecord,
    Family,
    FamilyMember,
    Person,
    Representative,
)


class DisabilityInline(admin.TabularInline):
    model = DisabilityRecord
    extra = 0


class RepresentativeInline(admin.TabularInline):
    model = Representative
    extra = 0
    autocomplete_fields = ["account"]


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0


@admin.register(Person)
class PersonAdmin(PersonalDataAdmin):
    list_display = ["last_name", "first_name", "masked_iin", "birth_date", "region"]
    list_filter = ["region", "sex", "language"]
    # An IIN is searched whole; names by their start.
    search_fields = ["=iin", "^last_name"]
    autocomplete_fields = ["account"]
    inlines = [DisabilityInline, RepresentativeInline, ConsentInline]
    personal_purpose = "back office person"


class FamilyMemberInline(admin.TabularInline):
    model = FamilyMember
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Family)
class FamilyAdmin(PersonalDataAdmin):
    inlines = [FamilyMemberInline]
    personal_purpose = "back office family"

    def personal_model(self) -> Any:
        return Person

    def personal_ids(self, obj: Any) -> list[Any]:
        return list(obj.members.values_list("person_id", flat=True))
