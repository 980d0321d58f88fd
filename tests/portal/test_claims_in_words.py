"""A claim's rules as people read them: each rule by its name and what it found, in the
page's language, with money in tenge and dates as dd.mm.yyyy; codes stay machine values.
A rejected claim says who rejected it, as what, when and why."""

from __future__ import annotations

import datetime as dt
import importlib
import re
from types import SimpleNamespace

import pytest
from django.utils import timezone, translation

from tendik.portal import reasons, reimbursement
from tendik.portal.models import Offer, Reason, Reimbursement
from tests.portal.conftest import Market, entitle
from tests.portal.test_reimbursement import received

Stage = Reimbursement.State
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
CODES = re.compile("|".join(re.escape(code) for code in Reason.values))

# Facts as each rule records them, passed and failed.
FACTS = {
    Reason.NOT_RECEIVED: {"received_on": "2026-03-05"},
    Reason.ENTITLEMENT: {"ipr": "ИПР-7", "version": 2, "valid_from": "2025-01-01",
                         "valid_to": "2026-12-31", "ordered_on": "2026-03-01",
                         "person_matches": True, "item_matches": True},
    Reason.BALANCE: {"earlier": 1, "quantity": 2, "granted": 2},
    Reason.NO_CAP: {"ordered_on": "2026-03-01"},
    Reason.CAP: {"price": "335000.00", "cap": "320000.00", "legal_act": "Приказ № 1"},
    Reason.ACCREDITATION: {"ordered_on": "2026-03-01"},
    Reason.REPLACEMENT: {"months": 48, "delivered_on": "2026-03-05",
                         "previous": "ТСР-0000003", "previous_on": "2025-02-10"},
}


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_every_rule_has_a_name_and_a_sentence_for_each_outcome(language):
    with translation.override(language):
        names = {code: reasons.name(code) for code in Reason.values}
        assert len(set(names.values())) == len(Reason.values)
        for code in Reason.values:
            assert names[code] and not CODES.search(names[code])
            assert reasons.failure(code) and not CODES.search(reasons.failure(code))
            for passed in (True, False):
                sentence = reasons.finding(code, passed, FACTS[code])
                assert sentence and not CODES.search(sentence), (code, passed)
                assert not ISO_DATE.search(sentence), sentence
                if language != "en":  # written in the page's language
                    assert re.search("[а-яәғқңөұүі]", sentence.lower()), sentence
        assert reasons.finding(Reason.ENTITLEMENT, True, FACTS[Reason.ENTITLEMENT]).count(
            "01.01.2025") == 1
        failed_term = reasons.finding(Reason.REPLACEMENT, False, FACTS[Reason.REPLACEMENT])
        assert "ТСР-0000003" in failed_term and "10.02.2025" in failed_term
        assert "48" in failed_term


def test_the_cap_reads_in_tenge_with_spaces_and_its_outcome():
    facts = {"price": "320000.00", "cap": "320000.00"}
    with translation.override("en"):
        assert reasons.statement(Reason.CAP, True, True, facts) == (
            "The price 320\u00a0000\u00a0₸ does not exceed the cap 320\u00a0000\u00a0₸ "
            "— passed")
        above = reasons.statement(Reason.CAP, False, False, FACTS[Reason.CAP])
        assert "335\u00a0000\u00a0₸" in above and "15\u00a0000\u00a0₸" in above
        assert above.endswith("— noted")
        assert reasons.statement(Reason.NO_CAP, False, True, {}).endswith("— failed")
    with translation.override("ru"):
        assert reasons.statement(Reason.CAP, True, True, facts) == (
            "Цена 320\u00a0000\u00a0₸ не превышает предельную цену 320\u00a0000\u00a0₸ "
            "— пройдена")


@pytest.mark.django_db
def test_the_checks_keep_facts_and_the_claim_page_shows_words(market: Market, client_for):
    at_the_cap = Offer.objects.create(supplier=market.supplier, item=market.wheelchair,
                                      title="Ortonica Cap", price=market.cap.amount,
                                      delivery=["home"], lead_time_days=5)
    market.offer = at_the_cap
    claim = received(market).reimbursement
    cap = claim.checks.get(code=Reason.CAP)
    assert cap.passed and cap.facts["price"] == cap.facts["cap"] == str(market.cap.amount)
    assert claim.checks.get(code=Reason.NOT_RECEIVED).facts["received_on"] == \
        timezone.localdate().isoformat()

    page = client_for(market.accountant).get(f"/ru/portal/office/claims/{claim.pk}/")
    body = page.content.decode()
    assert not CODES.search(body)  # no rule code on the page
    cap_words = f"{int(market.cap.amount):,}".replace(",", "\u00a0") + "\u00a0₸"
    with translation.override("ru"):
        assert str(Reason.CAP.label) in body
        assert f"Цена {cap_words} не превышает предельную цену {cap_words}." in body
        assert str(reasons.Outcome.PASSED.label) in body
    # The same claim in English: the sentence follows the page's language.
    english = client_for(market.accountant).get(f"/en/portal/office/claims/{claim.pk}/")
    assert f"The price {cap_words} does not exceed the cap {cap_words}." in \
        english.content.decode()


