"""A Debian Trixie root for the Raspberry Pi installer's tests: built once, booted with systemd.

The root is built by `mmdebstrap --mode=unshare` (no root needed for that) and kept as a
tarball in the cache, named after what it was built from, with the .deb files apt
downloads inside it: a second run of `make test-deploy` downloads almost nothing, and a
run with an empty cache builds everything again. Booting it needs root: systemd as the
container's PID 1 comes from `systemd-nspawn --boot`, sharing the host's network, so
that the container reaches a server on the host's 127.0.0.1.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType

SUITE = "trixie"
MIRROR = "http://deb.debian.org/debian"
# What a Raspberry Pi OS Lite image has besides Debian's "important" packages, as far as the
# installer cares: curl for the one-line install.
BASE_PACKAGES = ("curl", "ca-certificates")
CACHE_ENV = "ANSLAG_DEPLOY_CACHE"
PATH_INSIDE = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def cache_dir() -> Path:
    return Path(os.environ.get(CACHE_ENV, "~/.cache/anslag-deploy")).expanduser()


def cache_key(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:16]


def mmdebstrap(arguments: Sequence[str], *, log: Path) -> None:
    """Run mmdebstrap in unshare mode; its output goes to `log`, and into the error."""
    command = ["mmdebstrap", "--mode=unshare", *arguments]
    with log.open("ab") as out:
        finished = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, check=False)
    if finished.returncode != 0:
        tail = log.read_text(errors="replace")[-4000:]
        raise RuntimeError(f"{' '.join(command)} failed ({finished.returncode}):\n{tail}")


def root_tarball(*, architecture: str = "amd64") -> Path:
    """The cached tarball of a fresh Trixie root; built when the cache has none."""
    arguments = [
        "--variant=important",
        f"--architectures={architecture}",
        f"--include={','.join(BASE_PACKAGES)}",
        SUITE,
    ]
    roots = cache_dir() / "roots"
    tarball = roots / f"{SUITE}-{architecture}-{cache_key(arguments, MIRROR)}.tar.zst"
    if tarball.exists():
        return tarball
    roots.mkdir(parents=True, exist_ok=True)
    building = tarball.with_suffix(".building.tar.zst")
    mmdebstrap([*arguments, str(building), MIRROR], log=roots / "build.log")
    building.replace(tarball)
    return tarball


def apt_archive(packages: Sequence[str]) -> Path:
    """The cache of .deb files for a package list, mounted over the root's apt archive."""
    archive = cache_dir() / "apt" / f"{SUITE}-{cache_key(sorted(packages))}"
    (archive / "partial").mkdir(parents=True, exist_ok=True)
    return archive


def _cgroup2_root() -> Path:
    """Where the unified cgroup hierarchy is mounted (on its own, or beside cgroup v1)."""
    for candidate in (Path("/sys/fs/cgroup"), Path("/sys/fs/cgroup/unified")):
        if (candidate / "cgroup.procs").exists() and (candidate / "cgroup.threads").exists():
            return candidate
    raise RuntimeError("no cgroup2 hierarchy mounted: systemd cannot run in a container here")


