"""Serving the app with uvicorn, ending the push streams first when it is asked to stop.

uvicorn waits for open responses to finish before it stops, and a push stream
never finishes by itself: without this, Ctrl-C would hang for as long as one
screen is connected.
"""

from __future__ import annotations

import socket

import uvicorn
from fastapi import FastAPI

from server.app import end_push_streams


class Server(uvicorn.Server):
    """uvicorn's server for an app made by `create_app`."""

    def __init__(self, app: FastAPI, *, host: str, port: int) -> None:
        super().__init__(uvicorn.Config(app, host=host, port=port))
        self._app = app

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        end_push_streams(self._app)
        await super().shutdown(sockets)
