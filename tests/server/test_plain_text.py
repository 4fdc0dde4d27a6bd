"""Text from other systems as a screen shows it: words only, breaks kept, never too long."""

from __future__ import annotations

import pytest

from server.services.plain_text import plain_text, shortened, tidy


@pytest.mark.parametrize(
    ("markup", "shown"),
    [
        ("<p>Första <b>stycket</b></p><p>Andra<br>raden</p>", "Första stycket\nAndra\nraden"),
        ("Kaffe &amp; våfflor", "Kaffe & våfflor"),
        ("Kaffe &amp;amp; våfflor", "Kaffe & våfflor"),
        ("&lt;b&gt;Viktigt&lt;/b&gt; i dag", "Viktigt i dag"),
        ("&amp;lt;i&amp;gt;Tre gånger&amp;lt;/i&amp;gt;", "Tre gånger"),
        ("5 &lt; 6 men 7 &gt; 6", "5 < 6 men 7 > 6"),
        ("Hej<script>alert('x')</script><style>p { color: red }</style>!", "Hej!"),
        ('<a href="javascript:alert(1)" onclick="x()">Länk</a>', "Länk"),
        ("kl.&nbsp;17 &nbsp; i dag", "kl. 17 i dag"),
        ("  mycket   luft\t\n\n\n och tomma rader  ", "mycket luft\n\noch tomma rader"),
        ("noll\u200bbredd\x07", "nollbredd"),
    ],
)
def test_html_becomes_the_words_a_reader_should_see(markup: str, shown: str) -> None:
    assert plain_text(markup) == shown


def test_text_keeps_its_angle_brackets_and_one_blank_line_but_loses_stray_whitespace() -> None:
    assert tidy("  5 < 6\r\n\r\n  <b> är ett ord här ") == "5 < 6\n\n<b> är ett ord här"


def test_a_long_text_is_cut_at_a_word_with_an_ellipsis() -> None:
    text = "Isvägen över Torne älv är öppen för fordon upp till två ton från i dag."

    cut = shortened(text, 30)

    assert cut == "Isvägen över Torne älv är…"
    assert len(cut) <= 30
    assert shortened(text, len(text)) == text
