"""Reading RSS and Atom as municipalities publish them: every quirk ends as plain text on screen."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from anslag_testing.feed_server import feed_fixture

from server.errors import FeedProblem
from server.services.feed_reading import Feed, FeedEntry, read_feed, read_nordic_date

STOCKHOLM = ZoneInfo("Europe/Stockholm")
PAJALA_URL = "https://www.pajala.se/nyheter/rss.xml"
ATOM_URL = "https://www.overtornea.se/sv/nyheter.atom"


def read(fixture: str, url: str = PAJALA_URL, content_type: str = "") -> Feed:
    return read_feed(feed_fixture(fixture), url=url, content_type=content_type, zone=STOCKHOLM)


def by_title(feed: Feed) -> dict[str, FeedEntry]:
    return {entry.title: entry for entry in feed.entries}


def test_rss2_entries_come_newest_first_with_plain_titles_and_summaries() -> None:
    feed = read("pajala-rss2.xml")

    assert feed.title == "Pajala kommun \N{EN DASH} Nyheter"
    assert [entry.title for entry in feed.entries] == [
        "Isvägen till Kangos är öppen",
        "Skidspåren är preparerade",
        "Fish & chips på torget",
        "Biblioteket har nya öppettider",
    ]
    road = feed.entries[0]
    assert road.summary == (
        "Isvägen över Torne älv är öppen för fordon upp till 2 ton.\nKör försiktigt & håll avstånd."
    )
    assert road.key == "pajala-news-1001"
    assert road.published == datetime(2026, 1, 12, 6, 30, tzinfo=UTC)


def test_escaped_html_twice_over_and_scripts_never_reach_the_text() -> None:
    feed = read("pajala-rss2.xml")

    market = by_title(feed)["Fish & chips på torget"]
    assert market.summary == "Matmarknaden har nya stånd & längre öppettider."
    for entry in feed.entries:
        for text in (entry.title, entry.summary):
            assert "<" not in text
            assert "&amp;" not in text
            assert "evil.example" not in text


def test_relative_links_resolve_against_the_feeds_address() -> None:
    entries = by_title(read("pajala-rss2.xml"))

    assert entries["Fish & chips på torget"].link == "https://www.pajala.se/nyheter/matmarknad"
    assert entries["Isvägen till Kangos är öppen"].image_urls == (
        "https://www.pajala.se/bilder/isvag.jpg",
    )


def test_pictures_come_from_enclosures_media_tags_or_else_the_text() -> None:
    entries = by_title(read("pajala-rss2.xml"))

    assert entries["Fish & chips på torget"].image_urls == (
        "https://cdn.pajala.se/media/torget.png",
    )
    assert entries["Skidspåren är preparerade"].image_urls == (
        "https://www.pajala.se/nyheter/thumbs/skidspar.jpg",
    )
    # Only in content:encoded, after a one-pixel counter that is no picture.
    assert entries["Biblioteket har nya öppettider"].image_urls == (
        "https://www.pajala.se/nyheter/bilder/bibliotek.webp",
    )


def test_a_date_written_the_nordic_way_is_read_on_the_municipalitys_clock() -> None:
    skiing = by_title(read("pajala-rss2.xml"))["Skidspåren är preparerade"]

    assert skiing.published == datetime(2026, 1, 12, 5, 15, tzinfo=UTC)


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("12.01.2026 08:00", datetime(2026, 1, 12, 7, 0, tzinfo=UTC)),
        ("måndag 12 januari 2026 kl. 8.00", datetime(2026, 1, 12, 7, 0, tzinfo=UTC)),
        ("12. tammikuuta 2026", datetime(2026, 1, 11, 23, 0, tzinfo=UTC)),
        ("2026-07-01 12:00", datetime(2026, 7, 1, 10, 0, tzinfo=UTC)),
        ("31.02.2026", None),
        ("i går", None),
    ],
)
def test_nordic_dates(written: str, meant: datetime | None) -> None:
    assert read_nordic_date(written, zone=STOCKHOLM) == meant


def test_atom_with_xml_base_inline_xhtml_and_escaped_titles() -> None:
    feed = read("kommun-atom.xml", url=ATOM_URL)

    school, river = feed.entries
    assert school.title == "Ny förskola i Svanstein"
    assert school.summary == "Byggstart i mars.\nPlats för 40 barn."
    assert school.link == "https://www.overtornea.se/sv/nyheter/2026/forskola-svanstein.html"
    assert school.image_urls == ("https://www.overtornea.se/sv/media/forskola.jpg",)
    assert school.key == "tag:overtornea.se,2026:news/17"
    assert school.published == datetime(2026, 1, 12, 5, 0, tzinfo=UTC)
    # A text title keeps its less-than sign: it is a word, not markup.
    assert river.title == "Vattnet: 5 < 6 grader i älven"
    assert river.summary == "Badet vid Kattilakoski får vänta."
    assert river.image_urls == ("https://www.overtornea.se/sv/bilder/alven.png",)


def test_rss1_rdf_is_read_too() -> None:
    feed = read("byar-rss1.rdf", url="https://byar.example/rss")

    [meeting] = feed.entries
    assert meeting.title == "Byastämma i Juoksengi"
    assert meeting.summary == "Välkomna till byastämma i skolan på torsdag."
    assert meeting.published == datetime(2026, 1, 11, 17, 0, tzinfo=UTC)


@pytest.mark.parametrize("fixture", ["latin1-declared.xml", "latin1-undeclared.xml"])
def test_latin1_feeds_keep_their_swedish_letters_with_or_without_a_declaration(
    fixture: str,
) -> None:
    # Served the way old publishing systems do, with no charset in the header either.
    [meeting] = read(fixture, content_type="text/xml").entries

    assert meeting.title == "Årsmöte i Hietaniemi bygdegård"
    assert meeting.summary == "Föreningen hälsar alla välkomna. Kaffe & våfflor, 20 kr."


def test_an_error_page_where_the_feed_should_be_is_named_for_what_it_is() -> None:
    with pytest.raises(FeedProblem) as refused:
        read("error-page.html", content_type="text/html; charset=utf-8")

    assert str(refused.value) == (
        "The address answers with a web page ('502 Bad Gateway \N{EN DASH} Tillfälligt fel'), "
        "not an RSS or Atom feed"
    )


@pytest.mark.parametrize("fixture", ["billion-laughs.xml", "external-entity.xml"])
def test_a_feed_declaring_entities_is_refused_unread(fixture: str) -> None:
    with pytest.raises(FeedProblem, match="declares XML entities"):
        read(fixture)


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b"", "answered with nothing at all"),
        (b"   \n", "answered with nothing at all"),
        (b"Hej! Det h\xe4r \xe4r ingen feed.", "neither RSS nor Atom"),
        (b'{"items": []}', "neither RSS nor Atom"),
    ],
)
def test_what_is_no_feed_at_all_is_said_to_be_none(body: bytes, problem: str) -> None:
    with pytest.raises(FeedProblem, match=problem):
        read_feed(body, url=PAJALA_URL, zone=STOCKHOLM)


def test_an_entry_without_an_id_is_known_by_its_link() -> None:
    skiing = by_title(read("pajala-rss2.xml"))["Skidspåren är preparerade"]

    assert skiing.key == "https://www.pajala.se/nyheter/skidspar"


def test_a_feed_that_names_a_local_file_is_read_as_bytes_not_opened() -> None:
    # feedparser opens a string that names a file; the reader never hands it one.
    with pytest.raises(FeedProblem, match="neither RSS nor Atom"):
        read_feed(b"/etc/hostname", url=PAJALA_URL, zone=STOCKHOLM)
