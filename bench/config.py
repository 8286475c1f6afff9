"""Sizes and knobs of a run, from the environment (BENCH_QUICK, BENCH_ROWS …)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
GIB = 1 << 30


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    value = int(raw.replace("_", ""))
    if value <= 0:
        raise ValueError(f"{name} must be positive, got {raw!r}")
    return value


@dataclass(frozen=True)
class BenchConfig:
    quick: bool
    rows: int
    file_size: int
    catalogue: int
    rounds: int
    ingest_rounds: int
    per_round: int
    http_seconds: float
    concurrency: int
    data_dir: Path = field(default=ROOT / "bench" / "data")
    results_dir: Path = field(default=ROOT / "bench" / "results")

    @property
    def media_root(self) -> Path:
        return self.data_dir / "media"

    @property
    def files_dir(self) -> Path:
        return self.media_root / "bench"

    def sizes(self) -> dict:
        return {
            "rows": self.rows,
            "file_bytes": self.file_size,
            "catalogue_records": self.catalogue,
            "rounds": self.rounds,
            "ingest_rounds": self.ingest_rounds,
            "calls_per_round": self.per_round,
            "http_seconds_per_round": self.http_seconds,
            "http_concurrency": self.concurrency,
            "quick": self.quick,
        }


def from_env(env: dict[str, str] | None = None) -> BenchConfig:
    env = os.environ if env is None else env
    saved = dict(os.environ)
    try:
        os.environ.update(env)
        quick = os.environ.get("BENCH_QUICK", "") in ("1", "true", "yes")
        return BenchConfig(
            quick=quick,
            rows=_int("BENCH_ROWS", 50_000 if quick else 10_000_000),
            file_size=_int("BENCH_FILE_BYTES", 64 * 2**20 if quick else GIB),
            catalogue=_int("BENCH_CATALOGUE", 2_000 if quick else 100_000),
            rounds=max(3, _int("BENCH_ROUNDS", 3)),
            ingest_rounds=_int("BENCH_INGEST_ROUNDS", 3),
            per_round=_int("BENCH_CALLS", 20 if quick else 200),
            http_seconds=float(_int("BENCH_HTTP_SECONDS", 1 if quick else 5)),
            concurrency=_int("BENCH_CONCURRENCY", 8),
        )
    finally:
        os.environ.clear()
        os.environ.update(saved)


def bench_database_url(base: str, explicit: str = "") -> str:
    """The bench's own database: BENCH_DATABASE_URL, or the base URL's database name with
    `_bench` appended (never the database the tests use)."""
    if explicit:
        return explicit
    parsed = urlparse(base)
    name = parsed.path.lstrip("/") or "opendata"
    if not name.endswith("_bench"):
        name += "_bench"
    return urlunparse(parsed._replace(path="/" + name))
