"""The demo municipality: Övertorneå's shop, sports hall and health centre, each with a screen,
and a demo administrator who can log in to the admin.

`seed_demo` creates it once; run again, it finds it and changes nothing.
Texts in Meänkieli (fit), Finnish (fi) and Northern Sámi (se) are simple
drafts that need a native speaker's review before anyone shows them publicly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from server.demo.images import demo_images
from server.errors import NotFound
from server.models import Assignment, Item, Location, MediaAsset, Playlist, Role, Screen, User
from server.services.accounts import create_user, find_user
from server.services.content import (
    assign_playlist,
    create_event_item,
    create_image_item,
    create_location,
    create_playlist,
    create_screen,
    create_text_item,
    store_media,
)
from server.storage import MediaStorage

TIMEZONE = "Europe/Stockholm"
IMAGE_DURATION_S = 8.0
TEXT_DURATION_S = 10.0
# Printed by `seed-demo` and `make demo`: fit for a demo database only.
DEMO_USERNAME = "demo"
DEMO_PASSWORD = "anslag-demo"


@dataclass(frozen=True)
class DemoLocation:
    slug: str
    name: str
    languages: tuple[str, ...]
    screen: str


DEMO_LOCATIONS = (
    DemoLocation("byabutiken-svanstein", "Byabutiken i Svanstein", ("sv", "fit"), "Vid kassan"),
    DemoLocation("sporthallen-overtornea", "Sporthallen i Övertorneå", ("sv", "fi"), "Entrén"),
    DemoLocation(
        "halsocentralen-overtornea", "Hälsocentralen i Övertorneå", ("sv", "se"), "Väntrummet"
    ),
)

# fit, fi and se: drafts, to be reviewed by a native speaker.
ROAD_NEWS = {
    "sv": (
        "Vägen till Juoksengi är lagad",
        "Vägen mellan Svanstein och Juoksengi är öppen igen efter reparationen. "
        "Tack för ert tålamod!",
    ),
    "fit": (
        "Tie Juoksenkhiin on korjattu",
        "Tie Svansteinin ja Juoksengin välilä on taas auki. Kiitos kärsivällisyystä!",
    ),
    "fi": (
        "Tie Juoksengiin on korjattu",
        "Svansteinin ja Juoksengin välinen tie on taas auki korjauksen jälkeen. "
        "Kiitos kärsivällisyydestänne!",
    ),
    "se": (
        "Geaidnu Juoksengii lea divvojuvvon",
        "Geaidnu Svansteina ja Juoksengi gaskkas lea fas rabas. Giitu gierdevašvuođas!",
    ),
}
CHRISTMAS_MARKET = {
    "sv": ("Julmarknad i Svanstein", "Hantverk, bakverk och kaffe med dopp. Välkomna!"),
    "fit": ("Joulumarkkinat Svansteinissa", "Käsitöitä, leivoksia ja kahvia. Tervetuloa!"),
    "fi": ("Joulumarkkinat Svansteinissa", "Käsitöitä, leivonnaisia ja kahvia. Tervetuloa!"),
    "se": ("Juovlamárkan Svansteinas", "Duodji, láibi ja kafe. Bures boahtin!"),
}


@dataclass(frozen=True)
class DemoSeed:
    """What the demo consists of, in the order of `DEMO_LOCATIONS`."""

    locations: tuple[Location, ...]
    screens: tuple[Screen, ...]
    playlists: tuple[Playlist, ...]
    assets: tuple[MediaAsset, ...]
    editor: User

    def screen_at(self, slug: str) -> Screen:
        for location, screen in zip(self.locations, self.screens, strict=True):
            if location.slug == slug:
                return screen
        raise NotFound(f"the demo has no location {slug!r}")


def seed_demo(session: Session, storage: MediaStorage, *, now: datetime) -> DemoSeed:
    """Create the demo municipality, or find it when it was created before."""
    # Stored every time: cheap when present, and it heals a media folder that was wiped.
    assets = tuple(
        store_media(
            session,
            storage,
            data=image.data,
            media_type=image.media_type,
            original_name=image.name,
            now=now,
        )
        for image in demo_images()
    )
    editor = find_user(session, username=DEMO_USERNAME) or create_user(
        session,
        username=DEMO_USERNAME,
        password=DEMO_PASSWORD,
        # An administrator, so that the demo shows every page of the admin.
        role=Role.ADMIN,
        display_name="Demoredaktören",
        now=now,
    )
    first = session.exec(select(Location).where(Location.slug == DEMO_LOCATIONS[0].slug)).first()
    if first is not None:
        return _load(session, assets, editor)
    return _create(session, assets, editor, now=now)


def _create(
    session: Session, assets: Sequence[MediaAsset], editor: User, *, now: datetime
) -> DemoSeed:
    dawn, aurora, winter_sun = (
        create_image_item(session, asset=asset, duration_s=IMAGE_DURATION_S, now=now)
        for asset in assets
    )
    news = create_text_item(session, texts=ROAD_NEWS, duration_s=TEXT_DURATION_S, now=now)
    starts_at, ends_at = _coming_saturday(now, opens=time(10), closes=time(15))
    market = create_event_item(
        session,
        texts=CHRISTMAS_MARKET,
        starts_at=starts_at,
        ends_at=ends_at,
        place="Bygdegården i Svanstein",
        organiser="Svansteins byaförening",
        image=assets[1],
        duration_s=TEXT_DURATION_S,
        valid_until=ends_at,
        now=now,
    )
    orders: Sequence[Sequence[Item]] = (
        (dawn, news, aurora, market, winter_sun),
        (winter_sun, market, dawn, news, aurora),
        (aurora, news, winter_sun, market, dawn),
    )
    locations, screens, playlists = [], [], []
    for demo, items in zip(DEMO_LOCATIONS, orders, strict=True):
        location = create_location(
            session,
            slug=demo.slug,
            name=demo.name,
            timezone=TIMEZONE,
            languages=demo.languages,
            now=now,
        )
        screen, _token = create_screen(session, location=location, name=demo.screen, now=now)
        playlist = create_playlist(session, name=demo.name, entries=items)
        assign_playlist(session, playlist=playlist, location=location)
        locations.append(location)
        screens.append(screen)
        playlists.append(playlist)
    return DemoSeed(tuple(locations), tuple(screens), tuple(playlists), tuple(assets), editor)


def _load(session: Session, assets: Sequence[MediaAsset], editor: User) -> DemoSeed:
    locations, screens, playlists = [], [], []
    for demo in DEMO_LOCATIONS:
        location = session.exec(select(Location).where(Location.slug == demo.slug)).first()
        if location is None or not location.screens:
            raise NotFound(
                f"the demo was seeded, but {demo.slug!r} or its screen has since been deleted; "
                "seed into a fresh database"
            )
        playlist = session.exec(
            select(Playlist)
            .join(Assignment, col(Assignment.playlist_id) == col(Playlist.id))
            .where(Assignment.location_id == location.id, Playlist.name == demo.name)
            .order_by(col(Playlist.id))
        ).first()
        if playlist is None:
            raise NotFound(f"the demo playlist of {demo.slug!r} has been deleted")
        locations.append(location)
        screens.append(location.screens[0])
        playlists.append(playlist)
    return DemoSeed(tuple(locations), tuple(screens), tuple(playlists), tuple(assets), editor)


def _coming_saturday(now: datetime, *, opens: time, closes: time) -> tuple[datetime, datetime]:
    """Opening and closing (UTC) of the next Saturday, local time, that has not closed yet."""
    zone = ZoneInfo(TIMEZONE)
    today = now.astimezone(zone).date()
    for days_ahead in range(8):
        day = today + timedelta(days=days_ahead)
        closing = datetime.combine(day, closes, tzinfo=zone).astimezone(UTC)
        if day.isoweekday() == 6 and closing > now:
            opening = datetime.combine(day, opens, tzinfo=zone).astimezone(UTC)
            return opening, closing
    raise AssertionError("every 8 days hold a Saturday whose closing is ahead")
