"""Reporting to the server: the heartbeat, proof of play, screenshots and alerts shown, without Qt.

`Monitor.tick()` is called from a worker thread (see `player.ui.monitoring`): it
sends a heartbeat when one is due, then the queued plays, and says when a
screenshot should be taken. Every failure is logged and left for the next tick;
nothing here ever holds up playback, and queued plays wait on disk.
"""

from __future__ import annotations

import logging
import shutil
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TypeVar
from urllib.parse import quote

import httpx
from pydantic import ValidationError

from player.cache import AssetCache
from player.errors import DeviceNotAuthorised, ServerError, ServerUnreachable, SyncError
from player.play_queue import PlayQueue
from player.store import ManifestStore
from player.updates import PlayerUpdater
from playlists.reports import (
    HEARTBEAT_INTERVAL_S,
    MAX_ERROR_LENGTH,
    MAX_PLAY_DURATION_S,
    MAX_PLAYS_PER_BATCH,
    MAX_RECENT_ERRORS,
    AlertShown,
    Heartbeat,
    HeartbeatAnswer,
    PlayBatch,
    PlayReport,
    PlaysReceived,
)

logger = logging.getLogger(__name__)

HEARTBEAT_PATH = "/api/device/v1/heartbeat"
PLAYS_PATH = "/api/device/v1/plays"
SCREENSHOT_PATH = "/api/device/v1/screenshot"
ALERT_SHOWN_PATH = "/api/device/v1/alerts/{alert}/ack"
# A batch the server refuses as malformed will never be accepted: it is dropped, not retried
# for ever in front of every later record.
_UNACCEPTABLE = frozenset({400, 413, 422})
FIRST_SCREENSHOT_S = 60
# An error older than this is no longer "recent" for the dashboard.
ERRORS_KEPT_S = 3600


def player_version() -> str:
    try:
        return version("anslag")
    except PackageNotFoundError:
        return "unknown"


class MonitoringClient:
    """The device API's reporting endpoints, for one paired screen."""

    def __init__(
        self,
        *,
        server_url: str,
        token: str,
        transport: httpx.BaseTransport | None = None,
        timeout_s: float = 15.0,
    ) -> None:
        self._server_url = server_url.rstrip("/")
        self._client = httpx.Client(
            base_url=self._server_url,
            headers={"Authorization": f"Bearer {token}"},
            transport=transport,
            timeout=timeout_s,
        )

    def close(self) -> None:
        self._client.close()

    def send_heartbeat(self, heartbeat: Heartbeat) -> HeartbeatAnswer:
        response = self._send("POST", HEARTBEAT_PATH, json=heartbeat.model_dump(mode="json"))
        return _parse(HeartbeatAnswer, response)

    def send_plays(self, plays: list[PlayReport]) -> PlaysReceived:
        batch = PlayBatch(plays=tuple(plays))
        response = self._send("POST", PLAYS_PATH, json=batch.model_dump(mode="json"))
        return _parse(PlaysReceived, response)

    def upload_screenshot(self, data: bytes, media_type: str) -> None:
        self._send("PUT", SCREENSHOT_PATH, content=data, media_type=media_type)

    def send_alert_shown(self, alert: str, shown: AlertShown) -> None:
        path = ALERT_SHOWN_PATH.format(alert=quote(alert, safe=""))
        self._send("POST", path, json=shown.model_dump(mode="json"))

    def _send(
        self,
        method: str,
        path: str,
        *,
        json: object = None,
        content: bytes | None = None,
        media_type: str | None = None,
    ) -> httpx.Response:
        url = f"{self._server_url}{path}"
        headers = {"Content-Type": media_type} if media_type is not None else None
        try:
            response = self._client.request(
                method, path, json=json, content=content, headers=headers
            )
        except httpx.TransportError as exc:
            raise ServerUnreachable(f"{url}: {exc or type(exc).__name__}") from exc
        if response.status_code in (401, 403):
            raise DeviceNotAuthorised(f"{url} refused the device token ({response.status_code})")
        if not response.is_success:
            raise ServerError(
                response.status_code,
                f"{url} answered {response.status_code}: {_detail(response)}",
            )
        return response


Answer = TypeVar("Answer", HeartbeatAnswer, PlaysReceived)


