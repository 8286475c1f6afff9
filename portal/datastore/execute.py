"""Running datastore queries: as the read-only role, under a statement timeout, with totals
that say whether they are exact, and streaming exports through a server-side cursor."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from decimal import Decimal
from operator import itemgetter
from typing import Any

from django.conf import settings
from django.db import OperationalError, connection, transaction
from psycopg import errors as pg_errors
from psycopg import sql

from portal.datastore import reader
from portal.datastore.jsonsql import records_json_sql
from portal.datastore.models import ColumnType, DatastoreTable
from portal.datastore.query import (
    QueryTimeout,
    Spec,
    aggregate_sql,
    count_sql,
    exists_sql,
    make_cursor,
    records_sql,
    suppressed_sql,
)
from portal.lookups import load_as_text, run_script

EXPORT_FORMATS = ("csv", "jsonl")
_EXPORT_BATCH = 2000


@dataclass
class Result:
    fields: list[dict[str, str]]
    records: list[Any]
    next_cursor: str | None
    total: int | None
    total_estimated: bool
    row_ids: list[int]
    suppressed_groups: int = 0


# Undoes `read_only`'s settings inside an outer transaction (also sent by `metered_call`,
# which takes that step over for `read_only(savepoint=False)`).
RESET_READ_ONLY = (
    "SELECT set_config('role', 'none', true), set_config('statement_timeout', '0', true)"
)


@contextmanager
def read_only(timeout_ms: int | None = None, *, pipeline: bool = False, savepoint: bool = True):
    """A transaction (or savepoint) running as the read-only role with a statement timeout.
    Both are undone on exit, also inside an outer transaction. `pipeline`: statements are
    sent without waiting for the previous one's answer (psycopg's pipeline mode), so BEGIN,
    the settings and the first query travel together (not for server-side cursors).
    `savepoint=False`: inside an outer atomic block, no savepoint of its own (two round trips
    fewer) — only for a caller whose outer block is rolled back whenever this one raises
    (`metered_call`'s); after an error the outer transaction cannot be used any more. The
    settings are then left in place for that caller to undo with its next statement
    (`metered_call` sends the reset in the round trip of its usage row)."""
    timeout = timeout_ms or settings.DATASTORE_STATEMENT_TIMEOUT_MS
    # One statement in (role and timeout together: `set_config('role', …)` is SET LOCAL ROLE,
    # with the same membership check); one out, and only inside an outer transaction: the
    # COMMIT of an outermost one undoes both anyway.
    outermost = not connection.in_atomic_block
    try:
        # The settings go through a cursor of their own: in pipeline mode a cursor that has
        # sent two statements may be handed the first one's result when it fetches.
        with (
            transaction.atomic(savepoint=savepoint),
            connection.cursor() as control,
            connection.cursor() as cursor,
        ):
            batch = connection.connection.pipeline() if pipeline else nullcontext()
            with batch:
                control.execute(
                    "SELECT set_config('statement_timeout', %s, true), "
                    "set_config('role', %s, true)",
                    [str(timeout), settings.DATASTORE_READ_ROLE],
                )
                yield cursor
                if not outermost and savepoint:
                    control.execute(RESET_READ_ONLY)
    except (OperationalError, pg_errors.QueryCanceled) as exc:
        raise _timeout_or(exc, timeout) from exc


def _timeout_or(exc: Exception, timeout: int) -> Exception:
    """QueryTimeout for a statement cancelled by the timeout, else the error itself."""
    cause = exc if isinstance(exc, pg_errors.QueryCanceled) else exc.__cause__
    if not isinstance(cause, pg_errors.QueryCanceled):
        return exc
    return QueryTimeout(
        f"The query was stopped after {timeout} ms. Add filters, or ask for total=estimate "
        "or total=none.",
        extra={"timeout_ms": timeout},
    )


def _total_needs_query(table: DatastoreTable, spec: Spec) -> bool:
    mode = spec.total
    if mode == "auto":
        mode = "exact" if table.row_count <= settings.DATASTORE_EXACT_TOTAL_MAX_ROWS else "estimate"
    return mode == "exact" or (mode == "estimate" and spec.where is not None)


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")  # as PostgreSQL writes it: 0.0000001, never 1E-7
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


# What `_json_value` does to a column's values, by column type (integer and text: nothing;
# numeric columns of a records page are read as PostgreSQL's text, `AS_TEXT`).
_BY_TYPE: dict[str, Any] = {
    ColumnType.DATE: dt.date.isoformat,
    ColumnType.TIMESTAMP: dt.datetime.isoformat,
}

# PostgreSQL types a records page reads as the text PostgreSQL writes instead of Python
# objects: numeric's text is `format(Decimal(text), "f")` exactly (never an exponent, the
# scale kept), so the Decimal would only be made to be written back.
AS_TEXT = ("numeric",)


def read_as_text(cursor) -> None:
    """Have `cursor` (a psycopg cursor) load the `AS_TEXT` types as str."""
    load_as_text(cursor, AS_TEXT)


def _fetch_dicts(cursor) -> list[dict[str, Any]]:
    names, rows = _fetch(cursor)
    return [dict(zip(names, row, strict=True)) for row in rows]


def _fetch(cursor) -> tuple[list[str], list[tuple]]:
    rows = cursor.fetchall()  # first: in pipeline mode the description comes with the rows
    return [d.name for d in cursor.description], rows


def _estimate(cursor, query, params) -> int:
    """The planner's row estimate of a `SELECT count(*) …`: the rows of the node under the
    aggregate (the aggregate's own estimate is its one output row). A serial plan keeps that
    node's figure the whole table's, not one parallel worker's share."""
    cursor.execute(
        "SELECT current_setting('max_parallel_workers_per_gather'), "
        "set_config('max_parallel_workers_per_gather', '0', true)"
    )
    workers = cursor.fetchone()[0]
    cursor.execute(sql.SQL("EXPLAIN (FORMAT JSON) ") + query, params)
    plan = cursor.fetchone()[0]
    cursor.execute("SELECT set_config('max_parallel_workers_per_gather', %s, true)", [workers])
    return _plan_rows(plan)


def _plan_rows(plan: Any) -> int:
    """The row estimate of the node under a count's aggregate, from EXPLAIN (FORMAT JSON)."""
    if isinstance(plan, str):
        plan = json.loads(plan)
    node = plan[0]["Plan"]
    while node.get("Node Type") == "Aggregate" and node.get("Plans"):
        node = node["Plans"][0]
    return int(node["Plan Rows"])


def _total(cursor, table: DatastoreTable, spec: Spec) -> tuple[int | None, bool]:
    mode = spec.total
    if mode == "none":
        return None, False
    if mode == "auto":
        mode = "exact" if table.row_count <= settings.DATASTORE_EXACT_TOTAL_MAX_ROWS else "estimate"
    query, params = count_sql(table, spec)
    if mode == "estimate":
        if spec.where is None:
            return table.row_count, False  # known exactly from the load
        return _estimate(cursor, query, params), True
    cursor.execute(query, params)
    return int(cursor.fetchone()[0]), False


def run(table: DatastoreTable, spec: Spec, *, savepoint: bool = True) -> Result:
    """`savepoint`: see `read_only`. Outside any atomic block the read is one script in one
    round trip (`_read_script`)."""
    if not connection.in_atomic_block:
        return _run_script(table, spec)
    with read_only(pipeline=True, savepoint=savepoint) as cursor:
        if spec.is_aggregate:
            query, params = aggregate_sql(table, spec)
            cursor.execute(query, params)
            rows = _fetch_dicts(cursor)
            suppressed = 0
            if spec.min_group_size is not None:
                cursor.execute(*suppressed_sql(table, spec))
                suppressed = int(cursor.fetchone()[0])
            return _aggregate_result(spec, rows, suppressed)
        query, params = records_sql(table, spec)
        read_as_text(cursor.cursor)
        cursor.execute(query, params)
        names, rows = _fetch(cursor)
        total, estimated = _total(cursor, table, spec)
    return _records_result(table, spec, names, rows, total, estimated)


def _run_script(table: DatastoreTable, spec: Spec) -> Result:
    if spec.is_aggregate:
        query, params = aggregate_sql(table, spec)
        suppressed = spec.min_group_size is not None
        names, rows, _, _, count = _read_script(table, spec, query, params, suppressed=suppressed)
        return _aggregate_result(spec, [dict(zip(names, r, strict=True)) for r in rows], count)
    query, params = records_sql(table, spec)
    names, rows, total, estimated, _ = _read_script(
        table, spec, query, params, total=True, as_text=AS_TEXT
    )
    return _records_result(table, spec, names, rows, total, estimated)


def _aggregate_result(spec: Spec, rows: list[dict[str, Any]], suppressed: int) -> Result:
    names = [c.id for c in spec.group_by] + [alias for _, _, alias in spec.aggregates]
    more = len(rows) > spec.limit
    rows = rows[: spec.limit]
    fields = [{"id": c.id, "label": c.label, "type": c.type} for c in spec.group_by] + [
        {"id": alias, "label": alias, "type": _aggregate_type(func, column)}
        for func, column, alias in spec.aggregates
    ]
    records = [_shape([r[n] for n in names], names, spec) for r in rows]
    # Groups page by offset; their number is only known when this page is the last.
    total = None if (more or spec.offset) else len(rows)
    return Result(fields, records, None, total, False, [], suppressed)


def _records_result(
    table: DatastoreTable,
    spec: Spec,
    names: list[str],
    rows: list[tuple],
    total: int | None,
    estimated: bool,
) -> Result:
    """A records page from the query's rows (tuples, columns `names`; numeric read as
    text, `read_as_text`)."""
    more = len(rows) > spec.limit
    rows = rows[: spec.limit]
    position = {name: i for i, name in enumerate(names)}
    next_cursor = None
    if more and rows and not spec.offset:
        next_cursor = make_cursor(spec, table, dict(zip(names, rows[-1], strict=True)))
    # The page's columns picked from each row in C, then `_json_value` by column type,
    # decided once per column instead of once per value.
    pick = _picker([position[c.column] for c in spec.fields])
    converts = [
        (i, convert)
        for i, field in enumerate(spec.fields)
        if (convert := _BY_TYPE.get(field.type)) is not None
    ]
    ids = None if spec.records_format == "lists" else [c.id for c in spec.fields]
    records: list[Any] = []
    for r in rows:
        v = list(pick(r))
        for i, convert in converts:
            if (x := v[i]) is not None:
                v[i] = convert(x)
        records.append(v if ids is None else dict(zip(ids, v, strict=False)))  # same length
    fields = [{"id": c.id, "label": c.label, "type": c.type} for c in spec.fields]
    at = position["_id"]
    return Result(fields, records, next_cursor, total, estimated, [r[at] for r in rows])


def _picker(positions: list[int]) -> Any:
    """A function of a row to the tuple of its values at `positions`."""
    if len(positions) == 1:
        (only,) = positions
        return lambda row: (row[only],)
    return itemgetter(*positions)


@dataclass
class JsonPage:
    """A page of records whose rows are JSON text made by PostgreSQL (`jsonsql`)."""

    fields: list[dict[str, str]]
    records_json: str  # the JSON array of the page's records
    count: int
    next_cursor: str | None
    total: int | None
    total_estimated: bool


def run_json(table: DatastoreTable, spec: Spec, *, savepoint: bool = True) -> JsonPage:
    """`run` of a records query (not an aggregate), the records already encoded. Outside any
    atomic block (the records endpoint's metered calls) the whole read is one script in one
    round trip (`_json_script`)."""
    assert not spec.is_aggregate
    if not connection.in_atomic_block:
        rows, total, estimated = _json_script(table, spec)
        return _json_page(table, spec, rows, total, estimated)
    with read_only(pipeline=True, savepoint=savepoint) as cursor:
        query, params = records_json_sql(table, spec)
        read_as_text(cursor.cursor)  # the sort keys of the next cursor, as `run` reads them
        cursor.execute(query, params)
        rows = cursor.fetchall()
        total, estimated = _total(cursor, table, spec)
    return _json_page(table, spec, rows, total, estimated)


def _json_script(table: DatastoreTable, spec: Spec) -> tuple[list[tuple], int | None, bool]:
    """`run_json`'s page and total in one script (`_read_script`)."""
    query, params = records_json_sql(table, spec)
    _, rows, total, estimated, _ = _read_script(
        table, spec, query, params, total=True, as_text=AS_TEXT
    )
    return rows, total, estimated


def _read_script(
    table: DatastoreTable,
    spec: Spec,
    query: sql.Composable,
    params: list[Any],
    *,
    total: bool = False,
    suppressed: bool = False,
    as_text: tuple[str, ...] = (),
) -> tuple[list[str], list[tuple], int | None, bool, int]:
    """A read in one read-only transaction sent as one script (outside any atomic block):
    BEGIN, the role and timeout, `query`, then the page's count or the plan of that count
    when `total` needs one, or the count of suppressed groups when `suppressed`, and COMMIT.
    The same statements as `read_only` + `_total`. Returns the query's column names and
    rows, the total, whether it is estimated, and the suppressed groups. `as_text`: types
    loaded as str (`read_as_text`). A read that is `query` alone (no count, no suppressed
    groups) is that statement on the reader connection (`reader.fetch`) when it is on."""
    timeout = settings.DATASTORE_STATEMENT_TIMEOUT_MS
    connection.ensure_connection()
    raw = connection.connection
    counted = total and _total_needs_query(table, spec)
    if not counted and not suppressed and reader.enabled():
        try:
            names, rows = reader.fetch(query.as_string(raw), params, as_text=as_text)
        except (OperationalError, pg_errors.QueryCanceled) as exc:
            raise _timeout_or(exc, timeout) from exc
        known = total and spec.total != "none"  # no query needed: the whole table's
        return names, rows, table.row_count if known else None, False, 0
    parts = [
        "BEGIN READ ONLY",
        "SELECT set_config('statement_timeout', %s, true), set_config('role', %s, true)",
        query.as_string(raw),
    ]
    values: list[Any] = [str(timeout), settings.DATASTORE_READ_ROLE, *params]
    mode = spec.total
    if mode == "auto":
        mode = "exact" if table.row_count <= settings.DATASTORE_EXACT_TOTAL_MAX_ROWS else "estimate"
    if counted:
        count, count_params = count_sql(table, spec)
        if mode == "estimate":
            # As `_estimate`: a serial plan, so the node's rows are the whole table's.
            parts.append("SET LOCAL max_parallel_workers_per_gather = 0")
            count = sql.SQL("EXPLAIN (FORMAT JSON) ") + count
        parts.append(count.as_string(raw))
        values += count_params
    elif suppressed:
        extra, extra_params = suppressed_sql(table, spec)
        parts.append(extra.as_string(raw))
        values += extra_params
    parts.append("COMMIT")
    wanted = [2, len(parts) - 2] if counted or suppressed else [2]
    try:
        found = run_script("; ".join(parts), values, results=wanted, names=True, as_text=as_text)
    except (OperationalError, pg_errors.QueryCanceled) as exc:
        raise _timeout_or(exc, timeout) from exc
    names, rows = found[0]
    answer = found[1][1][0][0] if len(found) > 1 else None
    if suppressed:
        return names, rows, None, False, int(answer)
    if not counted:
        if not total or mode == "none":
            return names, rows, None, False, 0
        return names, rows, table.row_count, False, 0  # the whole table: known exactly
    if mode == "estimate":
        return names, rows, _plan_rows(answer), True, 0
    return names, rows, int(answer), False, 0


def _json_page(
    table: DatastoreTable, spec: Spec, rows: list[tuple], total: int | None, estimated: bool
) -> JsonPage:
    more = len(rows) > spec.limit
    rows = rows[: spec.limit]
    next_cursor = None
    if more and rows and not spec.offset:
        last = rows[-1]
        values = zip((c.column for c, _ in spec.sort), last[2:], strict=True)
        next_cursor = make_cursor(spec, table, {"_id": last[1], **dict(values)})
    return JsonPage(
        fields=[{"id": c.id, "label": c.label, "type": c.type} for c in spec.fields],
        records_json="[" + ",".join(row[0] for row in rows) + "]",
        count=len(rows),
        next_cursor=next_cursor,
        total=total,
        total_estimated=estimated,
    )


def verify(table: DatastoreTable, spec: Spec) -> bool:
    """Whether any row matches: the only answer a verification query gives."""
    with read_only() as cursor:
        cursor.execute(*exists_sql(table, spec))
        return bool(cursor.fetchone()[0])


def _aggregate_type(func: str, column) -> str:
    if func == "count":
        return "integer"
    if func in ("sum", "avg"):
        return "numeric"  # exact: PostgreSQL sums bigints as numeric
    return column.type


def _shape(values: list[Any], names: list[str], spec: Spec) -> Any:
    values = [_json_value(v) for v in values]
    if spec.records_format == "lists":
        return values
    return dict(zip(names, values, strict=True))


# --------------------------------------------------------------------------- exports


def export(table: DatastoreTable, spec: Spec, fmt: str) -> Iterator[bytes]:
    """The whole result (no limit) as CSV or JSONL, fetched in batches from a server-side
    cursor so memory stays flat whatever the size. Runs in its own transaction for as long as
    the client reads."""
    if spec.is_aggregate:
        query, params = aggregate_sql(table, spec, paged=False)
        labels = [c.id for c in spec.group_by] + [alias for _, _, alias in spec.aggregates]
        names = labels
    else:
        query, params = records_sql(table, spec, paged=False)
        labels = [c.id for c in spec.fields]
        names = [c.column for c in spec.fields]
    if fmt == "csv":
        yield "\ufeff".encode()
        yield _csv_line(labels)
    connection.ensure_connection()
    with read_only(settings.DATASTORE_EXPORT_TIMEOUT_MS):
        raw = connection.connection
        with raw.cursor(name=f"export_{table.pk}") as cursor:
            cursor.itersize = _EXPORT_BATCH
            cursor.execute(query, params)
            columns = [d.name for d in cursor.description]
            index = [columns.index(n) for n in names]
            while True:
                batch = cursor.fetchmany(_EXPORT_BATCH)
                if not batch:
                    break
                out = io.BytesIO()
                for row in batch:
                    values = [_json_value(row[i]) for i in index]
                    if fmt == "csv":
                        out.write(_csv_line(values))
                    else:
                        out.write(
                            json.dumps(
                                dict(zip(labels, values, strict=True)), ensure_ascii=False
                            ).encode()
                            + b"\n"
                        )
                yield out.getvalue()


def _csv_line(values: list[Any]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(["" if v is None else v for v in values])
    return buffer.getvalue().encode()
