from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tendik.core.admin import PersonalDataAdmin
from tendik.people.models import Person
from tendik.portal.models import (
    Accreditation,
    AidGroup,
    CatalogueItem,
    Complaint,
    Entitlement,
    Ipr,
    Offer,
    OfferPhoto,
    Order,
    PriceCap,
    Reimbursement,
)


@admin.register(AidGroup)
class AidGroupAdmin(admin.ModelAdmin):
    list_display = ["code", "name_ru", "name_kk", "name_en"]


class PriceCapInline(admin.TabularInline):
    model = PriceCap
    extra = 0


@admin.register(CatalogueItem)
class CatalogueItemAdmin(admin.ModelAdmin):
    list_display = ["code", "name_ru", "group", "unit", "replacement_months", "active"]
    list_filter = ["group", "needs_fitting", "active"]
    search_fields = ["code", "name_ru", "name_kk", "name_en"]
    inlines = [PriceCapInline]


@admin.register(Accreditation)
class AccreditationAdmin(admin.ModelAdmin):
    list_display = ["supplier", "region", "status", "valid_from", "valid_to"]
    list_filter = ["status", "region"]


class OfferPhotoInline(admin.TabularInline):
    model = OfferPhoto
    extra = 0


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ["title", "supplier", "item", "price", "active"]
    list_filter = ["active", "item__group"]
    search_fields = ["title", "item__code"]
    inlines = [OfferPhotoInline]


class EntitlementInline(admin.TabularInline):
    model = Entitlement
    extra = 0


class PersonRecords(PersonalDataAdmin):
    """Records of one person: the person is what the access log names."""

    person_path = "person"

    def personal_model(self) -> Any:
        return Person

    def personal_ids(self, obj: Any) -> list[Any]:
        target = obj
        for part in self.person_path.split("__"):
            target = getattr(target, part)
        return [target.pk]


@admin.register(Ipr)
class IprAdmin(PersonRecords):
    list_display = ["number", "version", "person", "valid_from", "valid_to"]
    search_fields = ["number"]
    autocomplete_fields = ["person"]
    inlines = [EntitlementInline]
    personal_purpose = "back office ИПР"


class ReadOnly(PersonRecords):
    """Orders and claims change only through their workflow, never by hand."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Order)
class OrderAdmin(ReadOnly):
    list_display = ["number", "person", "item", "supplier", "region", "state", "placed_at"]
    list_filter = ["state", "region"]
    personal_purpose = "back office order"


@admin.register(Reimbursement)
class ReimbursementAdmin(ReadOnly):
    list_display = ["order", "supplier", "region", "state", "approved_amount"]
    list_filter = ["state", "region"]
    person_path = "order__person"
    personal_purpose = "back office claim"


@admin.register(Complaint)
class ComplaintAdmin(ReadOnly):
    list_display = ["order", "supplier", "region", "state", "filed_at"]
    list_filter = ["state", "region"]
    person_path = "order__person"
    personal_purpose = "back office complaint"
