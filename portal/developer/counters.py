"""Usage counters: the one statement that adds a unit to several subjects' counters where
each is below its cap (see `portal.developer.access` for the limits built on it)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from psycopg import sql

from portal.developer.models import CounterPeriod, UsageCounter
from portal.models import Dataset

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


def _bump_sql(pairs: list[tuple[str, int]], period: str, window_start: dt.datetime):
    values = sql.SQL(", ").join([sql.SQL("(%s, %s, %s, 1, %s)")] * len(pairs))
    params: list[Any] = []
    for subject, cap in pairs:
        params += [subject, period, window_start, cap]
    query = _BUMP_SQL.format(table=sql.Identifier(UsageCounter._meta.db_table), values=values)
    return query, params


def bump(pairs: list[tuple[str, int]], period: str, window_start: dt.datetime) -> dict[str, int]:
    """Add one to each subject's counter in one statement, except where it has reached its
    cap; returns the new counts of the subjects that were added to. A counter of an earlier
    window restarts at 1 (a clock behind by a little counts into the current window)."""
    query, params = _bump_sql(pairs, period, window_start)
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return dict(cursor.fetchall())


def bump_counting_call(
    pairs: list[tuple[str, int]], window_start: dt.datetime, dataset_id: int
) -> dict[str, int]:
    """`bump` of the daily counters and the dataset's API call counter in one statement (the
    hot path makes one round trip of what were two)."""
    query, params = _bump_sql(pairs, CounterPeriod.DAY, window_start)
    counted = sql.SQL(
        "WITH counted AS (UPDATE {} SET api_call_count = api_call_count + 1 WHERE id = %s) "
    ).format(sql.Identifier(Dataset._meta.db_table))
    with connection.cursor() as cursor:
        cursor.execute(counted + query, [dataset_id, *params])
        return dict(cursor.fetchall())


def bump_reading(
    pairs: list[tuple[str, int]],
    period: str,
    window_start: dt.datetime,
    *,
    read_period: str,
    read_since: dt.datetime,
) -> tuple[dict[str, int], dict[str, int]]:
    """`bump`, and in the same statement a read of the same subjects' `read_period` counters
    of the window from `read_since`: (counts added to, counts read)."""
    query, params = _bump_sql(pairs, period, window_start)
    query = sql.SQL(
        "WITH bumped AS ({bump}) SELECT true, subject, used FROM bumped UNION ALL "
        "SELECT false, subject, used FROM {table} WHERE period = %s AND subject = ANY(%s) "
        "AND window_start >= %s"
    ).format(bump=query, table=sql.Identifier(UsageCounter._meta.db_table))
    params += [read_period, [subject for subject, _ in pairs], read_since]
    bumped: dict[str, int] = {}
    read: dict[str, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        for is_bump, subject, used in cursor.fetchall():
            (bumped if is_bump else read)[subject] = used
    return bumped, read
