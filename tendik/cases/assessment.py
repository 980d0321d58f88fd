"""The needs assessment form, by version. Each domain has questions answered on a scale;
the domain's score (0 no need … 4 critical) is the highest answer in it, because one
critical answer (no safe place to sleep) is not averaged away by good ones.

A new version is added, never edited: assessments keep the version they were made on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from tendik.cases.models import Domain

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise as Promise

SCALE = [
    (0, _("0 — no need")),
    (1, _("1 — small need, the person or family copes")),
    (2, _("2 — need: help would make a difference")),
    (3, _("3 — serious need: help is needed soon")),
    (4, _("4 — critical: help is needed now")),
]


@dataclass(frozen=True)
class Question:
    code: str
    domain: str
    text: Promise


FORMS: dict[int, list[Question]] = {
    1: [
        Question("health-care", Domain.HEALTH, _("Access to the medical care the person needs")),
        Question("health-medicines", Domain.HEALTH, _("Medicines and medical supplies")),
        Question("disability-aids", Domain.DISABILITY,
                 _("Technical aids and rehabilitation under the ИПР")),
        Question("disability-access", Domain.DISABILITY,
                 _("Getting around the home and the neighbourhood")),
        Question("housing-condition", Domain.HOUSING, _("Safe, warm, adapted housing")),
        Question("income-sufficient", Domain.INCOME,
                 _("Income covers food, utilities and medicines")),
        Question("income-benefits", Domain.INCOME,
                 _("Benefits and allowances the family is entitled to are received")),
        Question("employment-work", Domain.EMPLOYMENT,
                 _("Work or job search for adults of working age")),
        Question("education-place", Domain.EDUCATION,
                 _("Children attend kindergarten, school or college with the support "
                   "they need")),
        Question("care-daily", Domain.CARE, _("Help with daily living and personal care")),
        Question("care-carer", Domain.CARE, _("The family carer's own load and rest")),
        Question("safety-violence", Domain.SAFETY,
                 _("Safety from violence, neglect and exploitation")),
    ],
}
CURRENT_VERSION = max(FORMS)


def score(version: int, answers: dict[str, int]) -> dict[str, int]:
    """Each domain's score: the highest answer among its questions."""
    scores = {d.value: 0 for d in Domain}
    for question in FORMS[version]:
        value = int(answers.get(question.code, 0))
        scores[question.domain] = max(scores[question.domain], value)
    return scores
