"""One row of docs/benchmarks.md: a figure beside the baseline measured in the same run."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    name: str
    value: str
    baseline_name: str
    baseline: str
    note: str
