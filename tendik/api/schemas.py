from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from ninja import Field, Schema
from ninja.errors import ValidationError


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
