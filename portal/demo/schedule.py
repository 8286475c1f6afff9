"""When each demo dataset was published, when each of its files was uploaded, and when it was
withdrawn: moments in the past relative to the load's `now`, so that timeliness makes sense
whenever the demo is loaded.

A dataset is published (at office hours) some time after its registry record was coded and
not before 2025. Its files' last uploads fall within the promised update period before `now`
(on time), or well beyond it plus the grace days (overdue). A file with a history gets its
first version when the dataset is published and later ones one period apart, ending at the
last upload.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.conf import settings

from portal.demo.spec import DatasetSpec
from registry.models import UpdateFrequency
from registry.workdays import SHANGHAI

F = UpdateFrequency
PERIOD_DAYS = {
    F.REAL_TIME: 1.0,
    F.DAILY: 1.0,
    F.WEEKLY: 7.0,
    F.MONTHLY: 30.4,
    F.QUARTERLY: 91.3,
    F.HALF_YEARLY: 182.6,
    F.YEARLY: 365.25,
}
EARLIEST = dt.datetime(2025, 1, 6, 9, 30, tzinfo=SHANGHAI)  # the portal opened in 2025


@dataclass
class Plan:
    publish: dt.datetime
    uploads: list[list[dt.datetime]]  # per file, oldest first
    withdraw: dt.datetime | None


def office_hours(moment: dt.datetime, rng: random.Random) -> dt.datetime:
    local = moment.astimezone(SHANGHAI)
    return local.replace(
        hour=rng.randint(9, 16), minute=rng.randint(0, 59), second=0, microsecond=0
    )


def plan(
    spec: DatasetSpec, *, frequency: str, ready: dt.datetime, now: dt.datetime, rng: random.Random
) -> Plan:
    period = PERIOD_DAYS.get(frequency)
    grace = settings.PORTAL_TIMELINESS_GRACE_DAYS
    lower = max(ready + dt.timedelta(days=rng.uniform(1, 6)), EARLIEST)
    last = _last_upload(spec, period, grace, now, rng)
    series = any(not f.static and f.versions > 1 for f in spec.files)
    upper = min(last or now, now) - dt.timedelta(days=2 if last is None else 0)
    if series or last is None:
        publish = lower + (upper - lower) * rng.random() if upper > lower else lower
        candidate = office_hours(publish, rng)
        publish = candidate if lower <= candidate <= upper else publish
    else:
        # Without a file history the only upload is the publication itself.
        publish = max(last, lower) if last else lower
    publish = min(publish, now - dt.timedelta(hours=1))
    if last is None:  # irregular: later versions whenever the holder had news
        last = publish + (now - dt.timedelta(days=2) - publish) * rng.uniform(0.3, 1.0)
    last = max(last, publish + dt.timedelta(minutes=30))
    uploads = [
        _file_times(f.versions, f.static, publish, last, period, index)
        for index, f in enumerate(spec.files)
    ]
    withdraw = None
    if spec.withdrawn:
        latest = max(max(times) for times in uploads)
        withdraw = min(now - dt.timedelta(hours=2), latest + dt.timedelta(days=rng.uniform(2, 30)))
    return Plan(publish=publish, uploads=uploads, withdraw=withdraw)


def _last_upload(
    spec: DatasetSpec, period: float | None, grace: int, now: dt.datetime, rng: random.Random
):
    if period is None:
        return None
    if spec.overdue:
        late = period + grace + max(2.0, period * rng.uniform(0.3, 1.0))
        return now - dt.timedelta(days=late)
    # On time: a fraction of a period ago (daily data: a few hours ago).
    return now - dt.timedelta(days=period * rng.uniform(0.05, 0.6))


def _file_times(
    versions: int,
    static: bool,
    publish: dt.datetime,
    last: dt.datetime,
    period: float | None,
    index: int,
) -> list[dt.datetime]:
    offset = dt.timedelta(minutes=3 + 4 * index)
    first = publish + offset
    if static or versions <= 1 or last - publish < dt.timedelta(hours=6):
        return [first]
    if period is None:  # irregular: evenly between publication and the last update
        step = (last - publish) / (versions - 1)
        later = [publish + step * k for k in range(1, versions)]
    else:
        later = [last - dt.timedelta(days=period * k) for k in reversed(range(versions - 1))]
    return [first] + [t + offset for t in later if t > first + dt.timedelta(hours=1)]
