"""CAP 1.2 and 1.1 messages as the Nordic services send them, read right; hostile ones refused."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from anslag_testing.cap import cap_document

from server.cap.geometry import BadArea, read_circle, read_polygon
from server.cap.model import Circle
from server.cap.reading import read_message
from server.errors import HostileDocument, InvalidCap, OversizedDocument, WrongDocument


def test_a_vma_reads_with_both_languages_its_kommun_code_and_no_expiry() -> None:
    message = read_message(cap_document("sr_vma_alert.xml"))

    assert (message.cap_version, message.sender, message.identifier) == (
        "1.2",
        "https://vmaapi.sr.se/",
        "SRVMA-2026-0112-0001",
    )
    assert message.sent == datetime(2026, 1, 12, 7, 55, tzinfo=UTC)
    assert (message.status, message.msg_type, message.scope) == ("actual", "alert", "public")
    swedish, english = message.infos
    assert (swedish.language, english.language) == ("sv-SE", "en-US")
    assert swedish.headline == "Brand i industrilokal i Övertorneå"
    assert (
        swedish.description
        == "Det brinner i en industrilokal i centrala Övertorneå.\nRöken är giftig."
    )
    assert swedish.sender_name == "Räddningstjänsten Övertorneå"
    assert (swedish.severity, swedish.urgency, swedish.certainty) == (
        "severe",
        "immediate",
        "observed",
    )
    assert swedish.expires is None
    assert swedish.areas[0].geocodes == (("Kommun", "2518"),)
    assert message.problems == ()


def test_a_cancel_without_info_names_what_it_cancels() -> None:
    message = read_message(cap_document("sr_vma_cancel.xml"))

    assert message.msg_type == "cancel"
    assert message.infos == ()
    [reference] = message.references
    assert (reference.sender, reference.identifier, reference.sent) == (
        "https://vmaapi.sr.se/",
        "SRVMA-2026-0112-0001",
        datetime(2026, 1, 12, 7, 55, tzinfo=UTC),
    )


def test_met_norways_polygon_over_several_lines_and_its_municipality_parameter() -> None:
    message = read_message(cap_document("met_alert.xml"))

    norwegian, english = message.infos
    assert norwegian.language == "no"
    assert norwegian.headline == (
        "Kuling, gult nivå, Finnmark, 2026-01-12T12:00:00+00:00, 2026-01-13T06:00:00+00:00"
    )
    assert norwegian.onset == datetime(2026, 1, 12, 12, 0, tzinfo=UTC)
    assert norwegian.expires == datetime(2026, 1, 13, 6, 0, tzinfo=UTC)
    assert ("MunicipalityId", "5601;5603") in norwegian.parameters
    assert norwegian.areas[0].polygons == (
        ((69.2, 23.0), (69.2, 25.5), (70.0, 25.5), (70.0, 23.0), (69.2, 23.0)),
    )
    assert english.response_types == ("monitor",)


def test_an_update_with_all_clear_is_recognised() -> None:
    message = read_message(cap_document("met_all_clear.xml"))

    assert (message.msg_type, message.all_clear) == ("update", True)
    assert message.references[0].identifier == "2.49.0.1.578.0.20260112061500.042"


def test_times_with_an_offset_are_normalised_to_utc() -> None:
    message = read_message(cap_document("smhi_update.xml"))

    assert message.sent == datetime(2026, 1, 12, 6, 30, tzinfo=UTC)
    assert message.infos[1].expires == datetime(2026, 1, 13, 17, 0, tzinfo=UTC)
    assert message.references[0].sent == datetime(2026, 1, 11, 15, 0, tzinfo=UTC)


def test_cap_11_with_a_circle_in_km_and_bad_polygons_noted_not_fatal() -> None:
    message = read_message(cap_document("cap11_circle.xml"))

    assert (message.cap_version, message.status) == ("1.1", "exercise")
    [info] = message.infos
    assert info.language == "en-US"
    assert info.certainty == "likely"
    [area] = info.areas
    assert area.circles == (Circle(65.8355, 24.1286, 2.5),)
    # Read as given (the second pair is a place in the Arabian Sea); the degenerate one is out.
    assert len(area.polygons) == 1
    assert any("at least three different corners" in problem for problem in message.problems)


@pytest.mark.parametrize("fixture", ["billion_laughs.xml", "external_entity.xml", "remote_dtd.xml"])
def test_hostile_xml_is_refused_unread(fixture: str) -> None:
    with pytest.raises(HostileDocument, match="refused unread"):
        read_message(cap_document(fixture))


def test_an_internal_entity_declaration_is_refused_too() -> None:
    # The same attack with the declaration in the internal subset only.
    document = b'<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>'

    with pytest.raises(HostileDocument):
        read_message(document)


def test_an_oversized_message_is_refused_before_it_is_parsed() -> None:
    padding = b"<!--" + b" " * 2048 + b"-->"

    with pytest.raises(OversizedDocument, match="larger than 2 kB"):
        read_message(cap_document("sr_vma_alert.xml") + padding, limit=2048)


def test_an_html_error_page_is_named_as_such() -> None:
    with pytest.raises(
        WrongDocument, match=r"HTML page .*503 Tjänsten är tillfälligt otillgänglig"
    ):
        read_message(cap_document("error_page.html"))


def test_xml_that_is_not_cap_is_refused_with_what_it_is() -> None:
    with pytest.raises(WrongDocument, match=r"<weatherdata>.*not a CAP 1\.2 or 1\.1 <alert>"):
        read_message(cap_document("not_cap.xml"))


def test_broken_xml_is_refused() -> None:
    with pytest.raises(WrongDocument, match="not well-formed"):
        read_message(cap_document("sr_vma_alert.xml")[:300])


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        (("<sent>2026-01-12T08:55:00+01:00</sent>", "<sent>2026-01-12T08:55:00</sent>"), "<sent>"),
        (("<status>Actual</status>", "<status>Real</status>"), "<status>"),
        (("<scope>Public</scope>", ""), "no <scope>"),
        (
            ("<identifier>SRVMA-2026-0112-0001</identifier>", "<identifier>a b</identifier>"),
            "<identifier>",
        ),
    ],
)
def test_a_message_without_what_cap_requires_is_refused(
    change: tuple[str, str], complaint: str
) -> None:
    document = cap_document("sr_vma_alert.xml").decode().replace(*change).encode()

    with pytest.raises(InvalidCap, match=complaint):
        read_message(document)


def test_polygons_forgive_newlines_and_spaces_after_commas_and_close_themselves() -> None:
    ring, swapped = read_polygon(" 66.1, 23.6\n66.2,23.9\t\t66.0,23.9 ", fix_swapped=False)

    assert ring == ((66.1, 23.6), (66.2, 23.9), (66.0, 23.9), (66.1, 23.6))
    assert not swapped


def test_pairs_that_only_make_sense_swapped_are_swapped_or_refused() -> None:
    text = "64.8,-147.7 64.9,-147.7 64.9,-147.6"
    reversed_text = "-147.7,64.8 -147.7,64.9 -147.6,64.9"

    assert read_polygon(reversed_text, fix_swapped=True) == (
        ((64.8, -147.7), (64.9, -147.7), (64.9, -147.6), (64.8, -147.7)),
        True,
    )
    assert not read_polygon(text, fix_swapped=True)[1]
    with pytest.raises(BadArea, match="swapped"):
        read_polygon(reversed_text, fix_swapped=False)


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("66.1,23.6 66.2,23.9", "three different corners"),
        ("66.0,23.0 66.1,23.1 66.2,23.2", "on one line"),
        ("66.1 23.6 66.2 23.9", "latitude,longitude pairs"),
        ("", "latitude,longitude pairs"),
    ],
)
def test_degenerate_or_garbled_polygons_are_refused(text: str, complaint: str) -> None:
    with pytest.raises(BadArea, match=complaint):
        read_polygon(text, fix_swapped=False)


def test_a_circle_radius_is_kilometres_and_must_be_positive() -> None:
    assert read_circle("65.8355,24.1286 2.5", fix_swapped=False) == (
        Circle(65.8355, 24.1286, 2.5),
        False,
    )
    with pytest.raises(BadArea, match="more than 0"):
        read_circle("65.8355,24.1286 0", fix_swapped=False)
    with pytest.raises(BadArea, match="radius in kilometres"):
        read_circle("65.8355,24.1286", fix_swapped=False)
