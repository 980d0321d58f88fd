"""The consolidated information for the Government Office (point 3 of the decree).

The МТСЗН analyst assesses each measure starting from a status suggested by the
executors' reports; Teńdik then generates the table (№, measure, form of completion,
executors, deadline, information on execution, status) as DOCX and tagged PDF in Russian
and Kazakh, and an XLSX with all the data. Generation is a background job; every file is
kept with its version and date.
"""

from __future__ import annotations

import gc
import io
import logging
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, Prefetch
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_tasks import task

from tendik.core import exports
from tendik.core.audit import acting_as
from tendik.core.models import Organisation, User
from tendik.core.money import amount
from tendik.plan.models import (
    ALL_AKIMATS,
    ConsolidatedReport,
    ExecutorReport,
    Measure,
    MeasureAssessment,
    ReportingCycle,
)
from tendik.plan.reporting import is_analyst
from tendik.plan.sheets import DATE_TIME_FORMAT, print_on_a4

logger = logging.getLogger(__name__)
ALL_AKIMATS_LABEL = {"ru": ALL_AKIMATS, "kk": "ЖАО"}  # local executive bodies
Status = ExecutorReport.Status
COUNTED_STATES = frozenset({ExecutorReport.State.SUBMITTED, ExecutorReport.State.UNDER_REVIEW,
                            ExecutorReport.State.ACCEPTED})


def suggest_status(statuses: Iterable[str]) -> str:
    """A measure's status from its executors' answers: completed only when every executor
    completed it; not completed when nobody did anything; partial in between."""
    answers = [s for s in statuses if s]
    if not answers:
        return ""
    counts = Counter(answers)
    if counts[Status.NOT_DUE] == len(answers):
        return Status.NOT_DUE
    relevant = [a for a in answers if a != Status.NOT_DUE]
    if all(a == Status.COMPLETED for a in relevant):
        return Status.COMPLETED
    if all(a == Status.NOT_COMPLETED for a in relevant):
        return Status.NOT_COMPLETED
    if any(a in {Status.COMPLETED, Status.PARTIALLY_COMPLETED} for a in relevant):
        return Status.PARTIALLY_COMPLETED
    return Status.IN_PROGRESS


@dataclass
class MeasureLine:
    measure: Measure
    reports: list[ExecutorReport]
    assessment: MeasureAssessment | None

    def status(self) -> str:
        return self.assessment.status if self.assessment else self.suggested_status

    @property
    def counted(self) -> list[ExecutorReport]:
        return [r for r in self.reports if r.state in COUNTED_STATES]

    @property
    def accepted(self) -> list[ExecutorReport]:
        return [r for r in self.reports if r.state == ExecutorReport.State.ACCEPTED]

    @property
    def newer_reports(self) -> list[ExecutorReport]:
        """Reports accepted after the analyst's assessment: it does not yet take them in."""
        if self.assessment is None:
            return []
        return [r for r in self.accepted
                if r.accepted_at is not None and r.accepted_at > self.assessment.assessed_at]

    @property
    def suggested_status(self) -> str:
        return suggest_status(r.status for r in self.counted)

    @property
    def suggested_status_label(self) -> str:
        suggested = self.suggested_status
        return str(Status(suggested).label) if suggested else ""

    def executors_text(self, language: str = "ru") -> str:
        """The executors as the decree names them: ministries by their abbreviation, an
        akimat by its region, every akimat together as «МИО» («ЖАО» in Kazakh)."""
        names = []
        for organisation in self.measure.executors.all():
            if organisation.region is not None and not organisation.abbreviation_ru:
                names.append(getattr(organisation.region, f"name_{language}", "")
                             or organisation.region.name_ru)
            else:
                names.append(organisation.abbreviation_ru or organisation.name)
        if self.measure.includes_akimats:
            names.append(ALL_AKIMATS_LABEL.get(language, ALL_AKIMATS))
        return ", ".join(names)

    def information(self, language: str) -> str:
        """The analyst's text, or, until there is one, what the executors wrote; a report
        accepted after the assessment follows the analyst's text until it is assessed
        again, so that no accepted report is left out."""
        if self.assessment is not None:
            text = self.assessment.text_kk if language == "kk" else self.assessment.text_ru
            return "\n".join([text or self.assessment.text_ru,
                              *reports_text(self.newer_reports, language)])
        return "\n".join(reports_text(self.counted, language))


def narrative(report: ExecutorReport, language: str) -> str:
    return ((report.narrative_kk if language == "kk" else report.narrative_ru)
            or report.narrative_ru or report.narrative_kk)


