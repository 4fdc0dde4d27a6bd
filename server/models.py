"""The stored rows: content (locations and their screens, media, items, playlists,
assignments), the event calendar (events, their calendar sources and public
submissions), news sources and their entries, alerts, the CAP feeds and messages
behind them and how far each alert reached every screen, screens' pairing and
reports, accounts (users, login sessions, failed logins, API tokens) and the audit log.

Every instant is stored through `UtcDateTime` (aware UTC in, aware UTC out);
`Assignment.start_time` / `end_time` are wall-clock times of the location's zone.
Foreign keys are declared nullable in Python only because the relationship sets
them at the first flush; the columns themselves are NOT NULL.
"""

# No `from __future__ import annotations`: SQLModel reads relationship annotations at
# class creation and cannot resolve postponed ones.

from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, Text, UniqueConstraint
from sqlmodel import Field, Relationship, SQLModel

from server.db import UtcDateTime

# Named constraints let later migrations rebuild SQLite tables (batch mode) and drop
# constraints by name on PostgreSQL; the convention must be set before any table exists.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Location(SQLModel, table=True):
    """A place with screens (a village shop, a sports hall), in one time zone.

    `tags` name the villages and zones it belongs to; assignments and alerts can
    target a tag. `opening_hours` is a list of {"weekday": 1-7, "opens": "HH:MM",
    "closes": "HH:MM"} that turns its screens on and off; empty means always on.
    """

    __tablename__ = "location"
    __table_args__ = (
        CheckConstraint("language_mode IN ('alternate', 'both')", name="language_mode"),
    )

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=64, unique=True)
    name: str = Field(max_length=200)
    timezone: str = Field(max_length=64)
    # Display languages in order of preference; the first is the primary one.
    languages: list[str] = Field(sa_type=JSON)
    language_mode: str = Field(default="both", max_length=16)
    address: str = Field(default="", max_length=300)
    latitude: float | None = None
    longitude: float | None = None
    # The official code of the municipality (SCB's four digits in Sweden, Kartverket's in Norway).
    municipality_code: str = Field(default="", max_length=16)
    tags: list[str] = Field(default_factory=list, sa_type=JSON)
    opening_hours: list[dict[str, str | int]] = Field(default_factory=list, sa_type=JSON)
    # Screens here also show alerts with status Exercise (labelled as such).
    exercise_group: bool = False
    version: int = 1
    created_at: datetime = Field(sa_type=UtcDateTime)

    screens: list["Screen"] = Relationship(
        back_populates="location", sa_relationship_kwargs={"order_by": "Screen.id"}
    )


class Screen(SQLModel, table=True):
    """One display at a location; it authenticates with a bearer token we only know hashed."""

    __tablename__ = "screen"

    id: int | None = Field(default=None, primary_key=True)
    location_id: int | None = Field(
        default=None, foreign_key="location.id", nullable=False, index=True
    )
    name: str = Field(max_length=200)
    # sha256 of the bearer token: a leaked database does not let anyone pose as a screen.
    # None once revoked: the player goes back to pairing.
    token_hash: str | None = Field(default=None, max_length=64, unique=True)
    created_at: datetime = Field(sa_type=UtcDateTime)
    last_seen_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    # The player's latest heartbeat as it sent it (current item, cache, version …).
    heartbeat: dict[str, object] | None = Field(default=None, sa_type=JSON)
    heartbeat_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    # The latest screenshot, kept in media storage.
    screenshot_sha256: str | None = Field(default=None, max_length=64)
    screenshot_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    # The player release an admin wants this screen to run (None: whatever it runs).
    wanted_player_version: str | None = Field(default=None, max_length=64)

    location: Location = Relationship(back_populates="screens")


