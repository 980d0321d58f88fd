"""Indicator figures in the yearly reporting cycle.

An executor's report on a measure carries the figures of the measure's indicators: an
akimat gives its region's, a ministry the country's. A computed indicator is never typed
in: the executor gives the two series it is made of. The figures follow the report through
submission and review, and become observations when the МТСЗН accepts it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tendik.core.models import Organisation, Region
from tendik.indicators.models import Indicator, Observation, ReportedValue
from tendik.indicators.services import refresh_computed
from tendik.plan.models import ExecutorReport
from tendik.plan.reporting import Author, authored, may_write_for


def asked_in(report: ExecutorReport) -> list[Indicator]:
    """The indicators whose figures the report gives, in the order of the measure's."""
    codes: list[str] = []
    for indicator in report.measure.indicators.order_by("code"):
        if indicator.is_computed:
            codes += [indicator.numerator_code, indicator.denominator_code]
        else:
            codes.append(indicator.code)
    by_code = Indicator.objects.in_bulk(codes, field_name="code")
    return [by_code[code] for code in dict.fromkeys(codes) if code in by_code]


def region_of(report: ExecutorReport) -> Region | None:
    """Where the report's figures are about: an akimat's region, else the whole country."""
    organisation = report.organisation
    return organisation.region if organisation.kind == Organisation.Kind.AKIMAT else None


@dataclass(frozen=True)
class Figure:
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    comment: str = ""

    @property
    def is_blank(self) -> bool:
        return self.value is None and self.numerator is None and self.denominator is None \
            and not self.comment.strip()


class FiguresRefused(ValidationError):
    """Some figures are wrong; `by_indicator` maps an indicator's code to its field errors.
    Nothing was saved."""

    def __init__(self, by_indicator: dict[str, dict[str, list[str]]]) -> None:
        super().__init__(_("Some figures need correcting; nothing was saved."))
        self.by_indicator = by_indicator


def _value_from(indicator: Indicator, figure: Figure) -> tuple[Decimal | None, str | None]:
    """The value to keep, and an error when it disagrees with its numerator/denominator."""
    if figure.numerator is None or figure.denominator is None or figure.denominator == 0:
        return figure.value, None
    ratio = (figure.numerator / figure.denominator * indicator.scale).quantize(Decimal("0.001"))
    if figure.value is None:
        return ratio, None
    # A value rounded to one decimal, as reports write shares, still agrees.
    if abs(figure.value - ratio) > Decimal("0.05") * max(1, indicator.scale // 100):
        return figure.value, _("The value does not agree with the numerator and "
                               "denominator, which give %(ratio)s.") % {"ratio": ratio}
    return figure.value, None


@transaction.atomic
def save_figures(report: ExecutorReport, figures: dict[str, Figure], *,
                 by: Author) -> list[ReportedValue]:
    """Save the figures of a draft (or returned) report; a blank figure removes the one
    saved before. All or nothing."""
    report = ExecutorReport.objects.select_for_update().select_related(
        "organisation", "measure").get(pk=report.pk)
    if not may_write_for(by, report):
        raise PermissionDenied
    if not report.is_editable:
        raise ValidationError(_("This report is %(state)s and can no longer be changed.")
                              % {"state": report.get_state_display()})
    region = region_of(report)
    existing = {rv.indicator.code: rv for rv in report.indicator_values.select_related(
        "indicator")}
    errors: dict[str, dict[str, list[str]]] = {}
    to_save: list[ReportedValue] = []
    to_delete: list[ReportedValue] = []
    for indicator in asked_in(report):
        figure = figures.get(indicator.code)
        if figure is None:
            continue
        current = existing.get(indicator.code)
        if figure.is_blank:
            if current is not None:
                to_delete.append(current)
            continue
        value, disagreement = _value_from(indicator, figure)
        if value is None:
            errors[indicator.code] = {"value": [_("Give the value, or the numerator and "
                                                  "the denominator.")]}
            continue
        reported = current or ReportedValue(report=report, indicator=indicator)
        reported.region = region
        reported.value, reported.numerator, reported.denominator = (
            value, figure.numerator, figure.denominator)
        reported.comment = figure.comment.strip()
        try:
            reported.full_clean(exclude=["report", "indicator", "observation"])
        except ValidationError as invalid:
            errors[indicator.code] = invalid.message_dict
        if disagreement:
            errors.setdefault(indicator.code, {}).setdefault("value", []).append(disagreement)
        to_save.append(reported)
    if errors:
        raise FiguresRefused(errors)
    with authored(by):
        for reported in to_delete:
            reported.delete()
        for reported in to_save:
            reported.save()
    return list(report.indicator_values.select_related("indicator"))


def publish_figures(report: ExecutorReport) -> list[Observation]:
    """Turn an accepted report's figures into final observations of its year, replacing
    what the cell held, and recompute the indicators made of them. Runs inside the
    accepting transaction, attributed to the analyst who accepted."""
    when = timezone.localdate(report.accepted_at or timezone.now()).isoformat()
    source = (f"Отчёт исполнителя {report.organisation.code} по мероприятию "
              f"{report.measure.number} за {report.cycle.year} год, принят {when}")
    published: list[Observation] = []
    reported_values = report.indicator_values.select_related("indicator", "region")
    for reported in reported_values:
        observation, _created = Observation.objects.update_or_create(
            indicator=reported.indicator, year=report.cycle.year, region=reported.region,
            disability_group="", sex="", age_band="", settlement="",
            defaults={"value": reported.value, "numerator": reported.numerator,
                      "denominator": reported.denominator, "source": source,
                      "status": Observation.Status.FINAL, "computed": False})
        reported.observation = observation
        reported.save(update_fields=["observation"])
        published.append(observation)
    refresh_computed({o.indicator.code for o in published})
    return published


def on_report_accepted(sender: Any, report: ExecutorReport, **kwargs: Any) -> None:
    publish_figures(report)
