from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from tendik.access import contributions, exchange, plans, services
from tendik.access.assessment import Access, Category, Zone
from tendik.access.forms import (
    AdaptationItemForm,
    FacilityFilterForm,
    ImportForm,
    ItemStateForm,
    PassportForm,
    PassportReviewForm,
    ProblemForm,
    RejectForm,
    ReviewForm,
)
from tendik.access.models import (
    ACCESS_LABELS,
    CATEGORY_LABELS,
    UNMODERATED,
    ZONE_LABELS,
    AdaptationItem,
    AdaptationPlan,
    Criterion,
    Facility,
    FacilityType,
    Level,
    Moderation,
    Passport,
    Photo,
    ProblemReport,
    Review,
)
from tendik.core.forms import add_errors
from tendik.core.models import Organisation, Region, Role, User
from tendik.core.replica import read_from_replica
from tendik.core.scoping import get_visible_or_404

FACILITIES_PER_PAGE = 50


def filtered(request: HttpRequest) -> tuple[FacilityFilterForm, Any]:
    form = FacilityFilterForm(request.GET or None)
    facilities = form.apply(Facility.objects.select_related("region"))
    return form, facilities.order_by("name_ru", "pk")


def results_context(request: HttpRequest, *, with_map: bool) -> dict[str, Any]:
    form, facilities = filtered(request)
    page = Paginator(facilities, FACILITIES_PER_PAGE).get_page(request.GET.get("page"))
    category = form.chosen_category()
    rows = [{"facility": f, "level": shown_level(f, category)} for f in page]
    query = request.GET.copy()
    query.pop("page", None)
    return {"form": form, "page": page, "rows": rows, "category": category,
            "category_label": CATEGORY_LABELS[category] if category else "",
            "query": query.urlencode(), "with_map": with_map,
            "tiles_url": settings.ACCESS_MAP_TILES_URL,
            "tiles_attribution": settings.ACCESS_MAP_TILES_ATTRIBUTION,
            "levels": Level.choices}


def shown_level(facility: Facility, category: Category | None) -> str:
    """The overall level, or the one for the category chosen under «my needs»."""
    if category is None:
        return facility.level
    from tendik.access.clusters import level_of

    return level_of(facility.access(category))


def map_page(request: HttpRequest) -> HttpResponse:
    return render(request, "access/map.html", results_context(request, with_map=True))


def facility_list(request: HttpRequest) -> HttpResponse:
    return render(request, "access/map.html", results_context(request, with_map=False))


def facility_detail(request: HttpRequest, pk: int) -> HttpResponse:
    facility = get_object_or_404(Facility.objects.select_related("region", "operator",
                                                                 "parent"), pk=pk)
    approved = facility.passports.filter(state=Passport.State.APPROVED).first()
    user: User = request.user  # type: ignore[assignment]
    in_progress = facility.passports.filter(
        state__in=[Passport.State.DRAFT, Passport.State.SUBMITTED]).first()
    return render(request, "access/facility.html", {
        "facility": facility, "approved": approved,
        "categories": [category_row(facility, c) for c in Category],
        "zones": zone_rows(approved) if approved else [],
        "needs": needs_of(approved) if approved else [],
        "children": facility.children.all(),
        "may_survey": services.is_commission_of(user, facility),
        "ratings": list(contributions.ratings_of(facility).values()),
        "reviews": facility.reviews.filter(moderation=Moderation.PUBLISHED)
        .select_related("author").prefetch_related("photos")[:20],
        "photos": facility.photos.filter(moderation=Moderation.PUBLISHED)[:12],
        "problems": contributions.active_problems(facility),
        "is_moderator": contributions.is_moderator_for(user, facility),
        "may_plan": user.is_authenticated and user.organisation is not None
        and plans.is_planner_for(user, user.organisation)
        and user.organisation.region_id == facility.region_id,
        "in_progress": in_progress,
        "Category": Category,
        "category_names": [(c, CATEGORY_LABELS[c]) for c in Category],
    })


def category_row(facility: Facility, category: Category) -> dict[str, Any]:
    access = facility.access(category)
    return {"category": category, "label": CATEGORY_LABELS[category], "access": access,
            "text": ACCESS_LABELS[access] if access is not None else None,
            "level": shown_level(facility, category)}


def zone_rows(passport: Passport) -> list[dict[str, Any]]:
    """The approved passport's zones (rows) by the five categories (columns)."""
    rows = []
    for zone in Zone:
        statuses = passport.result.get(zone.value, {})
        cells = []
        for category in Category:
            value = statuses.get(category.value)
            cells.append(None if value is None else {
                "category": category, "code": Access(value).code, "level": value,
                "label": ACCESS_LABELS[Access(value)]})
        if any(cells):
            rows.append({"zone": ZONE_LABELS[zone], "cells": cells})
    return rows


