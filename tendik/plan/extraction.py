"""Reassemble the table of measures of decree No. 326 from its broken PDF-to-text dump.

The decree's appendix («План мероприятий…») is a table: № | measure | form of completion |
executors | deadline | estimated cost | source of funding, and in four rows yearly targets
in a last column. The text dump (``data/decree_326_ru.txt``) lost the table's geometry.
Every cell was cut into lines as wide as its column, often inside a word and without a
hyphen («Монит|оринг»), some lines are letter-spaced («и я  », «н а  »), and the pieces of a
row were written band by band: a horizontal slice of the row, its cells left to right, then
the next slice. So a cell's end often comes after the other cells' beginnings, and a row's
number (centred in its cell) in the middle of the row. ``extract_plan`` puts the rows back
together in five steps.

1. **Find the table**: from the footnote under the appendix's heading to the note
   «Примечание: расшифровка аббревиатур», which also gives the executors' codes.
2. **Read lines.** Letter-spacing is undone: a run of single characters separated by
   single spaces and closed by two spaces is one word («и я  » → «ия», «М З ,  » → «МЗ,»,
   «3 0  » → «30»). A line that ends in whitespace ends a word. One that does not may end
   inside a word («Монит» + «оринг») or at a word's end («детей с» + «особы»): the dump
   does not say which, step 4 decides.
3. **Split into blocks, blocks into rows and cells.** Blank lines separate blocks. A block
   that is only the next expected number (14, 15, …), or that starts with it followed by
   lower-case text (row 81), starts a row; «N. Title» with a letter-spaced number is the
   heading of direction N. Every other block is read by what it holds, in the light of
   the row so far: a cell left unfinished is finished first («2020» … «год», «не» …
   «требуются», «предложения» … «в МТСЗН», «методические» … «рекомендации»); then yearly
   targets («2020 –70%»), a budget programme («в рамках бюджетной программы…»), a cost
   («не требуются», «в пределах… средств»), a deadline (a year, «год», «ежегодно», a
   range), executors (codes, or organisations «(по согласованию)»), a form of completion
   (a closed set of nouns: информация, предложения, приказ, …), or else title text. Within
   a block a line moves on to a later cell when it stops fitting the current one, which
   takes apart cells merged into one block or one line («ежегодно не требуются»,
   «МИО¦2023¦год», «инфор¦мация МКС,»). Title text is the row's when it is the first after
   the row's number or starts in lower case; title text that starts with a capital after
   the row's title has begun opens the next row, and what follows it before that row's
   number (say its deadline) is that row's too.
4. **Rejoin words.** At each undecided line break of a cell, joining and spacing are both
   tried and dynamic programming keeps the reading of least cost: known words cost little,
   unknown words cost by their length, one-letter and short pieces that start at a break
   cost more (they are mostly cut-off endings: «справк|а», «педагогическ|их»). Words are
   known when they occur in the decree's running text (sections 1–3 and the note), stand
   whole inside a line of the table, are an inflected form of such a word, or are in the
   short hand-checked SUPPLEMENT of table words missing from the running text.
5. **Parse the cells** into fields: the kind of the form of completion, the executors'
   codes, the deadline's years, the cost's kind, the budget programme's code and name, and
   the yearly targets.

Known traps of this dump, each handled above:

* Rows 1–13 and the headings of directions 1 and 2 are not in the text. A stray tail of
  row 13 («…го образования | информация в МТСЗН | МП, МИО | ежегодно не требуются») sits
  between the appendix's footnote and row 14; it is ignored. Measures 1–13 are returned
  with ``in_source`` false and no content. Rows 14–29 precede the heading of direction 3
  and follow the missing rows, so they belong to direction 2 (title unknown).
* A row's number falls in the middle of the row, after the start of its title (22, 27,
  30, 31, 35, 44, 45, 53, 55, 63, 66, 67, 69, 74, 79, 81, 84, 88); in 35 the deadline's
  «2023» also comes before the number. In 81 the number shares a line with the title
  («81 данных на…»): the row hides inside the title's block.
* Page breaks split cells, so a title's end, a deadline's «год», a cost's «требуются» or a
  form's end («в МТСЗН», «рекомендации») come after the row's other cells; the targets
  of 94 are split in two blocks.
* Form and executor share a line: «в МИО» in 57 is the form's «в» (its addressee, МТСЗН,
  comes later: the addressee of a form is always the plan's coordinator) and the
  executor МИО; «приказ МИИР» in 80 and «отчет | МИО» in 91 are form and executor (a code
  at the end of a form belongs to the form — «приказ МТСЗН», «протокол МВК» — unless the
  row has no other executor); «приказ | МТСЗН, | МИО» in 93 is the form «приказ» and two
  executors (a code with a comma starts the list).
* Codes are cut across lines and letter-spaced («МТСЗ¦Н», «МЦРИ¦АП», «МНВО¦,», «М З ,»).
  МНЭ (measure 48) is missing from the note of abbreviations and is added (EXTRA_CODES).
* Measure 80's last column holds a label without yearly values («льгота на проезд
  железнодорожным транспортом»): told from title text by being wider than the title
  column, and not a target.

Choices: «ежегодно» (annual) deadlines have null ``start_year`` and ``end_year``: the text
gives no years, and the plan's span (2019–2025) would be an inference. Deadline, cost and
form texts keep the source's characters (a hyphen in «2019-2021 годы», an en dash in
«2019–2023 годы»). «проект приказа» (a draft order) is of kind ``order``; forms with no
kind of their own — «Дорожная карта» (53, 63), «аналитическая справка» (43), «проект
Концепции» (61), «нормативные правовые акты» (79), «портал социальных услуг» (33) — are
``other``, their wording kept in ``text``. Executors are codes only: measure 42's three
organisations «(по согласованию)» have none and are left out. Titles keep the decree's
words, its straight quotes and its typos («обсуживающихся» in 67, «обученны» in 44).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"
FIRST_ROW_IN_SOURCE = 14
LAST_ROW = 95
DIRECTIONS = 10
# Rows 14–29 come after the missing rows 1–13 and before the heading of direction 3.
FIRST_DIRECTION_IN_SOURCE = 2

SOURCE = (
    "Decree of the Government of the Republic of Kazakhstan No. 326 of 28 May 2019 «Об "
    "утверждении Национального плана по обеспечению прав и улучшению качества жизни лиц с "
    "инвалидностью в Республике Казахстан до 2025 года», appendix «План мероприятий по "
    "обеспечению прав и улучшению качества жизни лиц с инвалидностью в Республике Казахстан "
    "до 2025 года», as amended by decrees No. 850 of 26.10.2022, No. 1142 of 31.12.2022 and "
    "No. 236 of 17.03.2023; extracted from tendik/plan/data/decree_326_ru.txt by "
    "tendik.plan.extraction and reviewed by hand"
)

TABLE_END = "Примечание: расшифровка аббревиатур"
# Codes the table uses that its note of abbreviations does not list.
EXTRA_CODES = {"МНЭ": "Министерство национальной экономики Республики Казахстан"}
# The addressee of «информация в …», «предложения в …»: the plan's coordinator (decree,
# points 2 and 3).
COORDINATOR = "МТСЗН"

LETTER = "А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі"
CAPITALS = "А-ЯЁӘҒҚҢӨҰҮҺІ"
CONSONANTS = "бвгджзклмнпрстфхцчшщ"

# Forms of completion: (pattern on the rejoined text, kind); the first match wins.
FORM_KINDS: list[tuple[str, str]] = [
    (r"^(проект )?приказа?\b", "order"),
    (r"^постановлени[ея] Правительства", "government_decree"),
    (r"^закон", "law"),
    (r"^информаци[яи]", "information"),
    (r"^предложени[яй]", "proposals"),
    (r"^отч[её]т", "report"),
    (r"^статистическ", "statistical_data"),
    (r"^методическ\w+ рекомендаци", "methodological_recommendations"),
    (r"^рекомендаци", "recommendations"),
    (r"^(стать[ия]|публикаци)", "articles_and_publications"),
    (r"^протокол", "protocol"),
    (r"^карта", "map"),
]
# The words that open a form of completion: a block opening with one of them (or its first
# four letters or more: the dump cuts words) is the form, once the row has a title.
FORM_OPENERS = (
    "информация", "предложения", "приказ", "постановление", "рекомендации", "методические",
    "статистические", "проект", "дорожная", "аналитическая", "портал", "нормативные",
    "карта", "протокол", "отчет", "статьи", "закон",
)

# -- the rejoiner's vocabulary and costs (step 4) ---------------------------------------

# Inflectional endings, to know a word in a case the running text does not use.
ENDINGS = sorted(
    {"", "а", "я", "о", "е", "и", "ы", "у", "ю", "ь", "й", "ой", "ей", "ий", "ый", "ая",
     "яя", "ое", "ее", "ие", "ые", "ом", "ем", "ам", "ям", "ах", "ях", "ов", "ев", "ми",
     "ами", "ями", "ого", "его", "ому", "ему", "ых", "их", "ым", "им", "ую", "юю", "ию", "ия",
     "ии", "ью", "ием", "иям", "иями", "иях", "ение", "ения", "ению", "ением", "ений",
     "ениях", "ность", "ности", "ностью", "ностей", "ся", "ется", "ются", "ющих", "ющего",
     "ющим", "ющими", "ющихся", "ющегося", "щих", "ции", "ция", "цию", "ций", "циях", "ство",
     "ства", "стве", "ству", "ством"},
    key=len, reverse=True,
)
# Words of the table that the decree's running text lacks, checked by hand against the
# dump. Without the first two the rejoiner reads measure 16's «психолого–педагогической
# коррекции» as one word; the others widen the narrowest margins (63, 84, 14–29, 74–75).
SUPPLEMENT = frozenset({
    "педагогической", "коррекции", "себестоимости", "гидравлическим", "потребностями",
    "спортивного",
})
# Prepositions and conjunctions: known whatever the running text says.
SHORT_WORDS = frozenset({
    "и", "в", "с", "к", "о", "у", "а", "по", "на", "не", "за", "из", "до", "от", "во", "со",
    "об", "при", "для", "без", "под", "над", "или",
})
# How no Russian word starts: a piece that starts so is the end of a word.
WORD_INNER_STARTS = ("ь", "ъ", "ы", "ческ", "ическ")
# What starting a word at an undecided line break costs (see `_start_cost`).
LETTER_START_COST = {"и": 0.1}
DEFAULT_LETTER_START_COST = 0.5
SHORT_START_COST = 0.5


# -- step 1: the table --------------------------------------------------------------------


def table_bounds(lines: Sequence[str]) -> tuple[int, int]:
    """Indexes of the table's first line and of the note of abbreviations."""
    heading = next(i for i, line in enumerate(lines) if line.startswith("План мероприятий"))
    footnote = next(i for i in range(heading, len(lines)) if "Сноска." in lines[i])
    start = next(i for i in range(footnote, len(lines))
                 if lines[i].strip().endswith("опубликования).")) + 1
    end = next(i for i in range(start, len(lines)) if TABLE_END in lines[i])
    return start, end


