"""The index phase of a load: values too long for a b-tree entry, a lexeme or a tsvector, and,
outside any transaction, the GIN index built on a second connection while the b-trees are built
on the first (its failure fails the load; a failure of the first cancels it)."""

import random
import string
import time

import psycopg
import pytest
from django.db import DatabaseError, connection
from psycopg import sql

from portal.datastore import ingest
from portal.datastore.execute import run
from portal.datastore.models import DatastoreTable, IngestJob
from portal.datastore.query import parse
from tests.conftest import World
from tests.portal.datastore.conftest import load
from tests.portal.factories import make_dataset

_rng = random.Random(7)
# 9,000 letters and digits without a break: one token of 9,000 bytes (a lexeme holds 2,047)
# and a b-tree entry of 9 kB (one holds about 2.7 kB; random text does not compress).
LONG = "".join(_rng.choice(string.ascii_letters + string.digits) for _ in range(9000))
CONTENT = f"编号,说明,区\n1,{LONG},天河区\n2,公交站点 bus stop,越秀区\n3,{LONG[:50]},天河区\n"


def _indexed_columns(table) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.attname, am.amname FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam "
            "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] "
            "WHERE i.indrelid = %s::regclass",
            [f'datastore."{table.table_name}"'],
        )
        return {f"{name}:{method}" for name, method in cursor.fetchall()}


def _staging_tables() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'datastore' "
            "AND tablename ~ '^s[0-9]+_'"
        )
        return [name for (name,) in cursor.fetchall()]


def _fts(table) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("SELECT coalesce(_fts::text, '') FROM {} ORDER BY _id").format(
                sql.Identifier("datastore", table.table_name)
            )
        )
        return [text for (text,) in cursor.fetchall()]


@pytest.mark.django_db
@pytest.mark.parametrize("fast", [True, False], ids=["copy", "rows"])
def test_a_value_too_long_for_an_index_entry_or_a_lexeme_loads_without_them(
    world, monkeypatch, fast
):
    if not fast:
        monkeypatch.setattr(ingest, "_copy_file", lambda *args: None)
    job, table = load(make_dataset(world, title="长文本"), CONTENT.encode())
    assert job.status == "succeeded", job.error
    assert table.row_count == 3
    # No b-tree on 说明 (c2); the others and the full-text index are there.
    assert _indexed_columns(table) == {"_id:btree", "c1:btree", "c3:btree", "_fts:gin"}
    fts = _fts(table)
    assert LONG.lower() not in fts[0] and "'天河区'" in fts[0]  # the long token is left out
    assert "'bus'" in fts[1] and LONG[:50].lower() in fts[2]
    found = run(table, parse(table, {"filters": {"说明": LONG}}))
    assert [r["编号"] for r in found.records] == [1]
    assert [r["编号"] for r in run(table, parse(table, {"q": "bus"})).records] == [2]


def _words(n: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    return ["".join(rnd.choice(string.ascii_lowercase) for _ in range(12)) for _ in range(n)]


# Values whose tokens alone would make a tsvector over PostgreSQL's 1 MB: 120,000 distinct
# words (1.4 MB), the same with Chinese in it (tokenised in Python on both paths), and a row
# of three such values (each under the limit, their union not).
ASCII_BLOB = " ".join(_words(120_000, 1))
MIXED_BLOB = "中文说明 " + " ".join(_words(120_000, 2))
THIRD = " ".join(_words(30_000, 3))
BIG = (
    "编号,甲,乙,丙\n"
    f'1,"{ASCII_BLOB}",短,x\n'
    f'2,"{MIXED_BLOB}",短,y\n'
    f'3,"{THIRD}","{THIRD.upper()}","第三 {THIRD[::-1]}"\n'
)


@pytest.mark.django_db
def test_values_whose_tokens_exceed_a_tsvector_load_and_both_paths_agree(world, monkeypatch):
    dataset = make_dataset(world, title="超长文本")
    job, fast = load(dataset, BIG.encode())
    assert job.status == "succeeded", job.error
    monkeypatch.setattr(ingest, "_copy_file", lambda *args: None)
    job, slow = load(dataset, BIG.encode(), name="again.csv")
    assert job.status == "succeeded", job.error
    assert _fts(fast) == _fts(slow)
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("SELECT length(_fts) FROM {} ORDER BY _id").format(
                sql.Identifier("datastore", fast.table_name)
            )
        )
        lexemes = [n for (n,) in cursor.fetchall()]
    # Cut to each value's share of the budget: thousands of words kept, not all 120,000.
    assert all(5_000 < n < 120_000 for n in lexemes[:2]), lexemes
    for table in (fast, slow):
        for word, row in ((ASCII_BLOB[:12], 1), (MIXED_BLOB.split()[1], 2), ("中文", 2)):
            found = run(table, parse(table, {"q": word}))
            assert [r["编号"] for r in found.records] == [row], word


