"""`make demo`: a seeded server and one player for the village shop, stopped by one Ctrl-C."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from server.demo.seed import DEMO_PASSWORD, DEMO_USERNAME

HOST = "127.0.0.1"
PORT = 8000
DATA_DIR = Path("var")
PLAYER_DIR = DATA_DIR / "player"
SCREENS_DIR = DATA_DIR / "screens"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fullscreen", action="store_true", help="kiosk mode: fullscreen window")
    parser.add_argument("--port", type=int, default=PORT)
    args = parser.parse_args(argv)

    server_url = f"http://{HOST}:{args.port}"
    if _answers(server_url):
        print(f"Something already answers on {server_url}; stop it or use DEMO_ARGS=--port=N.")
        return 1

    env = {
        **os.environ,
        "ANSLAG_DATA_DIR": str(DATA_DIR),
        "ANSLAG_MUNICIPALITY_NAME": "Övertorneå kommun",
    }
    env.pop("ANSLAG_DATABASE_URL", None)  # the demo runs on its embedded SQLite
    subprocess.run(
        [_tool("anslag-server"), "seed-demo", "--token-file", str(PLAYER_DIR / "device-token")],
        env=env,
        check=True,
    )

    children: list[subprocess.Popen[bytes]] = []
    try:
        children.append(_start([_tool("anslag-server"), "serve", "--port", str(args.port)], env))
        if not _wait_until_ready(server_url, children[0]):
            print("The server did not start; see the messages above.")
            return 1
        player = [_tool("anslag-player"), "--server", server_url, "--data-dir", str(PLAYER_DIR)]
        if args.fullscreen:
            player.append("--fullscreen")
        children.append(_start(player, env))
        _announce(server_url)
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
        return next(child.returncode for child in children if child.returncode is not None)
    except KeyboardInterrupt:
        print("\nStopping the demo …")
        return 0
    finally:
        _stop(children)


def _tool(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def _start(command: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    # Each child gets its own session, so the terminal's Ctrl-C reaches only this
    # script, which then stops every child exactly once.
    return subprocess.Popen(command, env=env, start_new_session=True)


def _stop(children: list[subprocess.Popen[bytes]]) -> None:
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGINT)
    for child in children:
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def _answers(url: str) -> bool:
    try:
        httpx.get(f"{url}/api/health", timeout=0.5)
    except httpx.TransportError:
        return False
    return True


def _wait_until_ready(url: str, server: subprocess.Popen[bytes]) -> bool:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and server.poll() is None:
        if _answers(url):
            return True
        time.sleep(0.2)
    return False


def _announce(server_url: str) -> None:
    headless = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    lines = [
        "",
        "Anslag demo is running.",
        f"  Server:       {server_url}   (API documentation: {server_url}/docs)",
        f"  Admin:        {server_url}/admin/",
        f"  Login:        {DEMO_USERNAME} / {DEMO_PASSWORD}   (a demo administrator)",
        f"  Data:         {DATA_DIR.resolve()}   (SQLite database, media, player cache)",
        "  Player:       the village shop's screen, Byabutiken i Svanstein",
    ]
    if headless:
        lines.append(f"  No display:   the player runs offscreen; see {SCREENS_DIR}/latest.png")
    lines += ["", "Press Ctrl-C to stop.", ""]
    print("\n".join(lines), flush=True)


if __name__ == "__main__":
    sys.exit(main())