def abbreviations(text: str) -> dict[str, str]:
    """The note «расшифровка аббревиатур» as code → name, with the codes it lacks."""
    codes: dict[str, str] = {}
    current = ""
    for raw in text[text.index(TABLE_END):].splitlines()[1:]:
        if raw.startswith("©"):
            break
        match = re.match(rf"\s*([{CAPITALS}]{{2,}}) – (.+)", raw)
        if match:
            current = match.group(1)
            codes[current] = match.group(2).strip()
        elif current and raw.strip():
            codes[current] += " " + raw.strip()
    codes.pop("АИС", None)  # «автоматизированная информационная система»: no executor
    return {**codes, **EXTRA_CODES}


# -- step 2: lines ------------------------------------------------------------------------

_SPACED_RUN = re.compile(r"(?<!\S)(\S(?: \S)+)(?= {2,})")


def collapse_letter_spacing(raw: str) -> str:
    """«и я  образования» → «ия образования»; «М З ,  » → «МЗ,»."""
    text = _SPACED_RUN.sub(lambda m: m.group(1).replace(" ", ""), raw)
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class Line:
    """One line of the dump: where it is, its text without letter-spacing, its end."""

    number: int  # 1-based, in the decree's text
    raw: str

    @property
    def text(self) -> str:
        return collapse_letter_spacing(self.raw)

    @property
    def closed(self) -> bool:
        """The line ends in whitespace: its last word is whole."""
        return self.raw != self.raw.rstrip()

    @property
    def width(self) -> int:
        return len(self.raw.rstrip())

    def part(self, text: str, closed: bool | None = None) -> Line:
        """A part of this line as a line of its own, closed like it unless told."""
        end = self.closed if closed is None else closed
        return Line(self.number, text + (" " if end else ""))


