"""The back office passes axe-core with no exceptions: officials who are persons with
disabilities use it too. Every registered model's list and add form, and a change form
with an autocomplete field, as an administrator, in Russian; the index in every language
and in the white-on-black scheme at 200 % text."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import BrowserContext, Page, expect

from tendik.core.models import Organisation, User
from tests.e2e.support import axe_violations, describe_violations
from tests.e2e.test_accessibility import LOW_VISION_LARGEST

pytestmark = pytest.mark.e2e


def admin_pages(user: User) -> list[str]:
    """Every registered model's list, and its add form where the user may add."""
    request = RequestFactory().get("/")
    request.user = user
    pages = []
    with translation.override("ru"):
        for model, model_admin in admin.site._registry.items():
            name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
            pages.append(reverse(f"{name}_changelist"))
            if model_admin.has_add_permission(request):
                pages.append(reverse(f"{name}_add"))
    return pages


def audit(page: Page, paths: list[str]) -> dict[str, str]:
    failures = {}
    for path in paths:
        response = page.goto(path)
        assert response is not None and response.status == 200, (path, response)
        assert page.url.endswith(path), page.url
        expect(page.locator("html")).to_have_attribute("lang", path.split("/")[1])
        if violations := axe_violations(page):
            failures[path] = describe_violations(violations)
    return failures


def test_every_admin_list_and_form_passes_axe(new_context: Callable[..., BrowserContext],
                                              personas):
    page = new_context(personas["administrator"]).new_page()
    organisation = Organisation.objects.filter(region__isnull=False).first()
    with translation.override("ru"):
        change = reverse("admin:core_organisation_change", args=[organisation.pk])
    # A list with its filters open and a search done; a form with an autocomplete field.
        searched = reverse("admin:core_organisation_changelist") + "?q=%D0%B0&kind__exact=akimat"
    paths = [*admin_pages(personas["administrator"]), change, searched]
    failures = audit(page, paths)
    # The autocomplete opened: its list of choices is named too.
    page.goto(change)
    page.locator(".select2-selection").first.click()
    page.locator(".select2-results__option").first.wait_for()
    if violations := axe_violations(page):
        failures[f"{change} (autocomplete open)"] = describe_violations(violations)
    assert not failures, "axe-core on the admin:\n" + "\n".join(
        f"{path}:\n{found}" for path, found in failures.items())


def test_the_admin_passes_axe_in_every_language_and_in_low_vision_mode(
        new_context: Callable[..., BrowserContext], personas):
    failures = {}
    for language in ["ru", "kk", "en"]:
        page = new_context(personas["administrator"]).new_page()
        failures.update(audit(page, [f"/{language}/admin/", f"/{language}/admin/core/region/"]))
    page = new_context(personas["administrator"], display=LOW_VISION_LARGEST).new_page()
    failures.update({f"{path} (low vision)": found for path, found in
                     audit(page, ["/ru/admin/", "/ru/admin/core/organisation/"]).items()})
    assert not failures, "axe-core on the admin:\n" + "\n".join(
        f"{path}:\n{found}" for path, found in failures.items())
