from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "tendik.api"
    label = "api"
    verbose_name = "API"
