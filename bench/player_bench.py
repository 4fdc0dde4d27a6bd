"""`make bench`, the player's part: start to first frame from the cache, peak memory through 50
pictures, CPU while a still slide shows (and with the ticker running) — each beside a bare
PySide6 Qt Quick window measured in the same run.

The player runs as residents' screens run it, `anslag-player --offscreen` (its entry point,
`python -m player.main`, from this checkout), on a data folder that a previous run left with a
device token, a manifest and its pictures, and no server to reach. It says `READY=1` to a
`NOTIFY_SOCKET` once its first slide has faded in, as it does to systemd; the bare window says
it after its first frame. Memory is the kernel's high-water mark (VmHWM), CPU the process's
user and system time (/proc/PID/stat) over a span of wall time.
"""

from __future__ import annotations

import io
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time as stopwatch
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from anslag_testing.fake_server import asset_ref, image_manifest
from anslag_testing.processes import free_port
from anslag_testing.screens import fill_data_dir
from figures import Figure
from PIL import Image

from playlists.manifest import Manifest, TickerLine

ROOT = Path(__file__).resolve().parents[1]
BARE_WINDOW = Path(__file__).resolve().parent / "bare_window.py"
SIZE = "1920x1080"
STARTS = 5
CPU_SPAN_S = 10.0
SETTLE_S = 2.0
PICTURES = 50