def _parse(model: type[Answer], response: httpx.Response) -> Answer:
    try:
        return model.model_validate_json(response.content)
    except ValidationError as exc:
        raise ServerError(
            response.status_code, f"{response.url} answered something else than a {model.__name__}"
        ) from exc


def _detail(response: httpx.Response) -> str:
    try:
        detail = response.json().get("detail")
    except (ValueError, AttributeError):
        detail = None
    return str(detail)[:200] if detail else response.reason_phrase


@dataclass
class _Entry:
    at: datetime
    seen_at: float
    message: str
    repeats: int = 1


class RecentErrors(logging.Handler):
    """The player's recent warnings and errors, for the heartbeat: few, short and deduplicated.

    A message repeated back to back (the same sync failure every poll while the
    network is down) is one entry with a count, so it cannot push out the rest.
    """

    def __init__(
        self,
        *,
        clock: Callable[[], datetime],
        monotonic: Callable[[], float],
        keep: int = MAX_RECENT_ERRORS,
        kept_s: float = ERRORS_KEPT_S,
    ) -> None:
        super().__init__(level=logging.WARNING)
        self._clock = clock
        self._monotonic = monotonic
        self._entries: deque[_Entry] = deque(maxlen=keep)
        self._kept_s = kept_s

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        # Called with the handler's lock held; `lines()` takes the same lock.
        latest = self._entries[-1] if self._entries else None
        if latest is not None and latest.message == message:
            latest.repeats += 1
            latest.seen_at = self._monotonic()
            return
        self._entries.append(_Entry(self._clock(), self._monotonic(), message))

    def lines(self, zone: tzinfo = UTC) -> tuple[str, ...]:
        """Recent entries, oldest first, as "HH:MM message (N times)" on the `zone` wall clock."""
        now = self._monotonic()
        self.acquire()
        try:
            entries = [entry for entry in self._entries if now - entry.seen_at < self._kept_s]
        finally:
            self.release()
        return tuple(_error_line(entry, zone) for entry in entries)


def _error_line(entry: _Entry, zone: tzinfo) -> str:
    repeats = f" ({entry.repeats} times)" if entry.repeats > 1 else ""
    text = f"{entry.at.astimezone(zone):%H:%M} {entry.message}"
    room = MAX_ERROR_LENGTH - len(repeats)
    if len(text) > room:
        text = text[: room - 1] + "…"
    return text + repeats


@dataclass(frozen=True)
class NowPlaying:
    """The slide on screen as the manifest names it (both None while the idle card shows),
    and the location's time zone, in which the heartbeat words the times of its errors."""

    item: str | None = None
    playlist: str | None = None
    zone: tzinfo = UTC


class HeartbeatProbe:
    """Measures what a heartbeat reports: cache, disk, uptime, errors, the manifest's ETag.

    `clock_trusted` and `display_on` are the parts other components of the
    running player know; they are read from the monitoring thread.
    """

    def __init__(
        self,
        *,
        cache: AssetCache,
        store: ManifestStore,
        data_dir: Path,
        clock: Callable[[], datetime],
        monotonic: Callable[[], float],
        errors: RecentErrors,
        cache_limit_bytes: int | None = None,
        clock_trusted: Callable[[], bool | None] = lambda: None,
        display_on: Callable[[], bool | None] = lambda: None,
    ) -> None:
        self._cache = cache
        self._store = store
        self._data_dir = data_dir
        self._clock = clock
        self._monotonic = monotonic
        self._started = monotonic()
        self._errors = errors
        self._cache_limit_bytes = cache_limit_bytes
        self._clock_trusted = clock_trusted
        self._display_on = display_on
        self._version = player_version()
        self._etag: tuple[int, str | None] | None = None

    def measure(self, playing: NowPlaying) -> Heartbeat:
        return Heartbeat(
            current_item=playing.item,
            current_playlist=playing.playlist,
            manifest_etag=self._manifest_etag(),
            cache_bytes=self._cache.size_bytes(),
            cache_limit_bytes=self._cache_limit_bytes,
            free_disk_bytes=shutil.disk_usage(self._data_dir).free,
            uptime_s=max(0.0, self._monotonic() - self._started),
            player_version=self._version,
            player_time=self._clock(),
            clock_trusted=self._clock_trusted(),
            recent_errors=self._errors.lines(playing.zone),
            display_on=self._display_on(),
        )

    def _manifest_etag(self) -> str | None:
        """The last good manifest's ETag, read again only when its file changed."""
        try:
            changed_ns = self._store.path.stat().st_mtime_ns
        except FileNotFoundError:
            return None
        if self._etag is None or self._etag[0] != changed_ns:
            stored = self._store.load()
            self._etag = (changed_ns, stored.etag if stored is not None else None)
        return self._etag[1]


