"""What a screen reports back: its heartbeat, proof of play, alerts shown, the server's answers.

The player builds these models and the server validates what arrives with the
same ones, so both sides agree on every field and limit. Like the manifest,
every model is frozen and refuses unknown fields; the limits keep a confused or
hostile player from filling the server's database.
"""

from __future__ import annotations

from typing import Annotated, Final

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from playlists.manifest import Identifier, UtcDatetime

# A screen sends a heartbeat this often; two missed in a row and the dashboard calls it offline.
HEARTBEAT_INTERVAL_S: Final = 60
MAX_RECENT_ERRORS: Final = 20
MAX_ERROR_LENGTH: Final = 300
# A batch stays a small request on a mobile link; a week offline is sent in many of them.
MAX_PLAYS_PER_BATCH: Final = 500
# One slide longer than a day is a wrong clock or a bug, not a play.
MAX_PLAY_DURATION_S: Final = 24 * 3600
MAX_BYTES: Final = 2**53  # petabytes: any real disk, and still exact in JSON's doubles

ShortText = Annotated[str, StringConstraints(max_length=64)]
ErrorLine = Annotated[str, StringConstraints(max_length=MAX_ERROR_LENGTH)]
ByteCount = Annotated[int, Field(ge=0, le=MAX_BYTES)]


class _Report(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Heartbeat(_Report):
    """How a screen is doing, sent every `HEARTBEAT_INTERVAL_S` seconds.

    `current_item` and `current_playlist` are the manifest's ids of the slide on
    screen (None while the idle card is); `player_time` is the player's own clock
    when it sent this, which tells the server how far that clock is off.
    `clock_trusted` and `display_on` are None where the player cannot tell.
    """

    current_item: Identifier | None = None
    current_playlist: Identifier | None = None
    manifest_etag: Annotated[str, StringConstraints(max_length=128)] | None = None
    cache_bytes: ByteCount
    cache_limit_bytes: ByteCount | None = None
    free_disk_bytes: ByteCount
    uptime_s: float = Field(ge=0, le=10 * 365 * 24 * 3600)
    player_version: ShortText
    player_time: UtcDatetime
    clock_trusted: bool | None = None
    recent_errors: tuple[ErrorLine, ...] = Field(default=(), max_length=MAX_RECENT_ERRORS)
    display_on: bool | None = None


# A player release as its wheel names it ("0.4.0", "0.4.1rc1", "1.0.0+kommun.2"): the
# characters PEP 440 allows, never a path or an option.
PlayerVersion = Annotated[
    str, StringConstraints(min_length=1, max_length=64, pattern=r"^[0-9][0-9A-Za-z.+!_]*$")
]
Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


class PlayerUpdate(_Report):
    """The player release the server wants a screen to run instead of its own.

    `path` is where the server serves the wheel, relative to the server's address
    the screen already uses (so it works behind any proxy); `sha256` is checked
    before anything is installed.
    """

    version: PlayerVersion
    path: Annotated[str, StringConstraints(max_length=300, pattern=r"^/[^\s?#]*$")]
    sha256: Sha256
    size: ByteCount


class HeartbeatAnswer(_Report):
    """The server's answer to a heartbeat: what it asks the screen to do now.

    Unlike the reports, it ignores fields it does not know: a newer server may
    ask for something an older player cannot do, and must not make it fail.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    screenshot_requested: bool = False
    player_update: PlayerUpdate | None = None


class PlayReport(_Report):
    """Proof of play: the screen showed `item` of `playlist` from `started_at` for `duration_s`."""

    item: Identifier
    playlist: ShortText = ""
    started_at: UtcDatetime
    duration_s: float = Field(ge=0, le=MAX_PLAY_DURATION_S)


class PlayBatch(_Report):
    plays: tuple[PlayReport, ...] = Field(min_length=1, max_length=MAX_PLAYS_PER_BATCH)


class PlaysReceived(_Report):
    """What became of a batch: new records stored, and ones the server already had (a retry)."""

    stored: int
    duplicates: int


class AlertShown(_Report):
    """A screen acknowledging an alert: `version` of it arrived at `received_at` and was on
    screen from `displayed_at`, both by the player's own clock."""

    version: int = Field(ge=1)
    received_at: UtcDatetime
    displayed_at: UtcDatetime
