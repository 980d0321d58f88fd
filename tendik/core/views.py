from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode as urllib_urlencode
from urllib.parse import urlsplit

import segno
from django.conf import settings
from django.contrib.auth import authenticate, logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, get_language_from_path, override
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tendik.core import services, workspaces
from tendik.core.audit import record_access, record_event
from tendik.core.display import preferences_for
from tendik.core.figures import platform_figures
from tendik.core.forms import (
    AuditFilterForm,
    DisplayForm,
    LoginForm,
    OrganisationFilterForm,
    OTPForm,
    SearchForm,
)
from tendik.core.models import (
    AccessRecord,
    AuditEvent,
    Organisation,
    Region,
    User,
)
from tendik.core.scoping import get_visible_or_404
from tendik.core.search import search


def requested_next(request: HttpRequest) -> str:
    """The page the person asked to return to, if it is on this site; else ""."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def safe_next(request: HttpRequest, default: str = "") -> str:
    return requested_next(request) or default or reverse("core:home")


def _is_home(target: str) -> bool:
    """The home page in any language, or the site's root that leads to it."""
    path = urlsplit(target).path
    if path == "/":
        return True
    with override(get_language_from_path(path) or get_language()):
        try:
            return resolve(path).view_name == "core:home"
        except Resolver404:
            return False


def landing_page(request: HttpRequest, user: User) -> str:
    """Where a person goes once signed in: the page they asked for, else their own work.
    The home page does not count as asked for: everyone starts there."""
    target = requested_next(request)
    if target and not _is_home(target):
        return target
    page = workspaces.work_page(user)
    return page.url if page is not None else reverse("core:home")


def _with_next(url: str, target: str) -> str:
    return f"{url}?{urllib_urlencode({'next': target}, safe='/')}"


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"figures": platform_figures()})


def site_search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    groups = search(form.cleaned_data["q"]) if form.is_bound and form.is_valid() else []
    return render(request, "core/search.html", {"form": form, "groups": groups})


def region_list(request: HttpRequest) -> HttpResponse:
    regions = Region.objects.annotate(
        organisation_count=Count("organisations", filter=Q(organisations__is_active=True))
    )
    return render(request, "core/region_list.html", {"regions": regions})


def region_detail(request: HttpRequest, kato: str) -> HttpResponse:
    region = get_object_or_404(Region, kato=kato)
    organisations = region.organisations.filter(is_active=True)
    return render(request, "core/region_detail.html",
                  {"region": region, "organisations": organisations})


def organisation_list(request: HttpRequest) -> HttpResponse:
    form = OrganisationFilterForm(request.GET or None)
    organisations = Organisation.objects.select_related("region").filter(is_active=True)
    if form.is_valid():
        if form.cleaned_data["kind"]:
            organisations = organisations.filter(kind=form.cleaned_data["kind"])
        if form.cleaned_data["region"]:
            organisations = organisations.filter(region=form.cleaned_data["region"])
    return render(request, "core/organisation_list.html",
                  {"form": form, "organisations": organisations})


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(request, username=form.cleaned_data["username"],
                            password=form.cleaned_data["password"])
        if user is not None:
            services.sign_in(request, user)  # type: ignore[arg-type]
            landing = landing_page(request, user)  # type: ignore[arg-type]
            if settings.TENDIK_REQUIRE_STAFF_OTP and (user.is_staff_role or user.is_superuser):
                step = ("core:otp_verify" if services.confirmed_totp_device(user)  # type: ignore[arg-type]
                        else "core:otp_setup")
                return redirect(_with_next(reverse(step), landing))
            return redirect(landing)
        form.add_error(None, _("The username or password is wrong. Check them and try again."))
    return render(request, "core/login.html", {"form": form, "next": safe_next(request, "")})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        record_event(AuditEvent.Action.LOGOUT, request.user)  # type: ignore[arg-type]
    logout(request)
    return redirect("core:home")


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if services.confirmed_totp_device(user) is None:
        return redirect(_with_next(reverse("core:otp_setup"), safe_next(request)))
    form = OTPForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.verify_second_factor(request, user, form.cleaned_data["token"]):
            return redirect(landing_page(request, user))
        form.add_error("token", _("This code is not valid. Wait for a new code and try again."))
    return render(request, "core/otp_verify.html", {"form": form, "next": safe_next(request)})


@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if services.confirmed_totp_device(user) is not None:
        return redirect(_with_next(reverse("core:otp_verify"), safe_next(request)))
    device = services.pending_totp_device(user)
    form = OTPForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.enrol_second_factor(request, user, form.cleaned_data["token"]):
            return redirect(landing_page(request, user))
        form.add_error("token", _("This code is not valid. Check the time on your phone "
                                  "and enter the code shown now."))
    qr = segno.make(device.config_url, error="m")
    return render(request, "core/otp_setup.html", {
        "form": form,
        "next": safe_next(request),
        "secret": _grouped(device.config_url.split("secret=")[1].split("&")[0]),
        "qr_svg": qr.svg_inline(scale=5, dark="#000", light="#fff"),
    })


def _grouped(secret: str) -> str:
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


