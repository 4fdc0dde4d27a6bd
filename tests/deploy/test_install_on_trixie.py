"""The installer for real, on a Debian Trixie root booted with systemd, against a real server.

What a Raspberry Pi would do, without one: the one-line install fetched from the
server, a screen that shows a pairing code and then its location's playlist
(grabbed with grim from the kiosk compositor, headless), a second run that
changes nothing, systemd's own check of our units, an update the admin asks for,
one that does not start and is rolled back, and a portrait screen. The only
stand-in is the display: cage draws into memory (WLR_BACKENDS=headless, the
pixman renderer) and, with no virtual terminal in a container, owns no tty.
The tests run in order on one machine, each going on from the state the
previous one left, as the screen on the wall would.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from anslag_testing.debian_root import (
    MIRROR,
    SUITE,
    BootedRoot,
    apt_archive,
    mmdebstrap,
    root_tarball,
)
from anslag_testing.installer import INSTALLER, build_release, installer_packages
from anslag_testing.processes import ServerProcess
from anslag_testing.screens import SLIDE_AREA, Rgb, share_close_to
from anslag_testing.seeds import SHOP, seed_shop_without_a_screen
from PySide6.QtGui import QImage
from sqlmodel import Session, select

from server.db import create_engine_for, session_scope
from server.models import Location, Screen
from server.services.pairing import claim_pairing
from server.services.permissions import Actor
from server.services.player_updates import set_wanted_version

pytestmark = [pytest.mark.debian_root, pytest.mark.e2e, pytest.mark.gui, pytest.mark.timeout(1800)]

GREEN: Rgb = (40, 160, 90)
ADMIN = Actor(user_id=None, name="ida (test)", role="admin")
KIOSK = "anslag-kiosk.service"
# Not what a screen needs, what the tests look with: grim grabs the screen, cloud-init checks
# the first-boot example.
TOOLS = ("grim", "cloud-init")
# What only the Pi has, replaced: cage draws into memory; no virtual terminal in a container.
HEADLESS_KIOSK = """\
[Service]
Environment=WLR_BACKENDS=headless WLR_RENDERER=pixman WLR_LIBINPUT_NO_DEVICES=1
TTYPath=/dev/console
StandardInput=null
TTYReset=no
TTYVHangup=no
TTYVTDisallocate=no
"""
# Reports every two seconds, and a new player judged after five seconds of running.
QUICK = """\
ANSLAG_PLAYER_HEARTBEAT_INTERVAL_S=2
ANSLAG_PLAYER_POLL_INTERVAL_S=1
ANSLAG_PLAYER_SCREENSHOT_INTERVAL_MIN=0
ANSLAG_UPDATE_STABLE_S=5
"""
# Raspberry Pi OS Trixie's kernel command line, as the imager leaves it.
CMDLINE = (
    "console=serial0,115200 console=tty1 root=PARTUUID=5e3da3da-02 rootfstype=ext4 "
    "fsck.repair=yes rootwait quiet splash plymouth.ignore-serial-consoles "
    "cfg80211.ieee80211_regdom=SE\n"
)
# Every file and link the installer manages, for checking a second run leaves them be.
MANAGED = (
    "/etc/anslag/player.env",
    "/etc/systemd/system.conf.d/anslag-watchdog.conf",
    "/etc/systemd/timesyncd.conf.d/anslag.conf",
    "/boot/firmware/cmdline.txt",
    "/etc/fstab",
    "/var/lib/anslag/current",
)
MANAGED_GLOBS = (
    "/usr/local/lib/anslag/*",
    "/usr/local/sbin/anslag-*",
    "/etc/systemd/system/anslag-*",
    "/etc/systemd/system/*/anslag-*",
    "/var/lib/anslag/releases/*",
)
# The directories it makes: what it owns is their mode and owner, not what the player
# writes into them.
MANAGED_DIRECTORIES = ("/var/lib/anslag", "/var/lib/anslag/player", "/var/lib/anslag/update")


def wait_until(what: str, condition: Callable[[], bool], *, within_s: float) -> None:
    deadline = time.monotonic() + within_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {within_s:g} s: {what}")
        time.sleep(1)  # polling a machine and a server, not waiting on Qt


@dataclass(frozen=True)
class Releases:
    current: Path
    next: Path
    broken: Path


def break_the_player(source: Path) -> None:
    """A release that installs and imports, then dies at start, as a bad release would."""
    main = source / "player" / "main.py"
    main.write_text(
        main.read_text().replace(
            "    arguments = parse_arguments(argv)\n",
            '    raise SystemExit("anslag-player: broken on purpose by the test")\n',
            1,
        )
    )


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("deploy")


@pytest.fixture(scope="module")
def releases(work: Path) -> Releases:
    wheels = work / "wheels"
    return Releases(
        current=build_release(wheels, work, version="0.1.0"),
        next=build_release(wheels, work, version="0.1.1"),
        broken=build_release(wheels, work, version="0.1.2", change=break_the_player),
    )


@dataclass
class Site:
    """The municipality's server, its database and its releases folder."""

    server: ServerProcess
    database_url: str
    releases_dir: Path

    def publish(self, wheel: Path) -> None:
        shutil.copy2(wheel, self.releases_dir / wheel.name)

    def claim(self, code: str) -> None:
        with self.session() as session:
            shop = session.exec(select(Location).where(Location.slug == SHOP)).one()
            claim_pairing(
                session,
                code=code,
                location=shop,
                name="Vid kassan",
                actor=ADMIN,
                now=datetime.now(UTC),
            )

    def want(self, version: str) -> None:
        with self.session() as session:
            set_wanted_version(
                session,
                releases_dir=self.releases_dir,
                version=version,
                screen_id=None,
                actor=ADMIN,
                now=datetime.now(UTC),
            )

    def reported_version(self) -> str | None:
        with self.session() as session:
            screen = session.exec(select(Screen)).first()
            heartbeat = screen.heartbeat if screen is not None else None
            version = (heartbeat or {}).get("player_version")
            return version if isinstance(version, str) else None

    def session(self) -> AbstractContextManager[Session]:
        return session_scope(self._engine)

    def __post_init__(self) -> None:
        self._engine = create_engine_for(self.database_url)


