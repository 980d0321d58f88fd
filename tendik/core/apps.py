from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "tendik.core"
    label = "core"
    verbose_name = _("Reference data and users")

    def ready(self) -> None:
        from tendik.core import checks, lookups, signals  # noqa: F401