def _descendants(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = [int(child) for child in (task / "children").read_text().split()]
        except FileNotFoundError:
            continue
        for child in children:
            found += [child, *_descendants(child)]
    return found


def _command_name(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except FileNotFoundError:
        return ""


def _remove_cgroup(cgroup: Path) -> None:
    """Kill whatever is left in `cgroup` (a container whose nspawn is gone), then remove it."""
    (cgroup / "cgroup.kill").write_text("1")
    deadline = time.monotonic() + 30
    groups = sorted(
        (path for path in cgroup.rglob("*") if path.is_dir()),
        key=lambda path: len(path.parts),
        reverse=True,
    )
    for group in [*groups, cgroup]:
        while True:
            try:
                group.rmdir()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)  # the killed processes are still being reaped


class BootedRoot:
    """A Trixie root unpacked into `directory` and booted with systemd; `run` runs in it."""

    def __init__(
        self,
        directory: Path,
        tarball: Path,
        *,
        binds: Mapping[Path, str] = {},
        boot_within_s: float = 120.0,
    ) -> None:
        self.directory = directory
        self.tarball = tarball
        self.binds = dict(binds)
        self.boot_within_s = boot_within_s
        self.log_path = directory.with_name(f"{directory.name}.nspawn.log")
        self.leader = 0
        self._nspawn: subprocess.Popen[bytes] | None = None
        # nspawn makes the cgroups it needs below the one it runs in: one of our own.
        self._cgroup = _cgroup2_root() / f"anslag-deploy-test-{os.getpid()}-{id(self)}"

    def start(self) -> None:
        if os.geteuid() != 0:
            raise RuntimeError(
                "booting the root needs root (systemd-nspawn): run make test-deploy as root"
            )
        self.directory.mkdir(parents=True)
        subprocess.run(
            ["tar", "-C", str(self.directory), "--numeric-owner", "-xpf", str(self.tarball)],
            check=True,
        )
        self._cgroup.mkdir()
        command = [
            "systemd-nspawn",
            f"--directory={self.directory}",
            "--boot",
            "--register=no",
            "--keep-unit",
            "--console=passive",
            "--resolv-conf=copy-host",
            f"--machine=anslag-{os.getpid()}",
            *(f"--bind={host}:{inside}" for host, inside in self.binds.items()),
        ]
        # Into our cgroup first, then nspawn in the same process.
        enter_cgroup = ["sh", "-c", 'echo $$ > "$0/cgroup.procs" && exec "$@"', str(self._cgroup)]
        with self.log_path.open("ab") as log:
            self._nspawn = subprocess.Popen(
                [*enter_cgroup, *command],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                env={**os.environ, "SYSTEMD_NSPAWN_UNIFIED_HIERARCHY": "1"},
            )
        self.leader = self._wait_for_leader()
        self._wait_for_boot()

    def _wait_for_leader(self) -> int:
        """The container's PID 1 (systemd), once nspawn has started it."""
        assert self._nspawn is not None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self._nspawn.poll() is not None:
                raise RuntimeError(f"systemd-nspawn exited:\n{self.log_path.read_text()}")
            for pid in _descendants(self._nspawn.pid):
                if _command_name(pid) == "systemd":
                    return pid
            time.sleep(0.1)  # polling a child process, not waiting on Qt
        raise RuntimeError("systemd-nspawn started no systemd within 30 s")

    def _wait_for_boot(self) -> None:
        deadline = time.monotonic() + self.boot_within_s
        state = "offline"
        while time.monotonic() < deadline:
            state = self.run(
                ["systemctl", "is-system-running", "--wait"],
                check=False,
                timeout=self.boot_within_s,
            ).stdout.strip()
            if state in ("running", "degraded"):
                return
            time.sleep(0.5)  # systemd is not up yet ("offline"): polling, not waiting on Qt
        raise RuntimeError(f"the root did not boot ({state}):\n{self.journal()}")

    def run(
        self,
        command: Sequence[str],
        *,
        check: bool = True,
        input: str | None = None,
        env: Mapping[str, str] | None = None,
        timeout: float = 900,
    ) -> subprocess.CompletedProcess[str]:
        """Run `command` inside, as root, like a login over SSH would (a clean environment)."""
        environment = {"PATH": PATH_INSIDE, "HOME": "/root", "LANG": "C.UTF-8", **(env or {})}
        enter = [
            "nsenter",
            f"--target={self.leader}",
            "--mount",
            "--uts",
            "--ipc",
            "--pid",
            "--root",
            "--wd",  # the target's: the container's /
            "--",
            "/usr/bin/env",
            "-i",
            *(f"{name}={value}" for name, value in environment.items()),
            *command,
        ]
        finished = subprocess.run(
            enter, input=input, capture_output=True, text=True, timeout=timeout, check=False
        )
        if check and finished.returncode != 0:
            raise AssertionError(
                f"{' '.join(command)} exited {finished.returncode}:\n"
                f"{finished.stdout[-6000:]}\n{finished.stderr[-6000:]}"
            )
        return finished

    def shell(self, script: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
        return self.run(["bash", "-euo", "pipefail", "-c", script], **kwargs)  # type: ignore[arg-type]

    def path(self, inside: str) -> Path:
        """A path of the root, seen from the host."""
        return self.directory / inside.lstrip("/")

    def journal(self, unit: str | None = None, lines: int = 200) -> str:
        command = ["journalctl", "--no-pager", "-n", str(lines)]
        if unit is not None:
            command += ["-u", unit]
        return self.run(command, check=False).stdout

    def stop(self) -> None:
        if self._nspawn is not None and self._nspawn.poll() is None:
            # nspawn asks the container's systemd to power off.
            self._nspawn.send_signal(signal.SIGTERM)
            try:
                self._nspawn.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self._nspawn.kill()
                self._nspawn.wait()
        if self._cgroup.exists():
            _remove_cgroup(self._cgroup)
        shutil.rmtree(self.directory, ignore_errors=True)

    def __enter__(self) -> BootedRoot:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
