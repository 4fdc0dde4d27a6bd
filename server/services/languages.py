"""The languages content is written in, in the order the admin offers them."""

from __future__ import annotations

from server.i18n import marked as _

# Swedish first, then the national minority languages of the north, then the neighbours'.
CONTENT_LANGUAGES = ("sv", "fit", "se", "fi", "nb", "nn", "en")
# English names; the admin shows them translated.
LANGUAGE_NAMES = {
    "sv": _("Swedish"),
    "fit": _("Meänkieli"),
    "se": _("Northern Sami"),
    "fi": _("Finnish"),
    "nb": _("Norwegian Bokmål"),
    "nn": _("Norwegian Nynorsk"),
    "en": _("English"),
}