def play_report(
    *, item: str, playlist: str, started_at: datetime, ended_at: datetime
) -> PlayReport:
    """A play from when it started to when the next slide took over.

    A clock set in between can make the difference negative or huge; the
    duration is then kept within what the server accepts.
    """
    seconds = (ended_at - started_at).total_seconds()
    return PlayReport(
        item=item,
        playlist=playlist,
        started_at=started_at,
        duration_s=min(max(0.0, seconds), MAX_PLAY_DURATION_S),
    )


class Monitor:
    """Decides when to report, and reports; the worker thread calls `tick()` and waits between."""

    def __init__(
        self,
        *,
        client: MonitoringClient,
        queue: PlayQueue,
        probe: HeartbeatProbe,
        monotonic: Callable[[], float],
        heartbeat_interval_s: float = HEARTBEAT_INTERVAL_S,
        screenshot_interval_s: float | None = 15 * 60,
        updater: PlayerUpdater | None = None,
    ) -> None:
        self._client = client
        self._updater = updater
        self._queue = queue
        self._probe = probe
        self._monotonic = monotonic
        self._heartbeat_interval_s = heartbeat_interval_s
        self._screenshot_interval_s = screenshot_interval_s
        start = monotonic()
        self._next_heartbeat = start
        # The first regular one a minute after start: content is up by then, and the dashboard
        # need not show what the screen showed before a restart for a whole interval.
        self._next_screenshot = start + min(screenshot_interval_s or 0, FIRST_SCREENSHOT_S)
        self._online = False
        # Set by the GUI thread, read by the monitoring thread: an immutable value replaced whole.
        self.now_playing = NowPlaying()

    def close(self) -> None:
        self._client.close()

    def record_play(self, play: PlayReport) -> None:
        self._queue.append(play)

    def tick(self) -> bool:
        """Report what is due now; True when a screenshot should be taken and uploaded."""
        now = self._monotonic()
        wanted = False
        if now >= self._next_heartbeat:
            self._next_heartbeat = now + self._heartbeat_interval_s
            answer = self._heartbeat()
            self._online = answer is not None
            if answer is not None:
                wanted = answer.screenshot_requested
                self.flush_plays()
                if self._updater is not None:
                    self._updater.offer(answer.player_update)
        # Regular screenshots only while the server answers: one taken offline would be stale.
        interval = self._screenshot_interval_s
        if interval and self._online and now >= self._next_screenshot:
            wanted = True
        if wanted and interval:
            self._next_screenshot = now + interval
        return wanted

    def seconds_until_due(self) -> float:
        due = self._next_heartbeat
        if self._screenshot_interval_s and self._online:
            due = min(due, self._next_screenshot)
        return max(0.0, due - self._monotonic())

    def flush_plays(self) -> int:
        """Send queued plays in batches until none is left or the server stops answering."""
        sent = 0
        while batch := self._queue.oldest(MAX_PLAYS_PER_BATCH):
            try:
                received = self._client.send_plays([queued.record for queued in batch])
            except ServerError as exc:
                if exc.status not in _UNACCEPTABLE:
                    logger.warning("proof of play not sent, kept for later: %s", exc)
                    return sent
                logger.error(
                    "dropped %d proof-of-play records the server refuses: %s", len(batch), exc
                )
            except SyncError as exc:
                logger.warning("proof of play not sent, kept for later: %s", exc)
                return sent
            else:
                sent += received.stored
            self._queue.acknowledge(batch[-1].seq)
        return sent

    def upload_screenshot(self, data: bytes, media_type: str) -> bool:
        try:
            self._client.upload_screenshot(data, media_type)
        except SyncError as exc:
            logger.warning("screenshot not uploaded: %s", exc)
            return False
        return True

    def _heartbeat(self) -> HeartbeatAnswer | None:
        try:
            return self._client.send_heartbeat(self._probe.measure(self.now_playing))
        except SyncError as exc:
            logger.warning("heartbeat not sent: %s", exc)
            return None