@dataclass(frozen=True)
class Block:
    """Lines between blank lines."""

    lines: tuple[Line, ...]

    @property
    def text(self) -> str:
        return " ".join(line.text for line in self.lines)

    @property
    def first(self) -> str:
        return self.lines[0].text

    @property
    def compact(self) -> str:
        """Lower case without spaces: «в рамках ¦бюджетно¦й» → «врамкахбюджетной»."""
        return self.text.replace(" ", "").lower()


def blocks_of(lines: Iterable[Line]) -> list[Block]:
    blocks: list[Block] = []
    current: list[Line] = []
    for line in lines:
        if line.text:
            current.append(line)
        elif current:
            blocks.append(Block(tuple(current)))
            current = []
    if current:
        blocks.append(Block(tuple(current)))
    return blocks


# -- step 3: rows and cells ---------------------------------------------------------------


class Col(IntEnum):
    """The table's columns, left to right."""

    TITLE = 0
    FORM = 1
    EXECUTORS = 2
    DEADLINE = 3
    COST = 4
    FUNDING = 5
    TARGETS = 6


CODE = rf"[{CAPITALS}]{{2,7}}"
_CODE_PIECE = rf"[{CAPITALS}]{{1,7}}"
_CODES = rf"{_CODE_PIECE}(?:\s*,\s*{_CODE_PIECE})*\s*,?"
_YEARS = r"(?:ежегодно|\d{4}(?:\s*[-–]\s*\d{4})?(?:\s+годы?)?|[-–]\s*\d{4}\s+годы|годы?)"
_DEADLINE_LINE = re.compile(rf"^{_YEARS}$")
_DEADLINE_HEAD = re.compile(rf"^({_YEARS})\s+(.+)$")
_COST_LINE = re.compile(r"^(?:не(?:\s|$)|в пределах|в рамках предусмот)")
_TARGET = re.compile(r"(?<!\d)(20\d\d)\s*[-–]\s*(\d+(?:,\d+)?)\s*%")
_HEADING = re.compile(r"^(\d{1,2})\.(?:\s+(.*))?$")


