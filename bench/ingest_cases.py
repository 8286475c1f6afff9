"""ingest-load and ingest-e2e: the platform's load of the generated CSV (the real
`load_version`, timed phase by phase) against a server COPY of the same file into a typed,
logged table, then the same index set and ANALYZE by hand."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import psycopg
from django.conf import settings
from django.db import connection
from django.utils import timezone
from psycopg import sql

from bench.stats import Target, median, ratio
from portal.datastore.ingest import load_version
from portal.datastore.models import DatastoreTable
from portal.models import DistributionVersion

RAW_TABLE = "bench_raw_copy"
_RAW_COLUMNS = "(_id bigint GENERATED ALWAYS AS IDENTITY, c1 bigint, c2 text, c3 date, c4 numeric, c5 text, c6 text)"


def warm(path: Path) -> None:
    """Read the file once so that both sides start from the page cache."""
    subprocess.run(["cat", str(path)], stdout=subprocess.DEVNULL, check=True)


def _raw_round(dsn: str, path: Path, rows: int) -> dict:
    with psycopg.connect(dsn, autocommit=True) as conn, conn.cursor() as cur:
        # The same index memory as the platform's ingest: the machine's limit, not a default.
        cur.execute(
            "SELECT set_config('maintenance_work_mem', %s, false)",
            [settings.DATASTORE_INDEX_MEMORY],
        )
        table = sql.Identifier("datastore", RAW_TABLE)
        cur.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(table))
        cur.execute(sql.SQL("CREATE TABLE {} " + _RAW_COLUMNS).format(table))
        columns = sql.SQL("(c1, c2, c3, c4, c5, c6)")
        started = time.perf_counter()
        try:
            cur.execute(
                sql.SQL("COPY {} {} FROM {} WITH (FORMAT csv, HEADER true)").format(
                    table, columns, sql.Literal(str(path))
                )
            )
            how = "server COPY FROM file"
        except psycopg.Error:  # the server cannot read the file: stream it (same speed)
            started = time.perf_counter()
            with (
                cur.copy(
                    sql.SQL("COPY {} {} FROM STDIN WITH (FORMAT csv, HEADER true)").format(
                        table, columns
                    )
                ) as copy,
                path.open("rb") as fh,
            ):
                while block := fh.read(1 << 20):
                    copy.write(block)
            how = "COPY FROM STDIN, 1 MiB blocks"
        loaded = time.perf_counter()
        cur.execute(sql.SQL("ALTER TABLE {} ADD PRIMARY KEY (_id)").format(table))
        for i in range(1, 7):
            cur.execute(
                sql.SQL("CREATE INDEX ON {} ({}, _id)").format(table, sql.Identifier(f"c{i}"))
            )
        cur.execute(sql.SQL("ANALYZE {}").format(table))
        done = time.perf_counter()
        cur.execute(sql.SQL("DROP TABLE {}").format(table))
    return {"load_s": loaded - started, "e2e_s": done - started, "how": how}


def _platform_round(version: DistributionVersion) -> dict:
    timings: dict[str, float] = {}
    started = time.perf_counter()
    load_version(version=version, overrides={}, now=timezone.now(), timings=timings)
    timings["e2e_s"] = time.perf_counter() - started
    return timings


def measure(*, dsn: str, path: Path, rows: int, version: DistributionVersion, rounds: int):
    warm(path)
    raw, platform = [], []
    for _ in range(rounds):
        raw.append(_raw_round(dsn, path, rows))
        platform.append(_platform_round(version))
    connection.close()
    raw_load = median(r["load_s"] for r in raw)
    raw_e2e = median(r["e2e_s"] for r in raw)
    plat_load = median(p["load_s"] for p in platform)
    plat_e2e = median(p["e2e_s"] for p in platform)
    table = DatastoreTable.objects.get(distribution=version.distribution)
    measurement_table = table.table_name
    measurement = {
        "rows": rows,
        "rows_loaded": table.row_count,
        "table": measurement_table,
        "raw": {
            "rounds": raw,
            "load_rows_per_s": rows / raw_load,
            "e2e_rows_per_s": rows / raw_e2e,
        },
        "platform": {
            "rounds": platform,
            "load_rows_per_s": rows / plat_load,
            "e2e_rows_per_s": rows / plat_e2e,
        },
    }
    load_ratio = ratio(rows / plat_load, rows / raw_load)
    e2e_ratio = ratio(rows / plat_e2e, rows / raw_e2e)
    targets = [
        Target("ingest-load", load_ratio, 0.8, ">=", "load step rows/s vs server COPY"),
        Target(
            "ingest-e2e", e2e_ratio, 0.6, ">=", "file → queryable rows/s vs COPY+indexes+ANALYZE"
        ),
    ]
    shown = {
        "ingest-load": {
            "platform": f"{rows / plat_load:,.0f} rows/s",
            "raw": f"{rows / raw_load:,.0f} rows/s",
        },
        "ingest-e2e": {
            "platform": f"{rows / plat_e2e:,.0f} rows/s",
            "raw": f"{rows / raw_e2e:,.0f} rows/s",
        },
    }
    return measurement, targets, shown