class MediaAsset(SQLModel, table=True):
    """A file in media storage, addressed by the sha256 of its bytes."""

    __tablename__ = "media_asset"

    sha256: str = Field(primary_key=True, max_length=64)
    size: int
    media_type: str = Field(max_length=100)
    width: int
    height: int
    # A video's length in seconds; None for a picture.
    duration_s: float | None = None
    original_name: str = Field(max_length=255)
    # A small JPEG for the library, itself kept in media storage.
    thumbnail_sha256: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(sa_type=UtcDateTime)


class Item(SQLModel, table=True):
    """One slide: an image, a video, a text (news, notice) or an event.

    `texts` maps a language code to {"title": …, "body": …}. `asset_sha256` is the
    picture or clip an image or video item shows, or the optional picture of a
    text or event. `version` grows with every save, so that an editor saving
    over someone else's newer change is told instead.
    """

    __tablename__ = "item"
    __table_args__ = (
        CheckConstraint("kind IN ('image', 'video', 'text', 'event')", name="kind"),
        CheckConstraint("fit IN ('fill', 'fit')", name="fit"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)
    duration_s: float
    valid_from: datetime | None = Field(default=None, sa_type=UtcDateTime)
    valid_until: datetime | None = Field(default=None, sa_type=UtcDateTime)
    asset_sha256: str | None = Field(
        default=None, foreign_key="media_asset.sha256", max_length=64, index=True
    )
    fit: str = Field(default="fill", max_length=8)
    texts: dict[str, dict[str, str]] = Field(default_factory=dict, sa_type=JSON)
    starts_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    ends_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    all_day: bool = False
    place: str = Field(default="", max_length=200)
    organiser: str = Field(default="", max_length=200)
    loop: bool = False
    muted: bool = True
    version: int = 1
    created_at: datetime = Field(sa_type=UtcDateTime)
    updated_at: datetime = Field(sa_type=UtcDateTime)

    asset: MediaAsset | None = Relationship()


class Playlist(SQLModel, table=True):
    """An ordered list of items, itself valid for a window.

    `version` grows with every save: two editors saving the same playlist, the
    second is told rather than silently overwriting the first.
    """

    __tablename__ = "playlist"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    valid_from: datetime | None = Field(default=None, sa_type=UtcDateTime)
    valid_until: datetime | None = Field(default=None, sa_type=UtcDateTime)
    version: int = 1
    updated_at: datetime | None = Field(default=None, sa_type=UtcDateTime)

    entries: list["PlaylistEntry"] = Relationship(
        back_populates="playlist",
        sa_relationship_kwargs={
            "order_by": "PlaylistEntry.position",
            "cascade": "all, delete-orphan",
        },
    )


class PlaylistEntry(SQLModel, table=True):
    """One position in a playlist: an item, or a dynamic entry the manifest fills in per
    location (`dynamic_kind` names the rule, e.g. "upcoming_events", and
    `dynamic_options` its settings); optionally with its own duration and window.
    """

    __tablename__ = "playlist_entry"
    __table_args__ = (
        UniqueConstraint("playlist_id", "position"),
        CheckConstraint("(item_id IS NULL) <> (dynamic_kind IS NULL)", name="one_content"),
    )

    id: int | None = Field(default=None, primary_key=True)
    playlist_id: int | None = Field(
        default=None, foreign_key="playlist.id", ondelete="CASCADE", nullable=False
    )
    position: int
    item_id: int | None = Field(default=None, foreign_key="item.id", index=True)
    dynamic_kind: str | None = Field(default=None, max_length=32)
    dynamic_options: dict[str, object] | None = Field(default=None, sa_type=JSON)
    # Overrides the item's own duration when set.
    duration_s: float | None = None
    valid_from: datetime | None = Field(default=None, sa_type=UtcDateTime)
    valid_until: datetime | None = Field(default=None, sa_type=UtcDateTime)

    playlist: Playlist = Relationship(back_populates="entries")
    item: Item | None = Relationship()


class Assignment(SQLModel, table=True):
    """A playlist in force at a location, or at every location with a tag, on some
    weekdays, in a local time window.

    `weekdays` are ISO numbers (1 = Monday … 7 = Sunday); no window means all day.
    Exactly one of `location_id` and `location_tag` is set.
    """

    __tablename__ = "assignment"
    __table_args__ = (
        CheckConstraint("(location_id IS NULL) <> (location_tag IS NULL)", name="one_target"),
    )

    id: int | None = Field(default=None, primary_key=True)
    playlist_id: int | None = Field(
        default=None, foreign_key="playlist.id", ondelete="CASCADE", nullable=False, index=True
    )
    location_id: int | None = Field(
        default=None, foreign_key="location.id", ondelete="CASCADE", index=True
    )
    location_tag: str | None = Field(default=None, max_length=64, index=True)
    priority: int = 0
    weekdays: list[int] = Field(sa_type=JSON)
    start_time: time | None = None
    end_time: time | None = None
    valid_from: datetime | None = Field(default=None, sa_type=UtcDateTime)
    valid_until: datetime | None = Field(default=None, sa_type=UtcDateTime)

    playlist: Playlist = Relationship()
    location: Location | None = Relationship()


class CalendarSource(SQLModel, table=True):
    """An iCalendar feed on the web (an association's or the library's calendar) whose
    events are imported, and polled again with its ETag and Last-Modified.

    Its events target `location_ids` and `location_tags` (none: the whole
    municipality) and are written in `language`. `last_error` says why the
    latest fetch failed, as {"message": an English message id, "values": {…}} for
    the admin to translate; the events of the last good fetch stay until the next.
    """

    __tablename__ = "calendar_source"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    url: str = Field(max_length=2000)
    language: str = Field(default="sv", max_length=8)
    location_ids: list[int] = Field(default_factory=list, sa_type=JSON)
    location_tags: list[str] = Field(default_factory=list, sa_type=JSON)
    enabled: bool = True
    etag: str | None = Field(default=None, max_length=500)
    last_modified: str | None = Field(default=None, max_length=100)
    checked_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    succeeded_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    last_error: dict[str, object] | None = Field(default=None, sa_type=JSON)
    event_count: int = 0
    version: int = 1
    created_at: datetime = Field(sa_type=UtcDateTime)
    updated_at: datetime = Field(sa_type=UtcDateTime)


class Event(SQLModel, table=True):
    """An event in the municipality's calendar: the truth the public calendar, the
    iCalendar feeds and the screens' event slides are all made from.

    `status` is draft, pending (waiting for a moderator), approved (public) or
    rejected (`rejection_reason` says why). `origin` is manual (an editor),
    submission (the public form) or ical (one occurrence imported from
    `source_id`, known there by `source_key`: its UID and recurrence).
    A timed event has `starts_at` and maybe `ends_at`. An all-day event has
    `first_day` and `end_day` (exclusive, as in iCalendar), never moved by a
    time zone; its `starts_at`/`ends_at` are those days' midnights in the
    municipality's zone, kept for sorting. `over_at` is when it drops off
    calendars and screens. It targets `location_ids` and `location_tags`;
    none means the whole municipality. `uid` is its UID in the feeds we publish.
    """

    __tablename__ = "event"
    __table_args__ = (
        UniqueConstraint("source_id", "source_key"),
        CheckConstraint("status IN ('draft', 'pending', 'approved', 'rejected')", name="status"),
        CheckConstraint("origin IN ('manual', 'submission', 'ical')", name="origin"),
        CheckConstraint("(origin = 'ical') = (source_id IS NOT NULL)", name="source"),
    )

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(max_length=255, unique=True)
    status: str = Field(max_length=16, index=True)
    origin: str = Field(max_length=16)
    source_id: int | None = Field(
        default=None, foreign_key="calendar_source.id", ondelete="CASCADE", index=True
    )
    source_key: str | None = Field(default=None, max_length=500)
    texts: dict[str, dict[str, str]] = Field(default_factory=dict, sa_type=JSON)
    all_day: bool = False
    starts_at: datetime = Field(sa_type=UtcDateTime, index=True)
    ends_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    first_day: date | None = None
    end_day: date | None = None
    over_at: datetime = Field(sa_type=UtcDateTime, index=True)
    place: str = Field(default="", max_length=200)
    organiser: str = Field(default="", max_length=200)
    asset_sha256: str | None = Field(
        default=None, foreign_key="media_asset.sha256", max_length=64, index=True
    )
    location_ids: list[int] = Field(default_factory=list, sa_type=JSON)
    location_tags: list[str] = Field(default_factory=list, sa_type=JSON)
    rejection_reason: str = Field(default="", max_length=500)
    version: int = 1
    created_at: datetime = Field(sa_type=UtcDateTime)
    updated_at: datetime = Field(sa_type=UtcDateTime)

    asset: MediaAsset | None = Relationship()


class EventSubmission(SQLModel, table=True):
    """Who sent an event through the public form, and the key to its status page.

    The submitter's status link holds a token we only know hashed. `address`
    and `created_at` pace submissions per address; `language` is the one the
    form was filled in, which the emails to the submitter use.
    """

    __tablename__ = "event_submission"

    id: int | None = Field(default=None, primary_key=True)
    event_id: int | None = Field(
        default=None, foreign_key="event.id", ondelete="CASCADE", nullable=False, unique=True
    )
    contact_name: str = Field(max_length=200)
    contact_email: str = Field(max_length=254)
    association: str = Field(default="", max_length=200)
    token_hash: str = Field(max_length=64, unique=True)
    address: str = Field(max_length=64, index=True)
    language: str = Field(default="sv", max_length=8)
    created_at: datetime = Field(sa_type=UtcDateTime, index=True)
    updated_at: datetime = Field(sa_type=UtcDateTime)

    event: Event = Relationship()


class Role(StrEnum):
    """What a user may do; each role is one of the people the admin serves."""

    ADMIN = "admin"
    EDITOR = "editor"
    MODERATOR = "moderator"
    ALERT_OPERATOR = "alert_operator"


class User(SQLModel, table=True):
    """A person who logs in to the admin; the password is kept as an argon2id hash only."""

    __tablename__ = "user_account"  # "user" is a reserved word in PostgreSQL
    __table_args__ = (
        CheckConstraint("role IN ('admin', 'editor', 'moderator', 'alert_operator')", name="role"),
    )

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64, unique=True)
    display_name: str = Field(max_length=200)
    password_hash: str = Field(max_length=255)
    role: str = Field(max_length=32)
    created_at: datetime = Field(sa_type=UtcDateTime)
    last_login_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class LoginSession(SQLModel, table=True):
    """A logged-in browser: its cookie holds a token we only know hashed, like a screen's."""

    __tablename__ = "login_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int | None = Field(
        default=None, foreign_key="user_account.id", ondelete="CASCADE", nullable=False, index=True
    )
    # Every form of this session carries it; a cross-site form cannot know it.
    csrf_token: str = Field(max_length=64)
    created_at: datetime = Field(sa_type=UtcDateTime)
    expires_at: datetime = Field(sa_type=UtcDateTime)
    last_seen_at: datetime = Field(sa_type=UtcDateTime)

    user: User = Relationship()


