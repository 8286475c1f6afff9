"""Which previews get a chart on the dataset page, and what it shows."""

from __future__ import annotations

import pytest

from portal.preview_chart import chart_for_preview


def test_labels_and_a_measure_make_a_bar_chart_over_the_names_not_the_codes():
    chart = chart_for_preview(
        {
            "columns": ["线路编号", "站点名称", "日客流量"],
            "rows": [["001", "天河", 1200], ["002", "越秀", "3,400"]],
        }
    )
    assert chart == {
        "type": "bar",
        "x_name": "站点名称",
        "labels": ["天河", "越秀"],
        "series": [{"name": "日客流量", "data": [1200.0, 3400.0]}],
    }


@pytest.mark.parametrize(
    ("column", "values"),
    [
        ("月份", ["2026-01", "2026-02"]),
        ("统计日期", ["2026/01/31", "2026/02/28"]),
        ("年度", ["2024", "2025"]),
        ("期间", ["2026年1月", "2026年2月"]),
        ("季度", ["2026Q1", "2026Q2"]),
    ],
)
def test_a_date_column_makes_a_line_chart(column, values):
    chart = chart_for_preview(
        {"columns": [column, "数量"], "rows": [[values[0], 1], [values[1], 2]]}
    )
    assert chart is not None
    assert chart["type"] == "line"
    assert chart["labels"] == values


def test_codes_years_and_leading_zeros_are_never_measures():
    preview = {
        "columns": ["名称", "邮编", "编号"],
        "rows": [["甲", "510000", "007"], ["乙", "510600", "008"]],
    }
    assert chart_for_preview(preview) is None


def test_negative_decimals_and_percentages_are_numbers():
    chart = chart_for_preview(
        {"columns": ["区", "增速"], "rows": [["甲", "-0.5"], ["乙", "12.5%"]]}
    )
    assert chart["series"][0]["data"] == [-0.5, 12.5]


def test_a_measure_on_a_tiny_scale_is_left_out_of_the_shared_axis():
    chart = chart_for_preview(
        {"columns": ["站点", "线路数", "客流量"], "rows": [["甲", 12, 35200], ["乙", 9, 28750]]}
    )
    assert [s["name"] for s in chart["series"]] == ["客流量"]


def test_at_most_three_series():
    columns = ["区", "a", "b", "c", "d"]
    chart = chart_for_preview(
        {"columns": columns, "rows": [["甲", 1, 2, 3, 4], ["乙", 2, 3, 4, 5]]}
    )
    assert [s["name"] for s in chart["series"]] == ["a", "b", "c"]


@pytest.mark.parametrize(
    "preview",
    [
        None,
        "not a dict",
        {"columns": ["a"], "rows": [[1], [2]]},
        {"columns": ["名称", "数量"], "rows": [["甲", 1]]},
        {"columns": ["名称", "数量"], "rows": "junk"},
        {"columns": ["名称", "说明"], "rows": [["甲", "x"], ["乙", "y"]]},
    ],
)
def test_previews_that_suit_no_chart_get_none(preview):
    assert chart_for_preview(preview) is None


def test_ragged_rows_and_missing_cells_become_gaps():
    chart = chart_for_preview(
        {"columns": ["区", "数量"], "rows": [["甲", 1], ["乙"], ["丙", None], ["丁", 4]]}
    )
    assert chart["series"][0]["data"] == [1.0, None, None, 4.0]


def test_station_numbers_and_constant_columns_are_not_charted():
    from portal.preview_chart import chart_for_preview

    preview = {
        "columns": ["区站号", "观测日期", "平均气温", "年份"],
        "rows": [["54511", f"2025-12-0{d}", str(d / 2), "2025"] for d in range(1, 8)],
    }
    chart = chart_for_preview(preview)
    assert chart is not None
    names = [s["name"] for s in chart["series"]]
    assert names == ["平均气温"]