@dataclass
class Row:
    """The cells of one row as lists of lines, in the order the dump gives them."""

    number: int | None = None
    direction: int | None = None
    cells: dict[Col, list[Line]] = field(default_factory=dict)
    title_started: bool = False  # title text followed the row's number

    def add(self, col: Col, lines: Iterable[Line]) -> None:
        lines = list(lines)
        if lines:
            self.cells.setdefault(col, []).extend(lines)

    def text(self, col: Col) -> str:
        return " ".join(line.text for line in self.cells.get(col, []))

    def compact(self, col: Col) -> str:
        return self.text(col).replace(" ", "")


@dataclass
class Table:
    rows: list[Row]
    directions: dict[int, list[Line]]  # the headings found: number → the title's lines
    orphans: list[Block]  # blocks before the first row: the tail of row 13


def _is_form_opener(text: str) -> bool:
    word = text.split(" ")[0].lower().strip(",")
    return len(word) >= 4 and any(o.startswith(word) or word.startswith(o) for o in FORM_OPENERS)


def _form_awaits_addressee(row: Row) -> bool:
    """The form ends with «в»: its addressee (МТСЗН) comes later."""
    return row.text(Col.FORM).split(" ")[-1] == "в"


def _form_incomplete(row: Row) -> bool:
    """The form so far waits for its end: «… в», or a lone adjective («методические»)."""
    return _form_awaits_addressee(row) or re.fullmatch(
        rf"[{LETTER}]+(ие|ая)", row.compact(Col.FORM)) is not None


def _continuation(block: Block, row: Row) -> Col | None:
    """The cell of `row` that `block` finishes, if one is unfinished."""
    first = block.first
    if re.match(r"^годы?$", first) and re.fullmatch(r"\d{4}", row.compact(Col.DEADLINE)):
        return Col.DEADLINE  # «2020» … «год»
    if block.compact.startswith(("требу", "ются")) and row.compact(Col.COST) in {"не",
                                                                                "нетребу"}:
        return Col.COST  # «не» … «требуются»
    if Col.FORM in row.cells:
        if re.match(rf"^в\s*{_CODE_PIECE}", block.text) and " в" not in " " + row.text(Col.FORM):
            return Col.FORM  # «предложения» … «в МТСЗН»
        if _form_awaits_addressee(row) and re.fullmatch(_CODES, first):
            return Col.FORM  # «предложения в» … «МТСЗН»
        if _form_incomplete(row) and _is_form_opener(first):
            return Col.FORM  # «методические» … «рекомендации»
    if row.text(Col.EXECUTORS).endswith(",") and re.match(rf"^{CODE}", first):
        return Col.EXECUTORS  # «МП, МЗ,» … «МИО»
    return None


def _opening_col(block: Block, row: Row) -> Col | None:
    """The cell a block (no number, no heading) of `row` opens with; None for title text."""
    first, compact = block.first, block.compact
    following = _continuation(block, row)
    if following is not None:
        return following
    if _TARGET.search(block.text) or compact.startswith(("доля", "количеств")):
        return Col.TARGETS
    if compact.startswith("врамкахбюджетн"):
        return Col.FUNDING
    if _COST_LINE.match(first) or compact.startswith(("впределах", "врамкахпредусмот")):
        return Col.COST
    if _DEADLINE_LINE.match(first) or _DEADLINE_HEAD.match(first):
        return Col.DEADLINE
    if "(посогласованию)" in compact:
        return Col.EXECUTORS  # organisations without a code
    if re.fullmatch(_CODES, first) or re.fullmatch(rf"{_CODES}\s+{_YEARS}", first):
        return Col.EXECUTORS
    if Col.TITLE in row.cells and Col.FORM not in row.cells and _is_form_opener(first):
        return Col.FORM
    if Col.COST in row.cells and row.title_started:
        # a label in the targets column (80): wider than the lines of the title column
        title_width = max(line.width for line in row.cells[Col.TITLE])
        if max(line.width for line in block.lines) > title_width + 4:
            return Col.TARGETS
    return None


