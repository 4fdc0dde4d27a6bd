"""Reports waiting for the server, in a JSON-lines file that survives power cuts.

Proof of play and alert acknowledgements wait here while the network is away.
Each record is appended as one line and fsynced, so it is on disk before the
player moves on; a power cut can at worst leave a torn last line, which is
skipped (and cleaned up) on the next start. Records leave the file only once
the server has acknowledged them. The file is bounded: when it is full, the
oldest records are dropped first, a tenth at a time, so that a month offline
costs old reports rather than the SD card.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from pydantic import BaseModel, ValidationError

from player.cache import write_atomically

logger = logging.getLogger(__name__)

Record = TypeVar("Record", bound=BaseModel)


@dataclass(frozen=True)
class Queued(Generic[Record]):
    """A record in the outbox; `seq` grows by one with every record ever appended."""

    seq: int
    record: Record


class Outbox(Generic[Record]):
    """The records not yet acknowledged by the server, oldest first. Safe to use from any thread.

    `what` names the records in log messages ("proof-of-play", "alert acknowledgement").
    """

    def __init__(self, path: Path, *, model: type[Record], what: str, max_records: int) -> None:
        if max_records < 10:
            raise ValueError(f"an outbox needs room for at least 10 records, not {max_records}")
        self._path = path
        self._model = model
        self._what = what
        self._max_records = max_records
        self._lock = threading.Lock()
        self._records: list[Queued[Record]] = []
        self._dropped = 0
        self._load()
        self._next_seq = self._records[-1].seq + 1 if self._records else 1

    @property
    def path(self) -> Path:
        return self._path

    @property
    def dropped(self) -> int:
        """How many records were dropped unsent since start, because the queue was full."""
        return self._dropped

    def __len__(self) -> int:
        with self._lock:
            return len(self._records)

    def append(self, record: Record) -> None:
        """Add `record` at the end, on disk before this returns."""
        with self._lock:
            queued = Queued(self._next_seq, record)
            self._next_seq += 1
            self._records.append(queued)
            if len(self._records) > self._max_records:
                overflow = len(self._records) - self._max_records + self._max_records // 10
                del self._records[:overflow]
                self._dropped += overflow
                logger.warning(
                    "%s queue full (%d records): dropped the %d oldest unsent",
                    self._what,
                    self._max_records,
                    overflow,
                )
                self._rewrite()
                return
            self._path.parent.mkdir(parents=True, exist_ok=True)
            with self._path.open("a", encoding="utf-8") as file:
                file.write(_line(queued))
                file.flush()
                os.fsync(file.fileno())

    def oldest(self, count: int) -> list[Queued[Record]]:
        """Up to `count` records from the front, to send as one batch."""
        with self._lock:
            return self._records[:count]

    def acknowledge(self, up_to_seq: int) -> None:
        """Forget every record up to and including `up_to_seq`: the server has them."""
        with self._lock:
            kept = [record for record in self._records if record.seq > up_to_seq]
            if len(kept) == len(self._records):
                return
            self._records = kept
            self._rewrite()

    def _load(self) -> None:
        try:
            lines = self._path.read_text(encoding="utf-8", errors="replace").splitlines()
        except FileNotFoundError:
            return
        damaged = 0
        for line in lines:
            try:
                raw = json.loads(line)
                record = Queued(int(raw.pop("seq")), self._model.model_validate(raw))
            except (ValueError, TypeError, KeyError, AttributeError, ValidationError):
                damaged += 1
                continue
            self._records.append(record)
        # More than fits: written with a larger limit than this run's.
        surplus = max(0, len(self._records) - self._max_records)
        del self._records[:surplus]
        self._dropped += surplus
        if damaged:
            # A line torn by a power cut; rewriting puts the next append on a line of its own.
            logger.warning(
                "skipped %d unreadable %s records in %s", damaged, self._what, self._path
            )
        if damaged or surplus:
            self._rewrite()

    def _rewrite(self) -> None:
        """Replace the file with the records in memory, atomically."""
        write_atomically(self._path, "".join(map(_line, self._records)).encode("utf-8"))


def _line(queued: Queued[Record]) -> str:
    fields = {"seq": queued.seq, **queued.record.model_dump(mode="json")}
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":")) + "\n"
