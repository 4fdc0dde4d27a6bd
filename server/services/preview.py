"""What a location's screens show at a chosen moment, worked out the way the player works it out.

The rotation comes from the manifest a screen would receive at that moment
(`build_manifest(now=moment)`), evaluated by `playlists.schedule` through
`playlists.timeline`, the same code the player runs: the two cannot disagree.
The day's timeline uses the manifest of the day's first instant, so that
slides which ended earlier that day still show where they played.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from sqlmodel import Session, col, select

from playlists.manifest import AnyItem, EventItem, ImageItem, LocationInfo, Manifest, VideoItem
from playlists.schedule import is_open
from playlists.timeline import Stretch, first_round, opening_stretches, periods
from server.errors import NotFound
from server.models import Location, MediaAsset
from server.services.manifests import build_manifest
from server.services.playlists import preferred_language

# Enough manifest for a whole day, even a 25-hour one, whatever the configured horizon.
DAY_HORIZON = timedelta(days=2)


@dataclass(frozen=True)
class SlideCard:
    """A slide as the preview shows it: its words in the location's first language, or its file.

    A slide an item makes has its `item_id`; one an upcoming-events entry makes, its `event_id`.
    """

    item_id: int | None
    kind: str
    title: str
    body: str
    # The media asset whose thumbnail the media library serves, when it has one.
    thumbnail_of: str | None
    starts_at: datetime | None = None  # an event's start
    event_id: int | None = None


@dataclass(frozen=True)
class PreviewSlot:
    """One slot of the round a screen plays from the chosen moment."""

    position: int  # 1-based, in the playlist
    card: SlideCard
    starts_at: datetime
    length_s: float


@dataclass(frozen=True)
class PreviewPeriod:
    """A stretch of the day with one playlist (None: nothing) and its number of slides."""

    start: datetime
    end: datetime
    playlist: str | None
    priority: int | None
    slides: int


@dataclass(frozen=True)
class Preview:
    location: LocationInfo
    location_id: int
    moment: datetime
    open: bool
    playlist: str | None
    priority: int | None
    slots: tuple[PreviewSlot, ...]
    day_start: datetime
    day_end: datetime
    periods: tuple[PreviewPeriod, ...]
    opening: tuple[Stretch, ...]


def preview_locations(session: Session) -> list[Location]:
    return list(session.exec(select(Location).order_by(col(Location.name))))


def preview(session: Session, *, location_id: int, moment: datetime, horizon: timedelta) -> Preview:
    """What the screens at the location show from `moment`, and the day around it."""
    location = session.get(Location, location_id)
    if location is None:
        raise NotFound(f"no location with id {location_id}")
    manifest = build_manifest(session, location=location, now=moment, horizon=horizon)
    zone = manifest.location.zone
    day = moment.astimezone(zone).date()
    # In UTC: arithmetic on two times of one zone ignores the hour a clock change adds or takes.
    day_start = datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)
    day_end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
    day_manifest = build_manifest(session, location=location, now=day_start, horizon=DAY_HORIZON)
    cards = _Cards(session, manifest.location.languages)
    shown = first_round(manifest, moment)
    playlist = manifest.playlist(shown[0].slot.playlist_id) if shown else None
    assert location.id is not None  # a stored location has its key
    return Preview(
        location=manifest.location,
        location_id=location.id,
        moment=moment,
        open=is_open(manifest.location, moment),
        playlist=playlist.name if playlist is not None else None,
        priority=_priority(manifest, shown[0].slot.assignment_id) if shown else None,
        slots=tuple(
            PreviewSlot(s.slot.position + 1, cards.card(s.slot.item), s.started_at, s.length_s)
            for s in shown
        ),
        day_start=day_start,
        day_end=day_end,
        periods=tuple(
            PreviewPeriod(
                start=period.start,
                end=period.end,
                playlist=(
                    day_manifest.playlist(period.playlist_id).name if period.playlist_id else None
                ),
                priority=(
                    _priority(day_manifest, period.rotation[0].assignment_id)
                    if period.rotation
                    else None
                ),
                slides=len(period.rotation),
            )
            for period in periods(day_manifest, day_start, day_end)
        ),
        opening=opening_stretches(manifest.location, day_start, day_end),
    )


def _priority(manifest: Manifest, assignment_id: str) -> int:
    return next(a.priority for a in manifest.assignments if a.id == assignment_id)


class _Cards:
    """Slide cards, with the media rows they need loaded once."""

    def __init__(self, session: Session, languages: Sequence[str]) -> None:
        self._session = session
        self._languages = languages
        self._assets: dict[str, MediaAsset | None] = {}

    def card(self, item: AnyItem) -> SlideCard:
        table, _, number = item.id.partition("-")
        item_id = int(number) if table == "item" else None
        event_id = int(number) if table == "event" else None
        if isinstance(item, ImageItem | VideoItem):
            asset = self._asset(item.asset)
            name = asset.original_name if asset is not None else item.asset[:12]
            return SlideCard(item_id, item.kind, name, "", self._thumbnail(asset))
        titles = {code: text.title for code, text in item.texts.items()}
        language = preferred_language(titles, self._languages)
        text = item.texts[language] if language is not None else None
        picture = self._asset(item.image) if item.image is not None else None
        return SlideCard(
            item_id,
            item.kind,
            text.title if text is not None else "",
            text.body if text is not None else "",
            self._thumbnail(picture),
            item.starts_at if isinstance(item, EventItem) else None,
            event_id,
        )

    def _asset(self, sha256: str) -> MediaAsset | None:
        if sha256 not in self._assets:
            self._assets[sha256] = self._session.get(MediaAsset, sha256)
        return self._assets[sha256]

    @staticmethod
    def _thumbnail(asset: MediaAsset | None) -> str | None:
        return asset.sha256 if asset is not None and asset.thumbnail_sha256 else None
