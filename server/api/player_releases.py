"""The player releases the server offers, open to any screen, paired or not.

A Raspberry Pi being installed has no device token yet: it fetches the installer
from here, which takes the newest release; a paired screen told to update
fetches the wheel named in its heartbeat's answer. Releases are the open-source
player's wheels and installer: nothing in them is secret.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from fastapi.responses import FileResponse
from pydantic import BaseModel

from server.api.deps import SettingsDep
from server.services.player_releases import (
    INSTALLER_NAME,
    RELEASES_PATH,
    list_releases,
    release_file,
)

router = APIRouter(prefix=RELEASES_PATH, tags=["device"])

# A release's file never changes under its name; a new build is a new version.
IMMUTABLE = "public, max-age=31536000, immutable"


class PlayerReleaseOut(BaseModel):
    version: str
    filename: str
    path: str
    sha256: str
    size: int
    published_at: datetime


@router.get("")
def get_releases(settings: SettingsDep) -> list[PlayerReleaseOut]:
    """The releases, newest version first: the first is what a new screen installs."""
    return [
        PlayerReleaseOut(
            version=release.version,
            filename=release.filename,
            path=release.path,
            sha256=release.sha256,
            size=release.size,
            published_at=release.published_at,
        )
        for release in list_releases(settings.player_releases_dir)
    ]


@router.get("/{filename}", response_class=FileResponse)
def get_release_file(filename: str, settings: SettingsDep) -> FileResponse:
    """One release's wheel, or the installer (`install.sh`), which is replaced in place."""
    path = release_file(settings.player_releases_dir, filename=filename)
    if filename == INSTALLER_NAME:
        return FileResponse(
            path, media_type="text/x-shellscript", headers={"Cache-Control": "no-cache"}
        )
    return FileResponse(
        path,
        media_type="application/zip",
        filename=filename,
        headers={"Cache-Control": IMMUTABLE},
    )
