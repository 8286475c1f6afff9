"""Type inference (`reading.TypeInferrer`) against its definition: a column's type is the
strictest of integer, numeric, date, timestamp whose canonical form every non-empty value is
written in (`reading._fits`), else text. The inferrer's short paths (a text column skipped, one
pattern for integer columns, dates remembered once verified) must give the same answer for
every mix and order of values, rows shorter or longer than the header included."""

from __future__ import annotations

import random

import pytest

from portal.datastore.models import ColumnType
from portal.datastore.reading import _NARROWING, TypeInferrer, _fits

POOLS = {
    "integer": [
        "0",
        "-0",
        "7",
        "-12",
        "123456789012345678",
        "-999999999999999999",
        "9223372036854775807",
        "-9223372036854775808",
        "9223372036854775808",
    ],
    "numeric": ["1.5", "-0.25", "0.0000001", "12.30", "123456789012345678901234.5"],
    "not_numeric": ["00123", "+5", "1E5", "NaN", "1,000", ".5", "5.", "1.2.3", " 7", "Infinity"],
    "date": ["2024-01-05", "1999-12-31", "2020-02-29", "0999-01-01"],
    "bad_date": ["2023-02-29", "2024-13-01", "2024/1/5", "2024-1-5", "20240105"],
    "timestamp": ["2024-01-02 03:04:05", "2024-01-02T03:04:05", "2024-01-02 03:04:05.123456"],
    "bad_timestamp": ["2024-01-02 25:00:00", "2024-01-02 03:04", "2024-01-02 03:04:05.1234567"],
    "text": ["天河区", "abc", "2024-01-05 甲", "-"],
}


def _expected(values: list[str | None]) -> str:
    present = [v for v in values if v is not None]
    if not present:
        return ColumnType.TEXT
    for kind in _NARROWING:
        if all(_fits(kind, v) for v in present):
            return kind
    return ColumnType.TEXT


def _column(rng: random.Random, rows: int) -> list[str | None]:
    main = rng.choice(list(POOLS))
    stray = rng.choice(list(POOLS))
    out: list[str | None] = []
    for _ in range(rows):
        roll = rng.random()
        if roll < 0.1:
            out.append(None)
        elif roll < 0.97:
            out.append(rng.choice(POOLS[main]))
        else:
            out.append(rng.choice(POOLS[stray]))
    # A column whose every value is the main family's, now and then (the common case).
    if rng.random() < 0.4:
        out = [v if v is None else rng.choice(POOLS[main]) for v in out]
    return out


@pytest.mark.parametrize("seed", range(40))
def test_the_inferred_types_are_the_definitions(seed):
    rng = random.Random(seed)
    width, rows = rng.randint(1, 8), rng.randint(1, 300)
    columns = [_column(rng, rows) for _ in range(width)]
    inferrer = TypeInferrer(width)
    for r in range(rows):
        cells = [columns[c][r] for c in range(width)]
        if rng.random() < 0.05:  # a short row: the missing cells are empty
            cells = cells[: rng.randint(0, width)]
            for c in range(len(cells), width):
                columns[c][r] = None
        elif rng.random() < 0.05:  # a long row: cells beyond the header are not read
            cells = cells + ["文本", "12"]
        inferrer.add(cells)
    assert inferrer.types() == [_expected(column) for column in columns]


def test_a_date_column_remembers_only_values_that_fit():
    inferrer = TypeInferrer(1)
    for value in ["2024-01-05", "2024-01-05", "2024-02-30"]:
        inferrer.add([value])
    assert inferrer.types() == [ColumnType.TEXT]
    again = TypeInferrer(2)
    again.add(["2024-01-05", "1"])
    again.widen(3)
    again.add(["2024-01-05", "1.5", "3"])
    assert again.types() == [ColumnType.DATE, ColumnType.NUMERIC, ColumnType.INTEGER]
