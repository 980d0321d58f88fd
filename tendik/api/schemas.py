from __future__ import annotations

from typing import Annotated

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from ninja import Field, Schema
from ninja.errors import ValidationError
from pydantic import WithJsonSchema

# The years the platform's data are about: the plan runs from 2025, its indicators'
# baselines go some years back. A year outside is a typo, and no date can be made of some.
FIRST_YEAR, LAST_YEAR = 2000, 2100
Year = Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)]

# Pages of a list: at most 500 rows; an offset past any real list is a mistake.
MAX_LIMIT, MAX_OFFSET = 500, 10_000_000
Limit = Annotated[int, Field(ge=1, le=MAX_LIMIT, description=f"At most {MAX_LIMIT}.")]
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET)]


def named(choices: type[models.Choices], title: str) -> WithJsonSchema:
    """A Django choices type in the OpenAPI under a name of its own, written in place.

    Pydantic names a choices type by its class alone, so Order.State, ExecutorReport.State
    and Reimbursement.State were all «State», and the last one read stood for all three.
    Use as `Annotated[Order.State, named(Order.State, "OrderState")]`."""
    return WithJsonSchema({"title": title, "type": "string",
                           "enum": [str(value) for value in choices.values]})


class ErrorDetail(Schema):
    field: str | None = None
    message: str


class ErrorBody(Schema):
    status: int
    code: str
    message: str
    details: list[ErrorDetail] = []


class Error(Schema):
    """The one shape of every failure of the API."""

    error: ErrorBody


class Name(Schema):
    ru: str
    kk: str
    en: str


class RegionOut(Schema):
    kato: str
    kind: str
    name: Name
    centre: Name
    latitude: float
    longitude: float


class OrganisationOut(Schema):
    code: str
    kind: str
    abbreviation_ru: str
    name: Name
    region_kato: str | None
    is_active: bool


class CallerOut(Schema):
    """Who the API sees: a signed-in user or an organisation's token."""

    kind: str
    username: str | None = None
    role: str | None = None
    organisation: str | None = None
    token: str | None = None
    token_issued_by: str | None = Field(
        default=None, description="For a token: the login of the person who issued it.")


def unprocessable(error: DjangoValidationError) -> ValidationError:
    """The model's validation errors in the API's error shape, field by field."""
    if hasattr(error, "error_dict"):
        return ValidationError([{"loc": ["body", field], "msg": " ".join(messages)}
                                for field, messages in error.message_dict.items()])
    return ValidationError([{"loc": ["body"], "msg": message} for message in error.messages])