def needs_of(passport: Passport) -> list[dict[str, Any]]:
    """What the passport found wanting, each with what the commission found against
    what the norm asks."""
    assessment = services.assessment_of(passport)
    criteria = Criterion.objects.in_bulk([n.code for n in assessment.needs],
                                         field_name="code")
    answers = {a.criterion_id: a for a in passport.answers.filter(
        criterion__code__in=list(criteria))}
    rows = []
    for need in assessment.needs:
        criterion = criteria[need.code]
        answer = answers.get(criterion.pk)
        rows.append({"need": need, "criterion": criterion, "zone": ZONE_LABELS[need.zone],
                     "found": answer.value if answer is not None and criterion.measured
                     else None})
    return rows


@read_from_replica
def dashboard(request: HttpRequest) -> HttpResponse:
    """Shares of facilities meeting the standard, by type and by region, counted from the
    approved passports."""
    by_type = (Facility.objects.values("type").annotate(
        total=Count("id"), passported=Count("id", filter=~Q(level=Level.UNKNOWN)),
        meeting=Count("id", filter=Q(meets_standard=True))).order_by("type"))
    labels = dict(FacilityType.choices)
    types = [{**row, "label": labels[row["type"]],
              "share": 100 * row["meeting"] / row["total"] if row["total"] else 0}
             for row in by_type]
    regions = Region.objects.annotate(
        total=Count("facilities"), meeting=Count("facilities", filter=Q(
            facilities__meets_standard=True))).order_by("name_ru")
    return render(request, "access/dashboard.html", {
        "types": types, "regions": regions, "transport": services.transport_equipment()})


# --- The commission's passport --------------------------------------------------------

def commission_or_404(request: HttpRequest, facility: Facility) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not services.is_commission_of(user, facility):
        raise Http404
    return user


