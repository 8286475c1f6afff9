"""Usage counters: the statements that add a unit to several subjects' counters where each is
below its cap (see `portal.developer.access` for the limits built on them), and the metered
call's closing statement (usage row + daily counters + the dataset's call counter).

The statements are made once per shape (number of subjects, which parts) and kept as the
strings psycopg sends: they run on every API call."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

import psycopg
from django.db import connection
from psycopg import sql

from portal.developer.models import ApiKey, CounterPeriod, UsageCounter
from portal.lookups import rendered
from portal.models import Dataset, UsageRecord

# For a transaction whose loss in a crash is harmless (the rate-limit window: a few
# attempts of the last fraction of a second uncounted), sent in the round trip of its first
# statement: its COMMIT then returns without waiting for the WAL flush.
_ASYNCHRONOUS_COMMIT = "SET LOCAL synchronous_commit TO off"
# The same inside a single statement run in autocommit (its own implicit transaction): the
# setting is local to that transaction and still in force when it commits, right after the
# statement; the session's setting is untouched. No BEGIN/COMMIT around the statement, so it
# can be one prepared statement with its values bound on the server.
_ASYNCHRONOUS_HERE = "set_config('synchronous_commit', 'off', true)"

_BUMP_SQL = sql.SQL("""
INSERT INTO {table} AS c (subject, period, window_start, used, cap)
VALUES {values}
ON CONFLICT (subject, period) DO UPDATE SET
    used = CASE WHEN EXCLUDED.window_start > c.window_start THEN 1 ELSE c.used + 1 END,
    window_start = GREATEST(c.window_start, EXCLUDED.window_start),
    cap = EXCLUDED.cap
