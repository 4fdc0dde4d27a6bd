"""A location's display languages: which versions of a slide its screens get, and the fallback."""

from __future__ import annotations

from datetime import timedelta

import pytest
from anslag_testing.manifests import assignment, location, playlist, utc

from playlists.assembly import assemble_manifest
from playlists.languages import fallback_language, texts_for_display
from playlists.manifest import EventItem, LocalizedText, LocationInfo, TextItem

NOW = utc("2026-03-02 12:00")
ROAD = {
    "sv": "Vägen till Juoksengi är lagad",
    "fit": "Tie Juoksenkhiin on korjattu",
    "fi": "Tie Juoksenkiin on korjattu",
    "en": "The road to Juoksengi is mended",
}


def versions(*languages: str) -> dict[str, str]:
    return {language: ROAD[language] for language in languages}


def test_a_missing_translation_falls_back_to_the_primary_language() -> None:
    assert texts_for_display(versions("sv"), ["sv", "fit"]) == {"sv": ROAD["sv"]}


def test_a_translation_the_location_does_not_show_is_left_out() -> None:
    shown = texts_for_display(versions("en", "fit", "sv", "fi"), ["sv", "fit"])

    assert list(shown) == ["sv", "fit"]


def test_without_the_primary_language_the_first_display_language_the_slide_has_stands_in() -> None:
    assert fallback_language(["sv", "fit", "fi"], ["en", "fi", "fit"]) == "fit"
    assert texts_for_display(versions("en", "fit"), ["sv", "fit"]) == {"fit": ROAD["fit"]}


def test_a_slide_in_none_of_the_display_languages_shows_the_language_it_was_written_in() -> None:
    shown = texts_for_display(versions("fi", "en"), ["sv", "fit"])

    assert shown == {"fi": ROAD["fi"]}


def test_a_slide_with_every_display_language_needs_no_fallback() -> None:
    assert texts_for_display(versions("fit", "sv"), ["sv", "fit"]) == versions("sv", "fit")


def test_a_slide_without_any_version_has_nothing_to_fall_back_to() -> None:
    with pytest.raises(ValueError, match="nothing to fall back to"):
        fallback_language(["sv"], [])


def test_the_manifest_carries_each_slide_in_the_locations_languages_only() -> None:
    shop = LocationInfo(
        id="svanstein", name="Byabutiken", timezone="Europe/Stockholm", languages=("sv", "fit")
    )
    news = TextItem(
        id="road",
        duration_s=10,
        texts={lang: LocalizedText(title=title) for lang, title in versions("sv", "en").items()},
    )
    market = EventItem(
        id="market",
        duration_s=10,
        texts={"fi": LocalizedText(title="Joulumarkkinat")},
        starts_at=NOW + timedelta(days=2),
    )

    manifest = assemble_manifest(
        location=shop,
        assets=[],
        items=[news, market],
        playlists=[playlist("all-day", "road", "market")],
        assignments=[assignment("always", "all-day")],
        now=NOW,
        horizon=timedelta(days=7),
    )

    shown = {item.id: item for item in manifest.items}
    road, christmas = shown["road"], shown["market"]
    assert isinstance(road, TextItem)
    assert isinstance(christmas, EventItem)
    assert {lang: text.title for lang, text in road.texts.items()} == {"sv": ROAD["sv"]}
    assert list(christmas.texts) == ["fi"]


def test_adding_a_translation_the_location_does_not_show_keeps_its_etag() -> None:
    def manifest_with(texts: dict[str, str]) -> str:
        news = TextItem(
            id="road",
            duration_s=10,
            texts={lang: LocalizedText(title=title) for lang, title in texts.items()},
        )
        return assemble_manifest(
            location=location(),
            assets=[],
            items=[news],
            playlists=[playlist("all-day", "road")],
            assignments=[assignment("always", "all-day")],
            now=NOW,
            horizon=timedelta(days=7),
        ).content_hash()

    assert manifest_with(versions("sv")) == manifest_with(versions("sv", "en"))
    assert manifest_with(versions("sv")) != manifest_with({"sv": "Vägen är stängd"})
