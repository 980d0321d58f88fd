from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "tendik.access"
    label = "access"
    verbose_name = _("Accessible environment map")

    def ready(self) -> None:
        from tendik.access import signals  # noqa: F401 - connects the receivers
