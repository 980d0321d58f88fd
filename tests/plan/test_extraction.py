"""The extractor of decree No. 326's table, against measures checked by hand.

Each expected record below was read off the raw fragments of
tendik/plan/data/decree_326_ru.txt (the line numbers say where), not off the extractor's
output; the global checks hold for every measure.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tendik.plan.extraction import (
    DATA_DIR,
    abbreviations,
    collapse_letter_spacing,
    dumps,
    parse_targets,
    plan_document,
    read_table,
    write_plan_json,
)

TEXT_PATH = DATA_DIR / "decree_326_ru.txt"
RECORD_KEYS = {"number", "in_source", "direction", "title", "completion_form", "executors",
               "deadline", "cost", "funding", "targets"}
CODES = {"МТСЗН", "МЗ", "МП", "МОН", "МНВО", "МИОР", "МИИР", "МФ", "МКС", "МВД", "МЦРИАП",
         "МНЭ", "МВК", "МИО"}
FORM_KINDS = {"order", "government_decree", "information", "proposals", "report",
              "statistical_data", "methodological_recommendations", "recommendations",
              "articles_and_publications", "protocol", "map", "law", "other"}
DIRECTION_TITLES = {
    3: "Повышение эффективности социальной реабилитации и абилитации",
    4: "Модернизация системы социального обслуживания",
    5: "Совершенствование стандартов специальных социальных услуг и тарифообразования",
    6: "Статус социального работника",
    7: "Развитие культурных и спортивных мероприятий для лиц с инвалидностью",
    8: "Безбарьерная среда",
    9: "Экономическая самостоятельность и качественная занятость",
    10: "Модернизация общественного сознания",
}
# The first measure under each heading (the heading's line in the text: 2059, 2933, 3870,
# 4333, 4579, 4878, 5363, 5535); 14–29 come before the first heading found.
FIRST_OF_DIRECTION = {2: 14, 3: 30, 4: 45, 5: 63, 6: 68, 7: 73, 8: 78, 9: 89, 10: 93}


@pytest.fixture(scope="module")
def text() -> str:
    return TEXT_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def document(text: str) -> dict[str, Any]:
    return plan_document(text)


@pytest.fixture(scope="module")
def measures(document: dict[str, Any]) -> dict[int, dict[str, Any]]:
    return {m["number"]: m for m in document["measures"]}


def year(value: int) -> dict[str, Any]:
    return {"kind": "year", "start_year": value, "end_year": value, "text": f"{value} год"}


def years(start: int, end: int, text: str) -> dict[str, Any]:
    return {"kind": "range", "start_year": start, "end_year": end, "text": text}


def percent(**values: float) -> dict[str, dict[str, Any]]:
    return {y.lstrip("y"): {"value": v, "unit": "%"} for y, v in values.items()}


ANNUAL = {"kind": "annual", "start_year": None, "end_year": None, "text": "ежегодно"}
NOT_REQUIRED = {"kind": "not_required", "text": "не требуются"}
WITHIN_FUNDS = {"kind": "within_allocated_funds", "text": "в пределах предусмотренных средств"}
NO_FUNDING = {"code": None, "name": None}
SCHOOLS_099 = {"code": "099", "name": "Обеспечение доступности качественного школьного "
                                      "образования"}
INFO = {"kind": "information", "text": "информация в МТСЗН"}
PROPOSALS = {"kind": "proposals", "text": "предложения в МТСЗН"}


def measure(title: str, form: dict[str, Any], executors: list[str], deadline: dict[str, Any],
            cost: dict[str, Any] = NOT_REQUIRED, funding: dict[str, Any] = NO_FUNDING,
            targets: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"title": title, "completion_form": form, "executors": executors,
            "deadline": deadline, "cost": cost, "funding": funding, "targets": targets or {}}


EXPECTED: dict[int, dict[str, Any]] = {
    # lines 1258–1302: the first row in the text; its deadline comes after a page break,
    # after the title's end «м и  образо…»
    14: measure("Мониторинг выполнения материально–технического сопровождения "
                "образовательного процесса детей с особыми образовательными потребностями",
                INFO, ["МП", "МИО"], ANNUAL),
    # 1304–1351: «МНВО¦,» cut, deadline and cost on one line
    15: measure("Мониторинг создания условий для обучения лиц (детей) с особыми "
                "образовательными потребностями (в дошкольных организациях, "
                "общеобразовательных школах, колледжах и ВУЗах)",
                INFO, ["МНВО", "МП", "МИО"], years(2019, 2023, "2019–2023 годы")),
    # 1482–1530: «М З ,» letter-spaced, a budget programme
    19: measure("Разработка типовых учебных программ для детей с особыми образовательными "
                "потребностями в зависимости от степени нарушения",
                {"kind": "order", "text": "приказ"}, ["МОН", "МЗ", "МТСЗН"], year(2020),
                WITHIN_FUNDS, SCHOOLS_099),
    # 1648–1707: the number after «Обеспечение учебниками»; executor and deadline in one
    # block «МОН¦2019¦-2021 годы»
    22: measure("Обеспечение учебниками для детей с особыми образовательными потребностями "
                "(укрупненным шрифтом и шрифтом Брайля, для детей с нарушением интеллекта) "
                "по обновленной программе",
                INFO, ["МОН"], years(2019, 2021, "2019-2021 годы"), WITHIN_FUNDS, SCHOOLS_099),
    # 2059–2143: after the heading of direction 3, the number in the middle of the title,
    # which goes on with a capital («Республики Казахстан от 3 0  января…»)
    30: measure("Внесение изменений и дополнений в приказ Министра здравоохранения и "
                "социального развития Республики Казахстан от 30 января 2015 года № 44 \"Об "
                "утверждении Правил проведения медико–социальной экспертизы\" в части "
                "расширения перечня заболеваний, при которых не требуется "
                "переосвидетельствование",
                {"kind": "order", "text": "приказ"}, ["МТСЗН", "МЗ", "МИО"], year(2019)),
    # 2372–2500: the deadline's «2023» before the number, its «год» after the form;
    # «приказ¦МТСЗ¦Н» is the form, «МТСЗ¦Н,¦МИО» the executors
    35: measure("Внесение изменений в приказ исполняющего обязанности Министра труда и "
                "социальной защиты населения Республики Казахстан от 16 февраля 2022 года "
                "№ 60 \"Об утверждении Правил допуска поставщиков товаров и (или) услуг на "
                "портал социальных услуг, их регистрации или снятия с регистрации на портале "
                "социальных услуг\" в части пересмотра квалификационных требований к "
                "поставщикам товаров и услуг, реализуемых через портал социальных услуг, и "
                "компетенции комиссии местных исполнительных органов по мониторингу "
                "соответствия поставщиков установленным квалификационным требованиям",
                {"kind": "order", "text": "приказ МТСЗН"}, ["МТСЗН", "МИО"], year(2023)),
    # 2735–2823: three organisations «(по согласованию)» without a code; the last of them
    # and the deadline come after the title's end
    42: measure("Проработка вопроса создания центров дневного пребывания для детей с "
                "расстройствами аутистического спектра и другими ментальными нарушениями",
                INFO, ["МИО"], years(2023, 2025, "2023-2025 годы")),
    # 2875–2931: the number mid-title; a target «доля обученны: 2024 – 75%»
    44: measure("Выработка рекомендаций по адаптации Международной классификации "
                "функционирования ограничений жизнедеятельности и здоровья в системе "
                "медико-социальной экспертизы",
                {"kind": "recommendations", "text": "рекомендации"}, ["МТСЗН", "МЗ", "МИО"],
                year(2024), targets=percent(y2024=75)),
    # 3159–3198: МНЭ, missing from the note of abbreviations
    48: measure("Выработка предложений по трансформации организаций региональных отделов "
                "занятости и социальных программ",
                PROPOSALS, ["МНЭ", "МИО"], year(2023)),
    # 3363–3478: number mid-title, the title's end and «требу¦ются» after a page break
    53: measure("Разработка алгоритма поэтапной деинституционализации действующих "
                "медико-социальных учреждений: а) поэтапная деинституционализация крупных "
                "домов-интернатов социального обслуживания в дома малой вместимости; б) "
                "рассмотрение возможности введения механизма аккредитации субъектов, "
                "предоставляющих специальные социальные услуги; в) проработка вопроса "
                "передачи на аутсорсинг отдельных видов специальных социальных услуг, "
                "предоставляемых медико-социальными учреждениями",
                {"kind": "other", "text": "Дорожная карта"}, ["МТСЗН", "МП", "МЗ", "МИО"],
                year(2023)),
    # 3613–3658: form and executor on one line «в МИО»; «МТСЗ¦Н» ends the form later;
    # «год·н е  ¦требу¦ются» deadline and cost on one line
    57: measure("Выработка предложений по обучению индивидуальных помощников, социальных "
                "работников, а также членов семей по оказанию услуг для лиц с инвалидностью",
                PROPOSALS, ["МИО"], year(2023)),
    # 3712–3750: the form «методи¦ческие» finished by «рекоме¦ндации» after the title's end
    59: measure("Определение модели взаимодействия одного социального работника с двумя "
                "волонтерами",
                {"kind": "methodological_recommendations", "text": "методические рекомендации"},
                ["МТСЗН", "МИО"], year(2020)),
    # 3870–4059: after heading 5, number mid-title, the title goes on past the other cells
    # and a page break («х  и  ¦косвен…», «рекоме¦ндаций»)
    63: measure("Формирование и совершенствование тарифообразования: а) проведение анализа "
                "консолидированного бюджета медико-социальных учреждений по всем источникам "
                "финансирования, включая бюджетные и внебюджетные средства, и статьям "
                "затрат; б) проведение хронометражных работ и расчет стоимости оказания "
                "специальных социальных услуг в сфере социальной защиты в зависимости от "
                "вида организации, категории получателя услуг для использования на портале "
                "социальных услуг; в) определение норм прямых и косвенных расходов "
                "медико-социальных учреждений, включая нормы себестоимости и прибыли при "
                "оказании специальных социальных услуг на основе анализа консолидированного "
                "бюджета, текущего состояния государственных активов, бизнес-процессов и "
                "функций с подготовкой методических рекомендаций",
                {"kind": "other", "text": "Дорожная карта"}, ["МТСЗН"], year(2023)),
    # 4446–4490: «2023¦не требуются», then «в¦МТСЗ¦Н» and «МИО год»: executor and deadline
    # ends on one line
    70: measure("Выработка предложений по сертификации и аттестации работников социальных "
                "служб, в том числе педагогических работников",
                PROPOSALS, ["МП", "МЗ", "МИО"], year(2023)),
    # 4641–4716: number mid-title, «ежегодно¦в пределах…», targets with decimals
    74: measure("Обеспечение организации тренировочного процесса спортсменов–инвалидов в "
                "детских юношеских спортивных школах, школах высшего спортивного мастерства, "
                "центрах олимпийской подготовки и центрах подготовки олимпийского резерва",
                INFO, ["МКС", "МИО"], ANNUAL, WITHIN_FUNDS,
                {"code": "036", "name": "Развитие спорта высших достижений"},
                percent(y2019=11.7, y2020=12.2, y2021=12.7)),
    # 4717–4769: form and executor on one line «инфор¦мация МКС,»; «в¦МТСЗ¦Н» later
    75: measure("Проработка вопроса по закреплению за национальными сборными "
                "комплексно–научных групп, включающих спортивного врача, спортивного "
                "психолога, биомеханика, массажиста и нутрициолога",
                INFO, ["МКС", "МИО"], year(2020)),
    # 4971–5022: «приказ МИИР¦2019¦год»: form, executor and deadline in one block; the last
    # column's label «льгота на проезд…» has no yearly value
    80: measure("Установление льготы в размере 50 % на проезд железнодорожным транспортом "
                "для лиц с инвалидностью I–группы и для детей инвалидов",
                {"kind": "order", "text": "приказ"}, ["МИИР"], year(2019),
                {"kind": "within_allocated_funds", "text": "в рамках предусмотренных средств"},
                {"code": "015", "name": "Субсидирование железнодорожных пассажирских "
                                        "перевозок по социально значимым межобластным "
                                        "сообщениям"}),
    # 5024–5049: the number inside the title's block, «81 данных на»
    81: measure("Мониторинг наполнения и актуализация данных на информационном портале "
                "\"Интерактивная карта доступности\"",
                {"kind": "map", "text": "карта доступности"}, ["МИО"], ANNUAL),
    # 5102–5135
    83: measure("Мониторинг охвата и доступности флюорографическим, маммографическим "
                "исследованием лиц с инвалидностью",
                INFO, ["МЗ", "МИО"], ANNUAL,
                targets=percent(y2020=70, y2021=80, y2022=90, y2023=100)),
    # 5438–5500: «отчет¦МИО»: form and executor in one block
    91: measure("Субсидирование затрат работодателя на создание специальных рабочих мест "
                "для трудоустройства лиц с инвалидностью",
                {"kind": "report", "text": "отчет"}, ["МИО"], year(2019), WITHIN_FUNDS,
                {"code": "062", "name": "Целевые текущие трансферты областным бюджетам, "
                                        "бюджетам городов республиканского значения, "
                                        "столицы на субсидирование затрат работодателя на "
                                        "создание специальных рабочих мест для "
                                        "трудоустройства инвалидов"}),
    # 5542–5573: «приказ¦МТСЗН,¦МИО»: the form and a list of executors in one block
    93: measure("Разработка методических рекомендаций по определению порядка назначения "
                "советников министров/акимов регионов по вопросам инвалидности",
                {"kind": "order", "text": "приказ"}, ["МТСЗН", "МИО"], year(2021)),
    # 5575–5646: the title's end and the last two targets after a page break
    94: measure("Размещение в средствах массовой информации публикаций и статей, "
                "выступлений на телеканалах, направленных на формирование позитивного "
                "отношения общества к проблемам лиц с инвалидностью в рамках единого "
                "республиканского медиа–плана",
                {"kind": "articles_and_publications", "text": "статьи, публикации, материалы"},
                ["МИОР", "МТСЗН", "МИО"], ANNUAL, WITHIN_FUNDS,
                {"code": "003", "name": "Проведение государственной информационной политики"},
                percent(y2019=5, y2020=10, y2021=15, y2022=20, y2023=25, y2024=30)),
    # 5648–5693: the last row, just before the note of abbreviations
    95: measure("Вынесение на рассмотрение Межведомственной комиссии по международному "
                "гуманитарному праву и правам человека при Правительстве Республики "
                "Казахстан вопроса о ратификации Факультативного протокола к Конвенции о "
                "правах инвалидов",
                {"kind": "protocol", "text": "протокол МВК"}, ["МТСЗН", "МИО"], year(2022)),
}


@pytest.mark.parametrize("number", sorted(EXPECTED))
def test_measure_checked_by_hand(measures: dict[int, dict[str, Any]], number: int) -> None:
    record = measures[number]
    assert record["in_source"] is True
    for key, value in EXPECTED[number].items():
        assert record[key] == value, f"measure {number}: {key}"


def test_the_checked_measures_span_every_direction_in_the_text(
        measures: dict[int, dict[str, Any]]) -> None:
    assert {measures[n]["direction"]["number"] for n in EXPECTED} == set(range(2, 11))


# -- the whole table -----------------------------------------------------------------------


def test_95_measures_in_order_82_of_them_from_the_text(document: dict[str, Any]) -> None:
    records = document["measures"]
    assert [m["number"] for m in records] == list(range(1, 96))
    assert all(set(m) == RECORD_KEYS for m in records)
    assert sum(m["in_source"] for m in records) == 82
    assert [m["number"] for m in records if not m["in_source"]] == list(range(1, 14))


def test_rows_missing_from_the_text_invent_nothing(measures: dict[int, dict[str, Any]]) -> None:
    for number in range(1, 14):
        record = measures[number]
        assert record["title"] is None and record["direction"] is None
        assert record["executors"] == [] and record["targets"] == {}
        for key in ("completion_form", "deadline", "cost", "funding"):
            assert set(record[key].values()) == {None}, (number, key)


def test_the_tail_of_row_13_is_left_aside(text: str) -> None:
    orphans = " ".join(block.text for block in read_table(text).orphans)
    assert orphans.endswith("МП, МИО ежегодно не требуются")


def test_directions(document: dict[str, Any], measures: dict[int, dict[str, Any]]) -> None:
    directions = document["directions"]
    assert [d["number"] for d in directions] == list(range(1, 11))
    assert directions[0] == {"number": 1, "title": None, "in_source": False}
    assert directions[1] == {"number": 2, "title": None, "in_source": False}
    assert {d["number"]: d["title"] for d in directions[2:]} == DIRECTION_TITLES
    assert all(d["in_source"] for d in directions[2:])
    starts = sorted(FIRST_OF_DIRECTION.items())
    for (number, first), (_next, following) in zip(starts, [*starts[1:], (11, 96)],
                                                   strict=True):
        for n in range(first, following):
            assert measures[n]["direction"] == {"number": number,
                                                "title": DIRECTION_TITLES.get(number)}, n


REAL_SHORT_WORDS = {"и", "в", "с", "к", "о", "у", "а", "по", "на", "не", "за", "из", "до",
                    "от", "их", "во", "со", "об"}


def leftovers(text: str) -> list[str]:
    """Pieces of cut or letter-spaced words: a token of one or two Cyrillic letters that is
    no Russian word (an enumerator «б)» and an abbreviation «СТ», «РК» are fine), a word
    that starts as no Russian word does, a capital inside a lower-case word, spacing around
    punctuation."""
    found = []
    for token in text.split(" "):
        core = token.strip(".,;:()\"«»")
        if re.fullmatch(r"[а-я]\)[,;:]?", token):
            continue  # «а)», «б)», «в)»
        abbreviation = core.isupper() and len(core) == 2
        if (re.fullmatch(r"[А-ЯЁа-яёҚқ]{1,2}", core) and not abbreviation
                and core.lower() not in REAL_SHORT_WORDS):
            found.append(token)
        if re.match(r"[ьъы]", core.lower()) or re.search(r"[а-яё][А-ЯЁ]", core):
            found.append(token)
    found += re.findall(r"\s[,.;:)]|\(\s|\s{2,}", text)
    return found


def test_leftover_check_catches_fragments() -> None:
    assert leftovers("Монит оринг выпол нения и я н а") == ["я", "н"]
    assert leftovers("образо вания ьными приказМинистра услуг ,") == [
        "ьными", "приказМинистра", " ,"]
    assert leftovers("в) проработка вопроса о ратификации, СТ РК 2191-2012 и (или)") == []


def test_no_fragment_is_left_in_the_text_fields(document: dict[str, Any]) -> None:
    for record in document["measures"]:
        if not record["in_source"]:
            continue
        fields = [record["title"], record["completion_form"]["text"],
                  record["deadline"]["text"], record["cost"]["text"],
                  record["funding"]["name"] or ""]
        for field in fields:
            assert leftovers(field) == [], (record["number"], field)
        title = record["title"]
        assert title[0].isupper() and title.count('"') % 2 == 0, record["number"]
        for piece in ("Монит оринг", "образо вания", " и я ", " н а ", "МТСЗ Н"):
            assert piece not in title


def test_every_field_has_its_shape(document: dict[str, Any]) -> None:
    for record in document["measures"]:
        if not record["in_source"]:
            continue
        number = record["number"]
        assert record["executors"] and set(record["executors"]) <= CODES, number
        assert record["completion_form"]["kind"] in FORM_KINDS, number
        deadline = record["deadline"]
        if deadline["kind"] == "year":
            assert deadline["start_year"] == deadline["end_year"], number
            assert deadline["text"] == f"{deadline['start_year']} год"
        elif deadline["kind"] == "range":
            assert 2019 <= deadline["start_year"] < deadline["end_year"] <= 2025, number
        else:
            assert deadline == ANNUAL, number
        cost, funding = record["cost"], record["funding"]
        if cost["kind"] == "not_required":
            assert cost == NOT_REQUIRED and funding == NO_FUNDING, number
        else:
            assert cost["kind"] == "within_allocated_funds", number
            assert re.fullmatch(r"\d{3}", funding["code"]) and funding["name"], number
        for key, target in record["targets"].items():
            assert re.fullmatch(r"20(19|2[0-5])", key) and target["unit"] == "%", number


def test_targets_only_where_the_text_gives_yearly_values(
        measures: dict[int, dict[str, Any]]) -> None:
    assert sorted(n for n, m in measures.items() if m["targets"]) == [44, 74, 83, 94]


def test_budget_programmes(measures: dict[int, dict[str, Any]]) -> None:
    codes = {n: m["funding"]["code"] for n, m in measures.items() if m["funding"]["code"]}
    assert codes == {19: "099", 22: "099", 33: "067", 74: "036", 80: "015", 91: "062",
                     94: "003"}
    assert measures[33]["funding"]["name"] == ("Обеспечение реализации проектов, "
                                               "осуществляемых совместно с международными "
                                               "организациями")


def test_executor_codes_come_from_the_note_and_mne(text: str,
                                                   measures: dict[int, dict[str, Any]]) -> None:
    assert set(abbreviations(text)) == CODES
    used = {code for m in measures.values() for code in m["executors"]}
    assert used == CODES - {"МВК"}  # МВК is named in the form «протокол МВК» (95) only
    assert [n for n, m in measures.items() if "МНЭ" in m["executors"]] == [48]


# -- reproducibility --------------------------------------------------------------------------


def test_the_committed_data_file_is_what_the_extractor_writes(document: dict[str, Any]) -> None:
    committed = (DATA_DIR / "measures.json").read_text(encoding="utf-8")
    assert committed == dumps(document)


def test_write_plan_json(tmp_path: Path) -> None:
    out = tmp_path / "measures.json"
    document = write_plan_json(TEXT_PATH, out)
    written = out.read_text(encoding="utf-8")
    assert written == dumps(document)
    assert "Мониторинг" in written and "\\u04" not in written  # UTF-8, not escaped
    assert written.startswith('{\n  "source": ') and written.endswith("}\n")


# -- the pieces -----------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "text"), [
    ("и я  образо", "ия образо"),
    ("М З ,  ", "МЗ,"),
    ("3 0  января", "30 января"),
    ("год н е  ", "год не"),
    ("и  ( в  ", "и (в"),
    ("й и статей,", "й и статей,"),  # single spaces only: real words
    ("и о правах ", "и о правах"),
])
def test_collapse_letter_spacing(raw: str, text: str) -> None:
    assert collapse_letter_spacing(raw) == text


def test_parse_targets() -> None:
    assert parse_targets("доля спортсменов: 2019–11,7% 2020 –12,2 % 2021– 12,7 %") == percent(
        y2019=11.7, y2020=12.2, y2021=12.7)
    assert parse_targets("льгота на проезд железнодорожным транспортом") == {}
