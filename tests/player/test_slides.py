"""What residents read on each slide: languages in order, dates in their language, idle words."""

# The expected dates are written as residents read them, with the en dash of a range.
# ruff: noqa: RUF001

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Literal

import pytest
from anslag_testing.manifests import sha, wall

from player.messages import messages
from player.slides import idle_view, pairing_view, slide_view, slide_views
from playlists.manifest import EventItem, ImageItem, LocalizedText, LocationInfo, TextItem

HELSINKI = "Europe/Helsinki"
STOCKHOLM = "Europe/Stockholm"


def place(
    *languages: str, timezone: str = STOCKHOLM, mode: Literal["both", "alternate"] = "both"
) -> LocationInfo:
    return LocationInfo(
        id="pajala-bibliotek",
        name="Pajala bibliotek",
        timezone=timezone,
        languages=languages,
        language_mode=mode,
    )


def asset_path(sha256: str) -> Path:
    return Path("/var/lib/anslag/objects") / sha256


def christmas_market(
    starts_at: datetime, ends_at: datetime | None = None, *, all_day: bool = False
) -> EventItem:
    return EventItem(
        id="christmas-market",
        duration_s=12,
        texts={
            "sv": LocalizedText(title="Julmarknad i Folkets hus", body="Hantverk och glögg."),
            "fi": LocalizedText(title="Joulumarkkinat", body="Käsitöitä ja glögiä."),
        },
        starts_at=starts_at,
        ends_at=ends_at,
        all_day=all_day,
        place="Folkets hus, Pajala",
        organiser="Pajala hembygdsförening",
    )


def date_line_of(event: EventItem, location: LocationInfo) -> str:
    """The date line as read aloud: no-break spaces read as spaces."""
    line = slide_view(event, location=location, asset_path=asset_path)["dateLine"]
    return line.replace("\N{NO-BREAK SPACE}", " ")


def test_event_date_reads_as_swedish_in_the_screens_time_zone() -> None:
    market = christmas_market(
        wall(STOCKHOLM, "2026-11-28 10:00"), wall(STOCKHOLM, "2026-11-28 15:00")
    )

    assert date_line_of(market, place("sv", "fi")) == "lördag 28 november kl. 10.00–15.00"


def test_event_time_never_wraps_away_from_its_kl() -> None:
    market = christmas_market(wall(STOCKHOLM, "2026-11-28 10:00"))

    view = slide_view(market, location=place("sv"), asset_path=asset_path)

    assert view["dateLine"].endswith("kl.\N{NO-BREAK SPACE}10.00")


def test_event_date_follows_the_screen_zone_not_the_servers() -> None:
    market = christmas_market(
        wall(STOCKHOLM, "2026-11-28 10:00"), wall(STOCKHOLM, "2026-11-28 15:00")
    )

    assert date_line_of(market, place("fi", timezone=HELSINKI)) == (
        "lauantaina 28. marraskuuta klo 11.00–16.00"
    )


def test_meankieli_screen_gets_finnish_calendar_words() -> None:
    market = christmas_market(wall(STOCKHOLM, "2026-11-28 10:00"))

    assert date_line_of(market, place("fit", "sv")) == "lauantaina 28. marraskuuta klo 10.00"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nb", "lørdag 28. november kl. 10.00–15.00"),
        ("nn", "laurdag 28. november kl. 10.00–15.00"),
        ("en", "Saturday 28 November 10:00–15:00"),
        ("sv-FI", "lördag 28 november kl. 10.00–15.00"),
        ("kl", "lördag 28 november kl. 10.00–15.00"),
    ],
)
def test_event_date_in_other_languages_and_swedish_for_unknown_ones(
    language: str, expected: str
) -> None:
    market = christmas_market(
        wall(STOCKHOLM, "2026-11-28 10:00"), wall(STOCKHOLM, "2026-11-28 15:00")
    )

    assert date_line_of(market, place(language)) == expected


