"""The fast load path (the file's bytes COPYed as they are, the full-text column filled by one
rewrite) stores exactly what the row-by-row path stores, and steps aside for any file that
PostgreSQL's CSV parser would read differently."""

import pytest
from django.db import connection
from psycopg import sql

from portal.datastore import ingest
from portal.datastore.reading import iter_rows, profile_file
from tests.portal.datastore.conftest import load

pytestmark = pytest.mark.django_db

MIXED = (
    "编号,名称,日期,金额,代码,备注\n"
    "1,广州市天河区公交站点,2024-01-05,12.50,00123,Bus Stop A-1\n"
    "2,深圳市南山区人民医院,2024-02-29,-3.10,00456,\n"
    '3,"上海市, 浦东新区",2023-12-31,0.00,,Café № 5\n'
    "4,,2024-03-01,7.25,99,ALL CAPS and digits 42\n"
)


def _rows(table) -> list[tuple]:
    columns = [c["column"] for c in table.columns]
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("SELECT _id, {}, _fts::text FROM {} ORDER BY _id").format(
                sql.SQL(", ").join(map(sql.Identifier, columns)),
                sql.Identifier("datastore", table.table_name),
            )
        )
        return cursor.fetchall()


def _row_path_only(monkeypatch):
    calls = []
    monkeypatch.setattr(ingest, "_copy_file", lambda *args: calls.append(args) and None)
    return calls


def test_the_fast_path_stores_what_the_row_path_stores(dataset, monkeypatch):
    _, fast = load(dataset, MIXED.encode())
    fast_rows = _rows(fast)
    _row_path_only(monkeypatch)
    _, slow = load(dataset, MIXED.encode())
    assert fast.columns == slow.columns
    assert fast_rows == _rows(slow)
    assert any("'café'" not in r[-1] and "'bus'" in r[-1] for r in fast_rows if r[-1])


def test_a_full_text_query_finds_the_same_rows_after_a_fast_load(dataset):
    from portal.datastore.execute import run
    from portal.datastore.query import parse

    _, table = load(dataset, MIXED.encode())
    for q, expected in [("公交", 1), ("人民医院", 1), ("bus", 1), ("caps", 1), ("café", 1)]:
        assert len(run(table, parse(table, {"q": q})).records) == expected, q


def test_new_rows_after_a_fast_load_still_get_generated_ids(dataset):
    _, table = load(dataset, MIXED.encode())
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("INSERT INTO {} (c1, c3, c4) VALUES (9, '2024-01-01', 1) RETURNING _id").format(
                sql.Identifier("datastore", table.table_name)
            )
        )
        assert cursor.fetchone()[0] == 5


@pytest.mark.parametrize(
    "content",
    [
        b"a,b\n1,2\n\n3,4\n",  # a blank line is skipped by the reader, not by COPY
        b"a,b\n1,  \n",  # a whitespace-only cell is NULL here, text there
        b'a,b\n1,x"y\n',  # a quote inside an unquoted value
        b'a,b\n1,"two\nlines"\n',  # a line break inside a value
        b"a,b\n1,2,\n",  # a ragged row
        b"a\n\\.\n2\n",  # COPY's end-of-data marker
    ],
)
def test_files_postgresql_would_read_differently_are_not_copy_safe(tmp_path, content):
    path = tmp_path / "f.csv"
    path.write_bytes(content)
    with path.open("rb") as fh:
        profile = profile_file(fh, "CSV")
    with path.open("rb") as fh:
        list(iter_rows(fh, profile))
    assert profile.copy_safe is False


def test_a_regular_file_is_copy_safe_and_loads_by_the_fast_path(dataset, monkeypatch):
    original = ingest._copy_file
    used = []

    def spy(*args):
        loaded = original(*args)
        used.append(loaded)
        return loaded

    monkeypatch.setattr(ingest, "_copy_file", spy)
    job, table = load(dataset, MIXED.encode())
    assert used == [4] and table.row_count == 4 and job.status == "succeeded"


def test_when_copy_disagrees_with_the_scan_the_row_path_loads_the_file(dataset, monkeypatch):
    from portal.datastore import reading

    # Pretend the scan found a ragged file regular: COPY refuses it, the row path loads it.
    monkeypatch.setattr(reading, "_copy_safe_row", lambda *args: True)
    job, table = load(dataset, "名称,数量\n甲,1\n乙,2,\n丙,3\n".encode())
    assert job.status == "succeeded" and table.row_count == 3
    assert [r[1:3] for r in _rows(table)] == [("甲", 1), ("乙", 2), ("丙", 3)]