class LoginFailure(SQLModel, table=True):
    """A failed login, kept for a while to slow down guessing per username and per address.

    A table rather than memory: with several replicas behind a load balancer, each
    would otherwise count only the guesses that happened to reach it.
    """

    __tablename__ = "login_failure"

    id: int | None = Field(default=None, primary_key=True)
    # Not a foreign key: guesses at usernames that do not exist count as well.
    username: str = Field(max_length=200, index=True)
    address: str = Field(max_length=64, index=True)
    failed_at: datetime = Field(sa_type=UtcDateTime, index=True)


class ApiToken(SQLModel, table=True):
    """A token another municipal system publishes with; it acts as its user, with that role."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int | None = Field(
        default=None, foreign_key="user_account.id", ondelete="CASCADE", nullable=False, index=True
    )
    created_at: datetime = Field(sa_type=UtcDateTime)
    last_used_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UtcDateTime)

    user: User = Relationship()


class PairingRequest(SQLModel, table=True):
    """A new player showing a code until an admin claims it for a location.

    The player holds the token from the start; once claimed, the token's hash
    becomes the new screen's, so no secret is ever stored in the clear.
    """

    __tablename__ = "pairing_request"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=16, index=True)
    token_hash: str = Field(max_length=64, unique=True)
    address: str = Field(max_length=64, index=True)
    player_version: str = Field(default="", max_length=64)
    hostname: str = Field(default="", max_length=200)
    created_at: datetime = Field(sa_type=UtcDateTime)
    expires_at: datetime = Field(sa_type=UtcDateTime, index=True)
    screen_id: int | None = Field(default=None, foreign_key="screen.id", ondelete="CASCADE")


class PlayRecord(SQLModel, table=True):
    """Proof of play: an item a screen showed, when and for how long, as it reported."""

    __tablename__ = "play_record"

    id: int | None = Field(default=None, primary_key=True)
    screen_id: int | None = Field(
        default=None, foreign_key="screen.id", ondelete="CASCADE", nullable=False, index=True
    )
    item: str = Field(max_length=64)
    playlist: str = Field(default="", max_length=64)
    started_at: datetime = Field(sa_type=UtcDateTime, index=True)
    duration_s: float
    received_at: datetime = Field(sa_type=UtcDateTime)


class AuditEntry(SQLModel, table=True):
    """One change: who made it, when, to what, and the thing before and after.

    `actor` is written out ("anna", "anna via API token 'Intranät'") so the log
    still reads right after the user is gone.
    """

    __tablename__ = "audit_entry"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UtcDateTime, index=True)
    user_id: int | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL", index=True
    )
    actor: str = Field(max_length=300)
    action: str = Field(max_length=32)
    entity: str = Field(max_length=32, index=True)
    entity_id: str = Field(max_length=64)
    summary: str = Field(max_length=300)
    before: dict[str, object] | None = Field(default=None, sa_type=JSON)
    after: dict[str, object] | None = Field(default=None, sa_type=JSON)


class Alert(SQLModel, table=True):
    """An emergency alert, raised by hand or taken from a CAP feed, in its latest version.

    `sender` + `identifier` name it as CAP does. `texts` maps a language to
    {"headline", "description", "instruction"}; `target` says where it applies
    (see `server.services.alert_areas.AlertTarget`). An ended alert keeps its row:
    `end_reason` says why, and an all-clear card shows until `all_clear_until`.
    """

    __tablename__ = "alert"
    __table_args__ = (
        UniqueConstraint("sender", "identifier"),
        CheckConstraint("status IN ('actual', 'exercise', 'test')", name="status"),
        CheckConstraint(
            "severity IN ('extreme', 'severe', 'moderate', 'minor', 'unknown')", name="severity"
        ),
        CheckConstraint(
            "end_reason IS NULL OR end_reason IN ('cancelled', 'all_clear', 'superseded')",
            name="end_reason",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    # "manual", or "cap:<source id>" for an alert taken from a feed.
    source: str = Field(max_length=64, index=True)
    sender: str = Field(max_length=255)
    identifier: str = Field(max_length=255)
    sender_name: str = Field(max_length=200)
    status: str = Field(max_length=16)
    severity: str = Field(max_length=16)
    urgency: str = Field(default="unknown", max_length=16)
    certainty: str = Field(default="unknown", max_length=16)
    texts: dict[str, dict[str, str]] = Field(sa_type=JSON)
    target: dict[str, object] = Field(sa_type=JSON)
    sent_at: datetime = Field(sa_type=UtcDateTime)
    effective_at: datetime = Field(sa_type=UtcDateTime)
    onset_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    expires_at: datetime = Field(sa_type=UtcDateTime, index=True)
    version: int = 1
    ended_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    end_reason: str | None = Field(default=None, max_length=16)
    all_clear_until: datetime | None = Field(default=None, sa_type=UtcDateTime)
    created_by: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    created_at: datetime = Field(sa_type=UtcDateTime)
    updated_at: datetime = Field(sa_type=UtcDateTime)


class AlertDelivery(SQLModel, table=True):
    """How far one version of an alert got with one screen: delivered, then displayed.

    `delivered_at` is when the server first handed it over, by the push channel or in a
    fetched manifest (`delivered_via`); `fetched_at` when the screen fetched a manifest
    carrying it. `received_at` and `displayed_at` are the player's own clock, as it
    acknowledged them; `latency_s` is the time from the operator's send (`sent_at`) to the
    screen, worked out so that a player's wrong clock cannot distort it (see
    `server.services.alert_deliveries`). No row: the screen has not heard of it.
    """

    __tablename__ = "alert_delivery"
    __table_args__ = (
        UniqueConstraint("alert_id", "alert_version", "screen_id"),
        CheckConstraint("delivered_via IN ('channel', 'manifest')", name="delivered_via"),
    )

    id: int | None = Field(default=None, primary_key=True)
    alert_id: int | None = Field(
        default=None, foreign_key="alert.id", ondelete="CASCADE", nullable=False
    )
    alert_version: int
    screen_id: int | None = Field(
        default=None, foreign_key="screen.id", ondelete="CASCADE", nullable=False, index=True
    )
    # When the operator sent this version: the start of its latency.
    sent_at: datetime = Field(sa_type=UtcDateTime)
    delivered_at: datetime = Field(sa_type=UtcDateTime)
    delivered_via: str = Field(max_length=16)
    fetched_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    received_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    displayed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    acknowledged_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    latency_s: float | None = None


class JobRun(SQLModel, table=True):
    """A background job's claim on its next run, shared by every server replica.

    The replica that moves `claimed_until` forward runs the job; the others skip
    that turn, so a job runs once per installation however many replicas there are.
    """

    __tablename__ = "job_run"

    name: str = Field(primary_key=True, max_length=64)
    claimed_until: datetime | None = Field(default=None, sa_type=UtcDateTime)
    last_started_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    last_finished_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    # Why the last run failed, or None when it succeeded.
    last_error: str | None = Field(default=None, max_length=500)


class CapSource(SQLModel, table=True):
    """A CAP feed the server polls: one message, or an Atom or RSS index of messages.

    `statuses` are the CAP statuses taken from it ("actual", "exercise", "test");
    a message without an expiry lasts `lifetime_hours`. `seen` holds the index
    entries fetched already, so each poll fetches only new messages; `etag` and
    `last_modified` make the poll conditional.
    """

    __tablename__ = "cap_source"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    url: str = Field(max_length=2000)
    poll_minutes: int = 5
    lifetime_hours: float = 24
    statuses: list[str] = Field(sa_type=JSON)
    enabled: bool = True
    etag: str | None = Field(default=None, max_length=500)
    last_modified: str | None = Field(default=None, max_length=100)
    seen: list[str] = Field(default_factory=list, sa_type=JSON)
    last_polled_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    last_succeeded_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    # Why the last poll failed, wholly or for some messages; None when it all went well.
    last_error: str | None = Field(default=None, max_length=1000)
    version: int = 1
    created_at: datetime = Field(sa_type=UtcDateTime)
    updated_at: datetime = Field(sa_type=UtcDateTime)


class CapMessage(SQLModel, table=True):
    """A CAP message taken in from a source or published by the municipality.

    Every message is kept, also those that changed nothing: it is the memory that
    makes a repeated message a repeat and a late one late (a tombstone). `alert_id`
    is the alert the message belongs to; `note` says why it changed nothing. A
    published message keeps the CAP document as sent, since a message never changes.
    """

    __tablename__ = "cap_message"
    __table_args__ = (UniqueConstraint("sender", "identifier"),)

    id: int | None = Field(default=None, primary_key=True)
    source_id: int | None = Field(default=None, foreign_key="cap_source.id", index=True)
    published: bool = False
    sender: str = Field(max_length=255)
    identifier: str = Field(max_length=255, index=True)
    sent_at: datetime = Field(sa_type=UtcDateTime)
    msg_type: str = Field(max_length=16)
    status: str = Field(max_length=16)
    alert_id: int | None = Field(
        default=None, foreign_key="alert.id", ondelete="SET NULL", index=True
    )
    url: str = Field(default="", max_length=2000)
    note: str = Field(default="", max_length=300)
    document: str | None = Field(default=None, sa_type=Text)
    received_at: datetime = Field(sa_type=UtcDateTime)

    references: list["CapReference"] = Relationship(
        sa_relationship_kwargs={"order_by": "CapReference.id", "cascade": "all, delete-orphan"}
    )


class CapReference(SQLModel, table=True):
    """An earlier message a CAP message updates or cancels (`sender,identifier,sent`)."""

    __tablename__ = "cap_reference"

    id: int | None = Field(default=None, primary_key=True)
    message_id: int | None = Field(
        default=None, foreign_key="cap_message.id", ondelete="CASCADE", nullable=False, index=True
    )
    sender: str = Field(max_length=255)
    identifier: str = Field(max_length=255, index=True)
    sent_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class NewsSource(SQLModel, table=True):
    """An RSS or Atom feed, in one language, whose entries become news slides.

    It is polled every `poll_minutes` while `enabled`, conditionally: `etag` and
    `last_modified` are the feed's own validators from its last answer. A slide
    made of an entry is shown for `validity_days` from the entry's date.
    `last_error` says why the last poll failed (None when it succeeded);
    `last_error_detail` is the same as {"message": id, "values": …}, for the admin
    to show in the reader's language.
    """

    __tablename__ = "news_source"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    url: str = Field(max_length=2000, unique=True)
    language: str = Field(max_length=8)
    poll_minutes: int = 30
    validity_days: int = 7
    enabled: bool = True
    etag: str | None = Field(default=None, max_length=500)
    last_modified: str | None = Field(default=None, max_length=100)
    last_polled_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    last_succeeded_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    last_error: str | None = Field(default=None, max_length=500)
    last_error_detail: dict[str, object] | None = Field(default=None, sa_type=JSON)
    # The entries the feed held at its last successful poll.
    entry_count: int = 0
    created_at: datetime = Field(sa_type=UtcDateTime)
    updated_at: datetime = Field(sa_type=UtcDateTime)


class NewsEntry(SQLModel, table=True):
    """An entry of a news source and the slide made of it, found again by `key` at every poll.

    `key` is the sha256 of the entry's id (or link); `fingerprint` that of what the
    feed said about it last, so a poll rewrites the slide only when the feed changed
    it. `item_id` is None once an editor deleted the slide: it does not come back.
    """

    __tablename__ = "news_entry"
    __table_args__ = (UniqueConstraint("source_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    source_id: int | None = Field(
        default=None, foreign_key="news_source.id", ondelete="CASCADE", nullable=False, index=True
    )
    key: str = Field(max_length=64)
    item_id: int | None = Field(
        default=None, foreign_key="item.id", ondelete="SET NULL", index=True
    )
    link: str = Field(default="", max_length=2000)
    fingerprint: str = Field(max_length=64)
    # The entry's own date, or when it was first seen if it has none (never in the future).
    published_at: datetime = Field(sa_type=UtcDateTime, index=True)
    first_seen_at: datetime = Field(sa_type=UtcDateTime)
    last_seen_at: datetime = Field(sa_type=UtcDateTime)
