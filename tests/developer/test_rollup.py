"""Rollups: raw usage rows → hour buckets (UTC) → day buckets (Beijing days); recomputed, so a
rerun changes nothing and a row committed late inside the window is counted."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from portal.developer import tasks
from portal.developer.models import UsageRollup, UsageRollupDay
from portal.developer.rollup import rollup_range, rollup_recent
from portal.models import UsageKind
from tests.developer.conftest import make_key, usage_row, utc


def hours():
    return {
        (r.hour, r.kind, r.user_id, r.api_key_id): (r.calls, r.errors, r.rows, r.bytes)
        for r in UsageRollup.objects.all()
    }


def days():
    return {
        (r.day, r.kind, r.user_id): (r.calls, r.errors, r.rows, r.bytes)
        for r in UsageRollupDay.objects.all()
    }


def test_raw_rows_roll_up_into_hour_and_day_buckets(developer, dataset):
    key, _ = make_key(developer)
    usage_row(dataset, at=utc(2026, 5, 1, 2, 5), user=developer, key=key, rows=10, size=100)
    usage_row(dataset, at=utc(2026, 5, 1, 2, 55), user=developer, key=key, rows=5, size=50)
    usage_row(
        dataset, at=utc(2026, 5, 1, 2, 59), user=developer, key=key, status=429, rows=0, size=0
    )
    usage_row(dataset, at=utc(2026, 5, 1, 3, 1), user=developer, key=key, rows=1, size=10)
    usage_row(dataset, at=utc(2026, 5, 1, 3, 30), kind=UsageKind.DOWNLOAD, size=7000)

    result = rollup_range(start=utc(2026, 5, 1, 0), end=utc(2026, 5, 1, 6))

    assert hours() == {
        (utc(2026, 5, 1, 2), "api_call", developer.pk, key.pk): (3, 1, 15, 150),
        (utc(2026, 5, 1, 3), "api_call", developer.pk, key.pk): (1, 0, 1, 10),
        (utc(2026, 5, 1, 3), "download", None, None): (1, 0, 0, 7000),
    }
    assert days() == {
        (dt.date(2026, 5, 1), "api_call", developer.pk): (4, 1, 16, 160),
        (dt.date(2026, 5, 1), "download", None): (1, 0, 0, 7000),
    }
    assert (result.hour_buckets, result.day_buckets) == (3, 2)


def test_days_are_beijing_days(dataset):
    usage_row(dataset, at=utc(2026, 5, 1, 15, 30))  # 23:30 on 1 May in Beijing
    usage_row(dataset, at=utc(2026, 5, 1, 16, 30))  # 00:30 on 2 May in Beijing

    rollup_range(start=utc(2026, 5, 1, 12), end=utc(2026, 5, 1, 20))

    assert days() == {
        (dt.date(2026, 5, 1), "api_call", None): (1, 0, 10, 1000),
        (dt.date(2026, 5, 2), "api_call", None): (1, 0, 10, 1000),
    }


def test_a_rerun_changes_nothing(developer, dataset):
    for minute in range(0, 60, 7):
        usage_row(dataset, at=utc(2026, 5, 1, 9, minute), user=developer)
    rollup_range(start=utc(2026, 5, 1, 8), end=utc(2026, 5, 1, 11))
    before_hours, before_days = hours(), days()

    rollup_range(start=utc(2026, 5, 1, 8), end=utc(2026, 5, 1, 11))
    rollup_recent(now=utc(2026, 5, 1, 10, 30))

    assert hours() == before_hours
    assert days() == before_days
    assert UsageRollup.objects.count() == 1


def test_a_row_committed_late_inside_the_window_is_counted_on_the_next_run(dataset):
    usage_row(dataset, at=utc(2026, 5, 1, 9, 50))
    rollup_recent(now=utc(2026, 5, 1, 10, 0))

    usage_row(dataset, at=utc(2026, 5, 1, 9, 59))  # a call that started earlier, committed now
    rollup_recent(now=utc(2026, 5, 1, 10, 5))

    assert UsageRollup.objects.get(hour=utc(2026, 5, 1, 9)).calls == 2
    assert UsageRollupDay.objects.get(day=dt.date(2026, 5, 1)).calls == 2


def test_the_recent_window_leaves_older_buckets_alone(dataset):
    usage_row(dataset, at=utc(2026, 5, 1, 1, 0))
    rollup_range(start=utc(2026, 5, 1, 0), end=utc(2026, 5, 1, 2))
    usage_row(dataset, at=utc(2026, 5, 1, 8, 0))

    result = rollup_recent(now=utc(2026, 5, 1, 8, 10), hours=3)

    assert (result.start, result.end) == (utc(2026, 5, 1, 5), utc(2026, 5, 1, 9))
    assert set(UsageRollup.objects.values_list("hour", flat=True)) == {
        utc(2026, 5, 1, 1),
        utc(2026, 5, 1, 8),
    }
    # The day is the sum of all its hours, old and recomputed.
    assert UsageRollupDay.objects.get(day=dt.date(2026, 5, 1)).calls == 2


def test_a_bucket_whose_rows_are_gone_is_removed(dataset):
    row = usage_row(dataset, at=utc(2026, 5, 1, 9, 0))
    rollup_range(start=utc(2026, 5, 1, 9), end=utc(2026, 5, 1, 10))
    type(row).objects.filter(pk=row.pk).update(at=utc(2026, 5, 1, 11, 0))  # e.g. a restore

    rollup_range(start=utc(2026, 5, 1, 9), end=utc(2026, 5, 1, 12))

    assert list(UsageRollup.objects.values_list("hour", flat=True)) == [utc(2026, 5, 1, 11)]


def test_the_beat_task_rolls_up_the_recent_hours(dataset):
    from django.utils import timezone

    usage_row(dataset, at=timezone.now())

    result = tasks.rollup_usage()

    assert result["hour_buckets"] == 1
    assert UsageRollupDay.objects.get().calls == 1


def test_the_backfill_command_covers_whole_days(dataset):
    usage_row(dataset, at=utc(2026, 4, 30, 17, 0))  # 1 May, 01:00 in Beijing
    out = io.StringIO()

    call_command("rollup_usage", "--from", "2026-05-01", "--to", "2026-05-02", stdout=out)

    assert UsageRollupDay.objects.get().day == dt.date(2026, 5, 1)
    assert "2026-05-01: 1 hour buckets" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("rollup_usage", "--from", "2026-05-02", "--to", "2026-05-01")
    with pytest.raises(CommandError):
        call_command("rollup_usage", "--from", "May", "--to", "2026-05-01")


def test_idle_counters_are_pruned(developer, dataset, settings):
    from django.utils import timezone

    from portal.developer.access import metered_call
    from portal.developer.models import UsageCounter
    from portal.developer.rollup import counters_prune
    from tests.developer.conftest import api_request

    with metered_call(request=api_request(), key=None, user=None, dataset=dataset):
        pass
    assert UsageCounter.objects.count() == 2  # the minute window and the day quota

    assert counters_prune(now=timezone.now()) == 0
    later = timezone.now() + dt.timedelta(days=settings.DEVELOPER_COUNTER_RETENTION_DAYS + 1)
    assert counters_prune(now=later) == 2
