"""Usage counters: the one statement that adds a unit to several subjects' counters where
each is below its cap (see `portal.developer.access` for the limits built on it), and the
metered call's closing statement (usage row + daily counters + the dataset's call counter).

The statements are made once per shape (number of subjects, which parts) and kept as the
strings psycopg sends: they run on every API call."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from django.db import connection
from psycopg import sql

from portal.developer.models import CounterPeriod, UsageCounter
from portal.lookups import rendered
from portal.models import Dataset, UsageRecord

# For a transaction whose loss in a crash is harmless (the rate-limit window: a few
# attempts of the last fraction of a second uncounted), sent in the round trip of its first
# statement: its COMMIT then returns without waiting for the WAL flush.
_ASYNCHRONOUS_COMMIT = "SET LOCAL synchronous_commit TO off"

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
def _bump_reading_sql(subjects: int) -> str:
    return rendered(
        sql.SQL(
            "WITH bumped AS ({bump}) SELECT true, subject, used FROM bumped UNION ALL "
            "SELECT false, subject, used FROM {table} WHERE period = %s AND subject = ANY(%s) "
            "AND window_start >= %s"
        ).format(bump=_bump_composed(subjects), table=sql.Identifier(UsageCounter._meta.db_table))
    )


@cache
def _usage_sql(subjects: int, count_call: bool) -> str:
    insert = sql.SQL("INSERT INTO {} ({}) VALUES ({})").format(
        sql.Identifier(UsageRecord._meta.db_table),
        sql.SQL(", ").join(map(sql.Identifier, _USAGE_COLUMNS)),
        sql.SQL(", ").join([sql.Placeholder()] * len(_USAGE_COLUMNS)),
    )
    if not subjects:
        return rendered(insert)
    ctes = [sql.SQL("usage AS ({})").format(insert)]
    if count_call:
        ctes.append(
            sql.SQL(
                "counted AS (UPDATE {} SET api_call_count = api_call_count + 1 WHERE id = %s)"
            ).format(sql.Identifier(Dataset._meta.db_table))
        )
    return rendered(
        sql.SQL("WITH ") + sql.SQL(", ").join(ctes) + sql.SQL(" ") + _bump_composed(subjects)
    )


def _run(query: str, params: list[Any], *, first: str | None = None) -> list[tuple]:
    """Execute `query` (after `first`, in the same round trip when given); its rows."""
    with connection.cursor() as cursor:
        if first is None:
            cursor.execute(query, params)
        else:
            connection.ensure_connection()
            with connection.cursor() as before, connection.connection.pipeline():
                before.execute(first)
                cursor.execute(query, params)
        return cursor.fetchall() if cursor.description else []


def bump(pairs: list[tuple[str, int]], period: str, window_start: dt.datetime) -> dict[str, int]:
    """Add one to each subject's counter in one statement, except where it has reached its
    cap; returns the new counts of the subjects that were added to. A counter of an earlier
    window restarts at 1 (a clock behind by a little counts into the current window)."""
    return dict(_run(_bump_sql(len(pairs)), _bump_params(pairs, period, window_start)))


def bump_reading(
    pairs: list[tuple[str, int]],
    period: str,
    window_start: dt.datetime,
    *,
    read_period: str,
    read_since: dt.datetime,
    asynchronous_commit: bool = False,
) -> tuple[dict[str, int], dict[str, int]]:
    """`bump`, and in the same statement a read of the same subjects' `read_period` counters
    of the window from `read_since`: (counts added to, counts read). `asynchronous_commit`
    (inside a transaction of the caller's): its COMMIT does not wait for the disk (see
    `_ASYNCHRONOUS_COMMIT`)."""
    params = _bump_params(pairs, period, window_start)
    params += [read_period, [subject for subject, _ in pairs], read_since]
    bumped: dict[str, int] = {}
    read: dict[str, int] = {}
    first = _ASYNCHRONOUS_COMMIT if asynchronous_commit else None
    for is_bump, subject, used in _run(_bump_reading_sql(len(pairs)), params, first=first):
        (bumped if is_bump else read)[subject] = used
    return bumped, read


def record_usage(
    usage: dict[str, Any],
    *,
    pairs: list[tuple[str, int]],
    window_start: dt.datetime | None,
    count_call_of: int | None,
    reset_first: str | None = None,
) -> dict[str, int]:
    """The usage row of a call, and (when `pairs` is not empty) one unit of each subject's
    daily counter and, with `count_call_of`, of that dataset's API call counter, in one
    statement; returns the counters added to, as `bump` does. `reset_first`: a statement sent
    in the same round trip before it (the datastore's read-only settings to undo)."""
    params: list[Any] = [usage[c] for c in _USAGE_COLUMNS]
    if pairs:
        assert window_start is not None
        if count_call_of is not None:
            params.append(count_call_of)
        params += _bump_params(pairs, CounterPeriod.DAY, window_start)
    query = _usage_sql(len(pairs), count_call_of is not None)
    return dict(_run(query, params, first=reset_first))