def _split_line(line: Line, col: Col) -> list[tuple[Col, Line]]:
    """A line of a block that is in cell `col`: its cell, or its pieces and their cells when
    cells share the line."""
    text = line.text
    if col == Col.FORM:
        match = re.match(rf"^(.*\S)\s+({CODE}(?:\s*,\s*{CODE})*\s*,)$", text)
        if match:  # «мация МКС,»: the form's end and the executors' start
            return [(Col.FORM, line.part(match.group(1))),
                    (Col.EXECUTORS, line.part(match.group(2)))]
        match = re.match(rf"^в ({CODE})$", text)
        if match and match.group(1) != COORDINATOR:  # «в МИО»: «в [МТСЗН]» and МИО
            return [(Col.FORM, line.part("в", closed=True)),
                    (Col.EXECUTORS, line.part(match.group(1)))]
        if re.fullmatch(rf"{_CODE_PIECE}(?:\s*,\s*{_CODE_PIECE})*\s*,", text):
            return [(Col.EXECUTORS, line)]  # «МТСЗН,»: the list of executors starts
        if _DEADLINE_LINE.match(text):
            return [(Col.DEADLINE, line)]
        return [(Col.FORM, line)]
    if col == Col.EXECUTORS:
        match = re.match(rf"^({CODE}(?:\s*,\s*{CODE})*,?)\s+({_YEARS}.*)$", text)
        if match:  # «МИО год»
            return [(Col.EXECUTORS, line.part(match.group(1), closed=True)),
                    *_split_line(line.part(match.group(2)), Col.DEADLINE)]
        if _DEADLINE_LINE.match(text) or _DEADLINE_HEAD.match(text):
            return _split_line(line, Col.DEADLINE)
        return [(Col.EXECUTORS, line)]
    if col == Col.DEADLINE:
        if _COST_LINE.match(text):
            return [(Col.COST, line)]
        match = _DEADLINE_HEAD.match(text)
        if match and _COST_LINE.match(match.group(2)):  # «2023 год не требуются»
            return [(Col.DEADLINE, line.part(match.group(1), closed=True)),
                    (Col.COST, line.part(match.group(2)))]
    return [(col, line)]


def read_table(text: str) -> Table:
    """The table's rows, each with the lines of its cells, and the directions' headings."""
    lines = text.splitlines()
    start, end = table_bounds(lines)
    rows: list[Row] = []
    directions: dict[int, list[Line]] = {}
    orphans: list[Block] = []
    direction = FIRST_DIRECTION_IN_SOURCE
    pending: Row | None = None  # the next row, met before its number
    expected = FIRST_ROW_IN_SOURCE
    for block in blocks_of(Line(i + 1, lines[i]) for i in range(start, end)):
        first = block.first
        merged = re.match(rf"^{expected}\s+(\S.*)$", first)
        if first == str(expected) or (merged and merged.group(1)[0].islower()):
            row = pending or Row()
            row.number, row.direction = expected, direction
            rows.append(row)
            pending = None
            expected += 1
            if merged:  # «81 данных на …»: the number shares a line with the title
                row.add(Col.TITLE, [block.lines[0].part(merged.group(1)), *block.lines[1:]])
                row.title_started = True
            continue
        heading = _HEADING.match(first)
        if heading and int(heading.group(1)) == direction + 1:
            direction = int(heading.group(1))
            title = [block.lines[0].part(heading.group(2))] if heading.group(2) else []
            directions[direction] = [*title, *block.lines[1:]]
            continue
        if not rows:
            orphans.append(block)
            continue
        row = rows[-1]
        if pending is not None and _continuation(block, row) is None:
            row = pending
        col = _opening_col(block, row)
        if col is None:  # title text
            if row is pending or not row.title_started:
                row.add(Col.TITLE, block.lines)
                row.title_started = row is not pending
            elif not first[0].isupper():
                row.add(Col.TITLE, block.lines)
            else:  # a capital after the row's title: the next measure begins
                pending = Row()
                pending.add(Col.TITLE, block.lines)
            continue
        for line in block.lines:
            for piece_col, piece in _split_line(line, col):
                row.add(piece_col, [piece])
                col = piece_col
    if pending is not None:
        raise ValueError(f"title text after the last row: {pending.text(Col.TITLE)!r}")
    return Table(rows, directions, orphans)


# -- step 4: rejoining words --------------------------------------------------------------


