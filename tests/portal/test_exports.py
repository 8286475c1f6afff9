"""Bulk metadata exports: the catalogue as streamed CSV (Excel-safe) and JSON, and one dataset's
metadata.json."""

from __future__ import annotations

import csv
import io
import json

import pytest

from portal.models import Dataset, DatasetStatus
from portal.standards import exports
from tests.conftest import at
from tests.portal.factories import add_file, make_dataset


def body_of(response) -> bytes:
    assert response.status_code == 200, response.content[:500]
    assert response.streaming
    return b"".join(response.streaming_content)


@pytest.fixture
def hostile(world):
    """A dataset whose holder-written fields try spreadsheet formula injection."""
    dataset = make_dataset(
        world,
        title='=HYPERLINK("http://evil.example","点我")',
        description="+cmd|' /C calc'!A0",
        tags=["@SUM(1+1)", "-2+3", "正常标签"],
        contact_phone="+86-20-12345678",
    )
    add_file(dataset, name="x.csv")
    return dataset


def test_the_csv_is_utf8_with_bom_and_parses_back_with_chinese_intact(client, world):
    bus = make_dataset(world, title="广州市公交站点", tags=["公交", "交通"], now=at(2026, 4, 1))
    add_file(bus, name="stops.csv")
    response = client.get("/catalogue.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="catalogue-')
    assert disposition.endswith('.csv"')
    raw = body_of(response)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 1
    row = rows[0]
    assert list(row) == list(exports.COLUMNS)
    assert row["title"] == "广州市公交站点"
    assert row["organization"] == "广州市交通运输局"
    assert row["tags"] == "公交;交通"
    assert row["registration_code"] == bus.resource.code
    assert row["formats"] == "CSV" and row["num_resources"] == "1"
    assert row["metadata_created"] == "2026-04-01T10:00:00+08:00"
    assert row["url"] == f"http://testserver/datasets/{bus.slug}/"
    assert row["metadata_url"] == f"http://testserver/datasets/{bus.slug}/metadata.json"


def test_csv_cells_that_look_like_formulas_are_neutralised(client, hostile):
    raw = body_of(client.get("/catalogue.csv"))
    row = next(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert row["title"] == '\'=HYPERLINK("http://evil.example","点我")'
    assert row["description"] == "'+cmd|' /C calc'!A0"
    assert row["tags"] == "'@SUM(1+1);-2+3;正常标签"
    for value in row.values():
        assert not value.startswith(("=", "+", "-", "@"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@x", "'@x"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("普通文本", "普通文本"),
        (None, ""),
        (12, "12"),
    ],
)
def test_formula_like_cells_get_an_apostrophe(value, expected):
    assert exports.neutralise(value) == expected


def test_the_export_streams_every_published_dataset_in_batches(client, world, monkeypatch):
    monkeypatch.setattr(exports, "BATCH", 2)
    made = [make_dataset(world, title=f"批次数据集{i}") for i in range(5)]
    Dataset.objects.filter(pk=made[2].pk).update(status=DatasetStatus.WITHDRAWN)
    response = client.get("/catalogue.csv")
    chunks = list(response.streaming_content)
    assert len(chunks) >= 3  # header, then one chunk per batch
    rows = list(csv.DictReader(io.StringIO(b"".join(chunks).decode("utf-8-sig"))))
    assert [r["name"] for r in rows] == [d.slug for i, d in enumerate(made) if i != 2]


def test_the_json_catalogue_is_a_list_of_metadata_documents(client, world, monkeypatch):
    monkeypatch.setattr(exports, "BATCH", 1)
    made = [make_dataset(world, title=f"JSON数据集{i}") for i in range(3)]
    response = client.get("/catalogue.json")
    assert response["Content-Disposition"].endswith('.json"')
    documents = json.loads(body_of(response))
    assert [d["name"] for d in documents] == [d.slug for d in made]
    assert documents[0]["title"] == "JSON数据集0"


def test_metadata_json_is_package_show_plus_registration(client, world):
    dataset = make_dataset(world, title="广州市公交站点")
    add_file(dataset, name="stops.csv")
    response = client.get(f"/datasets/{dataset.slug}/metadata.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    document = json.loads(response.content)
    package = json.loads(client.get("/api/3/action/package_show", {"id": dataset.slug}).content)
    assert {k: document[k] for k in package["result"]} == package["result"]
    registration = document["registration"]
    assert registration["code"] == dataset.resource.code
    assert registration["status"] == "active"
    assert registration["record_url"].endswith(f"/registry/records/{dataset.resource.code}/")
    metadata = registration["metadata"]
    assert metadata["coverage_regions"] == [{"code": "440100", "name": "广州市"}]
    assert metadata["data_items"][0]["name"] == "线路编号"
    assert "contact_phone" not in metadata  # the registry keeps its contact person private
    assert document["links"]["turtle"] == f"http://testserver/datasets/{dataset.slug}.ttl"


def test_metadata_json_of_a_withdrawn_dataset_is_a_404_problem(client, world):
    dataset = make_dataset(world)
    Dataset.objects.filter(pk=dataset.pk).update(status=DatasetStatus.WITHDRAWN)
    response = client.get(f"/datasets/{dataset.slug}/metadata.json")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")


def test_an_empty_catalogue_exports_just_the_header(client, db):
    raw = body_of(client.get("/catalogue.csv"))
    assert raw.decode("utf-8-sig").strip() == ",".join(exports.COLUMNS)
    assert json.loads(body_of(client.get("/catalogue.json"))) == []