@pytest.fixture(scope="module")
def site(work: Path, releases: Releases) -> Iterator[Site]:
    server_dir = work / "server"
    database_url = f"sqlite:///{server_dir / 'anslag.db'}"
    seed_shop_without_a_screen(database_url, server_dir / "media", {"grön": GREEN}, duration_s=3)
    releases_dir = server_dir / "player-releases"
    releases_dir.mkdir()
    shutil.copy2(INSTALLER, releases_dir / "install.sh")
    shutil.copy2(releases.current, releases_dir / releases.current.name)
    with ServerProcess(data_dir=server_dir, database_url=database_url) as server:
        site = Site(server, database_url, releases_dir)
        yield site
        site._engine.dispose()


@pytest.fixture(scope="module")
def usb_stick(work: Path) -> Iterator[str]:
    """A blank 256 MB block device, as a new USB stick is: a loop device on the host."""
    image = work / "stick.img"
    with image.open("wb") as file:
        file.truncate(256 * 1024 * 1024)
    device = subprocess.run(
        ["losetup", "--find", "--show", str(image)], capture_output=True, text=True, check=True
    ).stdout.strip()
    yield device
    subprocess.run(["losetup", "--detach", device], check=True)


@pytest.fixture(scope="module")
def machine(work: Path, site: Site, usb_stick: str) -> Iterator[BootedRoot]:
    archive = apt_archive([*installer_packages(), *TOOLS])
    binds = {archive: "/var/cache/apt/archives", Path(usb_stick): usb_stick}
    root = BootedRoot(work / "root", root_tarball(), binds=binds)
    with root:
        drop_in = root.path(f"/etc/systemd/system/{KIOSK}.d/headless.conf")
        drop_in.parent.mkdir(parents=True)
        drop_in.write_text(HEADLESS_KIOSK)
        root.path("/etc/anslag").mkdir()
        root.path("/etc/anslag/local.env").write_text(QUICK)
        root.path("/boot/firmware").mkdir(parents=True)
        root.path("/boot/firmware/cmdline.txt").write_text(CMDLINE)
        root.shell(
            f"apt-get update -q && apt-get install -y -q --no-install-recommends {' '.join(TOOLS)}"
        )
        try:
            yield root
        finally:
            (work / "journal.txt").write_text(root.journal(lines=2000))


