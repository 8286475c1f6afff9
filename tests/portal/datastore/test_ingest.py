import io

import pytest
from django.db import connection
from openpyxl import Workbook

from portal.datastore.models import IngestStatus
from tests.portal.datastore.conftest import add_version, load


def rows_of(table, order="_id"):
    with connection.cursor() as cursor:
        cols = ", ".join(f'"{c["column"]}"' for c in table.columns)
        cursor.execute(f'SELECT {cols} FROM datastore."{table.table_name}" ORDER BY {order}')
        return cursor.fetchall()


def types_of(table):
    return {c["label"]: c["type"] for c in table.columns}


@pytest.mark.smoke
def test_a_csv_is_loaded_with_lossless_types(dataset):
    csv = (
        "编号,站点名称,线路数,票价,开通日期,更新时间,坐标\n"
        "00123,天河客运站,12,2.5,2019-05-01,2026-01-02 08:00:00,1E5\n"
        "00456,体育中心,8,2,2020-11-30,2026-01-02 09:30:00,NaN\n"
    ).encode()
    job, table = load(dataset, csv)
    assert job.status == IngestStatus.SUCCEEDED, job.error
    assert types_of(table) == {
        "编号": "text",
        "站点名称": "text",
        "线路数": "integer",
        "票价": "numeric",
        "开通日期": "date",
        "更新时间": "timestamp",
        "坐标": "text",
    }
    first = rows_of(table)[0]
    assert first[0] == "00123" and first[6] == "1E5"
    assert table.row_count == 2 and job.rows_loaded == 2


def test_gbk_and_bom_files_decode(dataset):
    job, table = load(dataset, "名称,数量\n广州塔,3\n".encode("gbk"))
    assert job.status == IngestStatus.SUCCEEDED, job.error
    assert rows_of(table) == [("广州塔", 3)]
    job, table = load(dataset, "\ufeff名称,数量\n白云山,4\n".encode())
    assert [c["label"] for c in table.columns] == ["名称", "数量"]


def test_a_400_digit_number_is_numeric_and_exact(dataset):
    big = "9" * 400
    job, table = load(dataset, f"v\n{big}\n1\n".encode())
    assert types_of(table) == {"v": "numeric"}
    assert str(rows_of(table)[0][0]) == big


def test_mixed_dates_and_mixed_values_stay_text(dataset):
    job, table = load(dataset, b"d,m\n2024-01-05,1\n2024/01/06,x\n")
    assert types_of(table) == {"d": "text", "m": "text"}


def test_hostile_duplicate_and_empty_headers_get_safe_ids(dataset):
    header = '"a""; DROP TABLE x; --",名称,名称,,' + "长" * 300 + "\n"
    job, table = load(dataset, (header + "1,2,3,4,5\n").encode())
    assert job.status == IngestStatus.SUCCEEDED, job.error
    ids = [c["id"] for c in table.columns]
    assert len({i.lower() for i in ids}) == 5
    assert ids[1] == "名称" and ids[2] == "名称_2" and ids[3] == "field_4"
    assert all(len(i) <= 60 for i in ids)
    assert [c["column"] for c in table.columns] == ["c1", "c2", "c3", "c4", "c5"]
    assert table.columns[0]["label"] == 'a"; DROP TABLE x; --'


def test_ragged_rows_fail_with_line_numbers_and_short_rows_are_padded(dataset):
    job, table = load(dataset, b"a,b\n1,2\n3\n4,5,6\n7,8\n")
    assert job.status == IngestStatus.FAILED
    assert job.error["lines"] == [{"line": 4, "problem": "3 cells, the header has 2"}]
    assert table is None
    job, table = load(dataset, b"a,b\n1,2\n3\n")
    assert job.status == IngestStatus.SUCCEEDED
    assert rows_of(table) == [(1, 2), (3, None)]


def test_nul_bytes_are_refused(dataset):
    job, table = load(dataset, b"a,b\n1,\x002\n")
    assert job.status == IngestStatus.FAILED
    assert "NUL" in job.error["message"]


def test_a_failed_load_leaves_the_previous_version_live(dataset):
    job, table = load(dataset, b"n\n1\n2\n")
    distribution = table.distribution
    version, job2 = add_version(distribution, b"n\n1\n2\n3,4\n")
    assert job2.status == IngestStatus.FAILED
    table.refresh_from_db()
    assert table.version.number == 1 and rows_of(table) == [(1,), (2,)]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname='datastore' AND tablename LIKE %s",
            [f"s{distribution.pk}_%"],
        )
        assert cursor.fetchone()[0] == 0
    version, job3 = add_version(distribution, b"n\n5\n")
    table.refresh_from_db()
    assert job3.status == IngestStatus.SUCCEEDED and table.version.number == 3
    assert rows_of(table) == [(5,)]


def test_type_overrides_force_text_and_values_that_do_not_fit_fail(dataset):
    job, table = load(dataset, b"code,n\n1,1\n2,x\n", overrides={"code": "text"})
    assert types_of(table)["code"] == "text"
    job, table = load(dataset, b"code,n\n1,1\n2,x\n", overrides={"n": "integer"})
    assert job.status == IngestStatus.FAILED
    assert job.error["lines"][0]["line"] == 3


def test_xlsx_and_json_arrays_load(dataset):
    wb = Workbook()
    ws = wb.active
    ws.append(["区", "人口"])
    ws.append(["天河区", 2241826])
    ws.append(["越秀区", 1038672])
    buffer = io.BytesIO()
    wb.save(buffer)
    job, table = load(dataset, buffer.getvalue(), name="p.xlsx", fmt="XLSX")
    assert job.status == IngestStatus.SUCCEEDED, job.error
    assert types_of(table) == {"区": "text", "人口": "integer"}
    job, table = load(dataset, b'[{"a": "01", "b": 2}, {"a": "02", "c": true}]', fmt="JSON")
    assert job.status == IngestStatus.SUCCEEDED, job.error
    assert rows_of(table) == [("01", 2, None), ("02", None, "true")]