class Lexicon:
    """Words the decree spells out, to tell a word's end from a cut inside a word."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = {w.lower() for w in words}
        # stems: a word less an ending (a consonant-final word is its own stem)
        self.stems = {
            word[: len(word) - len(ending)]
            for word in self.words for ending in ENDINGS
            if word.endswith(ending) and len(word) - len(ending) >= 4
            and (ending or word[-1] in CONSONANTS)
        }

    @classmethod
    def from_decree(cls, text: str) -> Lexicon:
        """The words of the running text, of the SUPPLEMENT, and the table's whole words:
        those with a word boundary on both sides in the dump (a space, or the end of a line
        that ends in whitespace, the line before being in the same block)."""
        lines = text.splitlines()
        start, end = table_bounds(lines)
        words = re.findall(rf"[{LETTER}]+", "\n".join(lines[:start] + lines[end:]))
        words.extend(SUPPLEMENT)
        previous_closed = False
        for raw in lines[start:end]:
            line = Line(0, raw)
            tokens = line.text.split(" ")
            for k, token in enumerate(tokens):
                if (k > 0 or previous_closed) and (k < len(tokens) - 1 or line.closed):
                    words.extend(re.findall(rf"[{LETTER}]+", token))
            previous_closed = line.closed and bool(line.text)
        return cls(w for w in words if len(w) > 1 or w.lower() in SHORT_WORDS)

    def grade(self, part: str) -> float | None:
        """How well a word (no hyphen) is known: 1.0 as such, 0.5 as an inflected form of a
        known word (a stem and an ending), None not at all."""
        if re.search(r"\d", part) or re.fullmatch(r"[A-Za-z]+", part):
            return 1.0
        if re.fullmatch(rf"[{CAPITALS}]{{2,}}", part):
            return 1.0  # a code
        word = part.lower()
        if not re.fullmatch(rf"[{LETTER}]+", word):
            return None
        if word in SHORT_WORDS:
            return 1.0
        if len(word) <= 3:
            return 1.0 if len(word) > 1 and word in self.words else None
        if word in self.words:
            return 1.0
        inflected = any(word.endswith(e) and word[: len(word) - len(e)] in self.stems
                        for e in ENDINGS if e and len(word) - len(e) >= 4)
        return 0.5 if inflected else None

    def knows(self, token: str) -> bool:
        """Every part of the token (split at hyphens and dashes) is known."""
        core = token.strip(".,;:()\"«»№%/")
        parts = [p for p in re.split(r"[-–/]", core) if p]
        return bool(parts) and all(self.grade(p) is not None for p in parts)


def _cost(word: str, lexicon: Lexicon) -> float:
    """What a word costs a reading: a known word little, an inflected form of one more. An
    unknown word costs 1 and a tenth a letter, so that carving a known word out of it pays,
    and more when it is as short as the pieces the dump cuts words into (3 up to three
    letters, 2 up to five), or starts as no word does («ческому», «ьными»). A compound
    («медико-социальных») costs what its parts cost, a one-letter part being unknown."""
    bare = word.strip(".,;:()\"«»")
    if bare.lower() in SHORT_WORDS:
        return 0.02
    parts = [p for p in re.split(r"[-–/]", bare) if re.search(rf"[{LETTER}]", p)]
    if not parts:
        return 0.01 if re.search(r"[\dA-Za-z]", word) else 1.0  # stray punctuation: glue it
    total = 0.0
    for part in parts:
        grade = lexicon.grade(part) if len(parts) == 1 or len(part) > 1 else None
        if grade is not None:
            total += 0.01 if grade == 1.0 else 0.3
            continue
        letters = len(re.sub(rf"[^{LETTER}]", "", part))
        total += 3.0 if letters <= 3 else 2.0 if letters <= 5 else 1.0 + letters / 10
        if part.lower().startswith(WORD_INNER_STARTS):
            total += 1.0
    return total


def _start_cost(word: str) -> float:
    """What it costs to start a word at an undecided line break: a lone letter, or a short
    word that is no preposition or conjunction, is there most often a cut-off ending
    («справк|а», «педагогическ|их», «психологичес|кого»)."""
    bare = word.strip(".,;:()\"«»").lower()
    if len(bare) == 1:
        return LETTER_START_COST.get(bare, DEFAULT_LETTER_START_COST)
    return SHORT_START_COST if len(bare) <= 4 and bare not in SHORT_WORDS else 0.0


def _fixed_glue(left: str, right: str) -> bool | None:
    """A line break that spelling settles: True joins, False spaces, None is undecided."""
    if left.endswith("№") or right.startswith("%"):
        return False  # «№ 44», «50 %», as in the decree's running text
    if (left[-1].isdigit() and right[0].isalpha()) or (left[-1].isalpha() and right[0].isdigit()):
        return False  # «2020» + «год»
    if left[-1].islower() and right[0].isupper():
        return False  # «отчет» + «МИО», «приказ» + «Министра»
    if left[-1] in ",;:" and right[0].isalpha():
        return False  # «статей,» + «выступлений», «затрат;» + «б)»
    if right[0] in ",.;:)/" or left[-1] in "(«/" or right in {"-", "–"}:
        return True
    if left[-1] in "-–" and (right[0].islower() or right[0].isdigit()):
        return True  # «материально–» + «технического», «2019» + «-2021 годы»
    if right[0] in "-–" and left[-1].isalnum():
        return True
    return None


def rejoin(lines: Sequence[Line], lexicon: Lexicon) -> str:
    """A cell's text: its lines' words made whole, single spaces between them."""
    tokens: list[str] = []
    glue: list[bool | None] = []  # between tokens k and k + 1: join, space, undecided
    previous_closed = True
    for line in lines:
        for k, word in enumerate(line.text.split(" ")):
            if not word:
                continue
            if tokens:
                undecided = k == 0 and not previous_closed
                glue.append(_fixed_glue(tokens[-1], word) if undecided else False)
            tokens.append(word)
        previous_closed = line.closed or not line.text
    # best[i]: the cheapest reading of tokens[:i] with a word ending after token i - 1
    best: list[tuple[float, list[str]] | None] = [(0.0, [])]
    for i in range(1, len(tokens) + 1):
        if i < len(tokens) and glue[i - 1] is True:
            best.append(None)
            continue
        options: list[tuple[float, list[str]]] = []
        j = i - 1
        while True:  # the word is tokens[j:i]
            before = best[j]
            if before is not None:
                word = "".join(tokens[j:i])
                cost = before[0] + _cost(word, lexicon)
                if j > 0 and glue[j - 1] is None:
                    cost += _start_cost(word)
                options.append((cost, [*before[1], word]))
            if j == 0 or glue[j - 1] is False:
                break
            j -= 1
        best.append(min(options, key=lambda option: option[0]))
    final = best[-1]
    return tidy(" ".join(final[1])) if final else ""


def tidy(text: str) -> str:
    """Spacing of punctuation and straight quotes as in the decree's running text."""
    text = re.sub(r"\s+([,.;:)»])", r"\1", text)
    text = re.sub(r"([(«])\s+", r"\1", text)
    text = re.sub(r"№(?=\d)", "№ ", text)
    parts = text.split('"')
    out = parts[0]
    for k, part in enumerate(parts[1:], start=1):
        if k % 2:  # an opening quote: a space before it, none after it
            head = out.rstrip()
            out = head + (" " if head and head[-1] not in "(«" else "") + '"' + part.lstrip()
        else:  # a closing quote: none before it, a space after it before a word
            out = out.rstrip() + '"' + (" " + part.lstrip() if part[:1].isalnum() else part)
    return re.sub(r"\s{2,}", " ", out).strip()


