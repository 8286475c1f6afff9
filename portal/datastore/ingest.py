"""Loading a distribution version into the datastore.

Two streaming passes over the stored file: the first profiles it and infers column types; the
second `COPY`s the rows (in ~1 MiB blocks) into a staging table. Indexes and `ANALYZE` follow,
then the staging table replaces the live one in one short transaction. Any failure drops the
staging table, so the previous version stays live and nothing is half-loaded.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import logging
import secrets
import threading
import time
from collections.abc import Callable
from typing import Any

import psycopg
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection, transaction
from psycopg import errors as pg_errors
from psycopg import sql

from portal.datastore import fulltext
from portal.datastore.models import ColumnType, DatastoreTable, IngestJob
from portal.datastore.reading import (
    IngestError,
    Profile,
    TypeInferrer,
    check_value,
    field_ids,
    iter_rows,
    profile_file,
)
from portal.models import DistributionVersion

log = logging.getLogger(__name__)

SCHEMA = "datastore"
_PG_TYPES = {
    ColumnType.TEXT: "text",
    ColumnType.INTEGER: "bigint",
    ColumnType.NUMERIC: "numeric",
    ColumnType.DATE: "date",
    ColumnType.TIMESTAMP: "timestamp",
}
_BLOCK = 1024 * 1024
_COPY_BLOCKS = 8  # blocks per COPY statement (a progress report after each)
_MAX_REPORTED_LINES = 100

Progress = Callable[[int], None]


class Superseded(IngestError):
    """A newer version of the file went live first; this one is not needed."""


def live_table_name(distribution_id: int) -> str:
    return f"r{int(distribution_id)}"


def _open(version: DistributionVersion):
    return default_storage.open(version.file.name, "rb")


def _columns_for(
    profile: Profile, types: list[str], nullable: list[bool], overrides: dict[str, str]
) -> list[dict]:
    """The table's columns. `nullable` is False for a column the scan found no empty cell in:
    its column is made NOT NULL (the planner and the keyset cursor rely on it)."""
    columns = []
    for index, ((field_id, label), kind, empty) in enumerate(
        zip(field_ids(profile.headers), types, nullable, strict=True), start=1
    ):
        chosen = overrides.get(label) or overrides.get(field_id) or kind
        columns.append(
            {
                "id": field_id,
                "label": label,
                "column": f"c{index}",
                "type": chosen,
                "nullable": empty,
            }
        )
    return columns


def _scan(
    version: DistributionVersion,
    profile: Profile,
    overrides: dict[str, str],
    progress: Progress | None,
) -> tuple[list[str], list[bool], int]:
    """Pass 1: headers, types (inferred, or the holder's override checked on every value),
    which columns have an empty cell (short rows count as empty), row count, and the report
    of ragged rows and values that do not fit an override. All errors are found here, so the
    COPY pass never fails on the data."""
    bad: list[dict[str, Any]] = []
    count = 0
    inferrer: TypeInferrer | None = None
    forced: list[tuple[int, str, str]] = []
    width = 0
    nullable: list[bool] = []
    with _open(version) as fh:
        for line, cells in iter_rows(fh, profile):
            if inferrer is None:
                width = len(profile.headers)
                _check_overrides(overrides, profile)
                inferrer = TypeInferrer(width)
                nullable = [False] * width
                forced = [
                    (i, label, overrides.get(label) or overrides.get(fid))
                    for i, (fid, label) in enumerate(field_ids(profile.headers))
                    if (overrides.get(label) or overrides.get(fid)) not in (None, ColumnType.TEXT)
                ]
            if len(cells) > width and any(c is not None for c in cells[width:]):
                _report(bad, line, f"{len(cells)} cells, the header has {width}")
                continue
            for i, label, kind in forced:
                value = cells[i] if i < len(cells) else None
                if value is not None and not check_value(kind, value):
                    _report(bad, line, f"{label!r}: {value[:50]!r} is not {kind}")
            inferrer.add(cells)  # reads the first `width` cells only
            if len(cells) < width or None in cells:  # one C-level test for most rows
                for i in range(width):
                    if i >= len(cells) or cells[i] is None:
                        nullable[i] = True
            count += 1
            if progress and count % 50_000 == 0:
                progress(0)
    if not profile.headers:
        raise IngestError("The file has no header row.")
    if bad:
        more = "+" if len(bad) >= _MAX_REPORTED_LINES else ""
        raise IngestError(f"{len(bad)}{more} rows cannot be loaded.", lines=bad)
    types = inferrer.types() if inferrer else [ColumnType.TEXT] * len(profile.headers)
    if not count:  # no rows, no evidence
        nullable = [True] * len(profile.headers)
    return types, nullable, count


def _report(bad: list[dict[str, Any]], line: int, problem: str) -> None:
    if len(bad) < _MAX_REPORTED_LINES:
        bad.append({"line": line, "problem": problem})


def _check_overrides(overrides: dict[str, str], profile: Profile) -> None:
    labels = {label for _, label in field_ids(profile.headers)} | {
        fid for fid, _ in field_ids(profile.headers)
    }
    for name, kind in overrides.items():
        if name not in labels:
            raise IngestError(f"The type override names an unknown field: {name!r}.")
        if kind not in ColumnType.values:
            raise IngestError(f"Unknown column type {kind!r} for {name!r}.")


def _create_staging(cursor, staging: str, columns: list[dict]) -> None:
    column_defs = [
        sql.SQL("{} {}{}").format(
            sql.Identifier(c["column"]),
            sql.SQL(_PG_TYPES[c["type"]]),
            sql.SQL("" if c["nullable"] else " NOT NULL"),
        )
        for c in columns
    ]
    cursor.execute(
        sql.SQL(
            "CREATE TABLE {}.{} (_id bigint GENERATED ALWAYS AS IDENTITY, {}, _fts tsvector)"
        ).format(sql.Identifier(SCHEMA), sql.Identifier(staging), sql.SQL(", ").join(column_defs))
    )


_tsvector_literal = fulltext.tsvector_literal
# PostgreSQL's names of the encodings the fast path hands to COPY as they are.
_PG_ENCODINGS = {"utf-8": "UTF8", "utf-8-sig": "UTF8", "gb18030": "GB18030"}


class _Diverged(Exception):
    """COPY read a different number of rows than the scan: use the row path."""


def _copy_file(cursor, staging, version, profile, columns, progress, expected) -> int | None:
    """The fast path: the file's bytes as they are into `COPY … FORMAT csv` (PostgreSQL
    parses them), cut at line ends into statements of `_BLOCK * _COPY_BLOCKS` bytes with a
    progress report between them. Only for files the scan found `copy_safe` (every line one
    row that PostgreSQL reads as `reading` does). Returns the rows loaded, or None (staging
    emptied) when PostgreSQL disagrees with the scan: the caller then takes the row path."""
    encoding = _PG_ENCODINGS.get(profile.encoding)
    if encoding is None or not profile.copy_safe:
        return None
    names = sql.SQL(", ").join(sql.Identifier(c["column"]) for c in columns)
    target = sql.Identifier(SCHEMA, staging)

    def statement(header: bool) -> sql.Composable:
        return sql.SQL(
            "COPY {} ({}) FROM STDIN WITH (FORMAT csv, HEADER {}, DELIMITER {}, ENCODING {}, "
            "FORCE_NULL ({}))"
        ).format(
            target,
            names,
            sql.SQL("true" if header else "false"),
            sql.Literal(profile.delimiter),
            sql.Literal(encoding),
            names,
        )

    loaded = 0
    try:
        with _open(version) as fh:
            pending, first = b"", True
            while True:
                block = fh.read(_BLOCK)
                pending += block
                if block and len(pending) < _BLOCK * _COPY_BLOCKS:
                    continue
                cut = len(pending) if not block else pending.rfind(b"\n") + 1
                if cut <= 0:
                    continue  # one line longer than a statement: read on
                chunk, pending = pending[:cut], pending[cut:]
                if chunk:
                    with transaction.atomic(), cursor.copy(statement(first)) as copy:
                        copy.write(chunk)
                    rows = chunk.count(b"\n") + (0 if chunk.endswith(b"\n") else 1)
                    loaded += rows - (1 if first else 0)
                    first = False
                    if progress:
                        progress(loaded)
                if not block:
                    break
        if loaded != expected:
            raise _Diverged(f"COPY read {loaded} rows, the scan {expected}")
    except (psycopg.Error, _Diverged):
        log.info("fast load of %s refused; loading row by row", staging, exc_info=True)
        cursor.execute(sql.SQL("TRUNCATE {}").format(target))
        return None
    return loaded


def _copy_rows(cursor, staging, version, profile, columns, progress) -> int:
    """Pass 2: the rows (already checked by the scan) in ~1 MiB blocks, one COPY statement
    per `_COPY_BLOCKS` blocks. Progress is reported between statements: a connection in the
    middle of a COPY can run nothing else, and the report is an UPDATE on the same one."""
    width = len(columns)
    text_idx = [i for i, c in enumerate(columns) if c["type"] == ColumnType.TEXT]
    budget = fulltext.value_budget(len(text_idx))
    names = [sql.Identifier(c["column"]) for c in columns] + [sql.Identifier("_fts")]
    statement = sql.SQL("COPY {}.{} ({}) FROM STDIN WITH (FORMAT csv)").format(
        sql.Identifier(SCHEMA), sql.Identifier(staging), sql.SQL(", ").join(names)
    )
    loaded = 0
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    blocks: list[str] = []

    def flush() -> None:
        with cursor.copy(statement) as copy:
            for block in blocks:
                copy.write(block)
        blocks.clear()
        if progress:
            progress(loaded)

    with _open(version) as fh:
        for _line, cells in iter_rows(fh, profile):
            cells = (cells + [None] * width)[:width]
            # NULL is an unquoted empty field in COPY csv; "" would be an empty string.
            writer.writerow(
                [("" if c is None else c) for c in cells]
                + [_tsvector_literal([cells[i] for i in text_idx], budget)]
            )
            loaded += 1
            if buffer.tell() >= _BLOCK:
                blocks.append(buffer.getvalue())
                buffer.seek(0)
                buffer.truncate()
                if len(blocks) >= _COPY_BLOCKS:
                    flush()
        if buffer.tell():
            blocks.append(buffer.getvalue())
        if blocks:
            flush()
    return loaded


def _index(cursor, staging: str, columns: list[dict], suffix: str) -> None:
    """Indexes, ANALYZE and the grant, built with DATASTORE_INDEX_MEMORY of
    maintenance_work_mem (a GIN index of ten million rows builds several times faster with
    256 MB than with the server's default 64 MB); the connection's setting is restored."""
    with _setting(cursor, "maintenance_work_mem", settings.DATASTORE_INDEX_MEMORY):
        _build_indexes(cursor, staging, columns, suffix)


@contextlib.contextmanager
def _setting(cursor, name: str, value: str):
    """The connection's setting `name` at `value` for the block, then restored."""
    cursor.execute("SELECT current_setting(%s), set_config(%s, %s, false)", [name, name, value])
    previous = cursor.fetchone()[0]
    try:
        yield
    finally:
        with contextlib.suppress(DatabaseError):
            cursor.execute("SELECT set_config(%s, %s, false)", [name, previous])


def _build_indexes(cursor, staging: str, columns: list[dict], suffix: str) -> None:
    """The primary key, then the GIN index of `_fts` and the b-trees, then ANALYZE and the
    grant. The GIN index is the longest (one core for minutes on millions of rows, and PostgreSQL
    builds it in one process): outside any transaction (the staging table is committed, so
    another connection sees it) it is built on a second connection while this one builds the
    b-trees one process each, which then cost no time of their own (`_side_gin`)."""
    table = sql.Identifier(SCHEMA, staging)
    cursor.execute(
        sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} PRIMARY KEY (_id)").format(
            table, sql.Identifier(f"{staging}_pk")
        )
    )
    btrees = [
        sql.SQL("CREATE INDEX {} ON {} ({}, _id)").format(
            sql.Identifier(f"{staging}_{column['column']}_{suffix}"),
            table,
            sql.Identifier(column["column"]),
        )
        for column in columns[: settings.DATASTORE_MAX_INDEXED_COLUMNS]
    ]
    gin = sql.SQL("CREATE INDEX {} ON {} USING gin (_fts)").format(
        sql.Identifier(f"{staging}_fts_{suffix}"), table
    )
    side = _side_connection()
    if side is None:
        for statement in btrees:
            _btree(cursor, statement)
        cursor.execute(gin)
    else:
        # Serial b-trees: the GIN build has the other core.
        with _side_gin(side, gin), _setting(cursor, "max_parallel_maintenance_workers", "0"):
            for statement in btrees:
                _btree(cursor, statement)
    cursor.execute(sql.SQL("ANALYZE {}").format(table))
    cursor.execute(
        sql.SQL("GRANT SELECT ON {} TO {}").format(
            table, sql.Identifier(settings.DATASTORE_READ_ROLE)
        )
    )


