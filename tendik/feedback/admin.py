from django.contrib import admin

from tendik.feedback.models import AccessibilityReport


@admin.register(AccessibilityReport)
class AccessibilityReportAdmin(admin.ModelAdmin):
    list_display = ("__str__", "kind", "filed_at", "answer_due", "state")
    list_filter = ("state", "kind", "language")
    search_fields = ("description", "page")
    date_hierarchy = "filed_at"
    readonly_fields = ("filed_by", "filed_at", "answer_due", "answered_by", "answered_at")
