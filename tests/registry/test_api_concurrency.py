"""Races through the API, on real transactions: two reviewers deciding the same application at
once (exactly one wins, the other gets a 409), and many notices completing at once (every code
distinct)."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connections
from django.test import Client

from registry.models import CodeSequence, RegistrationStatus, Resource
from tests.conftest import make_user

API = "/api/v1/registry/"


def run_together(calls: list[Callable[[], int]]) -> list[int]:
    """Run the calls in threads released at the same moment; each thread closes its own
    database connection."""
    barrier = threading.Barrier(len(calls))
    results: list[int | BaseException | None] = [None] * len(calls)

    def worker(i: int, call: Callable[[], int]) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = call()
        except BaseException as exc:  # reported below, not swallowed
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert all(isinstance(r, int) for r in results), results
    return results  # type: ignore[return-value]


def poster(user, path: str, body: dict | None = None) -> Callable[[], int]:
    client = Client()
    client.force_login(user)

    def call() -> int:
        response = client.post(API + path, body or {}, content_type="application/json")
        return response.status_code

    return call


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("accept", {}), ("accept", {})),
        (("accept", {}), ("not-accept", {"reason": "不属于登记范围"})),
        (("require-supplement", {"items": [{"message": "缺少说明"}]}), ("accept", {})),
    ],
    ids=["accept-accept", "accept-not_accept", "supplement-accept"],
)
def test_two_reviewers_deciding_at_once_exactly_one_wins(
    reference_data_restored, transactional_db, world, first, second
):
    reg = world.submitted()
    path = f"registrations/{reg.pk}/"

    statuses = run_together(
        [
            poster(world.reviewer, path + first[0], first[1]),
            poster(world.reviewer2, path + second[0], second[1]),
        ]
    )

    assert sorted(statuses) == [200, 409]
    reg.refresh_from_db()
    assert reg.status != RegistrationStatus.SUBMITTED
    decisions = reg.events.exclude(action__in=["create", "attach", "submit"])
    assert decisions.count() == 1


def test_notices_completing_at_once_get_distinct_codes(
    reference_data_restored, transactional_db, world
):
    reviewers = [world.reviewer, world.reviewer2] + [make_user(reviewer=world.gd) for _ in range(4)]
    regs = [world.in_notice() for _ in reviewers]  # notices that ended in March 2026

    statuses = run_together(
        [
            poster(r, f"registrations/{reg.pk}/complete")
            for r, reg in zip(reviewers, regs, strict=True)
        ]
    )

    assert statuses == [200] * len(regs)
    codes = list(
        Resource.objects.filter(pk__in=[r.resource_id for r in regs]).values_list("code", flat=True)
    )
    assert None not in codes
    assert len(set(codes)) == len(regs)
    assert CodeSequence.objects.get(prefix=codes[0][:11]).last_value == len(regs)


def test_the_same_notice_completed_twice_at_once_is_coded_once(
    reference_data_restored, transactional_db, world
):
    reg = world.in_notice()
    path = f"registrations/{reg.pk}/complete"

    statuses = run_together([poster(world.reviewer, path), poster(world.reviewer2, path)])

    assert sorted(statuses) == [200, 409]
    assert reg.events.filter(action="complete").count() == 1
    assert CodeSequence.objects.get().last_value == 1
