"""The reader connection (`portal.datastore.reader`): single-statement reads outside any
atomic block run there, as the read-only role under the statement timeout, and nothing of them
touches Django's connection; it refuses writes, survives a killed backend and a new version
that changes a column's type under a prepared statement, and stops slow statements."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext

from portal.datastore import reader
from portal.datastore.execute import run, run_json
from portal.datastore.query import QueryTimeout, parse
from tests.portal.datastore.conftest import add_version, load

ROWS = "编号,值,名称\n" + "".join(f"{i},{i * 10},站点{i}\n" for i in range(1, 31))


@pytest.fixture
def loaded(transactional_db, dataset):
    reader.close()
    _, table = load(dataset, ROWS.encode())
    assert table is not None
    yield table
    reader.close()


def _session() -> tuple:
    _, rows = reader.fetch(
        "SELECT current_user, current_setting('default_transaction_read_only'), "
        "current_setting('statement_timeout'), pg_backend_pid()",
        [],
    )
    return rows[0]


def test_a_page_without_a_count_is_read_on_the_reader_as_the_read_only_role(loaded, settings):
    assert not connection.in_atomic_block
    with CaptureQueriesContext(connection) as queries:
        page = run(loaded, parse(loaded, {"sort": "-值", "limit": 3, "total": "none"}))
    assert [r["编号"] for r in page.records] == [30, 29, 28]
    assert queries.captured_queries == []
    user, read_only, timeout, pid = _session()
    assert (user, read_only, timeout) == (settings.DATASTORE_READ_ROLE, "on", "5s")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid(), current_user")
        own_pid, own_user = cursor.fetchone()
    assert pid != own_pid and own_user != settings.DATASTORE_READ_ROLE


def test_the_reader_refuses_writes(loaded):
    with pytest.raises(DatabaseError):
        reader.fetch(f"DELETE FROM datastore.{loaded.table_name}", [])
    with pytest.raises(DatabaseError):
        reader.fetch(f"CREATE TABLE datastore.{loaded.table_name}_x (n int)", [])
    assert run(loaded, parse(loaded, {"total": "none", "limit": 50})).records[29]["编号"] == 30


def test_a_page_with_a_count_and_pages_inside_a_transaction_stay_on_django(loaded):
    run(loaded, parse(loaded, {"total": "exact"}))
    assert getattr(reader._local, "held", None) is None
    from django.db import transaction

    with transaction.atomic():
        assert run(loaded, parse(loaded, {"total": "none"})).records
    assert getattr(reader._local, "held", None) is None


def test_switched_off_every_read_stays_on_django(loaded, settings):
    settings.DATASTORE_READER_CONNECTION = False
    assert run(loaded, parse(loaded, {"total": "none"})).records
    assert getattr(reader._local, "held", None) is None


def test_a_killed_reader_backend_is_replaced_and_the_read_answered(loaded):
    spec = {"sort": "值", "limit": 2, "total": "none"}
    assert [r["编号"] for r in run(loaded, parse(loaded, spec)).records] == [1, 2]
    *_, pid = _session()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    assert [r["编号"] for r in run(loaded, parse(loaded, spec)).records] == [1, 2]
    assert _session()[3] != pid


def test_a_new_version_that_changes_a_column_type_is_read_after_prepared_pages(loaded):
    spec = {"fields": "编号,值", "sort": "编号", "limit": 2, "total": "none"}
    for _ in range(8):  # past the connection's prepare threshold
        assert run(loaded, parse(loaded, spec)).records == [
            {"编号": 1, "值": 10},
            {"编号": 2, "值": 20},
        ]
    changed = "编号,值,名称\n1,十,站点1\n2,二十,站点2\n"
    _, job = add_version(loaded.distribution, changed.encode())
    assert job.status == "succeeded", job.error
    loaded.refresh_from_db()
    assert {c["id"]: c["type"] for c in loaded.columns}["值"] == "text"
    assert run(loaded, parse(loaded, spec)).records == [
        {"编号": 1, "值": "十"},
        {"编号": 2, "值": "二十"},
    ]


def test_a_slow_statement_on_the_reader_is_a_timeout_and_the_next_read_is_served(
    transactional_db, dataset, settings
):
    reader.close()
    content = "编号,名称\n" + "".join(f"{i},名称{i % 97}号\n" for i in range(100_000))
    _, table = load(dataset, content.encode())
    # Nothing matches: every row is read before the page is known to be empty.
    spec = parse(
        table,
        {"filters": {"field": "名称", "op": "contains", "value": "不在"}, "total": "none"},
    )
    settings.DATASTORE_STATEMENT_TIMEOUT_MS = 1
    with pytest.raises(QueryTimeout):
        for _ in range(20):
            run_json(table, spec)
    settings.DATASTORE_STATEMENT_TIMEOUT_MS = 5000
    assert run_json(table, spec).count == 0
    assert run(table, parse(table, {"sort": "编号", "limit": 1, "total": "none"})).records == [
        {"编号": 0, "名称": "名称0号"}
    ]
    reader.close()
