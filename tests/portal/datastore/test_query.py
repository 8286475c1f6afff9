import pytest

from portal.datastore.execute import export, run
from portal.datastore.query import QueryProblem, QueryTimeout, parse
from tests.portal.datastore.conftest import load

CSV = (
    "站点,区,线路数,票价,开通日期\n"
    "天河客运站,天河区,12,2.5,2019-05-01\n"
    "体育中心,天河区,8,2,2020-11-30\n"
    "公园前,越秀区,15,3,2018-01-01\n"
    "北京路,越秀区,,2,2018-06-01\n"
    "白云山,白云区,5,1.5,\n"
).encode()


@pytest.fixture
def table(dataset):
    job, table = load(dataset, CSV)
    assert table is not None, job.error
    return table


def query(table, **params):
    return run(table, parse(table, params))


def names(result):
    return [r["站点"] for r in result.records]


def test_every_comparison_operator(table):
    assert names(query(table, filters={"线路数": 12})) == ["天河客运站"]
    assert len(query(table, filters={"field": "线路数", "op": "ne", "value": 12}).records) == 3
    assert names(query(table, filters={"field": "线路数", "op": "lt", "value": 8})) == ["白云山"]
    assert len(query(table, filters={"field": "线路数", "op": "lte", "value": 8}).records) == 2
    assert names(query(table, filters={"field": "票价", "op": "gt", "value": "2.5"})) == ["公园前"]
    assert len(query(table, filters={"field": "票价", "op": "gte", "value": 2.5}).records) == 2
    assert names(query(table, filters={"field": "区", "op": "in", "value": ["白云区"]})) == [
        "白云山"
    ]
    assert len(query(table, filters={"field": "区", "op": "nin", "value": ["天河区"]}).records) == 3
    assert names(query(table, filters={"field": "站点", "op": "contains", "value": "客运"})) == [
        "天河客运站"
    ]
    assert names(query(table, filters={"field": "站点", "op": "startswith", "value": "北"})) == [
        "北京路"
    ]
    assert names(query(table, filters={"field": "线路数", "op": "isnull", "value": True})) == [
        "北京路"
    ]
    dates = {"field": "开通日期", "op": "gte", "value": "2020-01-01"}
    assert names(query(table, filters=dates)) == ["体育中心"]


def test_nested_and_or(table):
    tree = {
        "or": [
            {
                "and": [
                    {"field": "区", "op": "eq", "value": "天河区"},
                    {"field": "线路数", "op": "gt", "value": 10},
                ]
            },
            {"field": "区", "op": "eq", "value": "白云区"},
        ]
    }
    assert names(query(table, filters=tree)) == ["天河客运站", "白云山"]


def test_like_wildcards_in_values_are_literal(table):
    assert query(table, filters={"field": "站点", "op": "contains", "value": "%"}).records == []
    assert query(table, filters={"field": "站点", "op": "startswith", "value": "_"}).records == []


def test_full_text_in_chinese(table):
    assert names(query(table, q="客运")) == ["天河客运站"]
    assert set(names(query(table, q="越秀"))) == {"公园前", "北京路"}


def test_projection_sort_and_lists(table):
    result = query(table, fields="站点,线路数", sort="-线路数", records_format="lists")
    assert [f["id"] for f in result.fields] == ["站点", "线路数"]
    assert result.records[0] == ["公园前", 15]
    assert result.records[-1] == ["北京路", None]  # NULLS LAST


def test_keyset_paging_across_ties_visits_every_row_once(table):
    seen, cursor = [], None
    while True:
        params = {"sort": "区,票价 desc", "limit": 2}
        if cursor:
            params["cursor"] = cursor
        result = query(table, **params)
        seen += names(result)
        cursor = result.next_cursor
        if not cursor:
            break
    assert sorted(seen) == sorted(["天河客运站", "体育中心", "公园前", "北京路", "白云山"])
    assert len(seen) == 5


def test_a_tampered_or_foreign_cursor_is_refused(table):
    cursor = query(table, limit=1, sort="区").next_cursor
    with pytest.raises(QueryProblem) as exc:
        query(table, limit=1, sort="区", cursor=cursor[:-2] + "xx")
    assert exc.value.type_slug == "invalid_cursor"
    with pytest.raises(QueryProblem):
        query(table, limit=1, sort="站点", cursor=cursor)


