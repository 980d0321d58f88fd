"""An organisation's API tokens, issued and revoked by its own administrator.

A token acts as its organisation, so only that organisation's administrator (a member of
its staff holding the permission to issue its tokens) or a platform superuser, audited as
such, issues one. Signed-in people only: a token never issues another token. Each token
shows who issued it.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import ValidationError

from tendik.api.auth import session_auth
from tendik.api.schemas import Error
from tendik.core import services
from tendik.core.audit import record_access
from tendik.core.models import ApiToken, Organisation, User

router = Router(tags=["organisation's API tokens"], auth=[session_auth])


class IssuerOut(Schema):
    username: str
    name: str


class TokenOut(Schema):
    id: int
    name: str
    organisation: str
    prefix: str = Field(description="The first characters of the key, to recognise it.")
    issued_by: IssuerOut | None = Field(
        description="Who issued the token; null for one the platform made itself.")
    issued_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class IssuedOut(Schema):
    token: TokenOut
    key: str = Field(description="The token's key. Shown only in this answer: keep it.")


class TokenIn(Schema):
    name: str = Field(min_length=1, max_length=100,
                      description="What the token is for: the system that uses it.")
    organisation: str | None = Field(
        None, max_length=40,
        description="The organisation's code. Defaults to the caller's organisation; a "
                    "platform superuser names it.")


class TokenFilter(Schema):
    organisation: str | None = Field(None, max_length=40,
                                     description="As for issuing; defaults to your own.")


def token_out(token: ApiToken) -> TokenOut:
    issuer = token.created_by
    return TokenOut(
        id=token.pk, name=token.name, organisation=token.organisation.code,
        prefix=token.key_prefix,
        issued_by=IssuerOut(username=issuer.username,
                            name=issuer.get_full_name() or issuer.username)
        if issuer is not None else None,
        issued_at=token.created_at, last_used_at=token.last_used_at,
        revoked_at=token.revoked_at)


def administered(request: HttpRequest, code: str | None) -> Organisation:
    """The organisation whose tokens the caller manages: theirs, or, for a superuser, the
    one named. Anyone else is refused, whatever their scope."""
    user: User = request.auth  # type: ignore[attr-defined]
    organisation = (get_object_or_404(Organisation, code=code) if code
                    else user.organisation)
    if organisation is None or not services.may_issue_tokens(user, organisation):
        raise PermissionDenied
    return organisation


@router.get("/organisation/tokens",
            response={200: list[TokenOut], 401: Error, 403: Error, 404: Error, 422: Error},
            summary="The API tokens of your organisation, newest first, with who issued "
                    "each")
def list_tokens(request: HttpRequest, filters: Query[TokenFilter]) -> list[TokenOut]:
    organisation = administered(request, filters.organisation)
    tokens = list(ApiToken.objects.filter(organisation=organisation)
                  .select_related("organisation", "created_by"))
    record_access(request.path, User, sorted({t.created_by_id for t in tokens
                                              if t.created_by_id is not None}),
                  purpose="API: issuers of tokens")
    return [token_out(t) for t in tokens]


@router.post("/organisation/tokens",
             response={201: IssuedOut, 401: Error, 403: Error, 404: Error, 422: Error},
             summary="Issue a token of your organisation (its administrators only); the "
                     "key is in this answer only")
def issue_token(request: HttpRequest, payload: TokenIn) -> Status:
    organisation = administered(request, payload.organisation)
    if not payload.name.strip():
        raise ValidationError([{"loc": ["body", "name"],
                                "msg": _("Say what the token is for.")}])
    issued = services.issue_api_token(organisation, payload.name.strip(),
                                      by=request.auth)  # type: ignore[attr-defined]
    return Status(201, IssuedOut(token=token_out(issued.token), key=issued.raw_key))


@router.post("/organisation/tokens/{token_id}/revoke",
             response={200: TokenOut, 401: Error, 403: Error, 404: Error},
             summary="Revoke a token of your organisation (its administrators only)")
def revoke_token(request: HttpRequest, token_id: int) -> TokenOut:
    token = get_object_or_404(ApiToken.objects.select_related("organisation", "created_by"),
                              pk=token_id)
    user: User = request.auth  # type: ignore[attr-defined]
    if not services.may_issue_tokens(user, token.organisation):
        # Another organisation's token does not exist for the caller.
        if user.organisation_id != token.organisation_id:
            raise Http404
        raise PermissionDenied
    services.revoke_api_token(token, by=user)
    return token_out(token)