# -- step 5: fields -----------------------------------------------------------------------


def form_kind(text: str) -> str:
    for pattern, kind in FORM_KINDS:
        if re.search(pattern, text, re.IGNORECASE):
            return kind
    return "other"


def parse_executors(text: str, codes: Iterable[str]) -> list[str]:
    """The codes of an executors' cell, in order. An organisation «(по согласованию)» has
    no code and is left out; anything else that is no known code is an error."""
    known = set(codes)
    found: list[str] = []
    for item in (item.strip() for item in text.split(",")):
        if not item or "(посогласованию)" in item.replace(" ", ""):
            continue
        if item not in known:
            raise ValueError(f"unknown executor {item!r} in {text!r}")
        if item not in found:
            found.append(item)
    return found


def parse_deadline(text: str) -> dict[str, Any]:
    if text == "ежегодно":
        return {"kind": "annual", "start_year": None, "end_year": None, "text": text}
    match = re.fullmatch(r"(\d{4})\s*[-–]\s*(\d{4}) годы", text)
    if match:
        return {"kind": "range", "start_year": int(match.group(1)),
                "end_year": int(match.group(2)), "text": text}
    match = re.fullmatch(r"(\d{4}) год", text)
    if match:
        year = int(match.group(1))
        return {"kind": "year", "start_year": year, "end_year": year, "text": text}
    raise ValueError(f"unreadable deadline {text!r}")


def parse_cost(text: str) -> dict[str, Any]:
    if text == "не требуются":
        kind = "not_required"
    elif re.fullmatch(r"в (пределах|рамках) (предусмотренных|выделенных) средств", text):
        kind = "within_allocated_funds"
    elif re.search(r"\d", text):
        kind = "amount"
    else:
        raise ValueError(f"unreadable cost {text!r}")
    return {"kind": kind, "text": text}


def parse_funding(text: str) -> dict[str, Any]:
    """«в рамках бюджетной программы [МТСЗН] 099 "Name"» → code and name."""
    if not text:
        return {"code": None, "name": None}
    match = re.fullmatch(r'в рамках бюджетной программы (?:[^"\d]*\s)?(\d{3}) "(.+)"', text)
    if not match:
        raise ValueError(f"unreadable budget programme {text!r}")
    return {"code": match.group(1), "name": match.group(2)}


def parse_targets(text: str) -> dict[str, dict[str, Any]]:
    """«доля: 2020 –70% 2021 –80%» → {"2020": {"value": 70, "unit": "%"}, …}."""
    targets: dict[str, dict[str, Any]] = {}
    for year, value in _TARGET.findall(text):
        number = float(value.replace(",", "."))
        targets[year] = {"value": int(number) if number.is_integer() else number, "unit": "%"}
    return dict(sorted(targets.items()))


