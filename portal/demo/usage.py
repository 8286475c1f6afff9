"""Downloads for the demo: metered through `download_record`, spread over the last six weeks,
more for popular datasets. Unconditional data is mostly downloaded anonymously; conditional data
only by the holder's own staff (the only people who may download it before grants exist).
Client addresses come from the documentation ranges (RFC 5737), never real ones."""

from __future__ import annotations

import datetime as dt
import random
import uuid

from portal import services
from portal.models import Dataset, DistributionVersion
from registry.models import OpenCategory

WINDOW = dt.timedelta(days=42)
# Downloads per dataset by popularity (0..5): (fewest, most).
COUNTS = {0: (0, 1), 1: (1, 4), 2: (3, 8), 3: (6, 13), 4: (10, 20), 5: (16, 32)}
DOC_NETWORKS = ("192.0.2.", "198.51.100.", "203.0.113.")


def record_downloads(
    *,
    dataset: Dataset,
    versions: list[list[DistributionVersion]],
    popularity: int,
    staff,
    citizen,
    until: dt.datetime,
    now: dt.datetime,
    rng: random.Random,
) -> int:
    """Download events for one dataset before `until`; returns how many were recorded.
    `versions` lists each distribution's versions, oldest first."""
    low, high = COUNTS[popularity]
    count = rng.randint(low, high)
    conditional = dataset.open_category == OpenCategory.CONDITIONAL
    if conditional:
        count = min(count, 3)
    weights = [3.0 if i == 0 else 1.0 for i in range(len(versions))]
    done = 0
    for _ in range(count):
        history = rng.choices(versions, weights=weights)[0]
        start = max(history[0].uploaded_at, now - WINDOW) + dt.timedelta(minutes=5)
        end = min(until, now) - dt.timedelta(minutes=2)
        if end <= start:
            continue
        moment = start + (end - start) * rng.random()
        version = [v for v in history if v.uploaded_at <= moment][-1]
        user = staff if conditional else (citizen if rng.random() < 0.15 else None)
        services.download_record(
            version=version,
            user=user,
            status=200,
            bytes_sent=version.size,
            client_ip=f"{rng.choice(DOC_NETWORKS)}{rng.randint(1, 254)}",
            request_id=uuid.UUID(int=rng.getrandbits(128), version=4),
            now=moment,
        )
        done += 1
    return done