def one_line_install(machine: BootedRoot, site: Site, options: str = "") -> str:
    """What the README tells an installer to paste into an SSH session."""
    url = site.server.url
    installed = machine.shell(
        f"curl -fsSL {url}/api/device/v1/player-releases/install.sh | bash -s -- {options}"
    )
    return installed.stdout


def kiosk(machine: BootedRoot, name: str) -> str:
    return machine.run(["systemctl", "show", "-P", name, KIOSK]).stdout.strip()


def screenshot(machine: BootedRoot) -> QImage:
    """What the kiosk compositor shows, grabbed with grim in the kiosk's session."""
    machine.shell(
        f"pid=$(systemctl show -P MainPID {KIOSK})\n"
        'runtime=$(tr "\\0" "\\n" </proc/$pid/environ | sed -n "s/^XDG_RUNTIME_DIR=//p")\n'
        'display=$(tr "\\0" "\\n" </proc/$pid/environ | sed -n "s/^WAYLAND_DISPLAY=//p")\n'
        'display=${display:-$(cd "$runtime" && ls | grep -m 1 "^wayland-[0-9]*$")}\n'
        'runuser -u anslag -- env XDG_RUNTIME_DIR="$runtime" WAYLAND_DISPLAY="$display" '
        "grim /var/lib/anslag/home/screen.png"
    )
    grabbed = machine.path("/var/lib/anslag/home/screen.png")
    image = QImage(str(grabbed))
    assert not image.isNull()
    # Kept beside the machine, to look at after a run: the last one of each size.
    shutil.copy2(
        grabbed, machine.directory.with_name(f"screen-{image.width()}x{image.height()}.png")
    )
    return image


def shows_the_playlist(machine: BootedRoot) -> bool:
    return share_close_to(screenshot(machine), GREEN, SLIDE_AREA) > 0.9


def release_of(machine: BootedRoot, link: str) -> str:
    return Path(machine.path(f"/var/lib/anslag/{link}").readlink()).name


def managed_state(machine: BootedRoot) -> dict[str, tuple[object, ...]]:
    """Each managed file's content hash (a link's target), mode and modification time; each
    managed directory's mode and owner."""
    paths = {machine.path(path) for path in MANAGED}
    for pattern in MANAGED_GLOBS:
        paths |= set(machine.directory.glob(pattern.lstrip("/")))
    state: dict[str, tuple[object, ...]] = {}
    for path in sorted(paths):
        info = path.lstat()
        if path.is_symlink():
            what = f"-> {path.readlink()}"
        elif path.is_dir():
            what = "directory"
        else:
            what = hashlib.sha256(path.read_bytes()).hexdigest()
        state[str(path.relative_to(machine.directory))] = (what, info.st_mode, info.st_mtime_ns)
    for directory in MANAGED_DIRECTORIES:
        info = machine.path(directory).stat()
        state[directory] = (info.st_mode, info.st_uid, info.st_gid)
    return state


