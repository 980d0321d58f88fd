"""The case management and social work pages name things: no organisation or rule codes,
no Django placeholders in dropdowns, no ISO dates, no logins — in every language."""

from __future__ import annotations

import re

import pytest

from tendik.cases import rules, services
from tendik.cases.models import Rule
from tendik.core.models import Organisation, Role
from tests.cases.test_cases import planned
from tests.factories import UserFactory
from tests.workforce.conftest import make_worker, provider

pytestmark = pytest.mark.django_db


def visible_text(body: str) -> str:
    main = body.split("<main", 1)[-1].split("</main>", 1)[0]
    options = " ".join(re.findall(r"<option[^>]*>([^<]*)<", main))
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)) + " " + options


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_no_case_or_social_work_page_shows_a_code(language, office, market, client_for):
    _goal, service = planned(office)
    services.refer(service, by=office["manager"], override_reason="Срочно")
    worker = make_worker(provider("SW-CODE", market.almaty), [market.almaty], capacity=3)
    services.propose_worker(office["case"], office["person"], worker, by=office["manager"])
    rules.load_rules()
    akimat = UserFactory(role=Role.AKIMAT_OFFICIAL, username="akimat.login",
                         organisation=Organisation.objects.get(
                             code=f"AKIMAT-{market.almaty.kato}"))
    manager, case = office["manager"], office["case"]
    pages = [(manager, "/cases/"), (manager, f"/cases/{case.pk}/"), (manager, "/cases/new/"),
             (office["teacher"], "/cases/referrals/"),
             (office["supervisor"], "/cases/caseload/"), (manager, "/cases/tasks/"),
             (manager, "/cases/rules/"), (manager, "/cases/needs/"),
             (akimat, "/social-workers/register/"),
             (akimat, "/social-workers/assistants/"), (akimat, "/social-workers/volunteers/")]
    codes = ["SCHOOL-12", "AKIMAT-", "SUP-ORTHO", "---------", "akimat.login",
             *Rule.objects.values_list("code", flat=True)]
    for user, path in pages:
        response = client_for(user).get(f"/{language}{path}")
        assert response.status_code == 200, path
        text = visible_text(response.content.decode())
        for code in codes:
            assert code not in text, (path, code)
        assert not re.search(r"\b\d{4}-\d\d-\d\d\b", text), path
