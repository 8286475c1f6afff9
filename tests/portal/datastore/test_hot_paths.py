"""Paths the benchmark measures: keyset pages as index ranges, estimated totals, the read-only
wrapper's round trips."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.datastore import fulltext
from portal.datastore.execute import read_only, run
from portal.datastore.query import parse, records_sql
from tests.portal.datastore.conftest import load

pytestmark = pytest.mark.django_db

ROWS = "编号,区,线路数\n" + "".join(
    f"{i},{'天河区' if i % 2 else '越秀区'},{'' if i % 5 == 0 else i % 7}\n" for i in range(1, 41)
)


@pytest.fixture
def table(dataset):
    _, table = load(dataset, ROWS.encode())
    return table


def _pages(table, **params):
    seen, cursor = [], None
    while True:
        page = run(table, parse(table, {**params, **({"cursor": cursor} if cursor else {})}))
        seen += [r["编号"] for r in page.records]
        cursor = page.next_cursor
        if not cursor:
            return seen


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "线路数", "limit": 3},
        {"sort": "线路数", "limit": 1, "fields": "编号"},  # the sort field is not projected
        {"sort": "线路数", "limit": 4, "filters": {"区": "天河区"}},
        {"sort": "线路数 desc", "limit": 3},
    ],
)
def test_keyset_pages_through_nulls_visit_every_row_once_in_order(table, params):
    whole = [r["编号"] for r in run(table, parse(table, {**params, "limit": 1000})).records]
    assert _pages(table, **params) == whole
    assert len(whole) == (20 if "filters" in params else 40)


def test_a_page_after_a_non_null_ascending_key_is_two_index_ranges(table):
    spec = parse(table, {"sort": "线路数", "limit": 2})
    first = run(table, spec)
    deep = parse(table, {"sort": "线路数", "limit": 2, "cursor": first.next_cursor})
    query, params = records_sql(table, deep)
    text = query.as_string(connection.connection)
    assert "UNION ALL" in text and '("c3", _id) > (%s, %s)' in text and '"c3" IS NULL' in text
    assert text.count("%s") == len(params)


def _not_null(table) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
            "AND attnotnull AND NOT attisdropped",
            [f'datastore."{table.table_name}"'],
        )
        return {name for (name,) in cursor.fetchall()}


# 编号 and 区 have a value in every row; 线路数 and 备注 have empty cells.
GAPS = "编号,区,线路数,备注\n" + "".join(
    f"{i},{'天河区' if i % 2 else '越秀区'},{'' if i % 5 == 0 else i % 7},"
    + ("" if i % 9 == 0 else f"第{i % 4}号")
    + "\n"
    for i in range(1, 41)
)
# The same rows as the row path reads them: a line break inside a quoted value makes the file
# unsafe for COPY as it is, and 备注's empty cells are missing cells of short rows.
GAPS_ROWS = GAPS.replace(",\n", "\n") + '41,"a\nb",1,x\n'


@pytest.mark.parametrize(
    "content, fast",
    [(GAPS, True), (GAPS_ROWS, False)],
    ids=["copy", "rows"],
)
def test_columns_without_an_empty_cell_are_not_null_in_the_table_and_its_metadata(
    dataset, content, fast, monkeypatch
):
    rewrites = []
    original = fulltext.fill
    monkeypatch.setattr(fulltext, "fill", lambda *a, **k: rewrites.append(original(*a, **k)))
    _, table = load(dataset, content.encode())
    assert bool(rewrites) is fast  # the full-text rewrite (CREATE TABLE AS) after COPY
    nullable = {c["id"]: c["nullable"] for c in table.columns}
    assert nullable == {"编号": False, "区": False, "线路数": True, "备注": True}
    assert _not_null(table) == {"_id", "c1", "c2"}


def test_a_file_without_rows_has_no_not_null_column(dataset):
    _, table = load(dataset, "编号,区\n".encode())
    assert [c["nullable"] for c in table.columns] == [True, True]
    assert _not_null(table) == {"_id"}


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "区", "limit": 3},  # one NOT NULL key: one row comparison
        {"sort": "区,编号", "limit": 7},  # two
        {"sort": "区,线路数", "limit": 4},  # a NOT NULL key, then one with NULLs
        {"sort": "区 desc", "limit": 6},
        {"sort": "区", "limit": 5, "filters": {"field": "线路数", "op": "gt", "value": 2}},
    ],
)
def test_keyset_pages_on_not_null_keys_visit_every_row_once_in_order(dataset, params):
    _, table = load(dataset, GAPS.encode())
    whole = [r["编号"] for r in run(table, parse(table, {**params, "limit": 1000})).records]
    assert _pages(table, **params) == whole
    assert len(whole) == (40 if "filters" not in params else len(set(whole)))
    assert len(whole) > 10


def test_a_page_after_a_not_null_ascending_key_is_one_row_comparison(dataset):
    _, table = load(dataset, GAPS.encode())
    spec = parse(table, {"sort": "区", "limit": 2})
    deep = parse(table, {"sort": "区", "limit": 2, "cursor": run(table, spec).next_cursor})
    query, params = records_sql(table, deep)
    text = query.as_string(connection.connection)
    assert "UNION" not in text and "IS NULL" not in text
    assert '("c2", "_id") > (%s, %s)' in text
    assert text.count("%s") == len(params)


def test_an_estimated_total_of_a_filter_is_the_planner_rows_not_one(dataset):
    content = "编号,区\n" + "".join(f"{i},{'甲' if i % 4 else '乙'}\n" for i in range(4000))
    _, table = load(dataset, content.encode())
    result = run(table, parse(table, {"filters": {"区": "甲"}, "total": "estimate"}))
    assert result.total_estimated is True
    assert 2700 <= result.total <= 3300  # 3,000 rows match


def test_the_read_only_wrapper_takes_one_statement_in_and_none_out_when_outermost(table):
    connection.ensure_connection()
    with CaptureQueriesContext(connection) as queries, read_only() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == "datastore_reader"
    statements = [q["sql"] for q in queries.captured_queries]
    assert sum("set_config" in s for s in statements) == 1 if not connection.in_atomic_block else 2
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] != "datastore_reader"


def test_indexes_are_built_with_more_memory_and_the_setting_is_restored(
    dataset, settings, monkeypatch
):
    from portal.datastore import ingest

    settings.DATASTORE_INDEX_MEMORY = "77MB"
    seen = []
    original = ingest._build_indexes

    def spy(cursor, *args):
        cursor.execute("SHOW maintenance_work_mem")
        seen.append(cursor.fetchone()[0])
        return original(cursor, *args)

    monkeypatch.setattr(ingest, "_build_indexes", spy)
    with connection.cursor() as cursor:
        cursor.execute("SHOW maintenance_work_mem")
        before = cursor.fetchone()[0]
    load(dataset, ROWS.encode())
    with connection.cursor() as cursor:
        cursor.execute("SHOW maintenance_work_mem")
        assert seen == ["77MB"] and cursor.fetchone()[0] == before


@pytest.mark.parametrize("total", ["none", "exact"])
def test_an_outermost_query_is_one_script_and_leaves_the_connection_clean(
    transactional_db, dataset, total
):
    import json

    from psycopg.pq import TransactionStatus

    from portal.datastore.execute import run_json

    _, table = load(dataset, ROWS.encode())
    assert not connection.in_atomic_block
    page = run_json(table, parse(table, {"sort": "编号", "limit": 5, "total": total}))
    with CaptureQueriesContext(connection) as queries:
        result = run(table, parse(table, {"sort": "编号", "limit": 5, "total": total}))
    # Again and again on the same connection (a pipelined cursor once fetched the settings'
    # result instead of its own on the second call).
    for _ in range(3):
        assert json.loads(
            run_json(table, parse(table, {"sort": "编号", "total": total})).records_json
        )
        assert run(table, parse(table, {"sort": "编号", "total": total})).records[0]["编号"] == 1
    assert [r["编号"] for r in json.loads(page.records_json)] == [1, 2, 3, 4, 5]
    assert [r["编号"] for r in result.records] == [1, 2, 3, 4, 5]
    assert page.total == result.total == (40 if total == "exact" else None)
    # Outside an atomic block both send one script (BEGIN READ ONLY … COMMIT) on the
    # connection itself, not through Django's cursor: no transaction of Django's is opened.
    assert queries.captured_queries == []
    assert connection.connection.info.transaction_status == TransactionStatus.IDLE
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, current_setting('statement_timeout')")
        user, timeout = cursor.fetchone()
    assert user != "datastore_reader"
    assert timeout == "0"


def test_an_outermost_json_page_that_times_out_leaves_the_connection_clean(
    transactional_db, dataset, settings
):
    """The one-script read (`execute._json_script`): a statement stopped by the timeout is
    QueryTimeout, its transaction is rolled back, and the role and timeout are gone."""
    from psycopg.pq import TransactionStatus

    from portal.datastore.execute import run_json
    from portal.datastore.query import QueryTimeout

    content = "编号,名称\n" + "".join(f"{i},名称{i % 97}号\n" for i in range(100_000))
    _, table = load(dataset, content.encode())
    spec = parse(table, {"filters": {"field": "名称", "op": "contains", "value": "7号"}})
    spec.total = "exact"  # a count of a substring match: a scan of every row
    settings.DATASTORE_STATEMENT_TIMEOUT_MS = 1
    with pytest.raises(QueryTimeout):
        for _ in range(20):
            run_json(table, spec)
    assert connection.connection.info.transaction_status == TransactionStatus.IDLE
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, current_setting('statement_timeout')")
        user, timeout = cursor.fetchone()
    assert user != "datastore_reader"
    assert timeout == "0"
    settings.DATASTORE_STATEMENT_TIMEOUT_MS = 5000
    page = run_json(table, spec)
    assert page.total == sum(1 for i in range(100_000) if "7号" in f"名称{i % 97}号")