def test_the_one_line_install_brings_up_a_screen_that_pairs_and_then_plays(
    machine: BootedRoot, site: Site
) -> None:
    said = one_line_install(machine, site, f"--server {site.server.url}")

    assert "changed    /etc/anslag/player.env" in said
    # READY=1 came from the player, through cage, to systemd; so do the watchdog's pings.
    assert kiosk(machine, "ActiveState") == "active"
    assert kiosk(machine, "StatusText") == "Showing content"
    wait_until(
        "a watchdog ping reached systemd",
        lambda: kiosk(machine, "WatchdogTimestampMonotonic") not in ("", "0"),
        within_s=90,
    )
    pairing = machine.path("/var/lib/anslag/player/pairing.json")
    wait_until("the screen shows a pairing code", pairing.exists, within_s=60)

    code = json.loads(pairing.read_text())["code"]
    assert f"the screen shows the pairing code {code}" in said

    site.claim(code)

    wait_until(
        "the screen plays the shop's playlist", lambda: shows_the_playlist(machine), within_s=120
    )
    assert machine.path("/var/lib/anslag/player/device-token").exists()
    assert release_of(machine, "current").startswith("0.1.0-")
    cmdline = machine.path("/boot/firmware/cmdline.txt").read_text()
    assert cmdline == CMDLINE.rstrip("\n") + " consoleblank=0 vt.global_cursor_default=0\n"


def test_a_second_run_changes_nothing_and_restarts_nothing(machine: BootedRoot, site: Site) -> None:
    before = managed_state(machine)
    invocation = kiosk(machine, "InvocationID")

    said = one_line_install(machine, site)  # the server remembered from the first run

    assert "\n  changed" not in said
    assert "install.sh: nothing changed" in said
    assert managed_state(machine) == before
    assert kiosk(machine, "InvocationID") == invocation


def test_systemd_has_nothing_to_say_about_our_units(machine: BootedRoot) -> None:
    units = sorted(
        f"/etc/systemd/system/{path.name}"
        for path in machine.path("/etc/systemd/system").glob("anslag-*")
        if path.is_file()
    )
    verified = machine.run(["systemd-analyze", "verify", *units], check=False)
    said = (verified.stdout + verified.stderr).splitlines()

    assert len(units) >= 9
    assert [line for line in said if "anslag" in line] == []
    assert verified.returncode == 0, said


def updater_log(machine: BootedRoot) -> str:
    log = machine.path("/var/lib/anslag/updater/log")
    return log.read_text() if log.exists() else ""


def test_an_update_the_admin_asks_for_is_installed_beside_the_old_one_and_runs(
    machine: BootedRoot, site: Site, releases: Releases
) -> None:
    site.publish(releases.next)

    site.want("0.1.1")

    wait_until(
        "the updater sees player 0.1.1 run cleanly",
        lambda: re.search(r"player 0\.1\.1-\w+ runs", updater_log(machine)) is not None,
        within_s=300,
    )
    assert release_of(machine, "current").startswith("0.1.1-")
    assert release_of(machine, "previous").startswith("0.1.0-")
    assert kiosk(machine, "ActiveState") == "active"
    wait_until(
        "the screen reports player 0.1.1", lambda: site.reported_version() == "0.1.1", within_s=30
    )
    wait_until(
        "the screen plays the shop's playlist", lambda: shows_the_playlist(machine), within_s=60
    )


def test_an_update_that_does_not_start_cleanly_is_rolled_back(
    machine: BootedRoot, site: Site, releases: Releases
) -> None:
    site.publish(releases.broken)
    failed = machine.path("/var/lib/anslag/updater/failed")

    site.want("0.1.2")

    wait_until(
        "0.1.2 is recorded as failed",
        lambda: failed.exists() and "0.1.2 " in failed.read_text(),
        within_s=300,
    )
    wait_until(
        "the kiosk runs again", lambda: kiosk(machine, "ActiveState") == "active", within_s=120
    )
    assert release_of(machine, "current").startswith("0.1.1-")
    assert re.search(
        r"player 0\.1\.2-\w+ did not start cleanly: back to 0\.1\.1-", updater_log(machine)
    )
    wait_until(
        "the screen plays the shop's playlist", lambda: shows_the_playlist(machine), within_s=60
    )
    assert site.reported_version() == "0.1.1"


