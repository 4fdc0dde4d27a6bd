"""Which alert page is on screen: the alerts in force take turns, a new one shows at once.

Pure state, without Qt and with the clock passed in: `update` is called with
each new manifest and on every clock tick, `next_turn` when a page has had its
time. Only one layout is in play at a time: while any alert that takes the
whole screen is in force, the banners wait.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from player.alert_views import AlertView, alert_views
from playlists.alerts import alerts_in_force
from playlists.manifest import Alert, LocationInfo

# How long each page stays before the next alert (or language) has its turn.
TURN_S = 10.0


def _page_key(view: AlertView) -> tuple[str, str]:
    return view["alertId"], view["texts"][0]["lang"]


def _version(view: AlertView) -> tuple[str, int]:
    return view["alertId"], view["version"]


class AlertRotation:
    """The pages in turn, in `alerts_in_force` order, and the one on screen."""

    def __init__(self) -> None:
        self._pages: list[AlertView] = []
        self._index = 0
        # Every (id, version) that has been in turn, so that a new one is shown at once.
        self._known: set[tuple[str, int]] = set()

    @property
    def current(self) -> AlertView | None:
        """The page on screen; None while no alert is in force."""
        return self._pages[self._index] if self._pages else None

    def update(
        self, alerts: Sequence[Alert], *, location: LocationInfo, now: datetime
    ) -> AlertView | None:
        """The page to show at `now`: an alert (or version) never shown before comes first;
        else the page on screen stays, or, gone, gives way to the one after it."""
        in_force = alerts_in_force(alerts, now)
        group = [alert for alert in in_force if alert.layout == "fullscreen"] or in_force
        pages = [page for alert in group for page in alert_views(alert, location=location, now=now)]
        keys = [_page_key(page) for page in pages]
        old_keys = [_page_key(page) for page in self._pages]
        current = old_keys[self._index] if old_keys else None
        fresh = [index for index, page in enumerate(pages) if _version(page) not in self._known]
        if fresh:
            index = fresh[0]
        elif current in keys:
            index = keys.index(current)
        else:
            # What came after the page that went, or the first again.
            later = [key for key in old_keys[self._index + 1 :] if key in keys]
            index = keys.index(later[0]) if later else 0
        self._pages, self._index = pages, index
        # Several new at once take their turns in order. Only alerts still in the manifest are
        # remembered, so the set cannot grow for ever.
        listed = {(alert.id, alert.version) for alert in alerts}
        self._known = (self._known & listed) | {_version(page) for page in pages}
        return self.current

    def next_turn(self) -> AlertView | None:
        """The page after the one on screen, the first after the last."""
        if self._pages:
            self._index = (self._index + 1) % len(self._pages)
        return self.current

    def clear(self) -> None:
        """Nothing on screen, as if no alert had ever been shown."""
        self._pages, self._index = [], 0
        self._known.clear()
