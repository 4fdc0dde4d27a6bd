"""The one place domain errors become HTTP answers: a status code and {"detail": message}."""

from __future__ import annotations

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse

from server.errors import (
    AlreadyExists,
    AnslagError,
    Conflict,
    FeedProblem,
    Forbidden,
    InvalidContent,
    InvalidCredentials,
    InvalidDeviceToken,
    InvalidRequest,
    NotFound,
    TooLarge,
    TooManyAttempts,
)

_STATUS_CODES: dict[type[AnslagError], int] = {
    NotFound: 404,
    AlreadyExists: 409,
    InvalidDeviceToken: 401,
    InvalidCredentials: 401,
    TooManyAttempts: 429,
    Forbidden: 403,
    Conflict: 409,
    InvalidRequest: 400,
    TooLarge: 413,
    InvalidContent: 422,
    FeedProblem: 502,
}


def status_code_for(error: AnslagError) -> int:
    """The status code of the nearest mapped class; a new error class defaults to 400."""
    for cls in type(error).__mro__:
        if cls in _STATUS_CODES:
            return _STATUS_CODES[cls]
    return 400


async def _answer(_request: Request, exc: Exception) -> Response:
    if not isinstance(exc, AnslagError):
        raise exc
    headers: dict[str, str] = {}
    if isinstance(exc, InvalidDeviceToken | InvalidCredentials):
        headers["WWW-Authenticate"] = "Bearer"
    if isinstance(exc, TooManyAttempts):
        headers["Retry-After"] = str(exc.retry_after_s)
    return JSONResponse({"detail": str(exc)}, status_code=status_code_for(exc), headers=headers)


def install_error_handler(app: FastAPI) -> None:
    app.add_exception_handler(AnslagError, _answer)
