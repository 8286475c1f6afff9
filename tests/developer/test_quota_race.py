"""The quota under concurrency, on real transactions: N calls racing for k units left →
exactly k are served, exactly k usage rows, and the counter stops at the limit."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.db import connections
from django.utils import timezone

from portal.developer.access import QuotaExceeded, RateLimited, metered_call
from portal.developer.models import UsageCounter
from portal.models import Dataset, UsageRecord
from tests.conftest import World
from tests.developer.conftest import api_request, make_key, set_plan
from tests.portal.factories import make_dataset

THREADS = 12
LIMIT = 8
USED_BEFORE = 3  # k = LIMIT - USED_BEFORE = 5 units left


def race(calls) -> list[object]:
    """Run the calls in threads: all start together, and all are inside their metered block
    at the same moment (the inner barrier), so every one of them passed the pre-check and
    they collide on the decrement itself."""
    start = threading.Barrier(len(calls))
    inside = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def worker(i, call):
        try:
            start.wait(timeout=30)
            results[i] = call(inside)
        except BaseException as exc:  # reported to the test, not swallowed
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def _metered(key, user, dataset, ip):
    def call(inside: threading.Barrier) -> str:
        with metered_call(request=api_request(ip=ip), key=key, user=user, dataset=dataset) as meter:
            inside.wait(timeout=30)
            meter.rows = 1
        return "served"

    return call


@pytest.mark.parametrize("anonymous", [False, True], ids=["key", "anonymous"])
def test_n_parallel_calls_with_k_units_left_serve_exactly_k(
    reference_data_restored, transactional_db, anonymous
):
    world = World()
    dataset = make_dataset(world, title="并发配额测试")
    if anonymous:
        set_plan("anonymous", rate_per_minute=1000, quota_per_day=LIMIT)
        key, user, subject = None, None, "ip:198.51.100.77"
    else:
        set_plan("standard", rate_per_minute=1000, quota_per_day=LIMIT)
        key, _ = make_key(world.citizen)
        user, subject = world.citizen, f"key:{key.family.hex}"
    call = _metered(key, user, dataset, "198.51.100.77")
    for _ in range(USED_BEFORE):
        call(threading.Barrier(1))

    results = race([call] * THREADS)

    served = [r for r in results if r == "served"]
    refused = [r for r in results if isinstance(r, QuotaExceeded)]
    assert not [r for r in results if r != "served" and not isinstance(r, QuotaExceeded)], results
    assert len(served) == LIMIT - USED_BEFORE
    assert len(refused) == THREADS - len(served)
    assert UsageRecord.objects.count() == LIMIT
    assert UsageCounter.objects.get(subject=subject, period="day").used == LIMIT
    assert Dataset.objects.get(pk=dataset.pk).api_call_count == LIMIT


def test_n_parallel_calls_with_k_rate_units_left_pass_exactly_k(
    reference_data_restored, transactional_db
):
    world = World()
    dataset = make_dataset(world, title="并发限流测试")
    set_plan("standard", rate_per_minute=5, quota_per_day=1000)
    key, _ = make_key(world.citizen)
    minute = timezone.now().replace(second=5, microsecond=0) + dt.timedelta(minutes=1)

    def call(_inside) -> str:
        with metered_call(request=api_request(), key=key, user=world.citizen, dataset=dataset):
            pass
        return "served"

    with time_machine.travel(minute, tick=False):  # no minute boundary inside the race
        results = race([call] * THREADS)

    assert results.count("served") == 5
    assert sum(isinstance(r, RateLimited) for r in results) == THREADS - 5
    assert UsageRecord.objects.count() == 5
    assert UsageCounter.objects.get(subject=f"key:{key.family.hex}", period="minute").used == 5
