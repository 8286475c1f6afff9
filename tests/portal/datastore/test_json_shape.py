"""The records endpoint's page, encoded by PostgreSQL (`execute.run_json`), is byte for byte
what the Python path makes (`execute.run` + json.dumps), for every column type and awkward
values: NULLs, escapes and every control character, big integers, numerics that Python
would write with an exponent, dates before 1000, timestamps with and without a fraction."""

import json

import pytest
from django.core import signing
from django.db import connection, transaction
from psycopg import sql

from portal.datastore.execute import run, run_json
from portal.datastore.query import _CURSOR_SALT, parse
from tests.portal.datastore.conftest import load

CSV = (
    "编号,名称,代码,金额,日期,时间\n"
    "1,天河客运站,00123,0.0000001,2019-05-01,2024-01-02 03:04:05\n"
    "2,体育中心,00007,-12.30,0999-12-31,2024-01-02 03:04:05.5\n"
    "-9007199254740993,公园前,12345,123456789012345678901234.5,2020-02-29,"
    "2024-01-02 03:04:05.123456\n"
    "4,,,,,\n"
    "5,北京路😀,0,1.0,2000-01-01,1999-12-31 23:59:59\n"
).encode()

AWKWARD = 'q"uote\\back\nnew\rret\ttab\b\f' + "".join(chr(c) for c in range(1, 32)) + "\x7f\u2028末"


@pytest.fixture
def table(dataset):
    job, table = load(dataset, CSV)
    assert table is not None, job.error
    types = {c["id"]: c["type"] for c in table.columns}
    assert types == {
        "编号": "integer",
        "名称": "text",
        "代码": "text",
        "金额": "numeric",
        "日期": "date",
        "时间": "timestamp",
    }
    name = next(c["column"] for c in table.columns if c["id"] == "名称")
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("UPDATE {} SET {} = %s WHERE _id = 4").format(
                sql.Identifier("datastore", table.table_name), sql.Identifier(name)
            ),
            [AWKWARD],
        )
    return table


def python_records(table, params) -> str:
    result = run(table, parse(table, params))
    return json.dumps(result.records, ensure_ascii=False, separators=(",", ":")), result


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"records_format": "lists"},
        {"fields": "名称,金额", "sort": "-金额"},
        {"sort": "时间", "limit": 2},
        {"sort": "-日期,编号", "limit": 3, "records_format": "lists"},
        {"filters": {"field": "编号", "op": "gt", "value": 0}, "sort": "代码"},
        {"offset": 1, "limit": 2, "total": "exact"},
    ],
)
def test_the_database_encoded_page_equals_the_python_one(table, params):
    expected, result = python_records(table, params)
    page = run_json(table, parse(table, params))
    assert page.records_json == expected
    assert json.loads(page.records_json) == result.records
    assert page.count == len(result.records)
    assert page.fields == result.fields
    assert (_payload(page.next_cursor), page.total, page.total_estimated) == (
        _payload(result.next_cursor),
        result.total,
        result.total_estimated,
    )


def _payload(cursor):
    """A cursor's signed content: its signature carries the second it was made in, so two
    cursors made either side of a second boundary differ as strings."""
    return signing.loads(cursor, salt=_CURSOR_SALT) if cursor else None


def test_the_awkward_text_survives_both_paths(table):
    page = run_json(table, parse(table, {"filters": {"编号": 4}}))
    (record,) = json.loads(page.records_json)
    assert record["名称"] == AWKWARD
    assert record["金额"] is None and record["时间"] is None


def test_values_are_written_exactly(table):
    page = run_json(table, parse(table, {"sort": "编号"}))
    by_id = {r["编号"]: r for r in json.loads(page.records_json)}
    assert by_id[-9007199254740993]["金额"] == "123456789012345678901234.5"
    assert by_id[1]["金额"] == "0.0000001"  # never 1E-7
    assert by_id[2]["金额"] == "-12.30"
    assert by_id[1]["代码"] == "00123"
    assert by_id[2]["日期"] == "0999-12-31"
    assert by_id[2]["时间"] == "2024-01-02T03:04:05.500000"
    assert by_id[1]["时间"] == "2024-01-02T03:04:05"


def test_a_cursor_from_the_database_encoded_page_continues_where_it_stopped(table):
    seen = []
    params = {"sort": "-金额", "limit": 2}
    while True:
        page = run_json(table, parse(table, params))
        seen += [r["编号"] for r in json.loads(page.records_json)]
        if not page.next_cursor:
            break
        params = {"sort": "-金额", "limit": 2, "cursor": page.next_cursor}
    assert sorted(seen) == sorted([1, 2, -9007199254740993, 4, 5])
    assert len(seen) == 5


def test_numerics_come_back_as_written_on_both_paths(reference_data_restored, transactional_db):
    """Numeric columns are read as PostgreSQL's text (`execute.read_as_text`): the file's
    digits, scale and all, with no exponent; the one-script path (outside any atomic block)
    and the pipelined one (inside) give the same page and the same next cursor."""
    from portal.datastore.execute import _run_script
    from tests.conftest import World
    from tests.portal.factories import make_dataset

    dataset = make_dataset(World(), title="数值原样")
    _, loaded = load(dataset, CSV)
    params = {"fields": "编号,金额", "sort": "金额", "limit": 2}
    outside = run(loaded, parse(loaded, params))
    assert not connection.in_atomic_block
    with transaction.atomic():
        inside = run(loaded, parse(loaded, params))
    assert (
        outside.records
        == inside.records
        == [
            {"编号": 2, "金额": "-12.30"},
            {"编号": 1, "金额": "0.0000001"},
        ]
    )
    assert _payload(outside.next_cursor) == _payload(inside.next_cursor)
    assert _payload(outside.next_cursor)["v"] == ["0.0000001", 1]
    whole = _run_script(loaded, parse(loaded, {"fields": "金额", "sort": "-金额", "limit": 1}))
    assert whole.records == [{"金额": "123456789012345678901234.5"}]
