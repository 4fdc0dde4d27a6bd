"""Every kind of dynamic playlist entry, by the name stored on the entry.

A new kind (the news feeds' "latest N news from source X") is a class following
`server.services.dynamic_entries.DynamicKind`, added to `DYNAMIC_KINDS` here.
"""

from __future__ import annotations

from collections.abc import Mapping

from server.i18n import marked as _
from server.services.dynamic_entries import DynamicEntryRefused, DynamicKind
from server.services.upcoming_events import UpcomingEvents

DYNAMIC_KINDS: Mapping[str, DynamicKind] = {kind.name: kind for kind in (UpcomingEvents(),)}


def dynamic_kind(name: str) -> DynamicKind:
    """The kind stored as `name`; DynamicEntryRefused for a name no kind has."""
    kind = DYNAMIC_KINDS.get(name)
    if kind is None:
        raise DynamicEntryRefused(_("There is no kind of dynamic entry '%(name)s'"), name=name)
    return kind
