"""Any create-form drawn with {% form_key %} and handled by @created_once makes its
record once: sent twice, the second sending is led where the first went; a sending that
ends on a page of errors writes nothing and keeps the key free."""

from __future__ import annotations

import re

import pytest

from tendik.cases.models import CaseEvent
from tendik.core.models import FormSending

pytestmark = pytest.mark.django_db


def form_key(page: str, action: str) -> str:
    form = page[page.index(f'action="{action}"'):]
    return re.search(r'name="form_key" value="([0-9a-f]{32})"', form).group(1)


def notes(case) -> int:
    return CaseEvent.objects.filter(case=case, kind="note").count()


def test_a_note_sent_twice_is_one_note(office, client_for):
    case, client = office["case"], client_for(office["manager"])
    page = client.get(f"/en/cases/{case.pk}/").content.decode()
    key = form_key(page, f"/en/cases/{case.pk}/notes/")
    sent = [client.post(f"/en/cases/{case.pk}/notes/",
                        {"form_key": key, "note-text": "Позвонила семье"}) for _ in range(2)]
    assert [answer.status_code for answer in sent] == [302, 302]
    assert sent[0]["Location"] == sent[1]["Location"]
    assert notes(case) == 1
    # Another form is another note, even in the same words.
    client.post(f"/en/cases/{case.pk}/notes/", {"form_key": "b" * 32,
                                                "note-text": "Позвонила семье"})
    assert notes(case) == 2


def test_a_sending_with_errors_writes_nothing_and_leaves_the_key_free(office, client_for):
    case, client = office["case"], client_for(office["manager"])
    refused = client.post(f"/en/cases/{case.pk}/notes/", {"form_key": "a" * 32,
                                                          "note-text": ""})
    assert refused.status_code == 200
    assert not FormSending.objects.exists() and notes(case) == 0
    corrected = client.post(f"/en/cases/{case.pk}/notes/", {"form_key": "a" * 32,
                                                            "note-text": "Встреча в среду"})
    assert corrected.status_code == 302
    assert notes(case) == 1


def test_a_key_is_one_persons_own(office, client_for):
    case = office["case"]
    client_for(office["manager"]).post(f"/en/cases/{case.pk}/notes/",
                                       {"form_key": "c" * 32, "note-text": "Первая"})
    client_for(office["supervisor"]).post(f"/en/cases/{case.pk}/notes/",
                                          {"form_key": "c" * 32, "note-text": "Вторая"})
    assert notes(case) == 2
