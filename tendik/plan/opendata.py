"""A measure as open data, with the field names of the plan's data file.

The record is plain data (dicts, lists, numbers, text) so that the pages' CSV and JSON
downloads and the API's schema (`tendik/api/plan.py`) give the same fields from one place.
"""

from __future__ import annotations

from typing import Any

from tendik.plan.models import Measure


def blank_to_none(value: str) -> str | None:
    return value or None


def measure_record(measure: Measure) -> dict[str, Any]:
    direction = measure.direction
    return {
        "number": measure.number,
        "in_source": measure.in_source,
        "direction": ({"number": direction.number, "title": blank_to_none(direction.title_ru)}
                      if direction else None),
        "title": blank_to_none(measure.title_ru),
        "completion_form": {"kind": blank_to_none(measure.completion_form_kind),
                            "text": blank_to_none(measure.completion_form_text)},
        "executors": measure.executor_codes(),
        "deadline": {"kind": blank_to_none(measure.deadline_kind),
                     "start_year": measure.start_year, "end_year": measure.end_year,
                     "text": blank_to_none(measure.deadline_text)},
        "cost": {"kind": blank_to_none(measure.cost_kind),
                 "text": blank_to_none(measure.cost_text)},
        "funding": {"code": blank_to_none(measure.funding_code),
                    "name": blank_to_none(measure.funding_name)},
        "targets": measure.targets,
    }