def _btree(cursor, statement: sql.Composable) -> None:
    """One b-tree, or none when a value is too long for one (a b-tree entry holds at most
    about 2.7 kB: a long text cell, a JSON or base64 blob). That column is then filtered and
    sorted without an index; the load goes on."""
    try:
        with transaction.atomic():  # a savepoint in a caller's transaction
            cursor.execute(statement)
    except DatabaseError as exc:
        if not isinstance(exc.__cause__, pg_errors.ProgramLimitExceeded):
            raise
        log.warning("no index: %s (%s)", statement.as_string(connection.connection), exc)


def _side_connection() -> psycopg.Connection | None:
    """A second connection for the GIN index, or None: inside a transaction (the staging
    table is not visible to another connection), when DATASTORE_PARALLEL_INDEXES is off, or
    when the server refuses one more connection (the indexes are then built one after the
    other, as before)."""
    if connection.in_atomic_block or not settings.DATASTORE_PARALLEL_INDEXES:
        return None
    try:
        return psycopg.connect(**connection.get_connection_params(), autocommit=True)
    except psycopg.OperationalError:
        log.warning("no second connection for the GIN index; building it after the b-trees")
        return None


@contextlib.contextmanager
def _side_gin(side: psycopg.Connection, statement: sql.Composable):
    """Run `statement` on `side` (in a thread: psycopg waits without the GIL) while the
    block runs; on leaving, wait for it, close `side` and raise its error. If the block
    fails, the statement is cancelled first, so that dropping the staging table does not
    wait for it."""
    failure: list[BaseException] = []

    def build() -> None:
        try:
            side.execute(
                "SELECT set_config('maintenance_work_mem', %s, false)",
                [settings.DATASTORE_INDEX_MEMORY],
            )
            side.execute(statement)
        except BaseException as exc:  # re-raised in the caller's thread
            failure.append(exc)

    worker = threading.Thread(target=build, name="ingest-gin", daemon=True)
    worker.start()
    try:
        yield
    except BaseException:
        with contextlib.suppress(Exception):
            side.cancel_safe()
        raise
    finally:
        worker.join()
        side.close()
    if failure:
        with connection.wrap_database_errors:
            raise failure[0]