def _drop_live(table: DatastoreTable | None) -> None:
    if table is not None:
        with connection.cursor() as cursor:
            cursor.execute(
                sql.SQL("DROP TABLE IF EXISTS {}").format(
                    sql.Identifier("datastore", table.table_name)
                )
            )


def _job_of(dataset) -> IngestJob:
    return IngestJob.objects.filter(version__distribution__dataset=dataset).latest("pk")


def _settings() -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('maintenance_work_mem'), "
            "current_setting('max_parallel_maintenance_workers')"
        )
        return cursor.fetchone()


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_gin_index_is_built_on_a_second_connection(monkeypatch):
    sides = []
    original = ingest._side_gin

    def spy(side, statement):
        sides.append(statement)
        return original(side, statement)

    monkeypatch.setattr(ingest, "_side_gin", spy)
    before = _settings()
    job, table = load(make_dataset(World(), title="并行索引"), CONTENT.encode())
    try:
        assert job.status == "succeeded", job.error
        assert len(sides) == 1
        assert _indexed_columns(table) == {"_id:btree", "c1:btree", "c3:btree", "_fts:gin"}
        assert _settings() == before  # both settings of this connection restored
        assert [r["编号"] for r in run(table, parse(table, {"q": "bus"})).records] == [2]
    finally:
        _drop_live(table)


@pytest.mark.django_db(transaction=True)
def test_without_a_second_connection_the_indexes_are_built_one_after_the_other(monkeypatch):
    connect = psycopg.connect

    def refused(*args, **params):  # only the ingest's second connection asks for autocommit
        if params.get("autocommit"):
            raise psycopg.OperationalError("too many clients already")
        return connect(*args, **params)

    monkeypatch.setattr(psycopg, "connect", refused)
    job, table = load(make_dataset(World(), title="单连接索引"), CONTENT.encode())
    try:
        assert job.status == "succeeded", job.error
        assert _indexed_columns(table) == {"_id:btree", "c1:btree", "c3:btree", "_fts:gin"}
    finally:
        _drop_live(table)


@pytest.mark.django_db(transaction=True)
def test_a_failed_side_build_fails_the_load_and_drops_the_staging_table(monkeypatch):
    original = ingest._side_gin
    monkeypatch.setattr(
        ingest, "_side_gin", lambda side, statement: original(side, sql.SQL("SELECT 1/0"))
    )
    dataset = make_dataset(World(), title="索引失败")
    with pytest.raises(DatabaseError, match="division by zero"):  # the task retries it
        load(dataset, CONTENT.encode())
    assert _job_of(dataset).status != "succeeded"
    assert not DatastoreTable.objects.filter(distribution__dataset=dataset).exists()
    assert _staging_tables() == []


@pytest.mark.django_db(transaction=True)
def test_a_failure_on_the_first_connection_cancels_the_side_build(monkeypatch):
    original = ingest._side_gin
    monkeypatch.setattr(
        ingest, "_side_gin", lambda side, statement: original(side, sql.SQL("SELECT pg_sleep(600)"))
    )

    def broken(cursor, statement):
        raise DatabaseError("the b-tree failed")

    monkeypatch.setattr(ingest, "_btree", broken)
    dataset = make_dataset(World(), title="索引取消")
    started = time.monotonic()
    with pytest.raises(DatabaseError, match="the b-tree failed"):
        load(dataset, CONTENT.encode())
    # Without the cancel the load would have waited ten minutes for the side statement.
    assert time.monotonic() - started < 300
    assert _job_of(dataset).status != "succeeded"
    assert not DatastoreTable.objects.filter(distribution__dataset=dataset).exists()
    assert _staging_tables() == []
