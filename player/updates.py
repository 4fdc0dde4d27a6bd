"""Passing on the player update the server offers: once per release, to a configured command.

A heartbeat's answer may name a release an admin wants this screen to run
(`playlists.reports.PlayerUpdate`). The player installs nothing itself: it runs
`update_command` with the release's version, the wheel's full URL and its
sha256 as three more arguments. On a Raspberry Pi that command asks the
root-owned updater to install the release beside the running one and switch
over, and back should the new one not start (`deploy/raspberrypi`). The command
only hands the request on, so it is given seconds, not minutes.

The same release is not passed on again for an hour: the updater restarts the
player when it switches, and one that could not switch says why in its own log
rather than being asked every minute.
"""

from __future__ import annotations

import logging
import shlex
from collections.abc import Callable

from player.display_power import run_command
from playlists.reports import PlayerUpdate

logger = logging.getLogger(__name__)

COMMAND_TIMEOUT_S = 30.0
RETRY_AFTER_S = 3600.0

Runner = Callable[[str], tuple[bool, str]]


class PlayerUpdater:
    """Runs the update command for a release the server offers; called from the monitor thread."""

    def __init__(
        self,
        *,
        command: str,
        server_url: str,
        running_version: str,
        monotonic: Callable[[], float],
        run: Runner | None = None,
        retry_after_s: float = RETRY_AFTER_S,
    ) -> None:
        self._command = command.strip()
        self._server_url = server_url.rstrip("/")
        self._running_version = running_version
        self._monotonic = monotonic
        self._run: Runner = run or (lambda line: run_command(line, timeout_s=COMMAND_TIMEOUT_S))
        self._retry_after_s = retry_after_s
        self._passed_on: dict[tuple[str, str], float] = {}

    def offer(self, update: PlayerUpdate | None) -> bool:
        """Pass `update` on to the command when it is due; True when the command accepted it."""
        if update is None or update.version == self._running_version:
            return False
        key = (update.version, update.sha256)
        now = self._monotonic()
        last = self._passed_on.get(key)
        if last is not None and now - last < self._retry_after_s:
            return False
        self._passed_on[key] = now
        if not self._command:
            logger.warning(
                "the server offers player %s, but this screen has no update command "
                "(ANSLAG_PLAYER_UPDATE_COMMAND); it keeps running %s",
                update.version,
                self._running_version,
            )
            return False
        url = f"{self._server_url}{update.path}"
        ok, detail = self._run(
            f"{self._command} {shlex.join([update.version, url, update.sha256])}"
        )
        if ok:
            logger.info(
                "player %s requested in place of %s: %s",
                update.version,
                self._running_version,
                detail,
            )
        else:
            logger.warning("could not request player %s: %s", update.version, detail)
        return ok