WHERE EXCLUDED.window_start > c.window_start OR c.used < EXCLUDED.cap
RETURNING subject, used
""")

_USAGE_COLUMNS = (
    "request_id",
    "kind",
    "dataset_id",
    "version_id",
    "user_id",
    "api_key_id",
    "status",
    "bytes",
    "rows",
    "duration_ms",
    "client_ip",
    "at",
)


def _bump_composed(subjects: int) -> sql.Composed:
    values = sql.SQL(", ").join([sql.SQL("(%s, %s, %s, 1, %s)")] * subjects)
    return _BUMP_SQL.format(table=sql.Identifier(UsageCounter._meta.db_table), values=values)


def _bump_params(pairs: list[tuple[str, int]], period: str, window_start: dt.datetime):
    params: list[Any] = []
    for subject, cap in pairs:
        params += [subject, period, window_start, cap]
    return params


@cache
def _bump_sql(subjects: int) -> str:
    return rendered(_bump_composed(subjects))


@cache
def _usage_sql() -> str:
    return rendered(
        sql.SQL("INSERT INTO {} ({}) VALUES ({})").format(
            sql.Identifier(UsageRecord._meta.db_table),
            sql.SQL(", ").join(map(sql.Identifier, _USAGE_COLUMNS)),
            sql.SQL(", ").join([sql.Placeholder()] * len(_USAGE_COLUMNS)),
        )
    )


def _cursor() -> psycopg.Cursor:
    """A server-side-binding cursor on Django's connection: these statements run on every API
    call and are prepared once per connection (DATABASES OPTIONS prepare_threshold)."""
    connection.ensure_connection()
    return psycopg.Cursor(connection.connection)


def _run(query: str, params: list[Any], *, first: str | None = None) -> list[tuple]:
    """Execute `query` (after `first`, in the same round trip when given); its rows."""
    with connection.wrap_database_errors, _cursor() as cursor:
        if first is None:
            cursor.execute(query, params, prepare=True)
        else:
            with _cursor() as before, connection.connection.pipeline():
                before.execute(first)
                cursor.execute(query, params, prepare=True)
        return cursor.fetchall() if cursor.description else []


def bump(pairs: list[tuple[str, int]], period: str, window_start: dt.datetime) -> dict[str, int]:
    """Add one to each subject's counter in one statement, except where it has reached its
    cap; returns the new counts of the subjects that were added to. A counter of an earlier
    window restarts at 1 (a clock behind by a little counts into the current window)."""
    return dict(_run(_bump_sql(len(pairs)), _bump_params(pairs, period, window_start)))


_TAKE = sql.SQL("developer_take_units(%s::varchar[], %s::integer[], %s, %s)")


@cache
def _take_reading_sql(asynchronous: bool = False) -> str:
    """`asynchronous`: a third branch, one row (NULL, 'off', NULL), sets this transaction's
    commit asynchronous (`_ASYNCHRONOUS_HERE`)."""
    query = sql.SQL(
        "SELECT true, taken_subject, taken_used FROM {take} UNION ALL "
        "SELECT false, subject, used FROM {table} WHERE period = %s "
        "AND subject = ANY(%s::varchar[]) AND window_start >= %s"
    ).format(take=_TAKE, table=sql.Identifier(UsageCounter._meta.db_table))
    if asynchronous:
        query += sql.SQL(" UNION ALL SELECT NULL, " + _ASYNCHRONOUS_HERE + ", NULL")
    return rendered(query)


def take_reading(
    pairs: list[tuple[str, int]],
    period: str,
    window_start: dt.datetime,
    *,
    read_period: str,
    read_since: dt.datetime,
) -> tuple[dict[str, int], dict[str, int]]:
    """One unit of every subject's counter, all or none (`developer_take_units`), and in the
    same statement a read of the same subjects' `read_period` counters of the window from
    `read_since`: (counts added to, counts read); fewer counts added to than subjects means
    refused, and nothing was taken.

    Outside any atomic block the statement is a transaction of its own (autocommit),
    prepared, and committed asynchronously (`_ASYNCHRONOUS_HERE`); inside one (a caller's
    transaction, a test's) it runs there."""
    subjects = [subject for subject, _ in pairs]
    params = [subjects, [cap for _, cap in pairs], period, window_start]
    params += [read_period, subjects, read_since]
    rows = _run(_take_reading_sql(not connection.in_atomic_block), params)
    bumped: dict[str, int] = {}
    read: dict[str, int] = {}
    for is_bump, subject, used in rows:
        if is_bump is not None:  # not the row of the commit setting
            (bumped if is_bump else read)[subject] = used
    return bumped, read


def _cast(model, column: str) -> str:
    field = next(f for f in model._meta.concrete_fields if f.column == column)
    return f"%s::{field.db_type(connection)}"


@cache
def _record_call_sql(touch: bool, asynchronous: bool = False) -> str:
    """The usage row of a served API call, one unit of each subject's daily counter (all or
    none) and the dataset's call counter, with the key's last use when `touch`; the rows and
    counters are written only when every unit was taken. `asynchronous`: the statement's own
    transaction commits asynchronously (`_ASYNCHRONOUS_HERE`; autocommit only)."""
    table = sql.Identifier(UsageRecord._meta.db_table)
    values = sql.SQL(", ").join(sql.SQL(_cast(UsageRecord, c)) for c in _USAGE_COLUMNS)
    ok = "SELECT count(*) = %s AS yes" + (", " + _ASYNCHRONOUS_HERE if asynchronous else "")
    ctes = [
        sql.SQL("b AS (SELECT taken_subject, taken_used FROM {})").format(_TAKE),
        # `ok` is one row whatever `b` holds, and every write reads it: the commit setting
        # (when `asynchronous`) is always made.
        sql.SQL("ok AS (" + ok + " FROM b)"),
        sql.SQL("usage AS (INSERT INTO {} ({}) SELECT {} FROM ok WHERE ok.yes)").format(
            table, sql.SQL(", ").join(map(sql.Identifier, _USAGE_COLUMNS)), values
        ),
        sql.SQL(
            "counted AS (UPDATE {} SET api_call_count = api_call_count + 1 FROM ok "
            "WHERE ok.yes AND id = %s)"
        ).format(sql.Identifier(Dataset._meta.db_table)),
    ]
    if touch:
        ctes.append(
            sql.SQL(
                "touched AS (UPDATE {} SET last_used_at = %s FROM ok WHERE ok.yes AND id = %s "
                "AND (last_used_at IS NULL OR last_used_at <= %s))"
            ).format(sql.Identifier(ApiKey._meta.db_table))
        )
    query = sql.SQL("WITH ") + sql.SQL(", ").join(ctes)
    return rendered(query + sql.SQL(" SELECT taken_subject, taken_used FROM b"))


def record_call(
    usage: dict[str, Any],
    *,
    pairs: list[tuple[str, int]],
    window_start: dt.datetime,
    dataset_id: int,
    touch: tuple[int, dt.datetime] | None,
    reset_first: str | None = None,
    durable: bool = True,
    own_transaction: bool = False,
) -> dict[str, int]:
    """A served API call's writes in one statement (`_record_call_sql`); returns the daily
    counters added to (fewer than `pairs`: refused, nothing written). `touch`: (key id,
    cutoff), the key's last use is set when older than the cutoff. In the caller's
    transaction, `reset_first` is sent before it in the same round trip. The statement
    writes nothing unless every unit was taken, so a COMMIT sent with it needs no look at
    the answer. `durable=False`: the transaction's
    COMMIT does not wait for the disk (`_ASYNCHRONOUS_COMMIT`; see the setting
    DEVELOPER_USAGE_DURABLE_COMMIT). `own_transaction` (outside any atomic block): the
    statement alone, its own transaction in autocommit (prepared, values bound on the
    server), nothing to reset."""
    params: list[Any] = [
        [subject for subject, _ in pairs],
        [cap for _, cap in pairs],
        CounterPeriod.DAY,
        window_start,
        len(pairs),
        *(usage[c] for c in _USAGE_COLUMNS),
        dataset_id,
    ]
    if touch is not None:
        params += [usage["at"], touch[0], touch[1]]
    if own_transaction:
        if connection.in_atomic_block:
            raise RuntimeError("own_transaction: not inside an atomic block")
        return dict(_run(_record_call_sql(touch is not None, not durable), params))
    with connection.wrap_database_errors, _cursor() as cursor, _cursor() as control:
        with connection.connection.pipeline():
            if not durable:
                control.execute(_ASYNCHRONOUS_COMMIT)
            if reset_first:
                control.execute(reset_first)
            cursor.execute(_record_call_sql(touch is not None), params, prepare=True)
        return dict(cursor.fetchall())


def record_usage(usage: dict[str, Any], *, reset_first: str | None = None) -> None:
    """The usage row of a call and nothing else (a refused or failed call, a download)."""
    _run(_usage_sql(), [usage[c] for c in _USAGE_COLUMNS], first=reset_first)