@login_required
def passport_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The commission's draft: started from the latest version, filled zone by zone,
    then submitted for approval."""
    facility = get_object_or_404(Facility, pk=pk)
    user = commission_or_404(request, facility)
    passport = facility.passports.filter(state=Passport.State.DRAFT).first()
    if passport is None:
        if request.method == "POST" and "start" in request.POST:
            try:
                services.start_passport(facility, by=user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            return redirect("access:passport", pk=pk)
        return render(request, "access/passport_start.html", {
            "facility": facility, "submitted": facility.passports.filter(
                state=Passport.State.SUBMITTED).first()})
    criteria = list(Criterion.objects.all())
    form = PassportForm(request.POST or None, criteria=criteria, passport=passport)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_answers(passport, form.answers(), by=user)
            if "submit" in request.POST:
                services.submit_passport(passport, by=user)
                messages.success(request, _("The passport is submitted for approval."))
                return redirect("access:facility", pk=pk)
            messages.success(request, _("The findings are saved."))
            return redirect("access:passport", pk=pk)
        except ValidationError as error:
            form.add_error(None, error)
    returned = passport.transitions.filter(to_state=Passport.State.DRAFT).last()
    return render(request, "access/passport_form.html", {
        "facility": facility, "passport": passport, "form": form, "returned": returned,
        "preview": passport.status_code})


@login_required
def passport_review(request: HttpRequest, pk: int, passport_id: int) -> HttpResponse:
    facility = get_object_or_404(Facility, pk=pk)
    passport = get_object_or_404(Passport, pk=passport_id, facility=facility,
                                 state=Passport.State.SUBMITTED)
    user: User = request.user  # type: ignore[assignment]
    if not services.may_approve(user, passport):
        raise Http404
    form = PassportReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "approve":
                services.approve_passport(passport, by=user)
                messages.success(request, _("The passport is approved; the facility's status "
                                            "is updated."))
            else:
                services.return_passport(passport, form.cleaned_data["comment"], by=user)
                messages.success(request, _("The passport is returned to the commission."))
            return redirect("access:facility", pk=pk)
        except ValidationError as error:
            form.add_error("comment", error)
        except PermissionDenied:
            raise Http404 from None
    assessment = services.assessment_of(passport)
    answers = {a.criterion_id: a for a in passport.answers.all()}
    return render(request, "access/passport_review.html", {
        "facility": facility, "passport": passport, "form": form,
        "code": assessment.code, "criteria": [
            (c, answers.get(c.pk)) for c in Criterion.objects.all()],
        "facility_url": reverse("access:facility", args=[pk])})


# --- What users add, and its moderation -----------------------------------------------

@login_required
def review_add(request: HttpRequest, pk: int) -> HttpResponse:
    facility = get_object_or_404(Facility, pk=pk)
    user: User = request.user  # type: ignore[assignment]
    form = ReviewForm(request.POST or None, request.FILES or None, user_id=user.pk)
    if request.method == "POST" and form.is_valid():
        chosen = form.chosen_photo()
        photo = contributions.PhotoUpload(chosen.handle, chosen.size,
                                          form.cleaned_data["alt_text"]) if chosen else None
        try:
            contributions.add_review(facility, by=user, ratings=form.ratings(),
                                     comment=form.cleaned_data["comment"], photo=photo,
                                     key=form.sent_key)
        except ValidationError as error:
            add_errors(form, error, default_field="photo")
        else:
            form.forget_kept_photo()
            messages.success(request, _("Thank you. Your review is published once a "
                                        "moderator of the akimat has read it."))
            return redirect("access:facility", pk=pk)
    if request.method == "POST":
        form.keep_photo()  # the person need not choose it again
    return render(request, "access/review_form.html", {"facility": facility, "form": form})


@login_required
def problem_add(request: HttpRequest, pk: int) -> HttpResponse:
    facility = get_object_or_404(Facility, pk=pk)
    user: User = request.user  # type: ignore[assignment]
    form = ProblemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contributions.report_problem(facility, by=user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error, default_field="description")
        else:
            messages.success(request, _("Thank you. The problem is shown on the facility's "
                                        "page once a moderator has checked it."))
            return redirect("access:facility", pk=pk)
    return render(request, "access/problem_form.html", {"facility": facility, "form": form})


@login_required
@require_POST
def problem_resolve(request: HttpRequest, pk: int, problem_id: int) -> HttpResponse:
    problem = get_object_or_404(ProblemReport, pk=problem_id, facility_id=pk)
    user: User = request.user  # type: ignore[assignment]
    try:
        contributions.resolve_problem(problem, by=user)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("The problem is marked as resolved."))
    return redirect("access:facility", pk=pk)


def unmoderated_photo(request: HttpRequest, name: str) -> FileResponse:
    """A photo waiting for moderation, or rejected: for its author and the facility's
    moderators; anyone else, signed in or not, gets 404 (tendik/access/models.py)."""
    photo = Photo.objects.select_related("facility").filter(
        image=UNMODERATED + name).first()
    user: User = request.user  # type: ignore[assignment]
    if photo is None or not contributions.may_see_photo(user, photo):
        raise Http404
    try:
        handle = photo.image.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle)
    response["Cache-Control"] = "private, no-store"
    return response


MODERATED: dict[str, Any] = {"review": Review, "photo": Photo, "problem": ProblemReport}
QUEUES = {"review": "reviews", "photo": "photos", "problem": "problems"}


@login_required
def moderation_queue(request: HttpRequest) -> HttpResponse:
    """Akimat officials moderate their region's contributions; analysts all of them. A
    decision that fails (a rejection without its reason) comes back on its item, with
    what was typed."""
    user: User = request.user  # type: ignore[assignment]
    if not (user.role in (Role.AKIMAT_OFFICIAL, Role.ANALYST) or user.is_superuser):
        raise Http404
    failed: dict[str, Any] = {}
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        model = MODERATED.get(kind)
        if model is None:
            raise Http404
        item = get_visible_or_404(model.objects.all(), user, pk=request.POST.get("id"))
        form = RejectForm(request.POST)
        form.is_valid()
        try:
            contributions.moderate(item, publish="publish" in request.POST, by=user,
                                   reason=form.cleaned_data.get("reason", ""))
        except ValidationError as error:
            failed = {"kind": QUEUES[kind], "id": item.pk, "message": " ".join(error.messages),
                      "reason": form.cleaned_data.get("reason", "")}
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("Published.") if "publish" in request.POST
                             else _("Rejected; the author sees the reason."))
            return redirect("access:moderation")
    queue = contributions.queue_for(user)
    return render(request, "access/moderation.html", {
        "queue": queue, "failed": failed,
        "errors": {f"{failed['kind']}-{failed['id']}": failed["message"]} if failed else {},
        "count": sum(q.count() for q in queue.values()),
        "flagged": Facility.objects.visible_to(user).filter(needs_reinspection=True)})


# --- Open data and imports ------------------------------------------------------------------

EXPORTS = {
    "geojson": ("application/geo+json", "facilities.geojson"),
    "csv": ("text/csv; charset=utf-8", "facilities.csv"),
    "a11y.json": ("application/json", "facilities.a11y.json"),
}


def export(request: HttpRequest, fmt: str) -> HttpResponse:
    """Every facility the filters select, as GeoJSON, CSV or A11yJSON."""
    if fmt not in EXPORTS:
        raise Http404
    _form, facilities = filtered(request)
    if fmt == "csv":
        body = exchange.export_csv(facilities)
    else:
        document = exchange.export_geojson(facilities) if fmt == "geojson" \
            else exchange.export_a11yjson(facilities)
        body = json.dumps(document, ensure_ascii=False, cls=DjangoJSONEncoder)
    content_type, filename = EXPORTS[fmt]
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


MAX_IMPORT = 50 * 2**20


@login_required
def import_facilities(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not (user.role in (Role.ANALYST, Role.AKIMAT_OFFICIAL) or user.is_superuser):
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[exchange.RowError] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        name = upload.name.lower()
        if upload.size > MAX_IMPORT:
            form.add_error("file", _("The file is too large: at most 50 MB."))
        else:
            try:
                if name.endswith((".osm", ".pbf", ".xml")):
                    counts = exchange.import_osm(upload, name, by=user)
                else:
                    counts = exchange.import_table(upload, name, by=user)
            except exchange.ImportRefused as refused:
                errors = refused.errors
                form.add_error("file", _("Nothing was imported: the file has %(count)s "
                                         "errors, listed below.") % {"count": len(errors)})
            except PermissionDenied:
                raise Http404 from None
            else:
                messages.success(request, _(
                    "Imported: %(created)s facilities created, %(updated)s updated.")
                    % counts)
                return redirect("access:list")
    return render(request, "access/import.html", {"form": form, "errors": errors,
                                                  "may_osm": user.role == Role.ANALYST
                                                  or user.is_superuser})


# --- Regional adaptation plans -----------------------------------------------------------

def plans_dashboard(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    years = sorted(set(AdaptationPlan.objects.values_list("year", flat=True)) | {today.year})
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    if year not in years:
        year = today.year
    rows = plans.progress(year, today)
    return render(request, "access/plans.html", {
        "rows": rows, "year": year, "years": years,
        "totals": {"total": sum(r.total for r in rows), "done": sum(r.done for r in rows),
                   "budget": sum(r.budget for r in rows),
                   "budget_done": sum(r.budget_done for r in rows)}})


def plan_detail(request: HttpRequest, code: str, year: int) -> HttpResponse:
    akimat = get_object_or_404(Organisation, code=code, kind=Organisation.Kind.AKIMAT)
    user: User = request.user  # type: ignore[assignment]
    may_plan = plans.is_planner_for(user, akimat)
    plan = AdaptationPlan.objects.filter(akimat=akimat, year=year).first()
    form = AdaptationItemForm(request.POST or None, region=akimat.region) \
        if may_plan and akimat.region is not None else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if "state" in request.POST:
            item = get_object_or_404(AdaptationItem, pk=request.POST.get("item"),
                                     plan__akimat=akimat, plan__year=year)
            state_form = ItemStateForm(request.POST)
            if state_form.is_valid():
                try:
                    plans.set_state(item, state_form.cleaned_data["state"], by=user,
                                    done_on=state_form.cleaned_data["done_on"])
                    messages.success(request, _("The work's state is saved."))
                except ValidationError as error:
                    messages.error(request, " ".join(error.messages))
            return redirect("access:plan", code=code, year=year)
        if form.is_valid():
            try:
                target = plan or plans.plan_for(akimat, year, by=user)
                plans.add_item(target, by=user, **form.values())
            except ValidationError as error:
                add_errors(form, error, default_field=None)
            else:
                messages.success(request, _("The work is added to the plan."))
                return redirect("access:plan", code=code, year=year)
    items = plan.items.select_related("facility") if plan else []
    return render(request, "access/plan.html", {
        "akimat": akimat, "year": year, "plan": plan, "items": items, "form": form,
        "may_plan": may_plan, "state_choices": AdaptationItem.State.choices})


@login_required
@require_POST
def plan_from_needs(request: HttpRequest, pk: int) -> HttpResponse:
    """The akimat adds a facility's needs from its approved passport to this year's plan."""
    facility = get_object_or_404(Facility, pk=pk)
    user: User = request.user  # type: ignore[assignment]
    akimat = user.organisation
    if akimat is None or not plans.is_planner_for(user, akimat) \
            or akimat.region_id != facility.region_id:
        raise Http404
    year = timezone.localdate().year
    try:
        plan = plans.plan_for(akimat, year, by=user)
        added = plans.add_from_needs(plan, facility, by=user,
                                     deadline=dt.date(year, 12, 31),
                                     responsible=akimat.name_ru)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("access:facility", pk=pk)
    messages.success(request, _("%(count)s works are added to the %(year)s plan; give "
                                "their budgets.") % {"count": len(added), "year": year})
    return redirect("access:plan", code=akimat.code, year=year)
