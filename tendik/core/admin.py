from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp import admin as otp_totp_admin
from django_otp.plugins.otp_totp.models import TOTPDevice

from tendik.core import services
from tendik.core.audit import record_access
from tendik.core.models import AccessRecord, ApiToken, AuditEvent, Organisation, Region, User


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["kato", "name_ru", "name_kk", "name_en", "kind", "centre_ru"]
    search_fields = ["kato", "name_ru", "name_kk", "name_en"]
    list_filter = ["kind"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["code", "name_ru", "kind", "region", "is_active"]
    list_filter = ["kind", "is_active", "region"]
    search_fields = ["code", "name_ru", "name_kk", "name_en", "bin"]
    autocomplete_fields = ["region"]


class PersonalDataAdmin(admin.ModelAdmin):
    """Lists and records that show personal data: each view of them is logged, naming
    the persons (or users) shown."""

    personal_purpose = "back office"
    # False where the list's columns name no person (a bill's list shows its provider;
    # only the bill's page shows whom it is for).
    personal_list = True

    def personal_ids(self, obj: Any) -> list[Any]:
        return [obj.pk]

    def personal_model(self) -> Any:
        return self.model

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None and self.personal_list:
            record_access(request.path, self.personal_model(),
                          [i for obj in changelist.result_list for i in self.personal_ids(obj)],
                          purpose=f"{self.personal_purpose} list")
        return response

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "",
                    extra_context: Any = None) -> Any:
        response = super().change_view(request, object_id, form_url, extra_context)
        self.record_shown(request, object_id, response, "record")
        return response

    # The history and the delete confirmation name the record too (and the delete page
    # every record that goes with it).
    def history_view(self, request: HttpRequest, object_id: str,
                     extra_context: Any = None) -> Any:
        response = super().history_view(request, object_id, extra_context)
        self.record_shown(request, object_id, response, "history")
        return response

    def delete_view(self, request: HttpRequest, object_id: str,
                    extra_context: Any = None) -> Any:
        response = super().delete_view(request, object_id, extra_context)
        self.record_shown(request, object_id, response, "deletion page")
        return response

    def get_search_results(self, request: HttpRequest, queryset: QuerySet[Any],
                           search_term: str) -> tuple[QuerySet[Any], bool]:
        queryset, may_have_duplicates = super().get_search_results(request, queryset,
                                                                   search_term)
        match = request.resolver_match
        if match is not None and match.url_name == "autocomplete":
            # Another record's form looks this model up by name or ИИН: the names it
            # answers with are shown as much as a list's are. The page is the one the
            # autocomplete view cuts from this same queryset.
            page_size = AutocompleteJsonView.paginate_by or 20
            try:
                page = max(int(request.GET.get("page", 1)), 1)
            except ValueError:
                page = 1
            shown = queryset.distinct() if may_have_duplicates else queryset
            record_access(request.path, self.personal_model(),
                          [i for obj in shown[(page - 1) * page_size:page * page_size]
                           for i in self.personal_ids(obj)],
                          purpose=f"{self.personal_purpose} lookup")
        return queryset, may_have_duplicates

    def record_shown(self, request: HttpRequest, object_id: str, response: Any,
                     page: str) -> None:
        if response.status_code != 200:
            return
        obj = self.get_object(request, object_id)
        if obj is not None:
            record_access(request.path, self.personal_model(), self.personal_ids(obj),
                          purpose=f"{self.personal_purpose} {page}")


@admin.register(User)
class TendikUserAdmin(PersonalDataAdmin, UserAdmin):
    list_display = ["username", "last_name", "first_name", "role", "organisation", "is_active"]
    list_filter = ["role", "is_active", "organisation__kind"]
    search_fields = ["username", "first_name", "last_name", "email", "organisation__code"]
    autocomplete_fields = ["organisation"]
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (_("Teńdik"), {"fields": ("role", "organisation", "preferred_language")}),
    )
    add_fieldsets = (
        *(UserAdmin.add_fieldsets or ()),
        (_("Teńdik"), {"fields": ("role", "organisation", "email", "first_name",
                                  "last_name")}),
    )

    personal_purpose = "back office user"

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        # Who may only view an account sees no password field: its button leads to the
        # password form, which they may not open.
        return [(name, {**options, "fields": [f for f in options["fields"] if f != "password"]})
                for name, options in fieldsets]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens act as their organisation: only its own administrator or a platform
    superuser issues and revokes them, and each shows who issued it."""

    list_display = ["name", "organisation", "key_prefix", "created_by", "created_at",
                    "last_used_at", "revoked_at"]
    list_filter = ["organisation__kind"]
    search_fields = ["name", "organisation__code", "key_prefix"]
    fields = ["organisation", "name", "key_prefix", "created_by", "created_at",
              "last_used_at", "revoked_at"]
    readonly_fields = ["key_prefix", "created_by", "created_at", "last_used_at", "revoked_at"]
    autocomplete_fields = ["organisation"]
    actions = ["revoke"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # A token never moves to another organisation: it would act as that one.
        return [*self.readonly_fields, "organisation"] if obj is not None \
            else self.readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return user.is_superuser or user.has_perm(services.ISSUE_OWN_TOKENS)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        user = request.user
        if obj is not None:
            return services.may_issue_tokens(user, obj.organisation)  # type: ignore[arg-type]
        return user.is_superuser or user.has_perm(services.ISSUE_OWN_TOKENS)

    def get_field_queryset(self, db: Any, db_field: Any, request: HttpRequest) -> Any:
        queryset = super().get_field_queryset(db, db_field, request)
        user = request.user
        if db_field.name == "organisation" and not user.is_superuser:
            own = getattr(user, "organisation_id", None)
            queryset = (queryset if queryset is not None else Organisation.objects.all()) \
                .filter(pk__in=[own] if own else [])
        return queryset

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        issued = services.issue_api_token(obj.organisation, obj.name, by=request.user)  # type: ignore[arg-type]
        obj.pk = issued.token.pk
        messages.warning(request, _("The token's key is shown only now; copy it: %(key)s")
                         % {"key": issued.raw_key})

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset.select_related("organisation"):
            services.revoke_api_token(token, by=request.user)  # type: ignore[arg-type]
        messages.success(request, _("Tokens revoked."))


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_repr", "action", "model", "object_id", "ip_address"]
    list_filter = ["action", "model"]
    search_fields = ["actor_repr", "object_repr", "object_id"]
    date_hierarchy = "at"


@admin.register(AccessRecord)
class AccessRecordAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_repr", "path", "model", "ip_address"]
    list_filter = ["model"]
    search_fields = ["actor_repr", "path"]
    date_hierarchy = "at"


# django_otp's own admin shows a device's secret, and its QR code, to whoever may view
# devices. Imported above so that it is registered before it is replaced here: this
# app's admin is loaded first.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)
del otp_totp_admin


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(PersonalDataAdmin):
    """A staff member's second factor. Its secret is shown once, on the platform's own
    enrolment page, and never here: whoever reads it can make the codes. A lost phone
    is dealt with here by switching the device off or deleting it; its owner then
    enrols again."""

    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    list_filter = ["confirmed"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__last_name"]
    # Listed one by one, so that the key is in no form, page or list.
    fields = ["user", "name", "confirmed", "created_at", "last_used_at",
              "throttling_failure_count", "throttling_failure_timestamp"]
    readonly_fields = ["user", "created_at", "last_used_at", "throttling_failure_count",
                       "throttling_failure_timestamp"]
    personal_purpose = "second factor devices"

    def personal_model(self) -> Any:
        return User

    def personal_ids(self, obj: Any) -> list[Any]:
        return [obj.user_id]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