@require_http_methods(["GET", "POST"])
def display_settings(request: HttpRequest) -> HttpResponse:
    current = preferences_for(request)
    form = DisplayForm(request.POST or None, initial=current.as_dict())
    if request.method == "POST" and form.is_valid():
        services.save_display_preferences(request, form.preferences())
        return redirect(safe_next(request, reverse("core:display")) + "")
    return render(request, "core/display.html", {"form": form, "next": safe_next(request, "")})


@login_required
def office(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not workspaces.may_open(user, "core:office"):
        # The office is staff's; anyone else who looks for it finds their own work.
        page = workspaces.work_page(user)
        return redirect(page.url if page is not None else reverse("core:home"))
    organisations = Organisation.objects.visible_to(user).select_related("region")
    regions = Region.objects.visible_to(user)
    return render(request, "core/office.html", {
        "organisations": organisations[:200],
        "organisation_total": organisations.count(),
        "regions": regions,
        "sections": workspaces.office_sections(user),
    })


@login_required
def office_organisation(request: HttpRequest, code: str) -> HttpResponse:
    organisation = get_visible_or_404(Organisation.objects.select_related("region"),
                                      request.user, code=code)
    staff = User.objects.visible_to(request.user).filter(organisation=organisation,
                                                         is_active=True).order_by("last_name")
    staff_list = list(staff)
    record_access(request.path, User, [member.pk for member in staff_list],
                  purpose="organisation staff list")
    return render(request, "core/office_organisation.html",
                  {"organisation": organisation, "staff": staff_list})


@login_required
def office_region(request: HttpRequest, kato: str) -> HttpResponse:
    region = get_visible_or_404(Region.objects.all(), request.user, kato=kato)
    organisations = Organisation.objects.visible_to(request.user).filter(region=region)
    return render(request, "core/office_region.html",
                  {"region": region, "organisations": organisations})


def can_read_audit(user: User) -> bool:
    return workspaces.may_open(user, "core:audit_log")


def _filtered_log(request: HttpRequest, queryset, form: AuditFilterForm):  # type: ignore[no-untyped-def]
    if not form.is_valid():
        return queryset.none()
    data = form.cleaned_data
    if data.get("actor"):
        queryset = queryset.filter(actor_repr__icontains=data["actor"])
    if data.get("action") and queryset.model is AuditEvent:
        queryset = queryset.filter(action=data["action"])
    if data.get("model"):
        queryset = queryset.filter(model__icontains=data["model"])
    tz = timezone.get_current_timezone()
    if data.get("date_from"):
        queryset = queryset.filter(at__gte=dt.datetime.combine(data["date_from"], dt.time.min,
                                                               tzinfo=tz))
    if data.get("date_to"):
        queryset = queryset.filter(at__lt=dt.datetime.combine(
            data["date_to"] + dt.timedelta(days=1), dt.time.min, tzinfo=tz))
    return queryset


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    return log_page(request, AuditEvent.objects.all(), "core/audit_log.html")


@login_required
def access_log(request: HttpRequest) -> HttpResponse:
    return log_page(request, AccessRecord.objects.all(), "core/access_log.html")


def log_page(request: HttpRequest, queryset: Any, template: str) -> HttpResponse:
    """A filtered, paginated log, for auditors and administrators only."""
    if not can_read_audit(request.user):  # type: ignore[arg-type]
        raise Http404
    form = AuditFilterForm(request.GET or {})
    rows = _filtered_log(request, queryset, form)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, template, {"form": form, "page": page,
                                      "query": _query_without_page(request)})


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def healthz(request: HttpRequest) -> HttpResponse:
    """Alive: the process answers. Whether it can serve is /readyz's question."""
    return HttpResponse("ok", content_type="text/plain")


def readyz(request: HttpRequest) -> HttpResponse:
    """Ready to serve: the database answers with every migration applied, a background
    worker's heartbeat is fresh and the queue moves. 503 with the failing checks if not."""
    checks = readiness()
    failing = {name: detail for name, (ok, detail) in checks.items() if not ok}
    body = {"ready": not failing,
            "checks": {name: {"ok": ok, "detail": detail}
                       for name, (ok, detail) in checks.items()}}
    return JsonResponse(body, status=503 if failing else 200)


def readiness() -> dict[str, tuple[bool, str]]:
    from django.db import DatabaseError, connection
    from django.db.migrations.executor import MigrationExecutor
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from tendik.core import jobs

    checks: dict[str, tuple[bool, str]] = {}
    try:
        Region.objects.exists()
    except DatabaseError as error:
        return {"database": (False, str(error).splitlines()[0])}
    checks["database"] = (True, connection.vendor)
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    checks["migrations"] = (not pending, f"{len(pending)} not applied")
    now = timezone.now()
    alive = jobs.WorkerBeat.alive(now).count()
    checks["worker"] = (alive > 0, f"{alive} with a fresh heartbeat")
    oldest = DBTaskResult.objects.ready().order_by("run_after", "enqueued_at") \
        .values_list("enqueued_at", flat=True).first()
    waiting = (now - oldest).total_seconds() if oldest else 0.0
    # Stuck: a job ready for longer than five leases has found no worker to take it.
    ready = DBTaskResult.objects.ready().count()
    failed = DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count()
    checks["queue"] = (waiting <= 5 * jobs.lease().total_seconds(),
                       f"{ready} ready, the oldest for {waiting:.0f} s; {failed} failed")
    return checks
