"""API authentication: an organisation's bearer token, or the browser session."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from tendik.core.audit import attribute_rest_of_request
from tendik.core.models import ApiToken, hash_token


class OrganisationToken(HttpBearer):
    """`Authorization: Bearer tdk_…` — a token issued to an organisation in the back office."""

    openapi_description = "API token issued to an organisation in the back office."

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        api_token = (ApiToken.objects.active().select_related("organisation", "created_by")
                     .filter(key_hash=hash_token(token)).first())
        if api_token is None:
            return None
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
        request.api_token = api_token  # type: ignore[attr-defined]
        # Writes made through this call are attributed to the token.
        attribute_rest_of_request(user=None, api_token=api_token)
        return api_token


class Session(APIKeyCookie):
    """The signed-in browser session (with CSRF on unsafe methods). Staff need the second
    factor, exactly as on the pages."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        if not user.is_authenticated:
            return None
        if (user.is_staff_role or user.is_superuser) and not user.is_verified():  # type: ignore[union-attr,attr-defined]
            from django.conf import settings

            if settings.TENDIK_REQUIRE_STAFF_OTP:
                return None
        return user


def public(request: HttpRequest) -> bool:
    """Open data: anyone may call, credentials are optional."""
    return True


token_auth = OrganisationToken()
session_auth = Session()
PUBLIC = [token_auth, session_auth, public]
PRIVATE = [token_auth, session_auth]

# OpenAPI: public operations accept no credentials ({}) as well as a token or a session.
PUBLIC_OPENAPI: dict[str, Any] = {"security": [{}, {"OrganisationToken": []}, {"Session": []}]}
