"""axe-core on the social workers' pages, in every mode of the accessibility suite: the
public search with filters, a profile, the dashboard, choosing a worker (with the error
summary of an uncertified worker), my social work, an assignment with a visit to confirm
and the rating form, the worker's caseload, volunteers, family assistants."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tendik.people.models import Family, FamilyMember
from tendik.portal.models import CatalogueItem
from tendik.workforce import services
from tests.e2e.conftest import (  # noqa: F401 - fixtures of the browser tests
    browser,
    new_context,
    plain_http_live_server,
    playwright_driver,
    reference,
)
from tests.e2e.test_accessibility import MODES, Audit
from tests.factories import UserFactory
from tests.portal.conftest import entitle, make_person
from tests.workforce.conftest import TODAY, World

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("mode", list(MODES))
def test_the_social_workers_pages_pass_axe(mode, new_context, world: World):  # noqa: F811
    language, display, width = MODES[mode]
    audit = Audit(display)
    served = services.choose_worker(world.person, world.other_worker, by=world.recipient,
                                    start=TODAY - dt.timedelta(days=7))
    visit = services.log_visit(served, by=world.other_worker_user,
                               date=TODAY - dt.timedelta(days=2), minutes=60,
                               services=["home_care"])
    services.confirm_visit(visit, by=world.recipient)
    services.log_visit(served, by=world.other_worker_user, date=TODAY, minutes=30,
                       services=["escort"])
    entitle(world.person, CatalogueItem.objects.get(code="SE-02"), 2000,
            valid_from=TODAY - dt.timedelta(days=60))
    husband = make_person(world.almaty, account=UserFactory(username="husband"))
    card = Family.objects.create(name="Семья")
    FamilyMember.objects.create(family=card, person=world.person, role="head")
    FamilyMember.objects.create(family=card, person=husband, role="spouse")
    registration = services.register_assistant(husband, world.person, by=world.akimat,
                                               hourly_rate=Decimal(1500),
                                               registered_on=TODAY - dt.timedelta(days=40))
    services.log_assistant_hours(registration, by=husband.account, date=TODAY,
                                 hours=Decimal(4))

    def open_as(user=None):
        return new_context(user, display=display, width=width).new_page()

    base = f"/{language}/social-workers/"
    visitor = open_as()
    for name, path in [("search", f"{base}?region=750000000&service=home_care"),
                       ("profile", f"{base}{world.worker.pk}/"),
                       ("dashboard", f"{base}dashboard/")]:
        audit.visit(visitor, path)
        audit.check(visitor, name)
    recipient = open_as(world.recipient)
    for name, path in [("mine", f"{base}mine/"),
                       ("assignment", f"{base}assignments/{served.pk}/"),
                       ("choose", f"{base}{world.uncertified.pk}/choose/")]:
        audit.visit(recipient, path)
        audit.check(recipient, name)
    recipient.locator("main form button[type=submit]").click()
    expect(recipient.locator(".error-summary")).to_be_visible()
    audit.check(recipient, "choose with errors")
    for user, name, path in [
            (world.other_worker_user, "caseload", f"{base}caseload/"),
            (world.case_manager, "volunteers", f"{base}volunteers/"),
            (world.akimat, "assistants", f"{base}assistants/"),
            (world.akimat, "assistant", f"{base}assistants/{registration.pk}/"),
            (husband.account, "assistant's own hours", f"{base}mine/")]:
        page = open_as(user)
        audit.visit(page, path)
        audit.check(page, name)
    assert not audit.found and not audit.overflowing, audit.report()
