"""Moments in the past for the demo, counted in Chinese working days from today, so that
acceptance and review deadlines and public notices fall naturally around the day it is loaded.
"""

from __future__ import annotations

import datetime as dt
import random

from registry.workdays import SHANGHAI, add_working_days, is_workday, local_date


class Timeline:
    """The load's `now`, its random source and the working-day calendar (cached)."""

    def __init__(self, now: dt.datetime, rng: random.Random) -> None:
        self.now = now
        self.today = local_date(now)
        self.rng = rng
        self._workday: dict[dt.date, bool] = {}

    def is_workday(self, day: dt.date) -> bool:
        if day not in self._workday:
            self._workday[day] = is_workday(day)
        return self._workday[day]

    def office_hours(self, day: dt.date) -> dt.datetime:
        clock = dt.time(self.rng.randint(9, 16), self.rng.randint(0, 59))
        return dt.datetime.combine(day, clock, tzinfo=SHANGHAI)

    def workdays_ago(self, n: int) -> dt.datetime:
        """Office hours on the n-th working day before today (n >= 1)."""
        day, counted = self.today, 0
        while counted < n:
            day -= dt.timedelta(days=1)
            counted += self.is_workday(day)
        return self.office_hours(day)

    def recently(self) -> dt.datetime:
        """Earlier today if it is a working day and the office has been open a while,
        otherwise office hours on the previous working day."""
        local_now = self.now.astimezone(SHANGHAI)
        opened = dt.datetime.combine(self.today, dt.time(9, 0), tzinfo=SHANGHAI)
        if self.is_workday(self.today) and local_now - opened > dt.timedelta(hours=1):
            earliest = max(opened, local_now - dt.timedelta(hours=4))
            span = int((local_now - earliest).total_seconds() // 60) - 45
            return earliest + dt.timedelta(minutes=self.rng.randint(0, span))
        return self.workdays_ago(1)

    def days_ago(self, n: int) -> dt.datetime:
        """Office hours on the last working day at least n calendar days ago."""
        day = self.today - dt.timedelta(days=n)
        while not self.is_workday(day):
            day -= dt.timedelta(days=1)
        return self.office_hours(day)

    def clock(self, start: dt.datetime) -> Clock:
        return Clock(self, start)


class Clock:
    """A registration's own time line. Every step moves forward and stays in the past."""

    def __init__(self, timeline: Timeline, start: dt.datetime) -> None:
        self.timeline = timeline
        self.t = start
        self._check()

    def soon(self) -> dt.datetime:
        """A few minutes later (the next click in the same session)."""
        self.t += dt.timedelta(minutes=self.timeline.rng.randint(2, 9))
        return self._check()

    def after(self, workdays: int) -> dt.datetime:
        """Office hours `workdays` working days later."""
        day = add_working_days(local_date(self.t), workdays)
        self.t = self.timeline.office_hours(day)
        return self._check()

    def at(self, moment: dt.datetime) -> dt.datetime:
        if moment < self.t:
            raise ValueError(f"demo time line goes backwards: {moment} < {self.t}")
        self.t = moment
        return self._check()

    def _check(self) -> dt.datetime:
        # A recipe that runs into the future is a bug in the recipe, not something to paper
        # over: fail loudly (the whole load is one transaction).
        if self.t >= self.timeline.now:
            raise ValueError(f"demo time line reaches the future: {self.t}")
        return self.t
