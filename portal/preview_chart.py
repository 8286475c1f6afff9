"""Picks a chart for a tabular file's preview, when one suits it: a label or date column on the
category axis and up to three numeric measure columns, as a line chart over dates or a bar
chart over labels. Codes (编号, leading zeros) are never treated as measures.

The result is a plain dict for `json_script`; static/js/portal-charts.js draws it with ECharts.
Cell values are data, never markup: ECharts writes them as text.
"""

from __future__ import annotations

import re
from typing import Any

MAX_POINTS = 50
MAX_SERIES = 3
_CODE_NAME = re.compile(r"编号|代码|编码|序号|号码|站号|电话|邮编|证号|\bid\b|code|phone|zip", re.I)
_DATE_NAME = re.compile(r"日期|时间|年份|月份|年度|季度|date|time|year|month|quarter", re.I)
_DATE_VALUE = re.compile(
    r"^(\d{4})([-/.年](0?[1-9]|1[0-2])(月)?([-/.](0?[1-9]|[12]\d|3[01])日?)?)?$"
    r"|^\d{4}[-/]?Q[1-4]$|^\d{4}年(第?[一二三四1-4]季度)$"
)
_NUMBER = re.compile(r"^[-+]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?%?$")


def _cells(rows: list, index: int) -> list[str]:
    return [
        str(row[index]).strip() if index < len(row) and row[index] is not None else ""
        for row in rows
    ]


def _number(text: str) -> float | None:
    if not _NUMBER.match(text):
        return None
    return float(text.replace(",", "").rstrip("%"))


def _is_measure(name: str, cells: list[str]) -> bool:
    filled = [c for c in cells if c]
    if len(filled) < 2 or _CODE_NAME.search(name) or _DATE_NAME.search(name):
        return False
    for cell in filled:
        digits = cell.lstrip("-+")
        if len(digits) > 1 and digits[0] == "0" and digits[1] != ".":
            return False  # leading zeros: an identifier, not a quantity
    if len(set(filled)) == 1:
        return False  # the same value in every row (a station, a year): a flat line says nothing
    return all(_number(c) is not None for c in filled)


def _is_date(name: str, cells: list[str]) -> bool:
    filled = [c for c in cells if c]
    if not filled:
        return False
    return all(_DATE_VALUE.match(c) for c in filled) or (
        bool(_DATE_NAME.search(name)) and not all(_number(c) is not None for c in filled[:1])
    )


def chart_for_preview(preview: dict[str, Any] | None) -> dict[str, Any] | None:
    """{'type': 'line'|'bar', 'x_name', 'labels', 'series': [{'name', 'data'}]} or None."""
    if not isinstance(preview, dict):
        return None
    columns = [str(c) for c in preview.get("columns") or []]
    rows = [r for r in preview.get("rows") or [] if isinstance(r, list | tuple)][:MAX_POINTS]
    if len(rows) < 2 or len(columns) < 2:
        return None
    cells = {i: _cells(rows, i) for i in range(len(columns))}
    measures = [i for i in cells if _is_measure(columns[i], cells[i])][:MAX_SERIES]
    dates = [i for i in cells if i not in measures and _is_date(columns[i], cells[i])]
    # Names read better than codes on the category axis; codes are the fallback.
    labels = sorted(
        (i for i in cells if i not in measures and any(cells[i])),
        key=lambda i: bool(_CODE_NAME.search(columns[i])),
    )
    axis = dates[0] if dates else (labels[0] if labels else None)
    if axis is None or not measures:
        return None
    series = _comparable([(columns[i], [_number(c) for c in cells[i]]) for i in measures])
    return {
        "type": "line" if dates else "bar",
        "x_name": columns[axis],
        "labels": cells[axis],
        "series": [{"name": name, "data": data} for name, data in series],
    }


def _comparable(series: list[tuple[str, list[float | None]]]) -> list[tuple[str, list]]:
    """The measures on the scale of the largest one: a column of tens next to one of tens of
    thousands would draw as an invisible line on a shared axis."""

    def peak(data: list[float | None]) -> float:
        return max((abs(v) for v in data if v is not None), default=0.0)

    top = max(peak(data) for _, data in series)
    return [s for s in series if peak(s[1]) >= top / 10] if top else series[:1]
