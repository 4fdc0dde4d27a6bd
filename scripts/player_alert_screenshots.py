"""`make screenshots`, the player's part: alerts and the ticker as a screen shows them, into
docs/screenshot-player-alert-*.png.

Each picture goes through the player's own path: a manifest with the alert handed to the
controller, the alert put on the stage by its rotation, the frame grabbed once the
controller says the alert was presented. Offscreen, so it runs without a display.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PIL import Image
from PySide6.QtGui import QGuiApplication

from player.ui.controller import Controller
from player.ui.stage import Stage
from player.ui.window import PlayerWindow
from playlists.manifest import (
    Alert,
    AlertText,
    Assignment,
    LocalizedText,
    LocationInfo,
    Manifest,
    Playlist,
    PlaylistEntry,
    TextItem,
    TickerLine,
)

# A Tuesday morning in Övertorneå, 09:42 on the screens' clock.
NOW = datetime(2026, 11, 24, 8, 42, tzinfo=UTC)
SPORTHALLEN = LocationInfo(
    id="sporthallen",
    name="Sporthallen, Övertorneå",
    timezone="Europe/Stockholm",
    languages=("sv", "fi"),
)
NEWS = TextItem(
    id="news",
    duration_s=3600,
    texts={
        "sv": LocalizedText(
            title="Simhallen stänger kl. 17 på fredag",
            body="Bastun och gymmet har öppet som vanligt. Välkommen!",
        ),
        "fi": LocalizedText(
            title="Uimahalli suljetaan perjantaina klo 17",
            body="Sauna ja kuntosali ovat auki tavalliseen tapaan.",
        ),
    },
)
FIRE = {
    "sv": AlertText(
        headline="Skogsbrand vid Kuivakangas",
        description="Kraftig rök driver mot Övertorneå. Räddningstjänsten arbetar på plats.",
        instruction="Stäng fönster, dörrar och ventilation. Gå inomhus och lyssna på "
        "Sveriges Radio P4 Norrbotten.",
    ),
    "fi": AlertText(
        headline="Metsäpalo Kuivakankaalla",
        description="Voimakas savu leviää Övertorneån suuntaan.",
        instruction="Sulje ikkunat, ovet ja ilmanvaihto. Mene sisälle ja kuuntele radiota.",
    ),
}
WATER = {
    "sv": AlertText(
        headline="Koka vattnet",
        description="Dricksvattnet i centralorten kan innehålla bakterier.",
        instruction="Koka vattnet i minst en minut innan du dricker det eller lagar mat med det.",
    ),
    "fi": AlertText(
        headline="Keitä vesi",
        description="Keskustaajaman juomavedessä voi olla bakteereja.",
        instruction="Keitä vettä vähintään minuutin ajan ennen juomista tai ruoanlaittoa.",
    ),
}
STORM = {
    "sv": AlertText(
        headline="Storm i kväll",
        description="Kraftig vind väntas från kl. 18. Träd kan falla och strömmen kan gå.",
    ),
    "fi": AlertText(
        headline="Myrsky tänä iltana",
        description="Kovaa tuulta odotetaan klo 18 alkaen. Puita voi kaatua.",
    ),
}
OVER = {
    "sv": AlertText(
        headline="Faran över",
        description="Branden vid Kuivakangas är släckt. Du kan öppna fönster och dörrar igen.",
    ),
    "fi": AlertText(
        headline="Vaara ohi",
        description="Metsäpalo on sammutettu. Voit taas avata ikkunat ja ovet.",
    ),
}
TICKER = (
    TickerLine(id="storm", texts={"sv": "Storm i kväll från kl. 18", "fi": "Myrsky tänä iltana"}),
    TickerLine(id="ice", texts={"sv": "Isen på Torneälven bär inte ännu"}),
)


def alert(alert_id: str, texts: dict[str, AlertText], severity: str, **fields: object) -> Alert:
    return Alert.model_validate(
        {
            "id": alert_id,
            "version": 1,
            "severity": severity,
            "sender_name": "Övertorneå kommun",
            "texts": texts,
            "sent_at": NOW - timedelta(minutes=17),
            "effective": NOW - timedelta(minutes=17),
            "expires": NOW + timedelta(hours=6),
            **fields,
        }
    )


def manifest(*alerts: Alert, ticker: tuple[TickerLine, ...] = ()) -> Manifest:
    return Manifest(
        generated_at=NOW - timedelta(minutes=1),
        valid_until=NOW + timedelta(days=7),
        location=SPORTHALLEN,
        items=(NEWS,),
        playlists=(Playlist(id="main", name="Main", entries=(PlaylistEntry(item="news"),)),),
        assignments=(Assignment(id="always", playlist="main"),),
        alerts=alerts,
        ticker=ticker,
    )


SHOTS = {
    "fullscreen": ((1920, 1080), manifest(alert("fire", FIRE, "extreme"))),
    "banner": ((1920, 1080), manifest(alert("storm", STORM, "moderate"), ticker=TICKER)),
    "all-clear": (
        (1920, 1080),
        manifest(alert("fire", OVER, "extreme", kind="all_clear", version=3)),
    ),
    "ticker": ((1920, 1080), manifest(ticker=TICKER)),
    "portrait-exercise": (
        (1080, 1920),
        manifest(alert("water", WATER, "severe", status="exercise")),
    ),
}


def wait_until(app: QGuiApplication, done: Callable[[], bool], timeout_s: float = 10) -> None:
    deadline = time.monotonic() + timeout_s
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError("the screen did not show what it was given in time")
        app.processEvents()
        time.sleep(0.01)


def shoot(app: QGuiApplication, size: tuple[int, int], content: Manifest, path: Path) -> None:
    """The screen showing `content`, as a PNG reduced to a palette (small in the repository)."""
    stage = Stage()
    window = PlayerWindow(stage, size=size)
    started = time.monotonic()
    controller = Controller(
        stage=stage,
        is_cached=lambda _sha256: True,
        asset_path=Path,
        clock=lambda: NOW + timedelta(seconds=time.monotonic() - started),
    )
    seen: list[str] = []
    controller.alert_displayed.connect(lambda alert_id, _version, _at: seen.append(alert_id))
    faded: list[bool] = []
    stage.transition_finished.connect(lambda: faded.append(True))
    window.show()
    controller.set_manifest(content)
    controller.start()
    wait_until(app, lambda: bool(seen) if content.alerts else bool(faded))
    # Let the ticker run in and the fades settle.
    wait_until(app, lambda: time.monotonic() - started > 2.5)
    frame = window.grab_frame()
    controller.stop()
    window.close()
    if not frame.save(str(path)):
        raise OSError(f"could not write {path}")
    with Image.open(path) as picture:
        reduced = picture.convert("RGB").quantize(colors=96, method=Image.Quantize.MEDIANCUT)
    reduced.save(path, format="PNG", optimize=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("docs"))
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QGuiApplication(sys.argv[:1])
    args.out.mkdir(parents=True, exist_ok=True)
    for name, (size, content) in SHOTS.items():
        path = args.out / f"screenshot-player-alert-{name}.png"
        shoot(app, size, content, path)
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
