"""What route functions receive: the app's context, a session, the clock, the calling screen."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session

from server.clock import Clock
from server.context import AppContext
from server.models import Screen
from server.services.devices import authenticate_device
from server.settings import Settings
from server.storage import MediaStorage


def app_context(request: Request) -> AppContext:
    context = getattr(request.app.state, "anslag", None)
    if not isinstance(context, AppContext):
        raise RuntimeError("the app has not been started: run it with its lifespan")
    return context


ContextDep = Annotated[AppContext, Depends(app_context)]


def get_session(context: ContextDep) -> Iterator[Session]:
    with context.session() as session:
        yield session


# Committed before the response goes out, so a failed commit is an error the client sees.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def get_clock(context: ContextDep) -> Clock:
    return context.clock


ClockDep = Annotated[Clock, Depends(get_clock)]


def get_storage(context: ContextDep) -> MediaStorage:
    return context.storage


StorageDep = Annotated[MediaStorage, Depends(get_storage)]


def get_settings(context: ContextDep) -> Settings:
    return context.settings


SettingsDep = Annotated[Settings, Depends(get_settings)]

# Not auto_error: a missing token is an InvalidDeviceToken like a wrong one, answered alike.
device_bearer = HTTPBearer(auto_error=False, description="The screen's device token.")


def current_screen(
    session: SessionDep,
    clock: ClockDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(device_bearer)],
) -> Screen:
    token = credentials.credentials if credentials is not None else None
    return authenticate_device(session, token=token, now=clock())


CurrentScreen = Annotated[Screen, Depends(current_screen)]
