"""Powering the screen's display on and off through a command, never blocking the caller.

The location's opening hours (`playlists.schedule.is_open`) say whether the
display should be on; this module runs the command that makes it so. On a
Raspberry Pi under Wayland that is `wlopm --on '*'` / `wlopm --off '*'`; a TV
may want HDMI-CEC (`cec-ctl --to 0 --standby`) instead. Commands run one at a
time on a worker thread, each stopped after a few seconds, so a hanging
command cannot freeze the screen or hold up the next switch.
"""

from __future__ import annotations

import logging
import os
import shlex
import signal
import subprocess
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

logger = logging.getLogger(__name__)

DEFAULT_ON_COMMAND = "wlopm --on '*'"
DEFAULT_OFF_COMMAND = "wlopm --off '*'"
COMMAND_TIMEOUT_S = 5.0
# What a failing command said, at most this much, for the log line.
_STDERR_TAIL = 300


@dataclass(frozen=True)
class PowerResult:
    """How one switch went: `ok` when the command ran and succeeded."""

    on: bool
    ok: bool
    detail: str


def run_command(command: str, *, timeout_s: float = COMMAND_TIMEOUT_S) -> tuple[bool, str]:
    """Run `command` (split like a shell would, but without one); never raises.

    A command still running after `timeout_s` is killed with everything it started.
    """
    try:
        argv = shlex.split(command)
    except ValueError as exc:
        return False, f"cannot read the command {command!r}: {exc}"
    if not argv:
        return False, "no command configured"
    try:
        # Its own session, so that a timeout kills whatever the command started too.
        process = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
    except OSError as exc:
        return False, f"{argv[0]}: {exc.strerror or exc}"
    try:
        _, stderr = process.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        return False, f"{command!r} did not finish within {timeout_s:g} s and was stopped"
    if process.returncode != 0:
        said = stderr.decode("utf-8", errors="replace").strip()[-_STDERR_TAIL:]
        return False, f"{command!r} failed with exit status {process.returncode}: {said}"
    return True, f"{command!r} succeeded"


class DisplayPower:
    """Switches the display with the configured commands, off the caller's thread.

    An empty command means there is none: the switch reports failure and the
    player shows a black frame instead.
    """

    def __init__(
        self,
        *,
        on_command: str = DEFAULT_ON_COMMAND,
        off_command: str = DEFAULT_OFF_COMMAND,
        timeout_s: float = COMMAND_TIMEOUT_S,
    ) -> None:
        self._commands = {True: on_command, False: off_command}
        self._timeout_s = timeout_s
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="display-power")

    def switch(self, on: bool) -> Future[PowerResult]:
        """Turn the display on or off; the future says how it went (and was logged)."""
        return self._executor.submit(self._switch, on)

    def close(self) -> None:
        """Wait for a command still running (at most its timeout), then stop the worker."""
        self._executor.shutdown(wait=True)

    def _switch(self, on: bool) -> PowerResult:
        command = self._commands[on]
        if not command.strip():
            return PowerResult(on=on, ok=False, detail="no command configured")
        ok, detail = run_command(command, timeout_s=self._timeout_s)
        if ok:
            logger.info("display %s: %s", "on" if on else "off", detail)
        else:
            logger.warning("could not turn the display %s: %s", "on" if on else "off", detail)
        return PowerResult(on=on, ok=ok, detail=detail)