@pytest.mark.django_db
def test_a_claim_rejected_by_a_person_says_who_as_what_when_and_why(market: Market,
                                                                    client_for):
    claim = received(market).reimbursement
    claim = reimbursement.reject(claim, "Нет счёта-фактуры", by=market.accountant)
    assert (claim.rejected_by, claim.rejected_as) == (market.accountant, Stage.ACCOUNTANT)
    assert claim.rejected_at is not None
    rejection = claim.rejection
    assert rejection is not None and not rejection.by_rules
    for user in (market.accountant, market.supplier_user):
        url = f"/ru/portal/office/claims/{claim.pk}/" if user == market.accountant \
            else f"/ru/portal/supplier/claims/{claim.pk}/"
        body = client_for(user).get(url).content.decode()
        assert market.accountant.get_full_name() in body
        assert "бухгалтер" in body and market.accountant.organisation.name_ru in body
        assert timezone.localtime(claim.rejected_at).strftime("%d.%m.%Y, %H:%M") in body
        assert "«Нет счёта-фактуры»" in body


@pytest.mark.django_db
def test_a_claim_the_rules_reject_says_so_and_which_rule(market: Market, client_for):
    received(market)
    second = received(market, entitle(market.person, market.wheelchair, version=2))
    claim = second.reimbursement
    assert claim.state == Stage.REJECTED and claim.rejected_by is None
    assert claim.rejected_at == claim.checked_at
    assert [c.code for c in claim.rejection.failed] == [Reason.REPLACEMENT]
    body = client_for(market.supplier_user).get(
        f"/ru/portal/supplier/claims/{claim.pk}/").content.decode()
    with translation.override("ru"):
        assert "Отклонено проверкой правил" in body
        assert str(Reason.REPLACEMENT.label) in body
    assert not CODES.search(body)
    # The order's history says what failed in words, though its log keeps the codes.
    filed = second.events.get(to_state=Stage.REJECTED)
    assert filed.comment == f"{Reason.CAP}, {Reason.REPLACEMENT}"
    order_page = client_for(market.supplier_user).get(
        f"/ru/portal/orders/{second.pk}/").content.decode()
    assert not CODES.search(order_page)
    with translation.override("ru"):
        assert str(reasons.FAILURES[Reason.REPLACEMENT]) in order_page


def test_the_migration_reads_the_old_lines_into_facts():
    migration = importlib.import_module(
        "tendik.portal.migrations.0005_claim_facts_and_rejection")
    moment = timezone.make_aware(dt.datetime(2026, 3, 5, 23, 30))
    ipr = SimpleNamespace(number="ИПР-7", version=1, valid_from=dt.date(2025, 1, 1),
                          valid_to=None, person_id=1)
    order = SimpleNamespace(
        received_at=moment, ordered_on=dt.date(2026, 3, 1), person_id=1, item_id=2,
        quantity=1, unit_price="335000.00", unit_cap="320000.00",
        entitlement=SimpleNamespace(ipr=ipr, item_id=2, quantity=1),
        item=SimpleNamespace(replacement_months=48))

    def facts(code: str, detail: str) -> dict:
        return migration.facts_of(SimpleNamespace(code=code, detail=detail), order)

    assert facts("ENT-BALANCE", "1 + 2 / 4") == {"earlier": 1, "quantity": 2, "granted": 4}
    assert facts("PRICE-CAP", "335000.00 > 320000.00 (Приказ № 1)") == {
        "price": "335000.00", "cap": "320000.00", "legal_act": "Приказ № 1"}
    assert facts("PRICE-CAP", "320000.00 ≤ 320000.00")["cap"] == "320000.00"
    assert facts("REPL-TERM", "ТСР-0000003 received on 2025-02-10; the term is 48 months") \
        == {"months": 48, "delivered_on": "2026-03-05", "previous": "ТСР-0000003",
            "previous_on": "2025-02-10"}
    assert facts("ENT-VALID", "ИПР-7 v1: 2025-01-01–…")["valid_to"] is None
    assert facts("NOT-RECEIVED", "") == {"received_on": "2026-03-05"}
