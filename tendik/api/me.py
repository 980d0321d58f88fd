"""Who am I: lets an integrator check its credentials before anything else."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from tendik.api.auth import PRIVATE
from tendik.api.schemas import CallerOut, Error
from tendik.core.models import ApiToken

router = Router(tags=["caller"], auth=PRIVATE)


@router.get("/me", response={200: CallerOut, 401: Error},
            summary="The user or organisation token making this call")
def me(request: HttpRequest) -> CallerOut:
    caller = request.auth  # type: ignore[attr-defined]
    if isinstance(caller, ApiToken):
        issuer = caller.created_by
        return CallerOut(kind="token", organisation=caller.organisation.code,
                         token=caller.key_prefix,
                         token_issued_by=issuer.username if issuer is not None else None)
    return CallerOut(kind="user", username=caller.username, role=caller.role,
                     organisation=caller.organisation.code if caller.organisation else None)
