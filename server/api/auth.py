"""Who calls the JSON API: an API token, acting as its user with that user's role."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from server.api.deps import ClockDep, SessionDep
from server.errors import Forbidden
from server.services.api_tokens import authenticate_api_token
from server.services.permissions import Actor, Permission

api_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="ApiToken",
    description="An API token made under Admin → API tokens: `Authorization: Bearer anslag_…`.",
)
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(api_bearer)]


def api_caller(permission: Permission) -> Callable[..., Actor]:
    """A dependency: the token's user, when their role allows `permission` (else 401 or 403)."""

    def dependency(
        request: Request, session: SessionDep, clock: ClockDep, credentials: Credentials
    ) -> Actor:
        token = credentials.credentials if credentials is not None else None
        actor = authenticate_api_token(session, token=token, now=clock())
        if not actor.can(permission):
            raise Forbidden(f"{actor.name} ({actor.role}) may not use {request.url.path}")
        return actor

    return dependency


ApiViewer = Annotated[Actor, Depends(api_caller(Permission.VIEW_SCREENS))]
ApiEditor = Annotated[Actor, Depends(api_caller(Permission.EDIT_CONTENT))]
ApiScreenAdmin = Annotated[Actor, Depends(api_caller(Permission.MANAGE_SCREENS))]
