"""Chinese working days: weekends and official holidays off, make-up weekends (调休) on.

The calendar comes from the maintained `chinesecalendar` package; `WorkdayOverride` rows win
over it (a new year's schedule published before the package is updated, or a local holiday).
Outside the package's range, plain Monday-to-Friday applies unless overridden.

Deadlines are counted in the Asia/Shanghai calendar: a period of N working days starting at a
moment ends at 23:59:59.999999 local time on the Nth working day *after* that moment's date.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import chinese_calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _overrides(start: dt.date, end: dt.date) -> dict[dt.date, bool]:
    from registry.models import WorkdayOverride

    return dict(
        WorkdayOverride.objects.filter(date__range=(start, end)).values_list("date", "is_workday")
    )


def _calendar_workday(day: dt.date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5


def is_workday(day: dt.date) -> bool:
    override = _overrides(day, day).get(day)
    return _calendar_workday(day) if override is None else override


def local_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(SHANGHAI).date()


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date of the `days`-th working day after `start` (start itself not counted)."""
    if days < 1:
        raise ValueError("days must be >= 1")
    # Generous window: even Golden Week plus weekends cannot make 1 working day take 20 days.
    overrides = _overrides(start, start + dt.timedelta(days=days * 3 + 30))
    day, counted = start, 0
    while counted < days:
        day += dt.timedelta(days=1)
        override = overrides.get(day)
        if _calendar_workday(day) if override is None else override:
            counted += 1
    return day


def deadline_after(moment: dt.datetime, days: int) -> dt.datetime:
    """End of the `days`-th working day after `moment`, as an aware datetime."""
    end_date = add_working_days(local_date(moment), days)
    return dt.datetime.combine(end_date, dt.time.max, tzinfo=SHANGHAI)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days in (start, end]; negative if end is before start."""
    if end < start:
        return -working_days_between(end, start)
    overrides = _overrides(start, end)
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        override = overrides.get(day)
        if _calendar_workday(day) if override is None else override:
            count += 1
    return count
