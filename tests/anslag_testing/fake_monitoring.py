"""The fake device API with the reporting endpoints: heartbeats, proof of play, screenshots.

It validates what arrives with the wire models the real server uses, stores a
play once however often it is sent (as the real server does), and can be told
to ask for a screenshot, refuse plays with a status, lose its answers, or hang.
"""

from __future__ import annotations

import threading

import httpx

from anslag_testing.fake_server import DEVICE_TOKEN, FakeDeviceServer
from player.monitoring import HEARTBEAT_PATH, PLAYS_PATH, SCREENSHOT_PATH
from playlists.reports import (
    Heartbeat,
    HeartbeatAnswer,
    PlayBatch,
    PlayerUpdate,
    PlayReport,
    PlaysReceived,
)


class FakeMonitoringServer(FakeDeviceServer):
    """A `FakeDeviceServer` that also takes reports; set the public attributes to misbehave."""

    def __init__(self, *, token: str = DEVICE_TOKEN) -> None:
        super().__init__(token=token)
        self.heartbeats: list[Heartbeat] = []
        self.plays: list[PlayReport] = []
        self.play_requests = 0
        self.screenshots: list[tuple[str, bytes]] = []
        self.screenshot_requested = False
        # The release offered in every heartbeat's answer, as an admin's choice makes the server.
        self.player_update: PlayerUpdate | None = None
        self.plays_status: int | None = None
        # Store what arrives, then drop the connection before the answer: a lost answer.
        self.lose_answers = False
        # While set, heartbeats wait for `release` (a server that hangs).
        self.hang_heartbeats = False
        self.release = threading.Event()

    def requests_to(self, path: str) -> list[httpx.Request]:
        return [request for request in self.requests if request.url.path == path]

    def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path not in (HEARTBEAT_PATH, PLAYS_PATH, SCREENSHOT_PATH):
            return super().handle(request)
        self.requests.append(request)
        if self.offline:
            raise httpx.ConnectError("connection refused", request=request)
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            return httpx.Response(401, json={"detail": "unknown device token"})
        if path == HEARTBEAT_PATH:
            return self._heartbeat(request)
        if path == PLAYS_PATH:
            return self._plays(request)
        return self._screenshot(request)

    def _heartbeat(self, request: httpx.Request) -> httpx.Response:
        if self.hang_heartbeats:
            self.release.wait()
        self.heartbeats.append(Heartbeat.model_validate_json(request.content))
        answer = HeartbeatAnswer(
            screenshot_requested=self.screenshot_requested, player_update=self.player_update
        )
        return self._answer(request, answer.model_dump(mode="json", exclude_none=True))

    def _plays(self, request: httpx.Request) -> httpx.Response:
        self.play_requests += 1
        if self.plays_status is not None:
            return httpx.Response(self.plays_status, json={"detail": "refusing plays on purpose"})
        batch = PlayBatch.model_validate_json(request.content)
        known = {(play.item, play.started_at) for play in self.plays}
        new = [play for play in batch.plays if (play.item, play.started_at) not in known]
        self.plays.extend(new)
        received = PlaysReceived(stored=len(new), duplicates=len(batch.plays) - len(new))
        return self._answer(request, received.model_dump(mode="json"))

    def _screenshot(self, request: httpx.Request) -> httpx.Response:
        self.screenshots.append((request.headers.get("Content-Type", ""), request.content))
        self.screenshot_requested = False
        return self._answer(request, {"sha256": "0" * 64, "size": len(request.content)})

    def _answer(self, request: httpx.Request, body: object) -> httpx.Response:
        if self.lose_answers:
            raise httpx.ReadError("connection dropped before the answer", request=request)
        return httpx.Response(200, json=body)
