"""The metered call's closing round trip on real transactions (as in production: no outer
atomic block): the usage row, the daily units and the dataset's counter are one statement,
sent with the COMMIT for a read-only block. When the last unit of a quota goes to another
call between the pre-check and that statement, nothing of the call is kept: no row, no unit
of any subject, no count, and the key's other counters are as before."""

from __future__ import annotations

import psycopg
import pytest
from django.db import connection

from portal.developer.access import QuotaExceeded, RateLimited, metered_call
from portal.developer.models import UsageCounter
from portal.models import Dataset, UsageRecord
from tests.conftest import World
from tests.developer.conftest import api_request, make_key, set_plan
from tests.portal.factories import make_dataset


def _elsewhere(statement: str, params: list) -> None:
    """Run a statement on a connection of its own (another call, committed independently)."""
    info = connection.get_connection_params()
    info.pop("cursor_factory", None)
    info.pop("context", None)
    with psycopg.connect(**info, autocommit=True) as other:
        other.execute(statement, params)


@pytest.mark.parametrize("read_only_block", [True, False])
def test_a_quota_taken_meanwhile_leaves_nothing_of_the_call(
    reference_data_restored, transactional_db, read_only_block
):
    world = World()
    dataset = make_dataset(world, title="收尾语句测试")
    set_plan("standard", rate_per_minute=100, quota_per_day=50, account_quota_per_day=3)
    key, _ = make_key(world.citizen)
    for _ in range(2):
        with metered_call(
            request=api_request(), key=key, user=world.citizen, dataset=dataset
        ) as meter:
            meter.rows = 1
    key_subject, user_subject = f"key:{key.family.hex}", f"user:{world.citizen.pk}"
    assert UsageCounter.objects.get(subject=user_subject, period="day").used == 2

    with (
        pytest.raises(QuotaExceeded),
        metered_call(
            request=api_request(),
            key=key,
            user=world.citizen,
            dataset=dataset,
            read_only_block=read_only_block,
        ) as meter,
    ):
        # Another call of the same account takes the last unit after the pre-check.
        _elsewhere(
            "UPDATE developer_usagecounter SET used = 3 WHERE subject = %s AND period = 'day'",
            [user_subject],
        )
        meter.rows = 1

    assert UsageRecord.objects.count() == 2
    assert UsageCounter.objects.get(subject=key_subject, period="day").used == 2
    assert UsageCounter.objects.get(subject=user_subject, period="day").used == 3
    assert Dataset.objects.get(pk=dataset.pk).api_call_count == 2
    # The connection is in a clean state: the next call is refused by the pre-check.
    with (
        pytest.raises(QuotaExceeded),
        metered_call(request=api_request(), key=key, user=world.citizen, dataset=dataset),
    ):
        pass


def test_the_account_rate_limit_takes_no_unit_from_the_key_outside_a_transaction(
    reference_data_restored, transactional_db
):
    world = World()
    dataset = make_dataset(world, title="限流收尾测试")
    set_plan("standard", rate_per_minute=100, account_rate_per_minute=1)
    first, _ = make_key(world.citizen, name="一")
    second, _ = make_key(world.citizen, name="二")
    with metered_call(request=api_request(), key=first, user=world.citizen, dataset=dataset):
        pass
    with (
        pytest.raises(RateLimited),
        metered_call(request=api_request(), key=second, user=world.citizen, dataset=dataset),
    ):
        pass
    minute = dict(UsageCounter.objects.filter(period="minute").values_list("subject", "used"))
    assert minute == {f"key:{first.family.hex}": 1, f"user:{world.citizen.pk}": 1}
    assert not connection.in_atomic_block
    assert connection.connection.info.transaction_status == psycopg.pq.TransactionStatus.IDLE


def test_a_served_read_only_call_is_committed_with_its_closing_statement(
    reference_data_restored, transactional_db
):
    world = World()
    dataset = make_dataset(world, title="提交测试")
    set_plan("standard", rate_per_minute=100, quota_per_day=50)
    key, _ = make_key(world.citizen)
    with metered_call(
        request=api_request(), key=key, user=world.citizen, dataset=dataset, read_only_block=True
    ) as meter:
        meter.rows = 7
    assert connection.connection.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
    # Seen from another connection: committed.
    info = connection.get_connection_params()
    info.pop("cursor_factory", None)
    info.pop("context", None)
    with psycopg.connect(**info) as other:
        row = other.execute(
            "SELECT rows, status FROM portal_usagerecord WHERE request_id = %s",
            [meter.request_id],
        ).fetchone()
    assert row == (7, 200)


@pytest.mark.parametrize("durable", [False, True])
def test_the_asynchronous_commit_stays_in_the_statement_s_own_transaction(
    reference_data_restored, transactional_db, settings, durable
):
    """Outside a transaction the rate window and the closing writes are single statements in
    autocommit; with DEVELOPER_USAGE_DURABLE_COMMIT off each sets `synchronous_commit` for
    its own transaction only (set_config(…, true) inside the statement), so the session, and
    every later ORM write, keeps committing durably."""
    from portal.developer.counters import _record_call_sql, _take_reading_sql

    settings.DEVELOPER_USAGE_DURABLE_COMMIT = durable
    world = World()
    dataset = make_dataset(world, title="异步提交测试")
    set_plan("standard", rate_per_minute=100, quota_per_day=50)
    key, _ = make_key(world.citizen)
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        before = cursor.fetchone()[0]
    with metered_call(
        request=api_request(), key=key, user=world.citizen, dataset=dataset, read_only_block=True
    ) as meter:
        meter.rows = 3
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == before == "on"
    assert UsageRecord.objects.filter(request_id=meter.request_id, rows=3).exists()
    assert UsageCounter.objects.filter(period="minute", used=1).count() == 2
    assert UsageCounter.objects.filter(period="day", used=1).count() == 2
    assert "synchronous_commit" in _take_reading_sql(True)
    assert "synchronous_commit" in _record_call_sql(False, True)
    assert "synchronous_commit" not in _record_call_sql(False, False)
