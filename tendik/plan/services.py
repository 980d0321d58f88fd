"""Actions on the plan. Each owns its transaction; audit events come from the models."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from tendik.core.audit import acting_as
from tendik.core.models import Organisation, User
from tendik.plan.models import (
    ALL_AKIMATS,
    Direction,
    LegalAct,
    Measure,
    MeasureRevision,
    Plan,
    PlanAmendment,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
NATIONAL_PLAN_CODE = "np-2019-326"

# The decree that approved the plan and the decrees that amended it.
DECREE_326 = {"kind": LegalAct.Kind.GOVERNMENT_DECREE, "number": "326",
              "date": dt.date(2019, 5, 28),
              "title_ru": "Об утверждении Национального плана по обеспечению прав и улучшению "
                          "качества жизни лиц с инвалидностью в Республике Казахстан до 2025 "
                          "года"}
AMENDMENTS = [
    ({"kind": LegalAct.Kind.GOVERNMENT_DECREE, "number": "850", "date": dt.date(2022, 10, 26),
      "title_ru": "О внесении изменений в постановление Правительства Республики Казахстан "
                  "от 28 мая 2019 года № 326"},
     "Национальный план изложен в новой редакции"),
    ({"kind": LegalAct.Kind.GOVERNMENT_DECREE, "number": "1142", "date": dt.date(2022, 12, 31),
      "title_ru": "О внесении изменений в постановление Правительства Республики Казахстан "
                  "от 28 мая 2019 года № 326"},
     "Приложение (план мероприятий) изложено в новой редакции; изменения в тексте на "
     "казахском языке"),
    ({"kind": LegalAct.Kind.GOVERNMENT_DECREE, "number": "236", "date": dt.date(2023, 3, 17),
      "title_ru": "О внесении изменения в постановление Правительства Республики Казахстан "
                  "от 28 мая 2019 года № 326"},
     "Пункт 3 изложен в новой редакции: сводная информация — не позднее 15 февраля"),
]

MEASURE_FIELDS = [
    "direction", "in_source", "title_ru", "completion_form_kind", "completion_form_text",
    "includes_akimats", "deadline_kind", "start_year", "end_year", "deadline_text",
    "cost_kind", "cost_text", "funding_code", "funding_name", "targets",
]


def act(spec: dict[str, Any]) -> LegalAct:
    instance, _created = LegalAct.objects.get_or_create(
        kind=spec["kind"], number=spec["number"], date=spec["date"],
        defaults={"title_ru": spec.get("title_ru", "")})
    return instance


def measure_values(record: dict[str, Any], directions: dict[int, Direction]) -> dict[str, Any]:
    """The model's fields for one record of the plan's data file."""
    direction = record.get("direction") or {}
    form = record.get("completion_form") or {}
    deadline = record.get("deadline") or {}
    cost = record.get("cost") or {}
    funding = record.get("funding") or {}
    return {
        "direction": directions.get(int(direction["number"])) if direction else None,
        "in_source": bool(record.get("in_source")),
        "title_ru": record.get("title") or "",
        "completion_form_kind": form.get("kind") or "",
        "completion_form_text": form.get("text") or "",
        "includes_akimats": ALL_AKIMATS in (record.get("executors") or []),
        "deadline_kind": deadline.get("kind") or "",
        "start_year": deadline.get("start_year"),
        "end_year": deadline.get("end_year"),
        "deadline_text": deadline.get("text") or "",
        "cost_kind": cost.get("kind") or "",
        "cost_text": cost.get("text") or "",
        "funding_code": funding.get("code") or "",
        "funding_name": funding.get("name") or "",
        "targets": record.get("targets") or {},
    }


# The directions' titles in Kazakh and English (the decree's Kazakh text, and ours): the
# extracted data file keeps the Russian text as published.
DIRECTION_TITLES: dict[int, tuple[str, str]] = {
    3: ("Әлеуметтік оңалту мен абилитацияның тиімділігін арттыру",
        "Making social rehabilitation and habilitation more effective"),
    4: ("Әлеуметтік қызмет көрсету жүйесін жаңғырту",
        "Modernising the system of social services"),
    5: ("Арнаулы әлеуметтік қызметтер стандарттарын және тариф белгілеуді жетілдіру",
        "Improving the standards and tariffs of special social services"),
    6: ("Әлеуметтік қызметкердің мәртебесі", "The status of the social worker"),
    7: ("Мүгедектігі бар адамдар үшін мәдени және спорттық іс-шараларды дамыту",
        "Developing cultural and sports events for persons with disabilities"),
    8: ("Кедергісіз орта", "A barrier-free environment"),
    9: ("Экономикалық дербестік және сапалы жұмыспен қамту",
        "Economic independence and quality employment"),
    10: ("Қоғамдық сананы жаңғырту", "Modernising public attitudes"),
}


@transaction.atomic
def load_national_plan(path: Path | None = None) -> Counter[str]:
    """Load the plan's reviewed data file. Rows already in the database are left as they
    are: after the first load, the plan changes only through analysts' edits, each naming
    its amending act."""
    document = json.loads((path or DATA_DIR / "measures.json").read_text(encoding="utf-8"))
    counts: Counter[str] = Counter()
    with acting_as(label="load_plan"):
        approved_by = act(DECREE_326)
        plan, created = Plan.objects.get_or_create(code=NATIONAL_PLAN_CODE, defaults={
            "title_ru": "Национальный план по обеспечению прав и улучшению качества жизни "
                        "лиц с инвалидностью в Республике Казахстан до 2025 года",
            "title_kk": "Қазақстан Республикасында мүгедектігі бар адамдардың құқықтарын "
                        "қамтамасыз ету және өмір сүру сапасын жақсарту жөніндегі 2025 жылға "
                        "дейінгі ұлттық жоспар",
            "title_en": "National Plan on ensuring the rights and improving the quality of "
                        "life of persons with disabilities in the Republic of Kazakhstan "
                        "until 2025",
            "start_year": 2019, "end_year": 2025, "approved_by": approved_by,
            "source": document.get("source", ""),
        })
        counts["plan created" if created else "plan kept"] += 1
        for spec, summary in AMENDMENTS:
            PlanAmendment.objects.get_or_create(plan=plan, act=act(spec),
                                                defaults={"summary": summary})
        directions = {}
        for item in document["directions"]:
            direction, created = Direction.objects.get_or_create(
                plan=plan, number=item["number"],
                defaults={"title_ru": item.get("title") or "",
                          "in_source": bool(item.get("in_source"))})
            # The translations fill a direction's empty titles, also in a database loaded
            # before they were added, never over one an analyst has written.
            titles = dict(zip(("kk", "en"), DIRECTION_TITLES.get(direction.number, ("", "")),
                              strict=True))
            untranslated = {f"title_{language}": title for language, title in titles.items()
                            if title and not getattr(direction, f"title_{language}")}
            if untranslated:
                for name, value in untranslated.items():
                    setattr(direction, name, value)
                direction.save(update_fields=list(untranslated))
            directions[direction.number] = direction
            counts["directions created" if created else "directions kept"] += 1
        organisations = {o.code: o for o in Organisation.objects.all()}
        for record in document["measures"]:
            if Measure.objects.filter(plan=plan, number=record["number"]).exists():
                counts["measures kept"] += 1
                continue
            measure = Measure.objects.create(plan=plan, number=record["number"],
                                             **measure_values(record, directions))
            codes = [c for c in record.get("executors") or [] if c != ALL_AKIMATS]
            missing = [c for c in codes if c not in organisations]
            if missing:
                raise ValueError(f"measure {record['number']}: unknown executors {missing}; "
                                 "run load_reference first")
            measure.executors.set([organisations[c] for c in codes])
            counts["measures created"] += 1
    return counts


@transaction.atomic
def edit_measure(measure: Measure, changes: dict[str, Any], *, by: User,
                 amending_act: LegalAct | None, comment: str = "",
                 executors: list[Organisation] | None = None) -> MeasureRevision | None:
    """Change a measure as an amending act (or, for rows missing from the text, the
    official act) says; the revision keeps what changed and which act changed it."""
    if measure.in_source and amending_act is None:
        raise ValueError(_("An edit of a measure of the plan names its amending act."))
    before = {**measure.audit_state(), "executors": sorted(measure.executor_codes())}
    for field, value in changes.items():
        if field not in MEASURE_FIELDS and field not in {"title_kk", "title_en"}:
            raise ValueError(f"{field} is not an editable field of a measure")
        setattr(measure, field, value)
    measure.full_clean(exclude=["plan", "executors"])
    with acting_as(user=by, reason=comment):
        measure.save()
        if executors is not None:
            measure.executors.set(executors)
    after = {**measure.audit_state(), "executors": sorted(measure.executor_codes())}
    diff = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
    if not diff:
        return None
    return MeasureRevision.objects.create(measure=measure, act=amending_act, author=by,
                                          changes=diff, comment=comment)