def picture(seed: int) -> bytes:
    """A 1920x1080 JPEG like a photo's: a colour gradient under fine noise (~0.5 MB)."""
    rng = random.Random(seed)
    base = Image.linear_gradient("L").resize((1920, 1080))
    tint = tuple(rng.randrange(40, 220) for _ in range(3))
    colour = Image.merge("RGB", [base.point(lambda v, t=t: (v * t) // 255) for t in tint])
    noise = Image.effect_noise((1920, 1080), 40).convert("RGB")
    buffer = io.BytesIO()
    Image.blend(colour, noise, 0.25).save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def cached_screen(data_dir: Path, pictures: Sequence[bytes], *, slide_s: float) -> Manifest:
    """A data folder as a paired screen leaves it: token, manifest, pictures in the cache."""
    refs = [asset_ref(data, "image/jpeg") for data in pictures]
    manifest = image_manifest(*refs, generated_at=datetime.now(UTC))
    items = tuple(item.model_copy(update={"duration_s": slide_s}) for item in manifest.items)
    manifest = manifest.model_copy(update={"items": items})
    fill_data_dir(
        data_dir, manifest, {ref.sha256: data for ref, data in zip(refs, pictures, strict=True)}
    )
    return manifest


class Process:
    """A child process that reports `READY=1` on a socket of its own."""

    def __init__(self, command: list[str], folder: Path) -> None:
        self._socket_path = folder / f"notify-{len(list(folder.iterdir()))}.sock"
        self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self._socket.bind(str(self._socket_path))
        environment = {
            **os.environ,
            "NOTIFY_SOCKET": str(self._socket_path),
            "QT_QPA_PLATFORM": "offscreen",
            "PYTHONPATH": str(ROOT),
        }
        self.started = stopwatch.perf_counter()
        self.popen = subprocess.Popen(
            command, cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )

    def wait_ready(self, timeout_s: float = 60.0) -> float:
        """Seconds from start until the process said READY=1."""
        self._socket.settimeout(timeout_s)
        while True:
            message = self._socket.recv(4096)
            if b"READY=1" in message.split(b"\n"):
                return stopwatch.perf_counter() - self.started

    def peak_rss_mib(self) -> float:
        for line in Path(f"/proc/{self.popen.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError(f"no VmHWM for process {self.popen.pid}")

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.popen.pid}/stat").read_text().rsplit(")", 1)[1].split()
        # utime and stime, the 14th and 15th fields; the first two are before ")".
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def cpu_share(self, span_s: float) -> float:
        """The share of one core used over the next `span_s` seconds."""
        cpu, wall = self.cpu_seconds(), stopwatch.perf_counter()
        stopwatch.sleep(span_s)
        return (self.cpu_seconds() - cpu) / (stopwatch.perf_counter() - wall)

    def stop(self) -> None:
        self.popen.send_signal(signal.SIGTERM)
        try:
            self.popen.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()
        self._socket.close()
        self._socket_path.unlink(missing_ok=True)


@contextmanager
def running(command: list[str], folder: Path) -> Iterator[Process]:
    process = Process(command, folder)
    try:
        yield process
    finally:
        process.stop()


def player_command(data_dir: Path, *, screenshots: bool = True) -> list[str]:
    """`anslag-player --offscreen`; without `screenshots`, as with a display (Qt still draws
    offscreen) it saves no picture of each slide."""
    # No server listens on a port just found free: the player plays from its cache.
    server = f"http://127.0.0.1:{free_port()}"
    command = [sys.executable, "-m", "player.main", "--server", server]
    command += ["--data-dir", str(data_dir), "--size", SIZE]
    if screenshots:
        command += ["--offscreen", "--screenshot-dir", str(data_dir.parent / "screens")]
    return command


BARE = [sys.executable, str(BARE_WINDOW), SIZE]


def seconds(samples: list[float]) -> str:
    return f"{statistics.median(samples):.2f} s (max {max(samples):.2f} s)"


def bench_player() -> list[Figure]:
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        photos = [picture(seed) for seed in range(PICTURES)]

        still = folder / "still" / "data"
        cached_screen(still, photos[:1], slide_s=3600)
        starts, bare_starts = [], []
        for _ in range(STARTS):
            with running(player_command(still), folder) as player:
                starts.append(player.wait_ready())
            with running(BARE, folder) as bare:
                bare_starts.append(bare.wait_ready())

        with running(player_command(still), folder) as player:
            player.wait_ready()
            stopwatch.sleep(SETTLE_S)
            still_cpu = player.cpu_share(CPU_SPAN_S)
        with running(BARE, folder) as bare:
            bare.wait_ready()
            stopwatch.sleep(SETTLE_S)
            bare_cpu = bare.cpu_share(CPU_SPAN_S)
            bare_rss = bare.peak_rss_mib()

        ticking = folder / "ticker" / "data"
        manifest = cached_screen(ticking, photos[:1], slide_s=3600)
        line = TickerLine(id="ice", texts={"sv": "Isen på Torneälven är svag, gå inte ut på den"})
        fill_data_dir(ticking, manifest.model_copy(update={"ticker": (line,)}), {})
        with running(player_command(ticking), folder) as player:
            player.wait_ready()
            stopwatch.sleep(SETTLE_S)
            ticker_cpu = player.cpu_share(CPU_SPAN_S)

        # Half a second a slide: every picture is decoded and shown within half a minute.
        # Offscreen the player would save a PNG of each slide, slower than they come; a
        # screen saves none, so neither does this run.
        rotation = folder / "fifty" / "data"
        cached_screen(rotation, photos, slide_s=0.5)
        with running(player_command(rotation, screenshots=False), folder) as player:
            player.wait_ready()
            stopwatch.sleep(PICTURES * 0.5 + SETTLE_S)
            player_rss = player.peak_rss_mib()

    window = "bare Qt Quick window"
    return [
        Figure(
            "player: start to first slide from the cache",
            seconds(starts),
            f"{window}: start to first frame",
            seconds(bare_starts),
            f"{STARTS} starts each, no server; the player's figure includes its 0.6 s fade-in",
        ),
        Figure(
            f"player: peak memory, {PICTURES} pictures of 1920x1080",
            f"{player_rss:.0f} MiB",
            f"{window}: peak memory",
            f"{bare_rss:.0f} MiB",
            f"VmHWM over all {PICTURES}, half a second each; a Raspberry Pi 4 has 2-8 GiB",
        ),
        Figure(
            "player: CPU while a still slide shows",
            f"{still_cpu:.1%} of a core",
            f"{window}: CPU at rest",
            f"{bare_cpu:.1%} of a core",
            f"over {CPU_SPAN_S:.0f} s; the footer clock ticks, sync retries in the background",
        ),
        Figure(
            "player: CPU with the ticker running",
            f"{ticker_cpu:.1%} of a core",
            f"{window}: CPU at rest",
            f"{bare_cpu:.1%} of a core",
            "Qt's software renderer offscreen redraws the window every frame; "
            "on the Pi the GPU draws it",
        ),
    ]
