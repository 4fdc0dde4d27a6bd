"""Pairing a new screen: a code from the server, shown until an admin claims it, then a token.

    POST /api/device/v1/pairing   → 201 {code, token, expires_at, poll_interval_s}
    GET  /api/device/v1/pairing   with the token: {status: "pending" | "paired", …};
                                  401 once the code expired or is unknown

The token comes with the code and becomes the device token the moment an admin
claims the code, so no secret ever passes through a person. The pending code is
kept on disk (mode 0600), so a screen unplugged while waiting shows the same
code again; once claimed, the token goes to the device-token file, also 0600.
"""

from __future__ import annotations

import json
import logging
import socket
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal, TypeVar

import httpx
from pydantic import BaseModel, Field, ValidationError

from player.cache import write_atomically
from player.errors import PairingExpired, ServerError, ServerUnreachable, validation_reason

logger = logging.getLogger(__name__)

PAIRING_PATH = "/api/device/v1/pairing"
# Only the owner may read a token: it is the screen's password.
SECRET_FILE_MODE = 0o600


@dataclass(frozen=True)
class PendingPairing:
    """A code the screen shows, with the token that becomes its own once the code is claimed."""

    server_url: str
    code: str
    token: str
    expires_at: str
    poll_interval_s: float


class _CodeAnswer(BaseModel):
    code: str = Field(min_length=1)
    token: str = Field(min_length=1)
    expires_at: str
    poll_interval_s: float = Field(default=5, gt=0)


class _StatusAnswer(BaseModel):
    status: Literal["pending", "paired"]
    screen: str | None = None
    location: str | None = None


_Answer = TypeVar("_Answer", _CodeAnswer, _StatusAnswer)


@dataclass(frozen=True)
class PairedScreen:
    """The screen an admin made of this player: its name and location, and its token."""

    token: str
    screen: str
    location: str


class PairingClient:
    """The pairing half of the device protocol, for a player without a device token yet."""

    def __init__(
        self,
        *,
        server_url: str,
        transport: httpx.BaseTransport | None = None,
        timeout_s: float = 15.0,
    ) -> None:
        self._server_url = server_url.rstrip("/")
        self._client = httpx.Client(
            base_url=self._server_url, transport=transport, timeout=timeout_s
        )

    @property
    def server_url(self) -> str:
        return self._server_url

    def request_code(self, *, player_version: str, hostname: str) -> PendingPairing:
        """A new code to show."""
        body = {"player_version": player_version, "hostname": hostname}
        answer = self._answer(self._call("POST", json=body), _CodeAnswer, expected=201)
        return PendingPairing(server_url=self._server_url, **answer.model_dump())

    def claimed(self, pending: PendingPairing) -> PairedScreen | None:
        """The screen made of this player once the code is claimed; None while it waits."""
        response = self._call("GET", headers={"Authorization": f"Bearer {pending.token}"})
        if response.status_code == 401:
            raise PairingExpired(
                f"{self._url()} no longer knows the code {pending.code}: a new one is needed"
            )
        answer = self._answer(response, _StatusAnswer, expected=200)
        if answer.status != "paired":
            return None
        return PairedScreen(
            token=pending.token, screen=answer.screen or "", location=answer.location or ""
        )

    def close(self) -> None:
        self._client.close()

    def _call(
        self, method: str, *, json: object = None, headers: dict[str, str] | None = None
    ) -> httpx.Response:
        try:
            return self._client.request(method, PAIRING_PATH, json=json, headers=headers)
        except httpx.TransportError as exc:
            raise ServerUnreachable(f"{self._url()}: {str(exc) or type(exc).__name__}") from exc

    def _answer(self, response: httpx.Response, model: type[_Answer], *, expected: int) -> _Answer:
        status = response.status_code
        if status != expected:
            raise ServerError(status, f"{self._url()} answered {status} {response.reason_phrase}")
        try:
            return model.model_validate_json(response.content)
        except ValidationError as exc:
            raise ServerError(
                status, f"{self._url()} sent an unusable answer: {validation_reason(exc)}"
            ) from exc

    def _url(self) -> str:
        return f"{self._server_url}{PAIRING_PATH}"


class Enrollment:
    """Pairs this player, one `step` at a time: a code (kept across restarts), then the token."""

    def __init__(
        self,
        *,
        client: PairingClient,
        token_file: Path,
        pending_file: Path,
        player_version: str,
        hostname: str | None = None,
    ) -> None:
        self._client = client
        self._token_file = token_file
        self._pending_file = pending_file
        self._player_version = player_version
        self._hostname = socket.gethostname() if hostname is None else hostname
        self._pending: PendingPairing | None = None

    def step(self) -> PendingPairing | PairedScreen:
        """The code to show now, or the screen this player became (its token is then stored).

        Raises `ServerUnreachable` or `ServerError`: the code shown stays valid.
        """
        pending = self._pending or self._load_pending()
        if pending is None:
            pending = self._new_code()
        try:
            paired = self._client.claimed(pending)
        except PairingExpired as exc:
            logger.info("%s", exc)
            pending = self._new_code()
            paired = None
        if paired is None:
            return pending
        write_secret(self._token_file, paired.token)
        self._pending_file.unlink(missing_ok=True)
        self._pending = None
        logger.info(
            "paired as screen %r at %s; the device token is in %s",
            paired.screen,
            paired.location,
            self._token_file,
        )
        return paired

    def close(self) -> None:
        self._client.close()

    def _new_code(self) -> PendingPairing:
        pending = self._client.request_code(
            player_version=self._player_version, hostname=self._hostname
        )
        write_secret(self._pending_file, json.dumps(asdict(pending)))
        self._pending = pending
        logger.info("showing the pairing code %s, valid until %s", pending.code, pending.expires_at)
        return pending

    def _load_pending(self) -> PendingPairing | None:
        """The code shown before a restart, if it was for this server."""
        try:
            pending = PendingPairing(**json.loads(self._pending_file.read_text(encoding="utf-8")))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, TypeError) as exc:
            logger.warning("ignoring the pairing state in %s: %s", self._pending_file, exc)
            return None
        if pending.server_url != self._client.server_url:
            return None
        self._pending = pending
        return pending


def write_secret(path: Path, text: str) -> None:
    """Store a token or the like so that only the player's user can read it, atomically."""
    write_atomically(path, text.encode("utf-8"), mode=SECRET_FILE_MODE)


def format_code(code: str) -> str:
    """A code as people read it off a screen: two groups of three, "K7M 4PX"."""
    half = len(code) // 2
    return f"{code[:half]} {code[half:]}" if len(code) > 4 else code
