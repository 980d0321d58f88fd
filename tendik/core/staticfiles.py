"""The static files app as Teńdik collects them (INSTALLED_APPS names this config)."""

from django.contrib.staticfiles.apps import StaticFilesConfig


class StaticFiles(StaticFilesConfig):
    # The API's reference is the platform's own page: django-ninja's Swagger and ReDoc
    # bundles (24 MB with their source maps) are never served, so never collected.
    ignore_patterns = [*StaticFilesConfig.ignore_patterns, "ninja/*"]
