from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "tendik.feedback"
    verbose_name = _("Accessibility of the platform")
    default_auto_field = "django.db.models.BigAutoField"
