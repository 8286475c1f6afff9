"""Uploading files through the services: generated storage keys, hashes, previews and row
counts computed from the stored file, immutable versions, and the dataset's file facts."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from portal import services
from portal.models import Dataset, Distribution, DistributionVersion
from portal.tabular import delimited_row_count
from registry.errors import NotFound, ValidationFailed
from tests.conftest import at
from tests.portal.publishing_helpers import NOW, add_file, new_version, publish, xlsx_bytes


@pytest.fixture
def dataset(world) -> Dataset:
    return publish(world)


def stored_files(settings) -> list[str]:
    root = settings.MEDIA_ROOT / "portal" / "files"
    return [str(p) for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_an_upload_is_stored_under_a_generated_key_with_its_facts(world, dataset):
    content = "线路,站点\n1路,火车站\n2路,天河\n".encode()

    version = add_file(world, dataset, content=content, name="../公交 站点.csv")

    assert re.fullmatch(r"portal/files/2026/04/[0-9a-f]{32}\.csv", version.file.name)
    assert version.original_name == "公交 站点.csv"
    assert (version.number, version.format, version.media_type) == (1, "CSV", "text/csv")
    assert version.size == len(content)
    assert version.sha256 == hashlib.sha256(content).hexdigest()
    assert version.encoding == "utf-8"
    assert version.uploaded_by == world.holder and version.uploaded_at == NOW
    with default_storage.open(version.file.name, "rb") as stored:
        assert stored.read() == content


def test_a_csv_gets_a_preview_and_a_row_count(world, dataset):
    rows = "\n".join(f"{n},站点{n}" for n in range(1, 26))
    version = add_file(world, dataset, content=f"编号,名称\n{rows}\n".encode())

    assert version.row_count == 25
    assert version.preview["columns"] == ["编号", "名称"]
    assert len(version.preview["rows"]) == 20
    assert version.preview["rows"][0] == ["1", "站点1"]


def test_the_byte_order_mark_is_not_part_of_the_first_column_name(world, dataset):
    version = add_file(world, dataset, content="\ufeff编号,名称\n1,甲\n".encode())

    assert version.encoding == "utf-8-sig"
    assert version.preview["columns"] == ["编号", "名称"]
    assert version.row_count == 1


def test_a_gbk_csv_is_previewed_in_chinese(world, dataset):
    content = "编号,单位名称\n1,广州市交通运输局\n2,天河区\n".encode("gbk")

    version = add_file(world, dataset, content=content, name="gbk.csv")

    assert version.encoding == "gb18030"
    assert version.preview == {
        "columns": ["编号", "单位名称"],
        "rows": [["1", "广州市交通运输局"], ["2", "天河区"]],
    }
    assert version.row_count == 2


def test_ragged_rows_are_padded_and_extra_cells_get_column_names(world, dataset):
    content = b"a,b,c\n1\n1,2,3,4\n\n5,6,7\n"

    version = add_file(world, dataset, content=content)

    assert version.preview["columns"] == ["a", "b", "c", "column_4"]
    assert version.preview["rows"] == [
        ["1", "", "", ""],
        ["1", "2", "3", "4"],
        ["5", "6", "7", ""],
    ]
    assert version.row_count == 3  # the blank line is not a row


def test_quoted_line_breaks_and_long_cells(world, dataset):
    long = "长" * 300
    content = f'a,b\n"第一行\n第二行",{long}\n"x ""引号""",2\n'.encode()

    version = add_file(world, dataset, content=content)

    assert version.row_count == 2
    assert version.preview["rows"][0] == ["第一行\n第二行", "长" * 200]
    assert version.preview["rows"][1][0] == 'x "引号"'


def test_a_tsv_is_previewed_with_tabs(world, dataset):
    version = add_file(world, dataset, content=b"a\tb\n1\t2\n", name="t.tsv")

    assert version.format == "TSV"
    assert version.preview == {"columns": ["a", "b"], "rows": [["1", "2"]]}


def test_an_xlsx_is_previewed_and_counted_in_read_only_mode(world, dataset):
    import datetime as dt

    rows = [["编号", "日期", "金额"]] + [[n, dt.date(2026, 1, n), n * 1.5] for n in range(1, 31)]

    version = add_file(world, dataset, content=xlsx_bytes(rows), name="表.xlsx")

    assert version.format == "XLSX"
    assert version.row_count == 30
    assert version.preview["columns"] == ["编号", "日期", "金额"]
    assert version.preview["rows"][0] == ["1", "2026-01-01T00:00:00", "1.5"]
    assert len(version.preview["rows"]) == 20


def test_a_json_array_of_objects_is_a_table(world, dataset):
    items = [{"id": n, "name": f"站{n}", "tags": ["a"]} for n in range(1, 31)]
    items[1]["extra"] = None

    version = add_file(
        world, dataset, content=json.dumps(items, ensure_ascii=False).encode(), name="a.json"
    )

    assert version.row_count == 30
    assert version.preview["columns"] == ["id", "name", "tags", "extra"]
    assert version.preview["rows"][0] == ["1", "站1", '["a"]', ""]


def test_json_that_is_not_an_array_of_objects_has_no_preview(world, dataset):
    version = add_file(world, dataset, content=b'{"a": [1, 2]}', name="o.json")

    assert version.preview is None and version.row_count is None


