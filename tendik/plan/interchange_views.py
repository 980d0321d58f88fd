"""Import a plan from a file (analysts) and export any plan (everyone)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from tendik.core.models import User
from tendik.core.uploads import XLSX, check_upload
from tendik.plan import interchange
from tendik.plan.forms import PlanImportForm
from tendik.plan.models import Plan
from tendik.plan.reporting import is_analyst

MAX_IMPORT_SIZE = 5 * 1024 * 1024


@login_required
def import_plan(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not is_analyst(user):
        raise Http404
    form = PlanImportForm(request.POST or None, request.FILES or None)
    errors: list[interchange.RowError] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            check_file(upload)
            plan = interchange.import_plan(
                upload, upload.name, by=user,
                plan_fields={k: str(v) for k, v in form.cleaned_data.items()
                             if k != "file" and v})
        except ValidationError as error:
            form.add_error("file", error)
        except interchange.ImportRefused as refused:
            errors = refused.errors
            form.add_error("file", _("Nothing was imported: the file has %(count)s errors, "
                                     "listed below.") % {"count": len(errors)})
        else:
            messages.success(request, _("The plan %(code)s is imported with %(count)s "
                                        "measures.") % {"code": plan.code,
                                                        "count": plan.measures.count()})
            return redirect("plan:import")
    return render(request, "plan/import.html", {
        "form": form, "errors": errors, "plans": Plan.objects.all(),
        "columns": interchange.COLUMNS, "plan_fields": interchange.PLAN_FIELDS,
    })


def check_file(upload: object) -> None:
    name = getattr(upload, "name", "").lower()
    size = getattr(upload, "size", 0)
    if size > MAX_IMPORT_SIZE:
        raise ValidationError(_("The file is too large: at most 5 MB."))
    if name.endswith(".xlsx"):
        check_upload(upload, size, max_size=MAX_IMPORT_SIZE, allowed=(XLSX,))  # type: ignore[arg-type]
    elif name.endswith(".csv"):
        head = upload.read(4096)  # type: ignore[attr-defined]
        upload.seek(0)  # type: ignore[attr-defined]
        if b"\x00" in head:
            raise ValidationError(_("This is not a text CSV file."))
    else:
        raise ValidationError(_("Upload an .xlsx or .csv file."))


def export_plan(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    plan = get_object_or_404(Plan, code=code)
    if fmt == "xlsx":
        response = HttpResponse(interchange.export_xlsx(plan), content_type=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    else:
        response = HttpResponse(interchange.export_csv(plan),
                                content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{plan.code}.{fmt}"'
    return response