def _record(row: Row, titles: dict[int, str], lexicon: Lexicon,
            codes: dict[str, str]) -> dict[str, Any]:
    def cell(col: Col) -> str:
        return rejoin(row.cells.get(col, []), lexicon)

    form = cell(Col.FORM)
    executors = parse_executors(cell(Col.EXECUTORS), codes)
    match = re.fullmatch(rf"(.+?) ({CODE})", form)
    if not executors and match and match.group(2) in codes:
        form, executors = match.group(1), [match.group(2)]  # «приказ МИИР», «отчет МИО»
    direction = row.direction
    return {
        "number": row.number,
        "in_source": True,
        "direction": {"number": direction, "title": titles.get(direction or 0)},
        "title": cell(Col.TITLE),
        "completion_form": {"kind": form_kind(form), "text": form},
        "executors": executors,
        "deadline": parse_deadline(cell(Col.DEADLINE)),
        "cost": parse_cost(cell(Col.COST)),
        "funding": parse_funding(cell(Col.FUNDING)),
        "targets": parse_targets(cell(Col.TARGETS)),
    }


def missing_record(number: int) -> dict[str, Any]:
    """A row the text lacks (1–13): its number and nothing invented, in the same shape as
    the other records (their nested fields null)."""
    return {
        "number": number, "in_source": False, "direction": None, "title": None,
        "completion_form": {"kind": None, "text": None}, "executors": [],
        "deadline": {"kind": None, "start_year": None, "end_year": None, "text": None},
        "cost": {"kind": None, "text": None}, "funding": {"code": None, "name": None},
        "targets": {},
    }


def _extract(text: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    table = read_table(text)
    numbers = [row.number for row in table.rows]
    if numbers != list(range(FIRST_ROW_IN_SOURCE, LAST_ROW + 1)):
        raise ValueError(f"rows out of order or missing: {numbers}")
    lexicon = Lexicon.from_decree(text)
    codes = abbreviations(text)
    titles = {n: rejoin(lines, lexicon) for n, lines in table.directions.items()}
    directions = [{"number": n, "title": titles.get(n), "in_source": n in titles}
                  for n in range(1, DIRECTIONS + 1)]
    measures = [missing_record(n) for n in range(1, FIRST_ROW_IN_SOURCE)]
    measures += [_record(row, titles, lexicon, codes) for row in table.rows]
    return directions, measures


# -- the public face ----------------------------------------------------------------------


def extract_plan(text: str) -> list[dict[str, Any]]:
    """The plan's 95 measures ordered by number, read from the decree's text; rows 1–13,
    missing from the text, are placeholders with ``in_source`` false."""
    return _extract(text)[1]


def plan_directions(text: str) -> list[dict[str, Any]]:
    """The plan's ten directions; the text lacks the headings of 1 and 2."""
    return _extract(text)[0]


def plan_document(text: str) -> dict[str, Any]:
    """The content of the plan's data file: source, directions and measures."""
    directions, measures = _extract(text)
    return {"source": SOURCE, "directions": directions, "measures": measures}


def dumps(document: dict[str, Any]) -> str:
    """The data file's text: UTF-8 JSON, indented by 2, ending in a newline."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def write_plan_json(text_path: Path | str, out_path: Path | str) -> dict[str, Any]:
    """Extract the plan from the decree's text at `text_path` and write it as JSON."""
    document = plan_document(Path(text_path).read_text(encoding="utf-8"))
    Path(out_path).write_text(dumps(document), encoding="utf-8")
    return document


def review_lines(measures: Iterable[dict[str, Any]]) -> Iterator[str]:
    """One line per measure, to review the extraction by eye."""
    for m in measures:
        if not m["in_source"]:
            yield f"{m['number']:>2}  — not in the text"
            continue
        targets = " ".join(f"{y}:{t['value']}{t['unit']}" for y, t in m["targets"].items())
        funding = m["funding"]["code"] or ""
        yield " | ".join([
            f"{m['number']:>2} d{m['direction']['number']}", m["title"],
            f"{m['completion_form']['text']} [{m['completion_form']['kind']}]",
            ",".join(m["executors"]), m["deadline"]["text"], m["cost"]["text"], funding,
            targets,
        ])


def main(argv: Sequence[str]) -> None:
    """``python -m tendik.plan.extraction [TEXT [OUT]]``: write the data file (by default
    data/measures.json from data/decree_326_ru.txt) and print the review table."""
    source = Path(argv[0]) if argv else DATA_DIR / "decree_326_ru.txt"
    target = Path(argv[1]) if len(argv) > 1 else DATA_DIR / "measures.json"
    document = write_plan_json(source, target)
    sys.stdout.write("\n".join(review_lines(document["measures"])) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
