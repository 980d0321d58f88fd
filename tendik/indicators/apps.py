from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "tendik.indicators"
    label = "indicators"
    verbose_name = _("Target indicators")

    def ready(self) -> None:
        from tendik.indicators.reporting import on_report_accepted
        from tendik.plan.models import ExecutorReport
        from tendik.plan.signals import report_accepted

        report_accepted.connect(on_report_accepted, sender=ExecutorReport,
                                dispatch_uid="indicators.publish_figures")
