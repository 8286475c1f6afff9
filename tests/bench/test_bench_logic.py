"""The benchmark's own logic: figures, targets, the results document, the generator, the
configuration, the wrk parser. No database, no servers: fast."""

import json
import math

import pytest

from bench import config, datagen, httpload, results
from bench.stats import Target, latency_of_rounds, percentile, ratio


def test_percentiles_interpolate_between_closest_ranks():
    values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    assert percentile(values, 50) == 5.5
    assert percentile(values, 0) == 1 and percentile(values, 100) == 10
    assert percentile(values, 99) == pytest.approx(9.91)
    assert percentile([7], 99) == 7
    with pytest.raises(ValueError):
        percentile([], 50)


def test_latency_takes_the_median_of_each_rounds_percentiles():
    rounds = [[0.001] * 99 + [0.1], [0.002] * 100, [0.003] * 100]
    latency = latency_of_rounds(rounds)
    assert latency.p50_ms == pytest.approx(2.0)
    assert latency.rounds_p99_ms[0] == pytest.approx(1.99, abs=0.01)
    assert latency.p99_ms == pytest.approx(2.0)
    assert latency.samples == 300


def test_ratio_never_divides_by_zero():
    assert ratio(3, 2) == 1.5
    assert math.isinf(ratio(1, 0)) and ratio(0, 0) == 1.0


@pytest.mark.parametrize(
    ("value", "target", "op", "met"),
    [
        (0.8, 0.8, ">=", True),
        (0.79, 0.8, ">=", False),
        (2.0, 2.0, "<=", True),
        (2.01, 2.0, "<=", False),
        (float("nan"), 1.0, "<=", False),
    ],
)
def test_a_target_is_met_only_on_the_right_side_of_its_bound(value, target, op, met):
    assert Target("x", value, target, op).met is met


def test_a_target_refuses_an_unknown_comparison():
    with pytest.raises(ValueError):
        Target("x", 1.0, 1.0, "<")


def _doc(targets):
    return results.build(
        started_at="a",
        finished_at="b",
        machine={"cpus": 2},
        sizes={"rows": 10},
        measurements={"_shown": {"ingest-load": {"platform": "1 rows/s", "raw": "2 rows/s"}}},
        targets=targets,
    )


def test_the_results_document_has_each_target_with_a_boolean_met_and_is_json():
    doc = _doc([Target("ingest-load", 0.5, 0.8, ">="), Target("paging", float("inf"), 1.2, "<=")])
    assert [t["id"] for t in doc["targets"]] == ["ingest-load", "paging"]
    assert [t["met"] for t in doc["targets"]] == [False, False]
    assert doc["summary"] == {"targets": 2, "met": 0, "missed": ["ingest-load", "paging"]}
    again = json.loads(json.dumps(doc))  # infinity is written as text, not as invalid JSON
    assert again["targets"][1]["ratio"] == "inf"


def test_the_results_check_refuses_duplicates_and_missing_fields():
    with pytest.raises(ValueError):
        _doc([Target("a", 1, 1, ">="), Target("a", 2, 1, ">=")])
    doc = _doc([Target("a", 1, 1, ">=")])
    del doc["targets"][0]["met"]
    with pytest.raises(ValueError):
        results.check(doc)


def test_the_markdown_table_shows_every_target_and_the_missed_ones_in_bold(tmp_path):
    doc = _doc([Target("ingest-load", 0.5, 0.8, ">="), Target("paging", 1.0, 1.2, "<=")])
    json_path, md_path = results.write(doc, tmp_path)
    text = md_path.read_text()
    assert "| ingest-load | 1 rows/s | 2 rows/s | 0.5 | >= 0.8 | **no** |" in text
    assert "| paging |" in text and "1 of 2 targets met." in text
    assert json.loads(json_path.read_text())["summary"]["met"] == 1


def test_the_generator_is_deterministic_and_has_every_column_kind():
    first = list(datagen.csv_rows(2000))
    assert first == list(datagen.csv_rows(2000))
    assert first != list(datagen.csv_rows(2000, seed=1))
    assert first[0].rstrip("\n").split(",") == datagen.CSV_HEADER
    rows = [line.rstrip("\n").split(",") for line in first[1:]]
    assert [int(r[0]) for r in rows] == list(range(1, 2001))
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in r[1]) for r in rows)
    assert all(len(r[2]) == 10 and r[2][4] == "-" for r in rows)
    assert all("." in r[3] and len(r[3].split(".")[1]) == 2 for r in rows)
    assert any(r[5].startswith("0") for r in rows) and all(len(r[5]) == 12 for r in rows)
    shares = {c: sum(r[4] == c for r in rows) / len(rows) for c in datagen.CATEGORIES}
    assert shares["交通"] > 0.4 and shares["信用"] < 0.02  # skewed


def test_a_generated_file_is_reused_only_while_its_manifest_matches(tmp_path):
    path = datagen.write_csv(tmp_path / "t.csv", 100)
    stamp = path.stat().st_mtime_ns
    assert datagen.write_csv(path, 100).stat().st_mtime_ns == stamp
    path.write_text("changed")
    assert datagen.write_csv(path, 100).read_text().count("\n") == 101
    binary = datagen.write_binary(tmp_path / "b.bin", 3 << 20)
    assert binary.stat().st_size == 3 << 20
    assert binary.read_bytes() == datagen.write_binary(tmp_path / "c.bin", 3 << 20).read_bytes()


def test_the_catalogue_has_rare_medium_and_common_query_words():
    records = list(datagen.catalogue_records(25_000))
    titles = [r.title for r in records]
    assert titles == [r.title for r in datagen.catalogue_records(25_000)]
    common = sum("公共交通" in t for t in titles) / len(titles)
    medium = sum("空气质量" in t for t in titles) / len(titles)
    rare = sum("鸬鹚" in t for t in titles)
    assert 0.08 < common < 0.15 and 0.03 < medium < 0.08 and 1 <= rare <= 3


def test_quick_mode_is_small_and_sizes_come_from_the_environment():
    quick = config.from_env({"BENCH_QUICK": "1"})
    assert quick.quick and quick.rows == 50_000 and quick.rounds >= 3
    full = config.from_env({"BENCH_QUICK": "", "BENCH_ROWS": "1_000"})
    assert not full.quick and full.rows == 1000 and full.file_size == 1 << 30
    assert config.from_env({"BENCH_ROUNDS": "1"}).rounds == 3  # never fewer than three
    with pytest.raises(ValueError):
        config.from_env({"BENCH_ROWS": "0"})


def test_the_bench_database_is_never_the_base_one():
    base = "postgres://postgres@127.0.0.1:5432/dev9"
    assert config.bench_database_url(base).endswith("/dev9_bench")
    assert config.bench_database_url(base + "_bench").endswith("/dev9_bench")
    assert config.bench_database_url(base, "postgres://x/y") == "postgres://x/y"


WRK = """Running 2s test @ http://127.0.0.1:8000/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     4.21ms    1.10ms  20.00ms   90.00%
  Latency Distribution
     50%    3.90ms
     75%    4.50ms
     90%    5.20ms
     99%    1.20s
  3600 requests in 2.00s, 1.00MB read
  Socket errors: connect 0, read 1, write 0, timeout 2
  Non-2xx or 3xx responses: 4
Requests/sec:   1799.50
Transfer/sec:      0.50MB
"""


def test_wrk_output_is_read_in_milliseconds_with_every_failure_counted():
    result = httpload.parse_wrk(WRK)
    assert result.rps == 1799.5 and result.requests == 3600
    assert result.p50_ms == 3.9 and result.p99_ms == 1200.0
    assert result.errors == 7