def reports_text(reports: Iterable[ExecutorReport], language: str) -> list[str]:
    return [f"{executor_label(report, language)}: {text}" for report in reports
            if (text := narrative(report, language))]



def executor_label(report: ExecutorReport, language: str) -> str:
    """Ministries by their abbreviation; akimats (all «МИО») by their region."""
    organisation = report.organisation
    if organisation.region is not None:
        return getattr(organisation.region, f"name_{language}", "") or organisation.region.name_ru
    return organisation.abbreviation_ru or organisation.code


def measure_lines(cycle: ReportingCycle) -> list[MeasureLine]:
    # The 33 executors once each (prefetched), not once for every one of their reports.
    reports = (ExecutorReport.objects.filter(cycle=cycle)
               .prefetch_related("organisation__region").order_by("organisation__code"))
    by_measure: dict[int, list[ExecutorReport]] = {}
    for report in reports:
        by_measure.setdefault(report.measure_id, []).append(report)
    assessments = {a.measure_id: a for a in cycle.assessments.all()}
    measures = (cycle.plan.measures.filter(pk__in=by_measure.keys())
                .select_related("direction")
                .prefetch_related(Prefetch("executors", queryset=Organisation.objects
                                           .select_related("region").order_by("code")))
                .order_by("number"))
    return [MeasureLine(m, by_measure[m.pk], assessments.get(m.pk)) for m in measures]


@transaction.atomic
def assess_measure(cycle: ReportingCycle, measure: Measure, *, status: str, text_ru: str,
                   text_kk: str, by: User) -> MeasureAssessment:
    if not is_analyst(by):
        raise PermissionDenied
    if not text_ru.strip():
        raise ValidationError({"text_ru": _("Write the information on execution in Russian.")})
    if status not in Status.values:
        raise ValidationError({"status": _("Choose the status of the measure.")})
    with acting_as(user=by):
        assessment, _created = MeasureAssessment.objects.update_or_create(
            cycle=cycle, measure=measure,
            defaults={"status": status, "text_ru": text_ru.strip(), "text_kk": text_kk.strip(),
                      "assessed_by": by, "assessed_at": timezone.now()})
    return assessment


# --- Generation -------------------------------------------------------------------------


def request_report(cycle: ReportingCycle, fmt: str, language: str, *,
                   by: User) -> ConsolidatedReport:
    """Queue a new version of the file; the worker generates it."""
    if not is_analyst(by):
        raise PermissionDenied
    if fmt not in ConsolidatedReport.Format.values or language not in {"ru", "kk"}:
        raise ValidationError(_("Choose DOCX, PDF or XLSX, in Russian or Kazakh."))
    with transaction.atomic():
        latest = (ConsolidatedReport.objects.select_for_update()
                  .filter(cycle=cycle, format=fmt, language=language)
                  .aggregate(Max("version"))["version__max"]) or 0
        report = ConsolidatedReport.objects.create(cycle=cycle, format=fmt, language=language,
                                                   version=latest + 1, requested_by=by)
        transaction.on_commit(lambda: generate_consolidated_report.enqueue(report.pk))
    return report


def generate(report_id: int) -> ConsolidatedReport:
    """Build the file of a queued report, recording progress as it goes."""
    claimed = ConsolidatedReport.objects.filter(
        pk=report_id, status=ConsolidatedReport.Status.QUEUED
    ).update(status=ConsolidatedReport.Status.RUNNING, progress=5)
    report = ConsolidatedReport.objects.select_related("cycle__plan").get(pk=report_id)
    if not claimed:
        return report  # another worker has it, or it is finished

    def progress(percent: int) -> None:
        ConsolidatedReport.objects.filter(pk=report_id).update(progress=percent)

    try:
        builder = BUILDERS[report.format]
        with override(report.language):
            content = builder(report.cycle, report.language, progress)
        report.file.save(report.filename, ContentFile(content), save=False)
        report.status = ConsolidatedReport.Status.DONE
        report.progress = 100
    except Exception as exc:
        logger.exception("Consolidated report %s failed", report_id)
        report.status = ConsolidatedReport.Status.FAILED
        report.error = f"{type(exc).__name__}: {exc}"[:2000]
    report.finished_at = timezone.now()
    report.save()
    return report


@task()
def generate_consolidated_report(report_id: int) -> str:
    """Build one queued file of the consolidated information (run by `db_worker`)."""
    return generate(report_id).status


