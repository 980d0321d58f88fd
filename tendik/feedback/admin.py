from django.contrib import admin

from tendik.core.admin import PersonalDataAdmin
from tendik.feedback.models import AccessibilityReport


# A report carries its sender's name, e-mail and telephone.
@admin.register(AccessibilityReport)
class AccessibilityReportAdmin(PersonalDataAdmin):
    list_display = ("__str__", "kind", "filed_at", "answer_due", "state")
    list_filter = ("state", "kind", "language")
    search_fields = ("description", "page")
    date_hierarchy = "filed_at"
    readonly_fields = ("filed_by", "filed_at", "answer_due", "answered_by", "answered_at")
    personal_purpose = "accessibility report"