def test_all_day_event_shows_no_times() -> None:
    one_day = christmas_market(
        wall(STOCKHOLM, "2026-11-28 00:00"), wall(STOCKHOLM, "2026-11-29 00:00"), all_day=True
    )
    weekend = christmas_market(
        wall(STOCKHOLM, "2026-11-28 00:00"), wall(STOCKHOLM, "2026-11-30 00:00"), all_day=True
    )

    assert date_line_of(one_day, place("sv")) == "lördag 28 november"
    assert date_line_of(weekend, place("sv")) == "lördag 28 november – söndag 29 november"


def test_event_over_several_days_names_both_days() -> None:
    festival = christmas_market(
        wall(STOCKHOLM, "2026-11-27 18:00"), wall(STOCKHOLM, "2026-11-29 14:00")
    )

    assert date_line_of(festival, place("sv")) == (
        "fredag 27 november kl. 18.00 – söndag 29 november kl. 14.00"
    )


def test_texts_follow_the_screens_language_order() -> None:
    market = christmas_market(wall(STOCKHOLM, "2026-11-28 10:00"))

    view = slide_view(market, location=place("fi", "sv"), asset_path=asset_path)

    assert [(t["lang"], t["title"]) for t in view["texts"]] == [
        ("fi", "Joulumarkkinat"),
        ("sv", "Julmarknad i Folkets hus"),
    ]
    assert view["place"] == "Folkets hus, Pajala"
    assert view["organiser"] == "Pajala hembygdsförening"
    assert (view["placeLabel"], view["organiserLabel"]) == ("Paikka", "Järjestäjä")


def test_missing_translation_falls_back_to_the_primary_language_once() -> None:
    news = TextItem(
        id="pool",
        duration_s=10,
        texts={"sv": LocalizedText(title="Simhallen stänger tidigare", body="Kl. 17 i dag.")},
    )

    view = slide_view(news, location=place("sv", "se"), asset_path=asset_path)

    assert view["texts"] == [
        {"lang": "sv", "title": "Simhallen stänger tidigare", "body": "Kl. 17 i dag."}
    ]


def test_item_without_the_primary_language_still_shows_its_words() -> None:
    news = TextItem(id="sauna", duration_s=10, texts={"fi": LocalizedText(title="Sauna on lämmin")})

    view = slide_view(news, location=place("sv"), asset_path=asset_path)

    assert [t["title"] for t in view["texts"]] == ["Sauna on lämmin"]


def test_at_most_two_languages_are_shown() -> None:
    news = TextItem(
        id="river",
        duration_s=10,
        texts={
            lang: LocalizedText(title=title)
            for lang, title in [("sv", "Älven"), ("fi", "Joki"), ("se", "Eatnu")]
        },
    )

    view = slide_view(news, location=place("sv", "se", "fi"), asset_path=asset_path)

    assert [t["title"] for t in view["texts"]] == ["Älven", "Eatnu"]


def test_alternating_screen_gives_each_language_a_turn_primary_first() -> None:
    market = christmas_market(
        wall(STOCKHOLM, "2026-11-28 10:00"), wall(STOCKHOLM, "2026-11-28 15:00")
    )

    turns = slide_views(market, location=place("sv", "fi", mode="alternate"), asset_path=asset_path)

    assert [[t["title"] for t in turn["texts"]] for turn in turns] == [
        ["Julmarknad i Folkets hus"],
        ["Joulumarkkinat"],
    ]
    # Each turn reads wholly in its language: the date and the labels too.
    assert [turn["dateLine"].replace("\N{NO-BREAK SPACE}", " ") for turn in turns] == [
        "lördag 28 november kl. 10.00–15.00",
        "lauantaina 28. marraskuuta klo 10.00–15.00",
    ]
    assert [(turn["placeLabel"], turn["organiserLabel"]) for turn in turns] == [
        ("Plats", "Arrangör"),
        ("Paikka", "Järjestäjä"),
    ]
    assert {turn["place"] for turn in turns} == {"Folkets hus, Pajala"}