def document_context(cycle: ReportingCycle, language: str,
                     progress: Callable[[int], None]) -> dict[str, Any]:
    lines = measure_lines(cycle)
    progress(30)
    rows = [{
        "number": line.measure.number,
        "title": (line.measure.title_kk if language == "kk" else "") or line.measure.title_ru,
        "form": line.measure.completion_form_text,
        "executors": line.executors_text(language),
        "deadline": line.measure.deadline_text,
        "information": line.information(language),
        "status": str(Status(line.status()).label) if line.status() else "—",
    } for line in lines]
    statuses = Counter(row["status"] if row["status"] != "—" else _("not assessed yet")
                       for row in rows)
    generated_at = timezone.localtime()
    return {
        "cycle": cycle, "plan": cycle.plan, "rows": rows, "language": language,
        "plan_title": (cycle.plan.title_kk if language == "kk" else cycle.plan.title_ru),
        "status_counts": sorted(statuses.items()),
        "generated_at": generated_at,
        "generated_text": _("Generated by Teńdik on %(date)s.")
        % {"date": generated_at.strftime("%d.%m.%Y %H:%M")},
        "status_text": " ".join([_("Measures by status:"), "; ".join(
            f"{status} — {count}" for status, count in sorted(statuses.items()))]) + ".",
        "columns": [_("№"), _("Measure"), _("Form of completion"), _("Executors"),
                    _("Deadline"), _("Information on execution"), _("Status")],
        "title": _("Consolidated information on the implementation of the National Plan "
                   "for %(year)s") % {"year": cycle.year},
    }


# The consolidated table's columns, in millimetres of an A4 landscape page less 15 mm
# margins (267 mm): wide enough for the longest Kazakh header word of each.
COLUMN_WIDTHS_MM = (10, 50, 27, 33, 25, 95, 27)
A4_MM = (210, 297)


def build_docx(cycle: ReportingCycle, language: str, progress: Callable[[int], None]) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    context = document_context(cycle, language, progress)
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(A4_MM[1]), Mm(A4_MM[0])
    for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, margin, Mm(15))
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(11)
    run_properties = style.element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), f"{language}-KZ")
    run_properties.append(lang)
    document.core_properties.title = context["title"]
    document.core_properties.language = f"{language}-KZ"
    document.add_heading(context["title"], level=1)
    document.add_paragraph(context["plan_title"])
    document.add_paragraph(context["generated_text"])
    document.add_paragraph(context["status_text"])
    table = document.add_table(rows=1, cols=len(context["columns"]))
    table.style = "Table Grid"
    table.autofit = False
    for cell, label in zip(table.rows[0].cells, context["columns"], strict=True):
        cell.text = label
        for run in cell.paragraphs[0].runs:
            run.bold = True
    mark_header_row(table.rows[0])
    total = max(len(context["rows"]), 1)
    for index, row in enumerate(context["rows"]):
        cells = table.add_row().cells
        values = [str(row["number"]), row["title"], row["form"], row["executors"],
                  row["deadline"], row["information"], row["status"]]
        for cell, value in zip(cells, values, strict=True):
            cell.text = value
        if index % 10 == 0:
            progress(30 + 60 * index // total)
    widths = [Mm(width) for width in COLUMN_WIDTHS_MM]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def mark_header_row(row: Any) -> None:
    """Repeat the header on every page and tell screen readers it is a header row."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def build_pdf(cycle: ReportingCycle, language: str, progress: Callable[[int], None]) -> bytes:
    """A tagged PDF (PDF/UA-1) from an HTML template, with the platform's own fonts."""
    from weasyprint import HTML

    context = document_context(cycle, language, progress)
    context["font_dir"] = Path(finders.find("tendik/fonts/OFL.txt") or "").parent.as_uri()
    html = render_to_string("plan/consolidated_report.html", context)
    progress(60)
    remember_page_references()
    with fewer_collections():
        pdf = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
            pdf_variant="pdf/ua-1", pdf_tags=True,
            custom_metadata=True)
    progress(95)
    return bytes(pdf)


# PDF builds under way in this process, and the collector's thresholds before the first.
_pdf_lock = threading.Lock()
_pdf_builds = 0
_thresholds = gc.get_threshold()


@contextmanager
def fewer_collections() -> Iterator[None]:
    """WeasyPrint makes millions of small objects for a national-scale table, and the cycle
    collector's youngest generation walked them every 700 allocations: a tenth of the PDF's
    time. Collect every 50,000 while it builds; the thresholds come back after the last
    build running in the process."""
    global _pdf_builds, _thresholds
    with _pdf_lock:
        if _pdf_builds == 0:
            _thresholds = gc.get_threshold()
            gc.set_threshold(50_000, *_thresholds[1:])
        _pdf_builds += 1
    try:
        yield
    finally:
        with _pdf_lock:
            _pdf_builds -= 1
            if _pdf_builds == 0:
                gc.set_threshold(*_thresholds)


