"""The seam for recipients' sign-in through the national identity service (eGov).

Persons with disabilities and their representatives are to sign in with an electronic
digital signature (ЭЦП, NCALayer) or eGov Mobile, as on egov.kz. Teńdik is not connected
to that service, so no backend is enabled and nothing pretends to be it. Connecting it
takes one subclass and one setting:

    class EgovBackend(NationalIdentityBackend):
        def verify_assertion(self, request, assertion):
            # verify the signed XML / the IdP's token with the provider's SDK, check the
            # certificate chain and revocation, and return the person's ИИН and name
            return VerifiedIdentity(iin=..., last_name=..., first_name=...)

    AUTHENTICATION_BACKENDS += ["tendik.integrations.egov.EgovBackend"]

The sign-in view then calls `authenticate(request, national_identity_assertion=...)`.
The base class does the part that belongs to Teńdik: it only ever returns an active
account whose ИИН was verified, and it never creates staff accounts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.backends import BaseBackend
from django.http import HttpRequest

from tendik.core.models import STAFF_ROLES, User


@dataclass(frozen=True)
class VerifiedIdentity:
    iin: str
    last_name: str
    first_name: str


class NationalIdentityBackend(BaseBackend):
    """Authenticates a person from an assertion the national identity service signed."""

    def verify_assertion(self, request: HttpRequest | None, assertion: Any) -> VerifiedIdentity:
        raise NotImplementedError(
            "Teńdik is not connected to the national identity service: implement "
            "verify_assertion() with the provider's SDK in a subclass.")

    def account_for(self, identity: VerifiedIdentity) -> User | None:
        """The recipient account bound to this ИИН (usernames of recipients are ИИН)."""
        user = User.objects.filter(username=identity.iin, is_active=True).first()
        if user is None or user.role in STAFF_ROLES:
            return None
        return user

    def authenticate(self, request: HttpRequest | None, national_identity_assertion: Any = None,
                     **kwargs: Any) -> User | None:
        if national_identity_assertion is None:
            return None
        return self.account_for(self.verify_assertion(request, national_identity_assertion))

    def get_user(self, user_id: Any) -> User | None:
        return User.objects.filter(pk=user_id, is_active=True).first()
