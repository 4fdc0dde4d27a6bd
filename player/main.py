"""The `anslag-player` command: reads settings and arguments, then runs the Qt player."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from player.settings import PlayerSettings

HEADLESS_PLATFORM = "offscreen"


def system_clock() -> datetime:
    """The one place the player reads the wall clock; everything else is handed this."""
    return datetime.now(UTC)


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="anslag-player",
        description="Show this screen's Anslag content, from the cache when the server is away.",
        epilog="Every option can also be set as ANSLAG_PLAYER_<NAME> in the environment.",
    )
    parser.add_argument("--server-url", help="the Anslag server, e.g. https://skyltar.pajala.se")
    parser.add_argument("--data-dir", type=Path, help="where the token, cache and manifest live")
    parser.add_argument(
        "--fullscreen", action="store_true", default=None, help="fill the screen, hide the cursor"
    )
    parser.add_argument(
        "--screenshots", type=Path, metavar="DIR", help="save a PNG of every slide shown here"
    )
    parser.add_argument(
        "--poll-interval", type=float, metavar="SECONDS", help="how often to ask for changes"
    )
    parser.add_argument("--size", metavar="WxH", help="window size, e.g. 1920x1080 or 1080x1920")
    return parser.parse_args(argv)


def settings_overrides(arguments: argparse.Namespace) -> dict[str, Any]:
    """The settings given on the command line; they win over the environment."""
    given = {
        "server_url": arguments.server_url,
        "data_dir": arguments.data_dir,
        "fullscreen": arguments.fullscreen,
        "screenshot_dir": arguments.screenshots,
        "poll_interval_s": arguments.poll_interval,
        "window_size": arguments.size,
    }
    return {name: value for name, value in given.items() if value is not None}


def has_display(environ: Mapping[str, str]) -> bool:
    """Whether Qt has somewhere to draw: an X or Wayland display, or a platform chosen."""
    return any(environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the player; the exit code is 0 after SIGINT or SIGTERM, 2 for invalid settings."""
    arguments = parse_arguments(argv)
    try:
        settings = PlayerSettings(**settings_overrides(arguments))
    except ValidationError as exc:
        print(f"anslag-player: invalid settings:\n{exc}", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # One line per poll would bury what matters; the sync client logs what it changes.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if not has_display(os.environ):
        os.environ["QT_QPA_PLATFORM"] = HEADLESS_PLATFORM
        if settings.screenshot_dir is None:
            settings.screenshot_dir = settings.data_dir.parent / "screens"
        print(
            "anslag-player: no display found (DISPLAY, WAYLAND_DISPLAY and QT_QPA_PLATFORM are "
            f"unset); running offscreen, screenshots in {settings.screenshot_dir}",
            file=sys.stderr,
        )

    # Qt is imported only now, so that `--help` and settings errors need no Qt at all.
    from player.ui.app import run

    return run(settings, clock=system_clock)


if __name__ == "__main__":
    sys.exit(main())