def test_totals_exact_estimate_and_none(table):
    exact = query(table, filters={"区": "天河区"}, total="exact")
    assert (exact.total, exact.total_estimated) == (2, False)
    estimate = query(table, filters={"区": "天河区"}, total="estimate")
    assert estimate.total_estimated is True and estimate.total >= 1
    assert query(table, total="none").total is None
    assert query(table, total="estimate").total == 5


def test_group_by_with_aggregates(table):
    result = query(
        table, group_by="区", aggregates="count:*,sum:线路数,avg:票价,max:开通日期", sort="-count"
    )
    first = result.records[0]
    assert first["区"] in ("天河区", "越秀区") and first["count"] == 2
    by = {r["区"]: r for r in result.records}
    assert by["天河区"]["sum_线路数"] == "20"  # numeric values are exact strings
    types = {f["id"]: f["type"] for f in result.fields}
    assert types == {
        "区": "text",
        "count": "integer",
        "sum_线路数": "numeric",
        "avg_票价": "numeric",
        "max_开通日期": "date",
    }
    assert by["越秀区"]["max_开通日期"] == "2018-06-01"


@pytest.mark.parametrize(
    ("params", "slug"),
    [
        ({"filters": {"站点; DROP TABLE x": 1}}, "unknown_field"),
        ({"filters": {"field": "站点", "op": "regex", "value": "x"}}, "unknown_operator"),
        ({"filters": {"线路数": "1 OR 1=1"}}, "invalid_value"),
        ({"filters": '{"线路数": '}, "invalid_json"),
        ({"sort": "站点; DROP TABLE x"}, "invalid_sort"),
        ({"sort": "(select 1)"}, "invalid_sort"),
        ({"sort": "(select_1)"}, "unknown_field"),
        ({"fields": "站点,pg_sleep(10)"}, "unknown_field"),
        ({"group_by": "区", "aggregates": "pg_sleep:线路数"}, "unknown_function"),
        (
            {
                "group_by": "区",
                "aggregates": [{"func": "sum", "field": "线路数", "as": 'x" FROM y --'}],
            },
            "invalid_alias",
        ),
        ({"group_by": "区", "aggregates": "sum:站点"}, "unsupported_function"),
        ({"limit": 100000}, "limit_too_large"),
        ({"offset": 10**9}, "offset_too_large"),
        ({"limit": "abc"}, "invalid_parameter"),
        ({"unknown": 1}, "unknown_parameter"),
        ({"filters": {"field": "线路数", "op": "contains", "value": "1"}}, "unsupported_operator"),
    ],
)
def test_injection_attempts_and_bad_parameters_are_clean_problems(table, params, slug):
    with pytest.raises(QueryProblem) as exc:
        query(table, **params)
    assert exc.value.type_slug == slug
    assert exc.value.status == 400


def test_unknown_field_lists_the_allowed_fields(table):
    with pytest.raises(QueryProblem) as exc:
        query(table, fields="nope")
    assert exc.value.extra["allowed_fields"] == ["站点", "区", "线路数", "票价", "开通日期"]


def test_values_are_bound_so_quotes_are_data(table):
    assert query(table, filters={"站点": "x' OR '1'='1"}).records == []


def test_a_slow_query_hits_the_statement_timeout(table, settings):
    settings.DATASTORE_STATEMENT_TIMEOUT_MS = 100
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO datastore."{table.table_name}" (c1, c2, c4) '
            "SELECT md5(g::text), '天河区', 1 FROM generate_series(1, 400000) g"
        )
    with pytest.raises(QueryTimeout):
        query(
            table,
            filters={"field": "站点", "op": "contains", "value": "zz"},
            total="exact",
            sort="站点",
        )


def test_queries_run_as_the_read_only_role(table):
    from django.db import connection

    from portal.datastore.execute import read_only

    with read_only() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == "datastore_reader"
        from django.db import DatabaseError

        with pytest.raises(DatabaseError), __import__("django").db.transaction.atomic():
            cursor.execute(f'DELETE FROM datastore."{table.table_name}"')
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] != "datastore_reader"


def test_exports_stream_csv_and_jsonl(table):
    body = b"".join(export(table, parse(table, {"sort": "线路数"}), "csv")).decode("utf-8-sig")
    lines = body.strip().split("\r\n")
    assert lines[0] == "站点,区,线路数,票价,开通日期" and len(lines) == 6
    jsonl = b"".join(export(table, parse(table, {"filters": {"区": "白云区"}}), "jsonl"))
    assert (
        jsonl.decode().strip()
        == '{"站点": "白云山", "区": "白云区", "线路数": 5, "票价": "1.5", "开通日期": null}'
    )