def _drop(cursor, name: str) -> None:
    cursor.execute(
        sql.SQL("DROP TABLE IF EXISTS {}.{}").format(sql.Identifier(SCHEMA), sql.Identifier(name))
    )


def load_version(
    *,
    version: DistributionVersion,
    overrides: dict[str, str],
    now: dt.datetime,
    job: IngestJob | None = None,
    progress: Progress | None = None,
    timings: dict[str, float] | None = None,
) -> DatastoreTable:
    """Load `version` and make it live. Raises IngestError (previous table untouched).
    `timings`, when given, receives the seconds of each phase (profile_s, load_s, index_s,
    swap_s): the benchmark reads them."""
    timings = {} if timings is None else timings
    clock = time.perf_counter()
    distribution = version.distribution
    with _open(version) as fh:
        profile = profile_file(fh, version.format, encoding=version.encoding)
    types, nullable, estimated = _scan(version, profile, overrides, progress)
    columns = _columns_for(profile, types, nullable, overrides)
    if job is not None:
        IngestJob.objects.filter(pk=job.pk).update(
            rows_estimated=estimated, profile=profile.as_dict() | {"columns": columns}
        )
    suffix = secrets.token_hex(4)
    staging = f"s{distribution.pk}_{suffix}"
    live = live_table_name(distribution.pk)
    clock = _lap(timings, "profile_s", clock)
    try:
        with connection.cursor() as cursor:
            _create_staging(cursor, staging, columns)
            loaded = _copy_file(
                cursor.cursor, staging, version, profile, columns, progress, estimated
            )
            fast = loaded is not None
            if not fast:
                loaded = _copy_rows(cursor.cursor, staging, version, profile, columns, progress)
            clock = _lap(timings, "load_s", clock)
            if fast:
                fulltext.fill(cursor.cursor, staging, columns, rows=loaded)
                clock = _lap(timings, "fts_s", clock)
            _index(cursor, staging, columns, suffix)
            clock = _lap(timings, "index_s", clock)
        table = _swap(
            version=version, staging=staging, live=live, columns=columns, loaded=loaded, now=now
        )
        _lap(timings, "swap_s", clock)
        return table
    except BaseException:
        try:
            with connection.cursor() as cursor:
                _drop(cursor, staging)
        except Exception:  # an aborted outer transaction rolls the staging table back anyway
            log.warning("could not drop staging table %s", staging, exc_info=True)
        raise


def _lap(timings: dict[str, float], name: str, since: float) -> float:
    now = time.perf_counter()
    timings[name] = now - since
    return now


@transaction.atomic
def _swap(*, version, staging, live, columns, loaded, now) -> DatastoreTable:
    """Replace the live table in one transaction (a short ACCESS EXCLUSIVE lock)."""
    distribution = version.distribution
    current = DatastoreTable.objects.select_for_update().filter(distribution=distribution).first()
    if current is not None and current.version.number > version.number:
        raise Superseded("A newer version is already live.")
    with connection.cursor() as cursor:
        _drop(cursor, live)
        cursor.execute(
            sql.SQL("ALTER TABLE {}.{} RENAME TO {}").format(
                sql.Identifier(SCHEMA), sql.Identifier(staging), sql.Identifier(live)
            )
        )
    table, _ = DatastoreTable.objects.update_or_create(
        distribution=distribution,
        defaults={
            "version": version,
            "table_name": live,
            "columns": columns,
            "row_count": loaded,
            "loaded_at": now,
        },
    )
    return table