def test_alternating_screen_shows_an_untranslated_item_in_the_primary_language_only() -> None:
    news = TextItem(id="pool", duration_s=10, texts={"sv": LocalizedText(title="Simhallen")})

    turns = slide_views(news, location=place("sv", "se", mode="alternate"), asset_path=asset_path)

    assert [[t["title"] for t in turn["texts"]] for turn in turns] == [["Simhallen"]]


def test_alternating_screen_has_a_turn_for_every_language_not_only_two() -> None:
    news = TextItem(
        id="river",
        duration_s=10,
        texts={
            lang: LocalizedText(title=title)
            for lang, title in [("sv", "Älven"), ("fi", "Joki"), ("se", "Eatnu")]
        },
    )

    turns = slide_views(
        news, location=place("sv", "se", "fi", mode="alternate"), asset_path=asset_path
    )

    assert [turn["texts"][0]["title"] for turn in turns] == ["Älven", "Eatnu", "Joki"]


@pytest.mark.parametrize("mode", ["both", "alternate"])
def test_a_picture_or_both_languages_together_is_one_slide(
    mode: Literal["both", "alternate"],
) -> None:
    market = christmas_market(wall(STOCKHOLM, "2026-11-28 10:00"))
    poster = ImageItem(id="poster", duration_s=10, asset=sha("poster"))
    location = place("sv", "fi", mode=mode)

    [picture] = slide_views(poster, location=location, asset_path=asset_path)
    assert picture == slide_view(poster, location=location, asset_path=asset_path)
    if mode == "both":
        [together] = slide_views(market, location=location, asset_path=asset_path)
        assert [t["lang"] for t in together["texts"]] == ["sv", "fi"]


def test_image_slide_points_at_the_cached_file() -> None:
    poster = ImageItem(id="poster", duration_s=10, asset=sha("poster"), fit="fit")

    view = slide_view(poster, location=place("sv"), asset_path=asset_path)

    assert view["kind"] == "image"
    assert view["imageUrl"] == f"file:///var/lib/anslag/objects/{sha('poster')}"
    assert view["fit"] == "fit"
    assert view["texts"] == []


def test_idle_card_welcomes_in_the_screens_languages() -> None:
    view = idle_view(place("sv", "se"))

    assert view["kind"] == "idle"
    assert [(t["lang"], t["title"]) for t in view["texts"]] == [
        ("sv", "Välkommen"),
        ("se", "Buresboahtin"),
    ]
    assert view["texts"][0]["body"] == "Här visas snart nyheter och evenemang."
    # No Sámi sentence has been checked yet; a Swedish repeat would say nothing new.
    assert view["texts"][1]["body"] == ""


def test_idle_card_without_a_manifest_is_swedish() -> None:
    assert [t["title"] for t in idle_view(None)["texts"]] == ["Välkommen"]


def test_a_screen_to_pair_shows_its_code_readably_and_the_server_in_two_languages() -> None:
    view = pairing_view("K7M4PX", server_url="https://skyltar.pajala.se/")

    assert view["kind"] == "pairing"
    assert view["pairingCode"] == "K7M 4PX"
    assert (view["serverLabel"], view["serverAddress"]) == ("Server", "skyltar.pajala.se")
    assert [(t["lang"], t["title"]) for t in view["texts"]] == [
        ("sv", "Koppla den här skärmen"),
        ("en", "Pair this screen"),
    ]
    assert "Koppla skärm" in view["texts"][0]["body"]


def test_before_the_server_gave_a_code_the_screen_says_it_is_not_connected() -> None:
    view = pairing_view(None, server_url="http://10.0.4.2:8000")

    assert view["pairingCode"] == ""
    assert view["serverAddress"] == "10.0.4.2:8000"
    assert view["texts"][0] == {
        "lang": "sv",
        "title": "Skärmen är inte ansluten än",
        "body": "Väntar på en kopplingskod från servern.",
    }


def test_player_words_fall_back_to_swedish() -> None:
    assert messages("nb")("Organiser") == "Arrangør"
    assert messages("fit")("Organiser") == "Arrangör"
    assert messages("de-AT")("Welcome") == "Välkommen"