def test_a_pdf_has_no_preview(world, dataset):
    version = add_file(world, dataset, content=b"%PDF-1.4\n%%EOF\n", name="说明.pdf")

    assert (version.format, version.preview, version.row_count) == ("PDF", None, None)


def test_a_new_upload_is_a_new_version_and_the_old_one_stays(world, dataset):
    first = add_file(world, dataset, content=b"a\n1\n")
    distribution = first.distribution

    second = new_version(world, distribution, content=b"a\n1\n2\n", now=at(2026, 5, 1))

    distribution.refresh_from_db()
    assert second.number == 2
    assert distribution.current_version == second
    assert second.file.name != first.file.name
    first.refresh_from_db()
    with default_storage.open(first.file.name, "rb") as stored:
        assert stored.read() == b"a\n1\n"
    assert list(distribution.versions.values_list("number", flat=True)) == [2, 1]


def test_the_dataset_keeps_its_formats_and_data_dates(world, dataset):
    add_file(world, dataset, content=b"a\n1\n", now=at(2026, 4, 2))
    add_file(world, dataset, content=b"%PDF-1.4\n", name="x.pdf", now=at(2026, 4, 3))

    dataset.refresh_from_db()
    assert dataset.formats == ["CSV", "PDF"]
    assert dataset.data_updated_at == at(2026, 4, 3)
    assert dataset.update_due_at == at(2026, 5, 6)  # monthly + 3 days' grace


def test_columns_of_tabular_files_are_searchable(world, dataset):
    add_file(world, dataset, content="泊位数量,收费标准\n1,2\n".encode())

    dataset.refresh_from_db()
    assert "'泊位'" in str(dataset.search_vector)


def test_a_refused_file_leaves_no_distribution_and_no_stored_file(world, dataset, settings):
    with pytest.raises(ValidationFailed) as exc:
        add_file(world, dataset, content=b"<html><body>login</body></html>")

    assert exc.value.errors == {"file": ["The content is HTML, not CSV."]}
    assert not Distribution.objects.exists()
    assert stored_files(settings) == []


def test_the_stored_file_is_removed_when_the_database_write_fails(
    world, dataset, settings, monkeypatch
):
    import portal.services.files as files

    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(files, "_refresh_dataset_files", broken)
    with pytest.raises(RuntimeError):
        add_file(world, dataset)

    assert not DistributionVersion.objects.exists()
    assert stored_files(settings) == []


def test_an_empty_distribution_can_be_created_and_uploaded_to(world, dataset):
    distribution = services.distribution_create(
        actor=world.holder, dataset=dataset, title="  年度汇总 ", description="按年", now=NOW
    )

    version = new_version(world, distribution, content=b"a\n1\n")

    assert distribution.title == "年度汇总" and distribution.position == 1
    assert version.number == 1


def test_a_distribution_needs_a_title(world, dataset):
    with pytest.raises(ValidationFailed) as exc:
        services.distribution_create(actor=world.holder, dataset=dataset, title=" ", now=NOW)

    assert exc.value.errors == {"title": ["This field is required."]}


def test_other_organisations_cannot_upload(world, dataset):
    version = add_file(world, dataset)

    with pytest.raises(NotFound):
        new_version(world, version.distribution, content=b"a\n", user=world.other_holder)

    assert version.distribution.versions.count() == 1


def test_any_django_file_can_be_uploaded(world, dataset):
    upload = ContentFile(b"x,y\n1,2\n", name="from-code.csv")

    version = services.distribution_create_with_file(
        actor=world.holder, dataset=dataset, title="代码上传", upload=upload, now=NOW
    )

    assert version.row_count == 1 and version.original_name == "from-code.csv"


def test_uploads_over_the_limit_are_refused_by_the_service(world, dataset, settings):
    settings.PORTAL_UPLOAD_MAX_BYTES = 5

    with pytest.raises(ValidationFailed) as exc:
        add_file(world, dataset, content=b"a,b\n1,2\n")

    assert exc.value.errors == {"file": ["The file is larger than the limit of 5 bytes."]}


# --------------------------------------------------------------------------- row counting


@pytest.mark.parametrize(
    "content",
    [
        b"a,b\n1,2\n3,4",
        b"a,b\r\n1,2\r\n\r\n3,4\r\n",
        b'a,b\n"x\n\ny",2\n"",3\n',
        b'a,b\n12" screen,3\n4,5\n',
        b'a,b\n"q""\n""",1\n\n\n',
        'a,b\n"中\n文",2\n'.encode("gb18030"),
    ],
)
def test_the_byte_level_row_count_agrees_with_the_csv_module(content):
    text = (
        content.decode("utf-8", errors="ignore")
        if b"\xd6" not in content
        else content.decode("gb18030")
    )
    expected = sum(1 for row in csv.reader(io.StringIO(text, newline="")) if row) - 1

    assert delimited_row_count(io.BytesIO(content)) == expected


def test_the_row_count_spans_block_boundaries(monkeypatch):
    import portal.tabular as tabular

    monkeypatch.setattr(tabular, "BLOCK_BYTES", 7)
    content = b'h\n"a\nb"\n\n' * 50 + b"last"

    expected = sum(1 for row in csv.reader(io.StringIO(content.decode(), newline="")) if row) - 1
    assert expected == 100
    assert delimited_row_count(io.BytesIO(content)) == expected
