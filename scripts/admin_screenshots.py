"""`make screenshots`: the admin's main pages, in Chromium, on the demo municipality, into docs/.

Seeds the demo into a temporary folder, serves it, logs in as the demo user and
saves each page at desktop width (and the dashboard at phone width), reduced to
a palette so the PNGs stay small in the repository.
"""

from __future__ import annotations

import argparse
import io
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from PIL import Image
from playwright.sync_api import Page, sync_playwright

from server.demo.seed import DEMO_PASSWORD, DEMO_USERNAME

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# (file name, path, viewport width); the page is shot whole, however long.
PAGES = [
    ("dashboard", "/admin/", 1280),
    ("dashboard-phone", "/admin/", 390),
    ("alerts", "/admin/alerts/new?template=water", 1280),
    ("alerts-phone", "/admin/alerts/new?template=water", 390),
    ("locations", "/admin/locations", 1280),
    ("media", "/admin/media", 1280),
    ("items", "/admin/items", 1280),
    ("playlists", "/admin/playlists", 1280),
    ("assignments", "/admin/assignments", 1280),
    ("preview", "/admin/preview", 1280),
    ("audit", "/admin/audit", 1280),
    ("api-tokens", "/admin/api-tokens", 1280),
]
MAX_HEIGHT = 2400


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("docs"))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="anslag-shots-") as data_dir:
        env = {**os.environ, "ANSLAG_DATA_DIR": data_dir}
        env.pop("ANSLAG_DATABASE_URL", None)
        subprocess.run([_tool("anslag-server"), "seed-demo"], env=env, check=True)
        port = _free_port()
        server = subprocess.Popen(
            [_tool("anslag-server"), "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_until_ready(url)
            _shoot(url, args.out)
        finally:
            server.terminate()
            server.wait(timeout=10)
    return 0


def _shoot(url: str, out: Path) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, path, width in PAGES:
            page = browser.new_page(viewport={"width": width, "height": 900})
            _log_in(page, url)
            answer = page.goto(url + path)
            if answer is None or answer.status != 200:
                print(f"skipped {path}: {answer.status if answer else 'no answer'}")
                continue
            if path.startswith("/admin/alerts/new"):
                # The duty officer's second step: the preview and the screens it reaches.
                page.check("input[value=everywhere]")
                page.click("button[value=preview]")
                page.wait_for_selector(".alert-preview")
            target = out / f"screenshot-admin-{name}.png"
            _save(page.screenshot(full_page=True), target)
            print(f"wrote {target}")
            page.close()
        browser.close()


def _log_in(page: Page, url: str) -> None:
    page.goto(f"{url}/admin/login")
    page.fill("#username", DEMO_USERNAME)
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/admin/")


def _save(png: bytes, target: Path) -> None:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    if image.height > MAX_HEIGHT:
        image = image.crop((0, 0, image.width, MAX_HEIGHT))
    image.quantize(colors=128, method=Image.Quantize.MEDIANCUT).save(target, optimize=True)


def _wait_until_ready(url: str) -> None:
    for _ in range(100):
        try:
            if httpx.get(f"{url}/api/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"the server at {url} did not start")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _tool(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


if __name__ == "__main__":
    sys.exit(main())
