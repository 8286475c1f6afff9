"""Pure figures: percentiles, medians over rounds, ratios and targets. No I/O, no Django."""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100) by linear interpolation between closest ranks."""
    if not values:
        raise ValueError("no values")
    if not 0 <= q <= 100:
        raise ValueError("q is 0 to 100")
    ordered = sorted(values)
    if len(ordered) == 1:
        return float(ordered[0])
    pos = (len(ordered) - 1) * q / 100
    low, high = math.floor(pos), math.ceil(pos)
    return float(ordered[low] + (ordered[high] - ordered[low]) * (pos - low))


def median(values: Iterable[float]) -> float:
    values = list(values)
    if not values:
        raise ValueError("no values")
    return float(statistics.median(values))


@dataclass(frozen=True)
class Latency:
    """Per-round p50/p99 of timed calls (milliseconds), and their medians over rounds."""

    p50_ms: float
    p99_ms: float
    rounds_p50_ms: tuple[float, ...]
    rounds_p99_ms: tuple[float, ...]
    samples: int

    def as_dict(self) -> dict:
        return {
            "p50_ms": round(self.p50_ms, 4),
            "p99_ms": round(self.p99_ms, 4),
            "rounds_p50_ms": [round(v, 4) for v in self.rounds_p50_ms],
            "rounds_p99_ms": [round(v, 4) for v in self.rounds_p99_ms],
            "samples": self.samples,
        }


def latency_of_rounds(rounds: Sequence[Sequence[float]]) -> Latency:
    """`rounds`: per round, the durations in seconds of each call."""
    if not rounds or any(not r for r in rounds):
        raise ValueError("every round needs samples")
    p50s = tuple(percentile(r, 50) * 1000 for r in rounds)
    p99s = tuple(percentile(r, 99) * 1000 for r in rounds)
    return Latency(median(p50s), median(p99s), p50s, p99s, sum(len(r) for r in rounds))


def ratio(numerator: float, denominator: float) -> float:
    """numerator / denominator; infinity for a zero denominator (a raw side that took no
    measurable time), never a ZeroDivisionError in the middle of a report."""
    if denominator == 0:
        return math.inf if numerator else 1.0
    return numerator / denominator


@dataclass(frozen=True)
class Target:
    """One judged figure: `ratio` compared with `target` by `op` (">=" or "<=")."""

    id: str
    ratio: float
    target: float
    op: str
    what: str = ""

    def __post_init__(self) -> None:
        if self.op not in (">=", "<="):
            raise ValueError(f"unknown comparison {self.op!r}")

    @property
    def met(self) -> bool:
        if math.isnan(self.ratio):
            return False
        return self.ratio >= self.target if self.op == ">=" else self.ratio <= self.target

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "ratio": _finite(self.ratio),
            "target": self.target,
            "op": self.op,
            "met": self.met,
            "what": self.what,
        }


def _finite(value: float) -> float | str:
    if math.isinf(value) or math.isnan(value):
        return str(value)  # JSON has no infinity
    return round(value, 4)
