"""Writes what the screen shows to PNG files, off the GUI thread, for dashboards and reviews."""

from __future__ import annotations

import logging
import os
import re
import shutil
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from PySide6.QtGui import QImage

logger = logging.getLogger(__name__)

LATEST = "latest.png"
KEEP = 20
_NUMBERED = re.compile(r"^slide-(\d+)\.png$")


class ScreenshotWriter:
    """`latest.png` plus `slide-NNNN.png` for the newest `keep` slides in one folder.

    Every file appears whole or not at all (temp file, then rename), so a
    dashboard reading `latest.png` never gets half an image.
    """

    def __init__(self, directory: Path, *, keep: int = KEEP) -> None:
        self._directory = directory
        self._keep = keep
        self._number = max(_numbered(directory), default=0)
        self._first_number = self._number + 1
        # One worker keeps the files in order; PNG encoding stays off the GUI thread.
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="screenshots")

    @property
    def directory(self) -> Path:
        return self._directory

    def submit(self, frame: QImage) -> Future[Path]:
        """Save `frame` as the next numbered screenshot and as `latest.png`."""
        self._number += 1
        future = self._executor.submit(self._write, frame, self._number)
        future.add_done_callback(_log_failure)
        return future

    def close(self) -> None:
        """Finish the screenshots already submitted."""
        self._executor.shutdown(wait=True)

    def _write(self, frame: QImage, number: int) -> Path:
        self._directory.mkdir(parents=True, exist_ok=True)
        numbered = self._directory / f"slide-{number:04d}.png"
        # The suffix tells Qt the format; the leading dot keeps it out of the listing.
        partial = self._directory / f".slide-{number:04d}.partial.png"
        if not frame.save(str(partial)):
            partial.unlink(missing_ok=True)
            raise OSError(f"could not write screenshot {partial}")
        os.replace(partial, numbered)
        latest_partial = self._directory / f".{LATEST}.partial"
        shutil.copyfile(numbered, latest_partial)
        os.replace(latest_partial, self._directory / LATEST)
        if number == self._first_number:
            logger.info("screenshots go to %s (newest: %s)", self._directory, LATEST)
        existing = _numbered(self._directory)
        for old in sorted(existing)[: -self._keep]:
            (self._directory / existing[old]).unlink(missing_ok=True)
        return numbered


def _numbered(directory: Path) -> dict[int, str]:
    """The numbered screenshots in `directory`, by number."""
    try:
        names = [entry.name for entry in directory.iterdir()]
    except FileNotFoundError:
        return {}
    return {int(match.group(1)): name for name in names if (match := _NUMBERED.match(name))}


def _log_failure(future: Future[Path]) -> None:
    error = future.exception()
    if error is not None:
        logger.error("screenshot not saved: %s", error)
