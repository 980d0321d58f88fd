"""Demonstration data of the plan: the 2024 reporting with a realistic mix of reports.

Loaded by `manage.py load_demo` after the demo accounts; never on a production database.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from tendik.core.models import Organisation, Role, User
from tendik.plan import reporting
from tendik.plan.models import ExecutorReport, Plan, ReportingCycle, ReportTransition
from tendik.plan.services import NATIONAL_PLAN_CODE

DEMO_YEAR = 2024
State = ExecutorReport.State

NARRATIVE_RU = {
    "completed": "Мероприятие исполнено в полном объёме. {detail} Информация направлена в "
                 "МТСЗН.",
    "partially_completed": "Мероприятие исполнено частично. {detail} Работа будет "
                           "продолжена в следующем году.",
    "in_progress": "Работа по мероприятию ведётся. {detail}",
}
NARRATIVE_KK = {
    "completed": "Іс-шара толық көлемде орындалды. Ақпарат ЕХӘҚМ-ге жіберілді.",
    "partially_completed": "Іс-шара ішінара орындалды. Жұмыс келесі жылы жалғасады.",
    "in_progress": "Іс-шара бойынша жұмыс жүргізілуде.",
}
DETAILS = [
    "Проведено 12 совещаний с участием общественных объединений лиц с инвалидностью.",
    "Охвачено 1 240 человек, в том числе 310 детей с инвалидностью.",
    "Подготовлены предложения, согласованные с заинтересованными госорганами.",
    "Проведён мониторинг в 17 районах; выявленные нарушения устраняются.",
    "Обучено 86 специалистов, выданы сертификаты.",
]
RETURN_COMMENTS = [
    "Укажите количественные показатели за 2024 год и приложите подтверждающие документы.",
    "Информация не соответствует форме завершения: приложите приказ с реквизитами.",
    "Уточните, какие регионы охвачены, и разделите данные по районам.",
]


def aware(day: dt.date, hour: int = 11) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def fill(report: ExecutorReport, author: User | None, status: str, seed: int) -> None:
    if author is None:
        return
    detail = DETAILS[seed % len(DETAILS)]
    values: dict[str, Any] = {
        "status": status, "narrative_ru": NARRATIVE_RU[status].format(detail=detail),
        "narrative_kk": NARRATIVE_KK[status] if seed % 2 else ""}
    if report.requires_act() and status == "completed":
        values.update(act_kind="order", act_number=f"{100 + seed}",
                      act_date=dt.date(DEMO_YEAR, 3 + seed % 9, 1 + seed % 27))
    if report.measure.cost_kind == "within_allocated_funds":
        values["spending"] = Decimal(1500 + 250 * (seed % 13))
    target = (report.measure.targets or {}).get(str(DEMO_YEAR))
    if target:
        values["target_values"] = {str(DEMO_YEAR): float(target["value"]) - seed % 3}
    reporting.save_report(report, values, by=author)


def backdate(report: ExecutorReport, submitted: dt.date) -> None:
    """Put the demo's events on the dates they would have happened on."""
    moments: dict[str, dt.datetime] = {
        State.SUBMITTED: aware(submitted), State.UNDER_REVIEW: aware(submitted, 15),
        State.RETURNED: aware(submitted + dt.timedelta(days=3)),
        State.ACCEPTED: aware(submitted + dt.timedelta(days=9))}
    for transition in ReportTransition.objects.filter(report=report):
        ReportTransition.objects.filter(pk=transition.pk).update(
            at=moments.get(transition.to_state, aware(submitted)))
    ExecutorReport.objects.filter(pk=report.pk).update(
        submitted_at=aware(submitted),
        accepted_at=moments[State.ACCEPTED] if report.state == State.ACCEPTED else None)


