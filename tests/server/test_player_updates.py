"""Which player release screens should run: set by an admin, offered in the heartbeat's answer."""

from __future__ import annotations

import hashlib

import httpx
import pytest
from anslag_testing.device_reports import heartbeat
from anslag_testing.player_releases import put_release, shop_screens
from anslag_testing.server_app import FakeClock, bearer
from sqlalchemy import Engine
from sqlmodel import col, select

from server.db import session_scope
from server.errors import Forbidden, Refused
from server.models import AuditEntry, Screen
from server.services.permissions import SYSTEM_ACTOR, Actor
from server.services.player_updates import set_wanted_version
from server.services.screens import revoke_screen
from server.settings import Settings

pytestmark = pytest.mark.anyio

EDITOR = Actor(user_id=None, name="eva (test)", role="editor")


def want(
    engine: Engine,
    settings: Settings,
    clock: FakeClock,
    version: str | None,
    screen_id: int | None,
    actor: Actor = SYSTEM_ACTOR,
) -> list[str]:
    with session_scope(engine) as session:
        changed = set_wanted_version(
            session,
            releases_dir=settings.player_releases_dir,
            version=version,
            screen_id=screen_id,
            actor=actor,
            now=clock(),
        )
        return [screen.name for screen in changed]


def wanted_versions(engine: Engine) -> dict[str, str | None]:
    with session_scope(engine) as session:
        return {s.name: s.wanted_player_version for s in session.exec(select(Screen))}


async def send_heartbeat(
    client: httpx.AsyncClient, clock: FakeClock, token: str, version: str
) -> dict[str, object]:
    answer = await client.post(
        "/api/device/v1/heartbeat",
        json=heartbeat(clock, player_version=version),
        headers=bearer(token),
    )
    assert answer.status_code == 200
    body: dict[str, object] = answer.json()
    return body


def test_a_release_wanted_for_all_screens_reaches_each_screen_in_use_with_an_audit_entry(
    engine: Engine, settings: Settings, clock: FakeClock
) -> None:
    put_release(settings.player_releases_dir, "0.2.0")
    screens = shop_screens(engine, clock(), "Vid kassan", "Vid dörren", "Gamla skärmen")
    with session_scope(engine) as session:
        revoke_screen(
            session, screen_id=screens["Gamla skärmen"][0], actor=SYSTEM_ACTOR, now=clock()
        )

    changed = want(engine, settings, clock, "0.2.0", None)
    again = want(engine, settings, clock, "0.2.0", None)

    assert sorted(changed) == ["Vid dörren", "Vid kassan"]
    assert again == []
    assert wanted_versions(engine) == {
        "Vid kassan": "0.2.0",
        "Vid dörren": "0.2.0",
        "Gamla skärmen": None,
    }
    with session_scope(engine) as session:
        entries = session.exec(
            select(AuditEntry).where(col(AuditEntry.summary).contains("player 0.2.0"))
        ).all()
        assert sorted(entry.summary for entry in entries) == [
            "player 0.2.0 for screen 'Vid dörren' at Byabutiken",
            "player 0.2.0 for screen 'Vid kassan' at Byabutiken",
        ]
        assert all(
            entry.before and entry.before["wanted_player_version"] is None for entry in entries
        )
        assert all(
            entry.after and entry.after["wanted_player_version"] == "0.2.0" for entry in entries
        )


def test_one_screen_can_be_set_apart_and_back_to_no_update(
    engine: Engine, settings: Settings, clock: FakeClock
) -> None:
    put_release(settings.player_releases_dir, "0.2.0")
    put_release(settings.player_releases_dir, "0.3.0rc1")
    screens = shop_screens(engine, clock(), "Vid kassan", "Vid dörren")
    want(engine, settings, clock, "0.2.0", None)

    want(engine, settings, clock, "0.3.0rc1", screens["Vid dörren"][0])
    assert wanted_versions(engine) == {"Vid kassan": "0.2.0", "Vid dörren": "0.3.0rc1"}

    want(engine, settings, clock, None, screens["Vid kassan"][0])
    assert wanted_versions(engine) == {"Vid kassan": None, "Vid dörren": "0.3.0rc1"}


def test_a_version_the_server_does_not_have_is_refused_and_nothing_changes(
    engine: Engine, settings: Settings, clock: FakeClock
) -> None:
    put_release(settings.player_releases_dir, "0.2.0")
    shop_screens(engine, clock(), "Vid kassan")

    with pytest.raises(Refused, match=r"no player release 0\.4\.0"):
        want(engine, settings, clock, "0.4.0", None)
    assert wanted_versions(engine) == {"Vid kassan": None}


def test_only_who_manages_screens_may_choose_their_player(
    engine: Engine, settings: Settings, clock: FakeClock
) -> None:
    put_release(settings.player_releases_dir, "0.2.0")
    shop_screens(engine, clock(), "Vid kassan")

    with pytest.raises(Forbidden):
        want(engine, settings, clock, "0.2.0", None, actor=EDITOR)
    assert wanted_versions(engine) == {"Vid kassan": None}


async def test_a_screen_running_another_version_is_offered_the_wanted_one_by_its_heartbeat(
    client: httpx.AsyncClient, engine: Engine, settings: Settings, clock: FakeClock
) -> None:
    data = put_release(settings.player_releases_dir, "0.2.0")
    screens = shop_screens(engine, clock(), "Vid kassan")
    want(engine, settings, clock, "0.2.0", None)

    answer = await send_heartbeat(client, clock, screens["Vid kassan"][1], "0.1.0")

    assert answer["player_update"] == {
        "version": "0.2.0",
        "path": "/api/device/v1/player-releases/anslag-0.2.0-py3-none-any.whl",
        "sha256": hashlib.sha256(data).hexdigest(),
        "size": len(data),
    }
    wheel = await client.get(str(answer["player_update"]["path"]))  # type: ignore[index]
    assert wheel.content == data


async def test_no_update_is_offered_once_it_runs_when_none_is_wanted_or_the_wheel_is_gone(
    client: httpx.AsyncClient, engine: Engine, settings: Settings, clock: FakeClock
) -> None:
    put_release(settings.player_releases_dir, "0.2.0")
    token = shop_screens(engine, clock(), "Vid kassan")["Vid kassan"][1]

    not_wanted = await send_heartbeat(client, clock, token, "0.1.0")
    want(engine, settings, clock, "0.2.0", None)
    running_it = await send_heartbeat(client, clock, token, "0.2.0")
    (settings.player_releases_dir / "anslag-0.2.0-py3-none-any.whl").unlink()
    gone = await send_heartbeat(client, clock, token, "0.1.0")

    # Left out, not null: a player older than the field must not meet it at all.
    assert not_wanted == running_it == gone == {"screenshot_requested": False}
