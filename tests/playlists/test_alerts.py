"""Which alerts a screen shows: in force between effective and expires, the gravest first."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from anslag_testing.manifests import alert, location, simple_manifest, utc
from pydantic import ValidationError

from playlists.alerts import alerts_in_force, takes_whole_screen
from playlists.assembly import assemble_manifest
from playlists.manifest import Alert, Manifest, parse_manifest

NOON = utc("2026-03-02 12:00")
HOUR = timedelta(hours=1)


def test_an_alert_is_shown_from_effective_until_the_moment_it_expires() -> None:
    leak = alert("leak", effective=NOON, expires=NOON + HOUR)

    assert alerts_in_force([leak], NOON - timedelta(seconds=1)) == []
    assert alerts_in_force([leak], NOON) == [leak]
    assert alerts_in_force([leak], NOON + HOUR - timedelta(seconds=1)) == [leak]
    assert alerts_in_force([leak], NOON + HOUR) == []


def test_several_alerts_take_turns_gravest_first_then_newest_and_all_clear_last() -> None:
    storm = alert("storm", effective=NOON, expires=NOON + HOUR, severity="moderate")
    older_leak = alert("leak-1", effective=NOON - HOUR, expires=NOON + HOUR)
    newer_leak = alert("leak-2", effective=NOON, expires=NOON + HOUR)
    over = alert("road", effective=NOON, expires=NOON + HOUR, kind="all_clear", severity="minor")
    fire = alert("fire", effective=NOON, expires=NOON + HOUR, severity="extreme")

    shown = alerts_in_force([over, storm, older_leak, newer_leak, fire], NOON)

    assert [a.id for a in shown] == ["fire", "leak-2", "leak-1", "storm", "road"]


def test_grave_alerts_and_all_clear_cards_take_the_screen_lesser_ones_a_banner() -> None:
    minor = alert("ice", effective=NOON, expires=NOON + HOUR, severity="minor")
    severe = alert("leak", effective=NOON, expires=NOON + HOUR, severity="severe")
    over = alert("over", effective=NOON, expires=NOON + HOUR, kind="all_clear", severity="minor")

    assert (minor.layout, severe.layout, over.layout) == ("banner", "fullscreen", "fullscreen")
    assert not takes_whole_screen([minor], NOON)
    assert takes_whole_screen([minor, severe], NOON)


def test_the_manifest_keeps_alerts_due_before_its_horizon_and_hashes_their_version() -> None:
    base = simple_manifest("bild")
    kept = alert("leak", effective=NOON, expires=NOON + HOUR)
    expired = alert("old", effective=NOON - 2 * HOUR, expires=NOON - HOUR)
    beyond = alert("later", effective=NOON + timedelta(days=9), expires=NOON + timedelta(days=10))

    def assembled(*alerts: Alert) -> Manifest:
        return assemble_manifest(
            location=location(),
            assets=base.assets,
            items=base.items,
            playlists=base.playlists,
            assignments=base.assignments,
            alerts=alerts,
            now=NOON,
            horizon=timedelta(days=7),
        )

    first = assembled(beyond, kept, expired)
    updated = assembled(kept.model_copy(update={"version": 2}))

    assert [a.id for a in first.alerts] == ["leak"]
    assert first.content_hash() != updated.content_hash()
    assert parse_manifest(first.model_dump_json()) == first


def test_an_alert_that_expires_before_it_takes_effect_or_has_no_text_is_refused() -> None:
    raw = json.loads(alert("leak", effective=NOON, expires=NOON + HOUR).model_dump_json())
    manifest = json.loads(simple_manifest("bild").model_dump_json())

    manifest["alerts"] = [{**raw, "expires": raw["effective"]}]
    with pytest.raises(ValidationError, match="expires must be after effective"):
        parse_manifest(json.dumps(manifest))
    manifest["alerts"] = [{**raw, "texts": {}}]
    with pytest.raises(ValidationError, match="texts"):
        parse_manifest(json.dumps(manifest))
    manifest["alerts"] = [raw, raw]
    with pytest.raises(ValidationError, match="appears twice"):
        parse_manifest(json.dumps(manifest))
