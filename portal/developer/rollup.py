"""Rolling `portal.UsageRecord` up into hour and day buckets for the dashboards.

Every run recomputes whole buckets from the raw rows (delete and insert in one transaction),
never adds to them, so a run repeated, or two runs at once (serialised by an advisory lock),
give the same buckets. Each beat run covers the current hour and the
settings.DEVELOPER_ROLLUP_RECENT_HOURS before it: a row committed late (a long call, a slow
commit) still lands in its hour on a later run. Day buckets (Asia/Shanghai days) are the sums of
their hour buckets and are recomputed for every day the hours touched.

The raw scan is `at >= start AND at < end` over the usage table; only this job reads raw rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from psycopg import sql

from portal.developer.models import UsageCounter, UsageRollup, UsageRollupDay
from portal.models import UsageRecord

SHANGHAI = ZoneInfo("Asia/Shanghai")
_MEASURES = sql.SQL(", ").join(
    map(sql.Identifier, ["calls", "errors", "rows", "bytes", "duration_ms"])
)
_DIMENSIONS = sql.SQL(", ").join(
    map(sql.Identifier, ["kind", "dataset_id", "user_id", "api_key_id"])
)


@dataclass(frozen=True)
class RollupResult:
    start: dt.datetime
    end: dt.datetime
    hour_buckets: int
    day_buckets: int

    def as_dict(self) -> dict[str, object]:
        out = asdict(self)
        out["start"], out["end"] = self.start.isoformat(), self.end.isoformat()
        return out


def floor_hour(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)


def ceil_hour(moment: dt.datetime) -> dt.datetime:
    floor = floor_hour(moment)
    return floor if floor == moment else floor + dt.timedelta(hours=1)


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=SHANGHAI)


def _hours_sql() -> tuple[sql.Composed, sql.Composed]:
    names = {
        "hours": sql.Identifier(UsageRollup._meta.db_table),
        "usage": sql.Identifier(UsageRecord._meta.db_table),
        "dimensions": _DIMENSIONS,
        "measures": _MEASURES,
    }
    delete = sql.SQL("DELETE FROM {hours} WHERE hour >= %(start)s AND hour < %(end)s")
    insert = sql.SQL("""
        INSERT INTO {hours} (hour, {dimensions}, {measures})
        SELECT date_trunc('hour', at, 'UTC'), {dimensions},
               count(*), count(*) FILTER (WHERE status >= 400),
               coalesce(sum(rows), 0), coalesce(sum(bytes), 0), coalesce(sum(duration_ms), 0)
        FROM {usage}
        WHERE at >= %(start)s AND at < %(end)s
        GROUP BY 1, {dimensions}
    """)
    return delete.format(**names), insert.format(**names)


def _days_sql() -> tuple[sql.Composed, sql.Composed]:
    names = {
        "hours": sql.Identifier(UsageRollup._meta.db_table),
        "days": sql.Identifier(UsageRollupDay._meta.db_table),
        "dimensions": _DIMENSIONS,
        "measures": _MEASURES,
    }
    delete = sql.SQL("DELETE FROM {days} WHERE day >= %(first)s AND day <= %(last)s")
    insert = sql.SQL("""
        INSERT INTO {days} (day, {dimensions}, {measures})
        SELECT (hour AT TIME ZONE 'Asia/Shanghai')::date, {dimensions},
               sum(calls), sum(errors), sum(rows), sum(bytes), sum(duration_ms)
        FROM {hours}
        WHERE hour >= %(start)s AND hour < %(end)s
        GROUP BY 1, {dimensions}
    """)
    return delete.format(**names), insert.format(**names)


def rollup_range(*, start: dt.datetime, end: dt.datetime) -> RollupResult:
    """Recompute the hour buckets covering [start, end) (widened to whole hours) from the raw
    rows, then the day buckets of every local day those hours touch."""
    start, end = floor_hour(start), ceil_hour(end)
    if end <= start:
        end = start + dt.timedelta(hours=1)
    first = start.astimezone(SHANGHAI).date()
    last = (end - dt.timedelta(microseconds=1)).astimezone(SHANGHAI).date()
    day_params = {
        "first": first,
        "last": last,
        "start": _local_midnight(first),
        "end": _local_midnight(last + dt.timedelta(days=1)),
    }
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('developer.rollup'))")
        delete, insert = _hours_sql()
        cursor.execute(delete, {"start": start, "end": end})
        cursor.execute(insert, {"start": start, "end": end})
        hour_buckets = cursor.rowcount
        delete, insert = _days_sql()
        cursor.execute(delete, day_params)
        cursor.execute(insert, day_params)
        day_buckets = cursor.rowcount
    return RollupResult(start, end, hour_buckets, day_buckets)


def rollup_recent(*, now: dt.datetime, hours: int | None = None) -> RollupResult:
    """The beat job: the current hour and the `hours` (default
    settings.DEVELOPER_ROLLUP_RECENT_HOURS) complete hours before it."""
    hours = hours or settings.DEVELOPER_ROLLUP_RECENT_HOURS
    current = floor_hour(now)
    return rollup_range(
        start=current - dt.timedelta(hours=hours), end=current + dt.timedelta(hours=1)
    )


def counters_prune(*, now: dt.datetime) -> int:
    """Delete counter rows whose window ended long ago (idle keys and addresses); a subject
    seen again starts a fresh row at zero, which is what its old row would restart at."""
    cutoff = now - dt.timedelta(days=settings.DEVELOPER_COUNTER_RETENTION_DAYS)
    deleted, _ = UsageCounter.objects.filter(window_start__lt=cutoff).delete()
    return deleted
