"""Content for tests of playlists, the schedule and the preview, in a few words each."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from datetime import datetime, time

from sqlalchemy import Engine
from sqlmodel import Session

from anslag_testing.admin import add_api_token, add_user
from anslag_testing.server_app import bearer
from server.db import session_scope
from server.models import Item, Location, Role
from server.services import content

SUNDAY = 7
_TAG = re.compile(r"<[^>]+>")
_SCRIPT = re.compile(r"<(script|style)[^>]*>.*?</\1>", flags=re.DOTALL)


def place(
    session: Session,
    *,
    name: str,
    now: datetime,
    tags: Sequence[str] = (),
    languages: Sequence[str] = ("sv",),
) -> Location:
    """A location in Stockholm time, its slug made from its name."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower().translate(str.maketrans("åäö", "aao")))
    location = content.create_location(
        session,
        slug=slug.strip("-"),
        name=name,
        timezone="Europe/Stockholm",
        languages=languages,
        now=now,
    )
    location.tags = list(tags)
    session.add(location)
    session.flush()
    return location


def slides(session: Session, *titles: str, now: datetime, duration_s: float = 8.0) -> list[Item]:
    """A Swedish text slide for each title."""
    items = [
        content.create_text_item(session, texts={"sv": (title, "")}, duration_s=duration_s, now=now)
        for title in titles
    ]
    session.flush()
    return items


def slide_ids(engine: Engine, *titles: str, now: datetime) -> list[int]:
    """Like `slides`, committed; their ids."""
    with session_scope(engine) as session:
        return [item.id for item in slides(session, *titles, now=now) if item.id is not None]


def night_above_day(
    session: Session, *, location: Location, night: Sequence[Item], day: Sequence[Item]
) -> None:
    """A playlist "Natt" 02:30-04:00 on Sundays (priority 5) above "Heldag", all the time.

    The night window meets both clock changes: Stockholm skips 02:00-03:00 on
    2026-03-29 and shows 02:00-03:00 twice on 2026-10-25.
    """
    content.assign_playlist(
        session,
        playlist=content.create_playlist(session, name="Natt", entries=night),
        location=location,
        priority=5,
        weekdays=[SUNDAY],
        start_time=time(2, 30),
        end_time=time(4),
    )
    content.assign_playlist(
        session,
        playlist=content.create_playlist(session, name="Heldag", entries=day),
        location=location,
    )
    session.flush()


def api_headers(engine: Engine, *, now: datetime, role: Role = Role.EDITOR) -> dict[str, str]:
    """The Authorization header of an API token whose user has `role`."""
    user_id = add_user(engine, now=now, username=f"api-{role.value}", role=role)
    return bearer(add_api_token(engine, now=now, user_id=user_id))


def visible_text(page: str) -> str:
    """What a person reads on an HTML page: its text, whitespace collapsed."""
    return " ".join(html.unescape(_TAG.sub(" ", _SCRIPT.sub(" ", page))).split())
