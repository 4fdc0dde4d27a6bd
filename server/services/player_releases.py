"""Player releases the server offers screens: the wheels in its releases folder.

Whoever runs the server puts a release there as `make release` builds it: the
wheel (`anslag-<version>-py3-none-any.whl`) and the Raspberry Pi installer
(`install.sh`), which a new screen fetches first and which then takes the newest
wheel. A screen told to update fetches the wheel it is told, checking the sha256
it was given. Other files are not served.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from server.errors import NotFound

WHEEL_NAME: Final = re.compile(r"^anslag-(?P<version>[0-9][0-9A-Za-z.+!_]*)-py3-none-any\.whl$")
RELEASES_PATH: Final = "/api/device/v1/player-releases"
INSTALLER_NAME: Final = "install.sh"
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class PlayerRelease:
    version: str
    filename: str
    sha256: str
    size: int
    published_at: datetime

    @property
    def path(self) -> str:
        """Where the device API serves it, relative to the server's address."""
        return f"{RELEASES_PATH}/{self.filename}"


def version_key(version: str) -> tuple[tuple[int, int | str], ...]:
    """Orders versions as people expect: 0.10.0 after 0.9.2, 1.0.0rc1 before 1.0.0 and
    1.0.0+kommun.1 (a local build of it) after it."""
    public, _, local = version.partition("+")
    parts = re.findall(r"\d+|[A-Za-z]+", public)
    # A letter part (rc, a, b) is a pre-release: it sorts before the release's end ("~").
    key = [(1, int(part)) if part.isdigit() else (0, part.lower()) for part in parts]
    key.append((0, "~"))
    if local:
        key.append((1, local))
    return tuple(key)


def list_releases(directory: Path) -> list[PlayerRelease]:
    """The releases in `directory`, newest version first; none when it does not exist."""
    if not directory.is_dir():
        return []
    releases = []
    for entry in directory.iterdir():
        match = WHEEL_NAME.match(entry.name)
        if match is None or not entry.is_file():
            continue
        info = entry.stat()
        releases.append(
            PlayerRelease(
                version=match["version"],
                filename=entry.name,
                sha256=_sha256(entry, info.st_size, info.st_mtime_ns),
                size=info.st_size,
                published_at=datetime.fromtimestamp(info.st_mtime, UTC),
            )
        )
    return sorted(releases, key=lambda release: version_key(release.version), reverse=True)


def find_release(directory: Path, *, version: str) -> PlayerRelease:
    """The release of `version`; NotFound when the folder has none."""
    for release in list_releases(directory):
        if release.version == version:
            return release
    raise NotFound(f"no player release {version} in {directory}")


def release_file(directory: Path, *, filename: str) -> Path:
    """The wheel called `filename`, or the installer; NotFound for any other name, so no path
    leaves the folder."""
    path = directory / filename
    served = filename == INSTALLER_NAME or WHEEL_NAME.match(filename) is not None
    if not served or not path.is_file():
        raise NotFound(f"no player release file {filename!r}")
    return path


@functools.lru_cache(maxsize=64)
def _sha256(path: Path, size: int, mtime_ns: int) -> str:
    """The file's hash, computed again only when its size or time changes (a replaced file)."""
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