def remember_page_references() -> None:
    """pydyf builds the tuple of every page's reference each time it is asked for one, and
    WeasyPrint's tagging asks once for every tagged line: 13,000 lines × 173 pages at
    national scale, a tenth of the PDF's time. The tuple is kept on the document until a
    page is added (pydyf only ever appends pages)."""
    import pydyf

    global _page_references_kept
    with _pdf_lock:
        if _page_references_kept:
            return
        original = pydyf.PDF.page_references.fget

        def kept(pdf: Any) -> Any:
            count = len(pdf.pages["Kids"])
            held = pdf.__dict__.get("_tendik_page_references")
            if held is None or held[0] != count:
                held = pdf.__dict__["_tendik_page_references"] = (count, original(pdf))
            return held[1]

        pydyf.PDF.page_references = property(kept)
        _page_references_kept = True


_page_references_kept = False


def number_text(value: Any) -> str:
    """A figure as people read it: thousands apart, the page language's decimal sign."""
    number = float(value)
    if number.is_integer():
        return amount(int(number), decimals=False)
    return amount(value).rstrip("0")


def act_text(report: ExecutorReport) -> str:
    if not report.act_number:
        return ""
    if report.act_date is None:
        return _("%(kind)s No. %(number)s") % {"kind": report.get_act_kind_display(),
                                                "number": report.act_number}
    return _("%(kind)s No. %(number)s of %(date)s") % {
        "kind": report.get_act_kind_display(), "number": report.act_number,
        "date": report.act_date.strftime("%d.%m.%Y")}


def build_xlsx(cycle: ReportingCycle, language: str, progress: Callable[[int], None]) -> bytes:
    """All the data: the consolidated table, and every executor's report on its own row."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    context = document_context(cycle, language, progress)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Consolidated")[:31]
    sheet.append(context["columns"])
    for row in context["rows"]:
        sheet.append(exports.row([row["number"], row["title"], row["form"], row["executors"],
                                  row["deadline"], row["information"], row["status"]]))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDEFG", [6, 60, 24, 24, 16, 80, 20], strict=True):
        sheet.column_dimensions[column].width = width
        for cell in sheet[column][1:]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    print_on_a4(sheet)
    progress(70)
    reports = workbook.create_sheet(_("Executors' reports")[:31])
    reports.append([_("Measure"), _("Executor"), _("State"), _("Implementation"),
                    _("Information on execution (Russian)"),
                    _("Information on execution (Kazakh)"),
                    _("Actual spending, thousand tenge"), _("Values reached"),
                    _("Legal act"), _("First submitted"), _("Last resubmitted"),
                    _("Accepted")])
    for cell in reports[1]:
        cell.font = Font(bold=True)
    for report in (ExecutorReport.objects.filter(cycle=cycle)
                   .select_related("measure", "organisation")
                   .order_by("measure__number", "organisation__code")):
        reports.append(exports.row([
            report.measure.number, report.organisation.name, report.get_state_display(),
            report.get_status_display() if report.status else "", report.narrative_ru,
            report.narrative_kk, float(report.spending) if report.spending is not None else None,
            "; ".join(f"{year}: {number_text(value)}"
                      for year, value in (report.target_values or {}).items()),
            act_text(report),
            *(timezone.localtime(moment).replace(tzinfo=None) if moment else None
              for moment in (report.submitted_at, report.resubmitted_at, report.accepted_at)),
        ]))
    for column, width in zip("ABCDEFGHIJKL", [10, 40, 18, 20, 60, 60, 16, 20, 30, 18, 18, 18],
                             strict=True):
        reports.column_dimensions[column].width = width
    wrapped = Alignment(wrap_text=True, vertical="top")
    for row in reports.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrapped
        row[6].number_format = "#,##0.0"
        for cell in row[9:12]:
            cell.number_format = DATE_TIME_FORMAT
    reports.freeze_panes = "A2"
    print_on_a4(reports)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


BUILDERS: dict[str, Callable[[ReportingCycle, str, Callable[[int], None]], bytes]] = {
    ConsolidatedReport.Format.DOCX: build_docx,
    ConsolidatedReport.Format.PDF: build_pdf,
    ConsolidatedReport.Format.XLSX: build_xlsx,
}
