"""The ticker line: the short texts valid at a moment, and the warnings that feed it."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from anslag_testing.manifests import alert, location, simple_manifest, utc
from pydantic import ValidationError

from playlists.assembly import assemble_manifest
from playlists.manifest import TickerLine, Validity, parse_manifest
from playlists.ticker import alert_ticker_lines, ticker_in_force

NOON = utc("2026-03-02 12:00")
HOUR = timedelta(hours=1)


def line(line_id: str, text: str = "Isen på älven är svag", **window: object) -> TickerLine:
    return TickerLine(id=line_id, texts={"sv": text}, validity=Validity.model_validate(window))


def test_the_ticker_runs_the_lines_valid_now_in_manifest_order() -> None:
    later = line("later", valid_from=NOON + HOUR)
    over = line("over", valid_until=NOON)
    ice = line("ice", valid_until=NOON + HOUR)
    road = line("road")

    assert ticker_in_force([road, later, over, ice], NOON) == [road, ice]
    assert ticker_in_force([road, later, over, ice], NOON + HOUR) == [road, later]


def test_banner_warnings_feed_the_ticker_with_their_headlines_while_in_force() -> None:
    storm = alert("storm", effective=NOON, expires=NOON + HOUR, severity="moderate")
    ice = alert("ice", effective=NOON, expires=NOON + HOUR, severity="minor", headline="Svag is")
    fire = alert("fire", effective=NOON, expires=NOON + HOUR, severity="extreme")
    over = alert("over", effective=NOON, expires=NOON + HOUR, kind="all_clear", severity="minor")
    drill = alert("drill", effective=NOON, expires=NOON + HOUR, severity="minor").model_copy(
        update={"status": "exercise"}
    )

    lines = alert_ticker_lines([storm, fire, ice, over, drill])

    assert [(x.id, x.texts) for x in lines] == [
        ("storm", {"sv": "Vattenläcka i Svanstein"}),
        ("ice", {"sv": "Svag is"}),
    ]
    assert lines[0].validity == Validity(valid_from=NOON, valid_until=NOON + HOUR)


def test_the_manifest_keeps_ticker_lines_due_before_its_horizon_in_their_order() -> None:
    base = simple_manifest("bild")
    lines = [
        line("road", "Vägen till Kuivakangas är stängd"),
        line("gone", valid_until=NOON),
        line("ice"),
        line("beyond", valid_from=NOON + timedelta(days=8)),
    ]

    assembled = assemble_manifest(
        location=location(),
        assets=base.assets,
        items=base.items,
        playlists=base.playlists,
        assignments=base.assignments,
        ticker=lines,
        now=NOON,
        horizon=timedelta(days=7),
    )

    assert [x.id for x in assembled.ticker] == ["road", "ice"]
    assert parse_manifest(assembled.model_dump_json()) == assembled


def test_a_ticker_line_without_words_too_long_or_twice_is_refused() -> None:
    manifest = json.loads(simple_manifest("bild").model_dump_json())
    road = {"id": "road", "texts": {"sv": "Vägen är stängd"}}

    for texts, problem in (
        ({}, "at least 1 item"),
        ({"sv": "   "}, "at least 1 character"),
        ({"sv": "å" * 201}, "at most 200 characters"),
    ):
        manifest["ticker"] = [{**road, "texts": texts}]
        with pytest.raises(ValidationError, match=problem):
            parse_manifest(json.dumps(manifest))
    manifest["ticker"] = [road, road]
    with pytest.raises(ValidationError, match="ticker line appears twice"):
        parse_manifest(json.dumps(manifest))
    manifest["ticker"] = [{**road, "texts": {"sv": "  Vägen är stängd "}}]
    assert parse_manifest(json.dumps(manifest)).ticker[0].texts == {"sv": "Vägen är stängd"}
