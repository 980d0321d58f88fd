from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "tendik.core"
    label = "core"
    verbose_name = _("Reference data and users")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from tendik.core import checks, lookups, pagecache, signals  # noqa: F401

        post_migrate.connect(create_cache_table, sender=self)


def create_cache_table(using: str, **kwargs: Any) -> None:
    """The shared cache lives in a database table, made wherever the schema is."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)

