"""Timeliness (更新及时性): is a dataset updated as often as its holder promised?

    update_due_at = data_updated_at + period(update_frequency) + grace
    (no file yet: published_at + period + grace; irregular: None, no promise to keep)

Periods: realtime and daily 1 day, weekly 7 days, monthly 1 month, quarterly 3 months,
half-yearly 6 months, yearly 12 months. Months are calendar months in Asia/Shanghai (31 January
+ 1 month = 28/29 February, same wall-clock time). The grace is
`settings.PORTAL_TIMELINESS_GRACE_DAYS` days. A dataset is overdue when update_due_at < now.
The value is stored on the dataset by the publishing services, so public lists filter and sort
on an indexed column.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from portal.models import Dataset, DatasetStatus
from registry.models import UpdateFrequency

F = UpdateFrequency
_DAYS = {F.REAL_TIME: 1, F.DAILY: 1, F.WEEKLY: 7}
_MONTHS = {F.MONTHLY: 1, F.QUARTERLY: 3, F.HALF_YEARLY: 6, F.YEARLY: 12}


def add_months(moment: dt.datetime, months: int) -> dt.datetime:
    """`moment` plus calendar months in local (Shanghai) time, the day clamped to the month."""
    local = timezone.localtime(moment)
    index = local.month - 1 + months
    year, month = local.year + index // 12, index % 12 + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day)


def next_due(frequency: str, since: dt.datetime) -> dt.datetime | None:
    """`since` plus the promised period (no grace); None for irregular or unknown frequencies."""
    if frequency in _DAYS:
        return since + dt.timedelta(days=_DAYS[frequency])
    if frequency in _MONTHS:
        return add_months(since, _MONTHS[frequency])
    return None


def update_due_at(
    *, frequency: str, data_updated_at: dt.datetime | None, published_at: dt.datetime
) -> dt.datetime | None:
    due = next_due(frequency, data_updated_at or published_at)
    if due is None:
        return None
    return due + dt.timedelta(days=settings.PORTAL_TIMELINESS_GRACE_DAYS)


def due_for(dataset: Dataset) -> dt.datetime | None:
    return update_due_at(
        frequency=dataset.update_frequency,
        data_updated_at=dataset.data_updated_at,
        published_at=dataset.published_at,
    )


def is_overdue(dataset: Dataset, now: dt.datetime) -> bool:
    return (
        dataset.status == DatasetStatus.PUBLISHED
        and dataset.update_due_at is not None
        and dataset.update_due_at < now
    )


@dataclass(frozen=True)
class Timeliness:
    """What the dashboard shows: state is `overdue`, `on_time`, `no_promise` (irregular) or
    `withdrawn`; `days` is whole days overdue, or left until due."""

    state: str
    due_at: dt.datetime | None
    days: int | None


def timeliness_of(dataset: Dataset, now: dt.datetime) -> Timeliness:
    due = dataset.update_due_at
    if dataset.status != DatasetStatus.PUBLISHED:
        return Timeliness("withdrawn", due, None)
    if due is None:
        return Timeliness("no_promise", None, None)
    if due < now:
        return Timeliness("overdue", due, (now - due).days)
    return Timeliness("on_time", due, (due - now).days)
