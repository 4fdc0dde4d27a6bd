"""The wire format: a manifest that does not validate is refused with the problem named."""

from __future__ import annotations

import json
from typing import Any

import pytest
from anslag_testing.manifests import assignment, image, playlist, sha, simple_manifest, utc
from pydantic import ValidationError

from playlists.manifest import Assignment, Manifest, Validity, parse_manifest


def wire() -> dict[str, Any]:
    """A valid manifest as the player receives it, ready to be broken."""
    raw: dict[str, Any] = json.loads(simple_manifest("bibliotek", "simhall").model_dump_json())
    return raw


def refused(raw: dict[str, Any]) -> str:
    with pytest.raises(ValidationError) as caught:
        parse_manifest(json.dumps(raw))
    return str(caught.value)


def test_manifest_survives_the_wire_unchanged() -> None:
    original = simple_manifest("bibliotek", "simhall")
    received = parse_manifest(original.model_dump_json())
    assert received == original
    assert received.content_hash() == original.content_hash()


def test_instants_arrive_in_utc_whatever_offset_was_sent() -> None:
    raw = wire()
    raw["items"][0]["validity"] = {"valid_until": "2026-03-02T13:00:00+01:00"}
    received = parse_manifest(json.dumps(raw))
    assert received.items[0].validity.valid_until == utc("2026-03-02 12:00")
    assert received.items[0].validity.valid_until.tzinfo is not None


def test_naive_time_is_refused() -> None:
    raw = wire()
    raw["generated_at"] = "2026-03-02T12:00:00"
    message = refused(raw)
    assert "generated_at" in message
    assert "must carry a time zone" in message


def test_unknown_time_zone_is_named() -> None:
    raw = wire()
    raw["location"]["timezone"] = "Europe/Pajala"
    message = refused(raw)
    assert "location.timezone" in message
    assert "unknown time zone 'Europe/Pajala'" in message


def test_playlist_entry_for_an_unknown_item_is_named() -> None:
    raw = wire()
    raw["playlists"][0]["entries"].append({"item": "spöke"})
    assert "playlist 'all-day' refers to unknown item 'spöke'" in refused(raw)


def test_assignment_of_an_unknown_playlist_is_named() -> None:
    raw = wire()
    raw["assignments"][0]["playlist"] = "borta"
    assert "assignment 'always' refers to unknown playlist 'borta'" in refused(raw)


def test_item_whose_asset_is_not_listed_is_named() -> None:
    raw = wire()
    raw["assets"] = raw["assets"][:1]
    missing = sha("simhall") if raw["assets"][0]["sha256"] == sha("bibliotek") else sha("bibliotek")
    assert f"refers to unlisted asset {missing}" in refused(raw)


def test_item_listed_twice_is_named() -> None:
    raw = wire()
    raw["items"].append(raw["items"][0])
    assert f"item {raw['items'][0]['id']!r} appears twice" in refused(raw)


def test_unknown_field_is_named() -> None:
    raw = wire()
    raw["items"][0]["colour"] = "red"
    message = refused(raw)
    assert "colour" in message
    assert "Extra inputs are not permitted" in message


def test_newer_manifest_version_is_refused() -> None:
    raw = wire()
    raw["version"] = 2
    assert "version" in refused(raw)


def test_validity_must_end_after_it_starts() -> None:
    with pytest.raises(ValidationError, match="valid_until must be after valid_from"):
        Validity(valid_from=utc("2026-03-02 12:00"), valid_until=utc("2026-03-02 12:00"))


def test_time_window_needs_both_ends() -> None:
    with pytest.raises(ValidationError, match="start_time and end_time go together"):
        Assignment.model_validate({"id": "a", "playlist": "p", "start_time": "07:00"})


def test_weekday_order_does_not_change_the_etag() -> None:
    def with_weekdays(weekdays: list[int]) -> Manifest:
        return Manifest(
            generated_at=utc("2026-03-02 12:00"),
            valid_until=utc("2026-03-09 12:00"),
            location=simple_manifest().location,
            assets=simple_manifest("a").assets,
            items=(image("a"),),
            playlists=(playlist("p", "a"),),
            assignments=(assignment("vardag", "p", weekdays=weekdays),),
        )

    assert with_weekdays([5, 1, 3]).content_hash() == with_weekdays([1, 3, 5]).content_hash()
    assert with_weekdays([1, 3]).content_hash() != with_weekdays([1, 3, 5]).content_hash()


def test_a_video_item_needs_its_clip_listed_and_is_muted_unless_told() -> None:
    raw = wire()
    clip = sha("clip")
    raw["items"].append({"kind": "video", "id": "film", "duration_s": 12.5, "asset": clip})
    assert "refers to unlisted asset" in refused(raw)

    raw["assets"].append({"sha256": clip, "size": 1000, "media_type": "video/mp4"})
    video = parse_manifest(json.dumps(raw)).item("film")

    assert video.kind == "video"
    assert (video.muted, video.loop, video.fit) == (True, False, "fit")


def test_opening_hours_are_local_wall_clock_times_on_iso_weekdays() -> None:
    raw = wire()
    raw["location"]["opening_hours"] = [{"weekday": 1, "opens": "08:00", "closes": "20:00"}]
    hours = parse_manifest(json.dumps(raw)).location.opening_hours
    assert [(h.weekday, h.opens.hour, h.closes.hour) for h in hours] == [(1, 8, 20)]

    raw["location"]["opening_hours"] = [{"weekday": 8, "opens": "08:00", "closes": "20:00"}]
    assert "weekday" in refused(raw)
    raw["location"]["opening_hours"] = [{"weekday": 1, "opens": "08:00+01:00", "closes": "20:00"}]
    assert "local wall-clock" in refused(raw)


def test_a_location_shows_several_languages_together_unless_told_to_alternate() -> None:
    raw = wire()
    assert parse_manifest(json.dumps(raw)).location.language_mode == "both"
    raw["location"]["language_mode"] = "alternate"
    assert parse_manifest(json.dumps(raw)).location.language_mode == "alternate"
    raw["location"]["language_mode"] = "sometimes"
    assert "language_mode" in refused(raw)
