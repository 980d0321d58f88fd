from typing import Any

from django.contrib import admin

from tendik.care.models import (
    BillLine,
    Capacity,
    MonthlyBill,
    Placement,
    Provider,
    Rate,
    Spending,
)
from tendik.core.admin import PersonalDataAdmin
from tendik.people.models import Person


class CapacityInline(admin.TabularInline):
    model = Capacity
    extra = 0


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ["organisation", "ownership", "licence_number", "is_active"]
    list_filter = ["ownership", "is_active", "organisation__region"]
    search_fields = ["organisation__name_ru", "organisation__code", "licence_number"]
    inlines = [CapacityInline]


@admin.register(Placement)
class PlacementAdmin(PersonalDataAdmin):
    list_display = ["pk", "provider", "form", "region", "start", "end"]
    list_filter = ["form", "region"]
    # The person is chosen by id, never from a list of every recipient's name.
    raw_id_fields = ["person"]
    search_fields = ["basis", "person__iin"]
    # The page names the person next to the id; the list found by an ИИН says who
    # is placed where.
    personal_purpose = "back office placement"

    def personal_model(self) -> Any:
        return Person

    def personal_ids(self, obj: Any) -> list[Any]:
        return [obj.person_id]


@admin.register(Rate)
class RateAdmin(admin.ModelAdmin):
    list_display = ["year", "region", "form", "amount", "legal_act"]
    list_filter = ["year", "form", "region"]


class BillLineInline(admin.TabularInline):
    model = BillLine
    extra = 0
    raw_id_fields = ["placement"]
    readonly_fields = ["placement", "days_served", "days_in_month", "rate", "amount"]


@admin.register(MonthlyBill)
class MonthlyBillAdmin(PersonalDataAdmin):
    list_display = ["provider", "year", "month", "state", "total", "approved_at"]
    list_filter = ["state", "year", "month"]
    readonly_fields = ["total", "computed_at", "approved_at", "approved_by"]
    inlines = [BillLineInline]
    # A bill's lines are its provider's residents that month.
    personal_list = False
    personal_purpose = "back office care bill"

    def personal_model(self) -> Any:
        return Person

    def personal_ids(self, obj: Any) -> list[Any]:
        return sorted(set(obj.lines.values_list("placement__person_id", flat=True)))


@admin.register(Spending)
class SpendingAdmin(admin.ModelAdmin):
    list_display = ["provider", "year", "month", "category", "amount"]
    list_filter = ["year", "category"]
