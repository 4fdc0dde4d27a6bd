"""The last good manifest on disk: what the screen plays after a restart without network.

It is replaced atomically (temp file, fsync, rename, fsync of the folder), so a
power cut leaves either the old or the new manifest, never half of one. A file
that is damaged anyway (a bad SD card, an edit by hand) is reported and ignored:
the player then waits for the server rather than crash.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from player.cache import write_atomically
from player.errors import validation_reason
from playlists.manifest import Manifest

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class StoredManifest:
    manifest: Manifest
    etag: str


class _StoredFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    etag: str
    manifest: Manifest


class ManifestStore:
    """One manifest file and the ETag the server sent with it."""

    def __init__(self, path: Path) -> None:
        self._path = path

    @property
    def path(self) -> Path:
        return self._path

    def load(self) -> StoredManifest | None:
        """The stored manifest, or None when there is none or it cannot be used (logged)."""
        try:
            raw = self._path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            logger.error("cannot read the stored manifest %s: %s", self._path, exc)
            return None
        try:
            stored = _StoredFile.model_validate_json(raw)
        except ValidationError as exc:
            logger.error("ignoring the stored manifest %s: %s", self._path, validation_reason(exc))
            return None
        return StoredManifest(manifest=stored.manifest, etag=stored.etag)

    def save(self, manifest: Manifest, etag: str) -> None:
        """Replace the stored manifest atomically."""
        content = {"etag": etag, "manifest": manifest.model_dump(mode="json")}
        data = json.dumps(content, ensure_ascii=False, indent=1).encode("utf-8")
        write_atomically(self._path, data)
