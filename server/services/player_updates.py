"""Which player release each screen should run, set by an admin, and the update offered to it.

An admin chooses a release from the releases folder for one screen or for all
of them (audited, one entry per screen that changes). A screen whose heartbeat
reports another version is offered that release in the heartbeat's answer; the
screen installs it beside its current one and goes back to the current one if
the new one does not start cleanly. A screen set to no release is left as it is.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlmodel import Session, col, select

from playlists.reports import Heartbeat, PlayerUpdate
from server.errors import NotFound, Refused
from server.i18n import marked as _
from server.models import Screen
from server.services.audit import record_change, snapshot
from server.services.locations import require_screen_admin
from server.services.permissions import Actor
from server.services.player_releases import find_release
from server.services.screens import get_screen


def set_wanted_version(
    session: Session,
    *,
    releases_dir: Path,
    version: str | None,
    screen_id: int | None,
    actor: Actor,
    now: datetime,
) -> list[Screen]:
    """Want `version` (None: no update) on one screen, or on every screen in use when
    `screen_id` is None; the screens that changed, each with its audit entry."""
    require_screen_admin(actor)
    if version is not None:
        try:
            find_release(releases_dir, version=version)
        except NotFound:
            raise Refused(
                _("There is no player release %(version)s on the server any more."),
                version=version,
            ) from None
    if screen_id is None:
        query = select(Screen).where(col(Screen.revoked_at).is_(None)).order_by(col(Screen.id))
        screens = list(session.exec(query))
    else:
        screens = [get_screen(session, screen_id=screen_id)]
    changed = [screen for screen in screens if screen.wanted_player_version != version]
    for screen in changed:
        before = snapshot(screen, exclude=("heartbeat",))
        screen.wanted_player_version = version
        session.add(screen)
        session.flush()
        wanted = f"player {version}" if version is not None else "no player update"
        record_change(
            session,
            actor=actor,
            action="update",
            entity="screen",
            entity_id=screen.id,
            summary=f"{wanted} for screen {screen.name!r} at {screen.location.name}",
            before=before,
            after=snapshot(screen, exclude=("heartbeat",)),
            now=now,
        )
    return changed


def update_offer(
    screen: Screen, heartbeat: Heartbeat, *, releases_dir: Path
) -> PlayerUpdate | None:
    """The release to offer a screen that reported `heartbeat`; None when it runs the wanted
    one, none is wanted, or the wanted one has left the releases folder."""
    wanted = screen.wanted_player_version
    if wanted is None or wanted == heartbeat.player_version:
        return None
    try:
        release = find_release(releases_dir, version=wanted)
    except NotFound:
        return None
    return PlayerUpdate(
        version=release.version, path=release.path, sha256=release.sha256, size=release.size
    )