def reporting_officers(cycle: ReportingCycle) -> dict[int, User]:
    """One person who reports for each executor: the published demo accounts where they
    exist, otherwise an account that cannot sign in (it has no usable password)."""
    officers = {u.organisation_id: u for u in User.objects.filter(
        username__startswith="demo.", organisation__isnull=False,
        role__in=reporting.EXECUTOR_ROLES)}
    organisations = Organisation.objects.filter(plan_reports__cycle=cycle).distinct()
    for organisation in organisations:
        if organisation.pk in officers:
            continue
        role = (Role.AKIMAT_OFFICIAL if organisation.kind == Organisation.Kind.AKIMAT
                else Role.AGENCY_EXECUTOR)
        user = User(username=f"demo.officer.{organisation.pk}", role=role,
                    organisation=organisation, first_name="Ответственный исполнитель",
                    last_name=organisation.abbreviation_ru or organisation.code,
                    email=f"officer.{organisation.pk}@demo.tendik.local")
        user.set_unusable_password()
        user.save()
        officers[organisation.pk] = user
    return officers


@transaction.atomic
def load_demo() -> str:
    plan = Plan.objects.filter(code=NATIONAL_PLAN_CODE).first()
    analyst = User.objects.filter(username="demo.analyst").first()
    if plan is None or analyst is None:
        return "plan demo skipped: load_plan and the demo accounts come first"
    if ReportingCycle.objects.filter(plan=plan, year=DEMO_YEAR).exists():
        return f"plan demo: the {DEMO_YEAR} reporting is already there"
    cycle = reporting.open_cycle(plan, DEMO_YEAR, by=analyst)
    ReportingCycle.objects.filter(pk=cycle.pk).update(
        opened_at=aware(dt.date(DEMO_YEAR, 12, 2)))
    authors = reporting_officers(cycle)
    deadline = cycle.executor_deadline
    counts: dict[str, int] = {}
    reports = cycle.reports.select_related("measure", "organisation", "cycle").order_by(
        "measure__number", "organisation__code")
    for seed, report in enumerate(reports):
        author = authors.get(report.organisation_id)
        scenario = ("draft" if author is None else
                    ["accepted", "accepted", "accepted", "submitted", "late", "returned",
                     "under_review", "accepted", "draft", "late"][seed % 10])
        status = ["completed", "completed", "partially_completed", "in_progress"][seed % 4]
        if scenario == "draft":
            if author is not None and seed % 2:
                reporting.save_report(report, {"narrative_ru": "Черновик: сбор данных."},
                                      by=author)
        else:
            fill(report, author, status, seed)
            report = reporting.submit_report(report, by=author)  # type: ignore[arg-type]
            if scenario in {"under_review", "returned", "accepted"}:
                report = reporting.start_review(report, by=analyst)
            if scenario == "returned":
                report = reporting.return_report(
                    report, RETURN_COMMENTS[seed % len(RETURN_COMMENTS)], by=analyst)
            if scenario == "accepted":
                report = reporting.accept_report(report, by=analyst)
            day = (deadline + dt.timedelta(days=4 + seed % 10) if scenario == "late"
                   else deadline - dt.timedelta(days=1 + seed % 15))
            backdate(report, day)
        counts[scenario] = counts.get(scenario, 0) + 1
    assessed = assess_accepted(cycle, analyst)
    summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    return (f"plan demo: the {DEMO_YEAR} reporting with {sum(counts.values())} reports "
            f"({summary}); {assessed} measures assessed")


def assess_accepted(cycle: ReportingCycle, analyst: User) -> int:
    """The МТСЗН's assessment of every measure whose reports are all in: a demo of the
    consolidated report half written."""
    from tendik.plan import consolidation

    assessed = 0
    for line in consolidation.measure_lines(cycle):
        if line.suggested_status and len(line.counted) * 2 >= len(line.reports):
            consolidation.assess_measure(
                cycle, line.measure, status=line.suggested_status,
                text_ru=line.information("ru")[:4000] or "Исполнено.",
                text_kk=line.information("kk")[:4000], by=analyst)
            assessed += 1
    return assessed