def test_a_portrait_screen_is_turned_by_the_rotation_option(
    machine: BootedRoot, site: Site
) -> None:
    said = one_line_install(machine, site, "--rotation 90")

    assert "changed    /etc/anslag/player.env" in said
    # The newest release on the server is the broken one: the release that runs is kept.
    assert re.search(r"unchanged  player release 0\.1\.1-", said)
    wait_until(
        "the screen plays the shop's playlist", lambda: shows_the_playlist(machine), within_s=120
    )
    frame = screenshot(machine)
    assert frame.height() > frame.width()


def shop_mode(machine: BootedRoot, command: str) -> subprocess.CompletedProcess[str]:
    return machine.run(["anslag-shop-mode", command], check=False)


def test_shop_mode_is_refused_while_the_data_is_on_the_system_partition(
    machine: BootedRoot,
) -> None:
    refused = shop_mode(machine, "on")

    assert refused.returncode == 1
    assert "give it a partition of its own first" in refused.stderr
    assert "overlayroot" not in machine.path("/boot/firmware/cmdline.txt").read_text()


def test_a_usb_stick_becomes_the_data_directory_and_the_screen_keeps_its_pairing(
    machine: BootedRoot, site: Site, usb_stick: str
) -> None:
    said = one_line_install(machine, site, f"--data-device {usb_stick}")
    again = one_line_install(machine, site, f"--data-device {usb_stick}")

    assert f"changed    file system on {usb_stick}" in said
    assert f"changed    /var/lib/anslag mounted from {usb_stick}" in said
    mounted = machine.run(["findmnt", "-n", "-o", "SOURCE,FSTYPE", "/var/lib/anslag"])
    assert mounted.stdout.split() == [usb_stick, "ext4"]
    fstab = machine.path("/etc/fstab").read_text()
    assert re.search(r"(?m)^UUID=[-0-9a-f]+ /var/lib/anslag ext4 \S*nofail\S* 0 2$", fstab)
    assert "install.sh: nothing changed" in again
    assert kiosk(machine, "ActiveState") == "active"
    wait_until(
        "the screen plays the shop's playlist, still paired",
        lambda: shows_the_playlist(machine),
        within_s=120,
    )


def test_shop_mode_goes_on_and_off_with_the_data_partition_left_writable(
    machine: BootedRoot,
) -> None:
    cmdline = machine.path("/boot/firmware/cmdline.txt")
    before = cmdline.read_text()

    on = shop_mode(machine, "on")
    after_on = cmdline.read_text()
    status = shop_mode(machine, "status")
    off = shop_mode(machine, "off")

    assert on.returncode == 0, on.stderr
    assert after_on == before.rstrip("\n") + " overlayroot=tmpfs:recurse=0\n"
    assert "After the next start: on." in status.stdout
    assert off.returncode == 0
    assert cmdline.read_text() == before


def test_the_first_boot_example_is_valid_cloud_init_that_runs_the_one_line_install(
    machine: BootedRoot,
) -> None:
    example = (INSTALLER.parent / "user-data").read_text()
    machine.path("/root/user-data").write_text(example)

    checked = machine.run(["cloud-init", "schema", "--config-file", "/root/user-data"], check=False)

    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "Valid schema" in checked.stdout
    assert "/api/device/v1/player-releases/install.sh" in example
    assert "| bash -s -- --server https://" in example


def test_the_installers_packages_resolve_for_the_raspberry_pis_arm64(tmp_path: Path) -> None:
    """Debian's arm64 archive has every package, with all it depends on (apt, simulated)."""
    mmdebstrap(
        [
            "--variant=extract",
            "--architectures=arm64",
            "--simulate",
            f"--include={','.join(installer_packages())}",
            SUITE,
            "/dev/null",
            MIRROR,
        ],
        log=tmp_path / "arm64.log",
    )
    assert "E:" not in (tmp_path / "arm64.log").read_text()
