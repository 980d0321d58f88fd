"""People are named by their names: in every select, list and log a user is shown by full
name (with the organisation they act for), never by login; the logs read in words."""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from django.utils.text import capfirst

from tendik.cases.forms import CaseForm
from tendik.core.audit import acting_as
from tendik.core.models import AuditEvent, Organisation, Role, User
from tests.conftest import ALMATY, sign_in


@pytest.mark.django_db
def test_a_user_reads_as_full_name_with_organisation(make_user):
    analyst = make_user(Role.ANALYST, "МТСЗН", username="a.login", first_name="Дана",
                        last_name="Ахметова")
    assert str(analyst) == "Дана Ахметова (МТСЗН)"
    citizen = make_user(Role.REGISTERED, username="c.login", first_name="Ерлан",
                        last_name="Жумабаев")
    assert str(citizen) == "Ерлан Жумабаев"
    nameless = make_user(Role.REGISTERED, username="n.login", first_name="", last_name="",
                         email="")
    assert str(nameless) == "n.login"  # the only thing known


@pytest.mark.django_db
def test_a_select_of_people_offers_names(make_user):
    akimat = Organisation.objects.get(code=f"AKIMAT-{ALMATY}")
    official = make_user(Role.AKIMAT_OFFICIAL, akimat.code, username="o.login")
    make_user(Role.CASE_MANAGER, akimat.code, username="m.login", first_name="Аружан",
              last_name="Серикова")
    html = str(CaseForm(user=official)["manager"])
    assert "Аружан Серикова" in html and "m.login" not in html


@pytest.mark.django_db
def test_the_audit_log_reads_in_words(client, make_user, personas):
    auditor = personas["auditor"]
    official = make_user(Role.AKIMAT_OFFICIAL, f"AKIMAT-{ALMATY}", username="x.login",
                         first_name="Асель", last_name="Нурланова")
    with acting_as(user=official):
        official.is_active = False
        official.save()
    event = AuditEvent.objects.filter(model="core.user", object_id=str(official.pk)).last()
    assert event is not None and "is_active" in event.changes
    html = sign_in(client, auditor).get("/ru/office/audit/").content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "is_active" not in text and "core.user" not in text
    with translation.override("ru"):
        label = capfirst(str(User._meta.get_field("is_active").verbose_name))
    assert f"{label}: да → нет" in text
    assert "Асель Нурланова" in text
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text)
