"""The records endpoint as production runs it, outside any atomic block: the lookups are one
script, the page (with its count or estimate) is one read-only transaction sent as one script,
and the metered call's writes another (`portal.lookups.run_script`). The same calls made
inside an atomic block (the pipelined path every other test uses) answer byte for byte the
same, and both leave the same usage rows and counters."""

from __future__ import annotations

import json

import psycopg
import pytest
from django.core import signing
from django.db import connection, transaction

from portal.datastore import reader
from portal.datastore.query import _CURSOR_SALT
from portal.developer.models import UsageCounter
from portal.models import Dataset, UsageRecord
from tests.conftest import World
from tests.developer.conftest import make_key, set_plan
from tests.portal.datastore.conftest import load
from tests.portal.factories import make_dataset

CSV = (
    "站点,区,线路数,完成率,日期\n"
    + "".join(
        f"站点{i},{'天河区' if i % 3 else '越秀区'},{i % 17},{i % 7}.5,2024-01-{1 + i % 28:02d}\n"
        for i in range(250)
    )
).encode()

CASES = [
    {"sort": "-线路数", "total": "none"},
    {"filters": json.dumps({"区": "天河区"}), "sort": "日期", "limit": 7},
    {"filters": json.dumps({"区": "越秀区"}), "total": "exact", "records_format": "lists"},
    {"filters": json.dumps({"区": "越秀区"}), "total": "estimate", "fields": "站点,完成率"},
    {"sort": "完成率,站点", "limit": 5, "offset": 3},
    {"filters": json.dumps({"field": "完成率", "op": "gte", "value": 5})},
    {"group_by": "区", "aggregates": json.dumps([{"func": "count"}])},
    # total=none: one statement, on the reader connection (server-side binding, prepared).
    {"filters": json.dumps({"区": ["天河区", "越秀区"]}), "sort": "-完成率", "total": "none"},
    {"filters": json.dumps({"field": "线路数", "op": "in", "value": [1, 2, 16]}), "total": "none"},
    {"filters": json.dumps({"field": "线路数", "op": "nin", "value": [1, 2]}), "total": "none"},
    {"filters": json.dumps({"field": "日期", "op": "gte", "value": "2024-01-20"}), "total": "none"},
    {"filters": json.dumps({"field": "完成率", "op": "lt", "value": 3.5}), "total": "none"},
    {"filters": json.dumps({"field": "站点", "op": "contains", "value": "1"}), "total": "none"},
    {
        "filters": json.dumps({"field": "站点", "op": "startswith", "value": "站点2"}),
        "total": "none",
    },
    {"q": "天河", "sort": "站点", "total": "none", "limit": 4},
    {"sort": "-日期,完成率", "total": "none", "limit": 3, "records_format": "lists"},
    {"group_by": "区", "aggregates": json.dumps([{"func": "avg", "field": "完成率"}])},
]


@pytest.fixture
def served(reference_data_restored, transactional_db):
    world = World()
    dataset = make_dataset(world, title="一次往返测试")
    _, table = load(dataset, CSV)
    assert table is not None
    set_plan("standard", rate_per_minute=10_000, quota_per_day=10_000)
    _, plaintext = make_key(world.citizen)
    return table, plaintext


def _get(client, table, params, plaintext):
    return client.get(
        f"/api/v1/datastore/{table.distribution_id}/records",
        params,
        HTTP_AUTHORIZATION=f"Api-Key {plaintext}",
    )


@pytest.mark.parametrize("params", CASES)
def test_the_one_script_path_answers_as_the_atomic_one(client, served, params):
    table, plaintext = served
    assert not connection.in_atomic_block
    reader.close()
    outside = _get(client, table, params, plaintext)
    # A page without a count, or groups, are one statement on the reader connection.
    one_statement = params.get("total") == "none" or "group_by" in params
    assert (getattr(reader._local, "held", None) is not None) == one_statement
    with transaction.atomic():
        inside = _get(client, table, params, plaintext)
    assert outside.status_code == inside.status_code == 200, outside.content
    body = outside.json()
    # Equal but for the signed cursor, whose signature carries the second it was made in.
    same, other = dict(body), inside.json()
    for doc in (same, other):
        cursor = doc.pop("next")
        doc["next"] = signing.loads(cursor, salt=_CURSOR_SALT) if cursor else None
        doc["next_url"] = (doc["next_url"] or "").split("cursor=")[0]
    assert same == other
    if not body["next"]:
        assert outside.content == inside.content
    assert body["records"]
    for name in ("X-RateLimit-Remaining", "X-Quota-Remaining", "X-Request-ID"):
        assert outside[name] and inside[name]
    assert int(outside["X-Quota-Remaining"]) == int(inside["X-Quota-Remaining"]) + 1
    rows = list(UsageRecord.objects.order_by("at").values_list("status", "rows", "bytes"))
    assert rows == [(200, len(body["records"]), len(outside.content))] * 2
    assert Dataset.objects.get(pk=table.distribution.dataset_id).api_call_count == 2
    assert connection.connection.info.transaction_status == psycopg.pq.TransactionStatus.IDLE


def test_the_next_url_pages_to_the_end_on_the_one_script_path(client, served):
    table, plaintext = served
    seen: list[str] = []
    params = {"filters": json.dumps({"区": "天河区"}), "sort": "日期", "limit": 40}
    response = _get(client, table, params, plaintext)
    while True:
        body = response.json()
        seen += [r["站点"] for r in body["records"]]
        if not body["next_url"]:
            break
        assert "cursor=" in body["next_url"] and "limit=40" in body["next_url"]
        response = client.get(body["next_url"], HTTP_AUTHORIZATION=f"Api-Key {plaintext}")
        assert response.status_code == 200
    expected = [f"站点{i}" for i in range(250) if i % 3]
    assert sorted(seen) == sorted(expected) and len(seen) == len(set(seen))
    assert UsageRecord.objects.filter(status=200).count() == -(-len(expected) // 40)


def test_a_quota_used_up_is_refused_before_the_query_and_counts_nothing(client, served):
    table, plaintext = served
    set_plan("standard", rate_per_minute=10_000, quota_per_day=2)
    statuses = [_get(client, table, {"limit": 1}, plaintext).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert UsageRecord.objects.filter(status=200).count() == 2
    day = UsageCounter.objects.filter(period="day", subject__startswith="key:").get()
    assert day.used == 2
    assert Dataset.objects.get(pk=table.distribution.dataset_id).api_call_count == 2
    assert connection.connection.info.transaction_status == psycopg.pq.TransactionStatus.IDLE


def test_a_broken_connection_is_replaced_on_the_first_lookup(client, served):
    """Django's health check is folded into the lookups: a connection the server dropped
    between requests costs no failed call."""
    table, plaintext = served
    assert _get(client, table, {"limit": 1}, plaintext).status_code == 200
    pid = connection.connection.info.backend_pid
    info = connection.get_connection_params()
    info.pop("cursor_factory", None)
    info.pop("context", None)
    with psycopg.connect(**info, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    # What `request_started` does to a persistent connection in production (the test client
    # leaves that signal's handler out).
    connection.health_check_enabled = True
    connection.health_check_done = False
    response = _get(client, table, {"limit": 1}, plaintext)
    assert response.status_code == 200
    assert connection.connection.info.backend_pid != pid
    assert UsageRecord.objects.filter(status=200).count() == 2
