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


_DESCRIPTION = """\
Shows this screen's signs and notices from an Anslag server, and keeps showing
them from its own copy when the network or the server is away.

The first time, the screen shows a pairing code and the server's address: type
the code into the Anslag admin (Skärmar, Koppla skärm; in English Screens, Pair
a screen) and the screen starts showing its location's content.
"""

_EPILOG = """\
where the settings come from:
  Each option can also be set in the environment as ANSLAG_PLAYER_<NAME>, e.g.
  ANSLAG_PLAYER_SERVER_URL, ANSLAG_PLAYER_DATA_DIR, ANSLAG_PLAYER_FULLSCREEN=true,
  ANSLAG_PLAYER_CACHE_LIMIT_MB=4000, ANSLAG_PLAYER_DISPLAY_OFF_COMMAND="...".
  An option given here wins over the environment; without either, the default
  shown applies.

examples:
  the screen in the shop, filling the display:
    anslag-player --server https://skyltar.pajala.se --data-dir /var/lib/anslag --fullscreen
  trying it out in a window on a laptop:
    anslag-player --server http://127.0.0.1:8000 --data-dir var/player --windowed
  without any display, saving a picture of each slide:
    anslag-player --server http://127.0.0.1:8000 --offscreen --screenshot-dir var/screens
"""


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    defaults = {name: field.default for name, field in PlayerSettings.model_fields.items()}
    parser = argparse.ArgumentParser(
        prog="anslag-player",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--server",
        metavar="URL",
        help=f"the Anslag server's address, as in the browser (default: {defaults['server_url']})",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        metavar="DIR",
        help="where this screen keeps its pairing, the pictures and clips it has fetched and "
        f"the last content it got (default: {defaults['data_dir']})",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--fullscreen",
        dest="mode",
        action="store_const",
        const="fullscreen",
        help="fill the whole display, without a mouse pointer: for the screen on the wall",
    )
    mode.add_argument(
        "--windowed",
        dest="mode",
        action="store_const",
        const="windowed",
        help="show it in an ordinary window (the default)",
    )
    mode.add_argument(
        "--offscreen",
        dest="mode",
        action="store_const",
        const="offscreen",
        help="draw without any display, e.g. on a server; pictures go to --screenshot-dir "
        "(by default a folder 'screens' next to the data folder)",
    )
    parser.add_argument(
        "--screenshot-dir",
        type=Path,
        metavar="DIR",
        help="save a picture of every slide shown, as PNG files, in DIR (default: none)",
    )
    parser.add_argument(
        "--size",
        metavar="WxH",
        help="window size in pixels; a portrait screen is taller than wide "
        "(default: 1920x1080; e.g. 1080x1920)",
    )
    parser.add_argument(
        "--poll-interval",
        type=float,
        metavar="SECONDS",
        help=f"how often to ask the server for changes (default: {defaults['poll_interval_s']:g})",
    )
    return parser.parse_args(argv)


def settings_overrides(arguments: argparse.Namespace) -> dict[str, Any]:
    """The settings given on the command line; they win over the environment."""
    given = {
        "server_url": arguments.server,
        "data_dir": arguments.data_dir,
        "screenshot_dir": arguments.screenshot_dir,
        "poll_interval_s": arguments.poll_interval,
        "window_size": arguments.size,
    }
    if arguments.mode is not None:
        given["fullscreen"] = arguments.mode == "fullscreen"
        given["offscreen"] = arguments.mode == "offscreen"
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
    if settings.offscreen or not has_display(os.environ):
        os.environ["QT_QPA_PLATFORM"] = HEADLESS_PLATFORM
        if settings.screenshot_dir is None:
            settings.screenshot_dir = settings.data_dir.parent / "screens"
        why = (
            "as asked"
            if settings.offscreen
            else "no display found (DISPLAY, WAYLAND_DISPLAY and QT_QPA_PLATFORM are unset)"
        )
        print(
            f"anslag-player: running offscreen, {why}; screenshots in {settings.screenshot_dir}",
            file=sys.stderr,
        )

    # Qt is imported only now, so that `--help` and settings errors need no Qt at all.
    from player.ui.app import run

    return run(settings, clock=system_clock)


if __name__ == "__main__":
    sys.exit(main())
