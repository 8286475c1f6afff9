"""The public dataset page: metadata, registration code, data dictionary, files with version
history, escaped preview, chart, developer snippets, conditional notice, DCAT negotiation."""

from __future__ import annotations

import hashlib
import json
import re
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from portal.models import Dataset, DatasetStatus, DistributionVersion
from tests.conftest import at, make_user
from tests.portal.factories import add_file, make_dataset

PREVIEW = {
    "columns": ["站点名称", "线路编号", "日客流量"],
    "rows": [["天河客运站", "001", 1200], ["体育中心", "002", "3,400"], ["珠江新城", "003", None]],
}


def html(response) -> str:
    return response.content.decode()


def add_version(version: DistributionVersion, content: bytes, *, now) -> DistributionVersion:
    """A newer version of the same distribution, made current."""
    dist = version.distribution
    key = default_storage.save(f"portal/files/{uuid.uuid4().hex}", ContentFile(content))
    newer = DistributionVersion.objects.create(
        distribution=dist,
        number=version.number + 1,
        file=key,
        original_name=version.original_name,
        media_type=version.media_type,
        format=version.format,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        preview=version.preview,
        uploaded_by=version.uploaded_by,
        uploaded_at=now,
    )
    dist.current_version = newer
    dist.save(update_fields=["current_version"])
    return newer


@pytest.fixture
def bus(world):
    dataset = make_dataset(
        world,
        title="广州市公交线路站点",
        description="## 说明\n\n全市**公交**线路和站点位置，详见[交通运输局](https://jtj.gz.gov.cn/)。",
        tags=["公交", "站点"],
        contact_email="data@example.cn",
    )
    first = add_file(dataset, content=b"a" * 2048, preview=PREVIEW)
    DistributionVersion.objects.filter(pk=first.pk).update(download_count=3)
    add_version(first, b"b" * 3 * 1024 * 1024, now=at(2026, 5, 1))
    return Dataset.objects.get(pk=dataset.pk)


def test_the_page_shows_all_metadata_without_login(client, bus, world):
    response = client.get(reverse("dataset-detail", args=[bus.slug]))

    assert response.status_code == 200
    page = html(response)
    record = bus.resource
    record.refresh_from_db()
    assert f"<h1>{bus.title}</h1>" in page
    assert (
        f'href="{reverse("organisation-detail", args=[world.holder_org.pk])}">广州市交通运输局'
        in page
    )
    assert f'href="{reverse("region-detail", args=["440000"])}">广州市</a>' in page
    assert '?theme=transport">交通出行' in page
    assert '?industry=G">G 交通运输、仓储和邮政业' in page
    assert 'href="/datasets/?tag=%E5%85%AC%E4%BA%A4">公交</a>' in page
    assert (
        f'href="{reverse("licence-detail", args=["platform-open"])}">公共数据开放许可协议' in page
    )
    assert "无条件开放" in page and "每月" in page
    assert "张三" in page and "020-12345678" in page and "mailto:data@example.cn" in page
    assert "2026-04-01" in page  # published
    assert "广州市" in page.split("覆盖地域")[1][:200]


def test_coverage_period_and_volume_come_from_the_registry_record(client, bus):
    from registry.models import ResourceVersion

    ResourceVersion.objects.filter(pk=bus.resource.current_version_id).update(
        period_start="2024-01-01", period_end="2025-12-31", record_count=123456
    )
    page = html(client.get(reverse("dataset-detail", args=[bus.slug])))
    assert "2024-01-01 至 2025-12-31" in page
    assert "123,456 条" in page


def test_the_registration_code_links_to_the_register_entry(client, bus):
    code = bus.resource.code
    assert code
    page = html(client.get(reverse("dataset-detail", args=[bus.slug])))
    link = reverse("registry:record-detail", kwargs={"code": code})
    assert f'<a class="registration-code" href="{link}"><code>{code}</code></a>' in page
    assert client.get(link).status_code == 200


def test_the_description_is_rendered_markdown(client, bus):
    page = html(client.get(reverse("dataset-detail", args=[bus.slug])))
    assert "<h2>说明</h2>" in page
    assert "<strong>公交</strong>" in page
    assert '<a href="https://jtj.gz.gov.cn/" rel="nofollow noopener">交通运输局</a>' in page


def test_the_data_dictionary_lists_the_record_items_and_the_file_columns(client, bus):
    page = html(client.get(reverse("dataset-detail", args=[bus.slug])))
    dictionary = page.split('id="dictionary"')[1].split("</section>")[0]
    assert "<td>线路编号</td><td>代码（code）</td><td>公交线路编号</td>" in dictionary.replace(
        "\n", ""
    )
    assert "<td>站点名称</td>" in dictionary
    assert "<code>日客流量</code>" in dictionary


def test_the_files_table_has_size_checksum_version_downloads_and_links(client, bus):
    page = html(client.get(reverse("dataset-detail", args=[bus.slug])))
    files = page.split('id="files"')[1].split("</section>")[0]
    dist = bus.distributions.get()
    current = dist.current_version
    assert "3.0 MB" in files
    assert current.sha256 in files
    assert "第 2 版" in files
    assert "2026-05-01" in files
    latest = reverse("distribution-latest", kwargs={"slug": bus.slug, "distribution_id": dist.pk})
    assert f'href="{latest}" download' in files
    # History: the older version with its own link, size and checksum.
    older = dist.versions.get(number=1)
    assert "历史版本（1）" in files
    assert "2.0 KB" in files and older.sha256 in files
    assert (
        reverse(
            "version-download", kwargs={"slug": bus.slug, "distribution_id": dist.pk, "number": 1}
        )
        in files
    )
    assert re.search(r'<td class="nowrap">3</td>', files)  # downloads over all versions


def test_the_latest_link_downloads_the_current_file(client, bus):
    dist = bus.distributions.get()
    latest = reverse("distribution-latest", kwargs={"slug": bus.slug, "distribution_id": dist.pk})
    response = client.get(latest)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body == b"b" * 3 * 1024 * 1024


def test_a_preview_table_shows_the_first_rows(client, bus):
    page = html(client.get(reverse("dataset-detail", args=[bus.slug])))
    preview = page.split('class="panel preview"')[1].split("</section>")[0]
    assert "<th>站点名称</th><th>线路编号</th><th>日客流量</th>" in preview
    assert "<tr><td>天河客运站</td><td>001</td><td>1200</td></tr>" in preview
    assert "<tr><td>珠江新城</td><td>003</td><td></td></tr>" in preview


def test_a_numeric_preview_gets_a_bar_chart_from_local_echarts(client, bus):
    page = html(client.get(reverse("dataset-detail", args=[bus.slug])))
    spec = json.loads(
        re.search(r'<script id="dataset-chart" type="application/json">(.*?)</script>', page, re.S)[
            1
        ]
    )
    assert spec["type"] == "bar"
    assert spec["x_name"] == "站点名称"
    assert spec["labels"] == ["天河客运站", "体育中心", "珠江新城"]
    assert spec["series"] == [{"name": "日客流量", "data": [1200.0, 3400.0, None]}]
    assert '<div class="chart" data-chart="dataset-chart"' in page
    assert '<script src="/static/vendor/echarts/echarts.min.js" defer></script>' in page
    assert '<script src="/static/js/portal-charts.js" defer></script>' in page
    assert "cdn" not in page.lower()


def test_a_dated_series_gets_a_line_chart(client, world):
    dataset = make_dataset(world, title="月度客流")
    preview = {"columns": ["月份", "客流量"], "rows": [["2026-01", "10"], ["2026-02", "12"]]}
    add_file(dataset, preview=preview)
    page = html(client.get(reverse("dataset-detail", args=[dataset.slug])))
    assert '"type": "line"' in page


def test_no_chart_when_the_preview_has_no_measure(client, world):
    dataset = make_dataset(world, title="名录")
    add_file(dataset, preview={"columns": ["名称", "编号"], "rows": [["甲", "01"], ["乙", "02"]]})
    page = html(client.get(reverse("dataset-detail", args=[dataset.slug])))
    assert "data-chart" not in page
    assert "echarts.min.js" not in page


def test_snippets_show_working_urls_for_the_file_ckan_and_dcat(client, bus):
    page = html(client.get(reverse("dataset-detail", args=[bus.slug])))
    api = page.split('id="api"')[1].split("</section>")[0]
    dist = bus.distributions.get()
    latest = f"http://testserver/datasets/{bus.slug}/files/{dist.pk}/latest"
    assert f'curl -L -o {bus.slug}.csv "{latest}"' in api
    assert f'urllib.request.urlretrieve(url, "{bus.slug}.csv")' in api
    assert f"http://testserver/api/3/action/package_show?id={bus.slug}" in api
    assert f"http://testserver/datasets/{bus.slug}.ttl" in api
    assert f"http://testserver/datasets/{bus.slug}.jsonld" in api


def test_the_dcat_links_of_the_snippets_answer(client, bus):
    for ext in ("ttl", "jsonld"):
        response = client.get(f"/datasets/{bus.slug}.{ext}")
        assert response.status_code == 200, ext


def test_a_client_asking_for_turtle_gets_dcat_from_the_same_url(client, bus):
    response = client.get(reverse("dataset-detail", args=[bus.slug]), HTTP_ACCEPT="text/turtle")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/turtle")
    assert bus.title in response.content.decode()
    browser = client.get(
        reverse("dataset-detail", args=[bus.slug]),
        HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8",
    )
    assert browser["Content-Type"].startswith("text/html")


def test_a_json_ld_client_gets_json_ld(client, bus):
    response = client.get(
        reverse("dataset-detail", args=[bus.slug]), HTTP_ACCEPT="application/ld+json"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    json.loads(response.content)


def test_a_conditional_dataset_says_files_need_approval_and_links_to_login(client, world):
    dataset = make_dataset(world, title="企业用电明细", open_category="conditional")
    add_file(dataset)
    page = html(client.get(reverse("dataset-detail", args=[dataset.slug])))
    assert "本数据集为有条件开放数据" in page
    assert f'href="{reverse("login")}?next=/datasets/{dataset.slug}/"' in page
    dist = dataset.distributions.get()
    latest = reverse(
        "distribution-latest", kwargs={"slug": dataset.slug, "distribution_id": dist.pk}
    )
    assert f'href="{latest}"' not in page
    assert "需审批" in page


def test_a_logged_in_citizen_without_approval_is_told_whom_to_contact(client, world):
    dataset = make_dataset(world, title="企业用电明细", open_category="conditional")
    add_file(dataset)
    client.force_login(make_user())
    page = html(client.get(reverse("dataset-detail", args=[dataset.slug])))
    assert "尚未获得本数据集的使用批准" in page
    assert "020-12345678" in page


def test_the_holders_staff_see_the_download_links_of_their_conditional_dataset(client, world):
    dataset = make_dataset(world, title="企业用电明细", open_category="conditional")
    add_file(dataset)
    client.force_login(world.holder)
    page = html(client.get(reverse("dataset-detail", args=[dataset.slug])))
    assert "本数据集为有条件开放数据" not in page
    assert 'class="button download-link"' in page


def test_overdue_and_on_time_datasets_say_so(client, world, settings):
    late = make_dataset(world, title="超期数据")
    Dataset.objects.filter(pk=late.pk).update(
        update_due_at=at(2020, 1, 1), data_updated_at=at(2019, 12, 1)
    )
    page = html(client.get(reverse("dataset-detail", args=[late.slug])))
    assert re.search(r"已超期 \d+ 天", page)
    assert "应更新日期 2020-01-01" in page
    fresh = make_dataset(world, title="按时数据")
    Dataset.objects.filter(pk=fresh.pk).update(
        update_due_at=at(2099, 1, 1), data_updated_at=at(2026, 4, 1)
    )
    page = html(client.get(reverse("dataset-detail", args=[fresh.slug])))
    assert "按时更新" in page and "下次应更新 2099-01-01" in page


def test_a_dataset_without_files_says_so(client, world):
    dataset = make_dataset(world, title="尚无文件")
    page = html(client.get(reverse("dataset-detail", args=[dataset.slug])))
    assert "数据提供单位尚未上传数据文件" in page
    assert "尚未发布数据文件" in page


@pytest.mark.parametrize("slug", ["no-such-dataset", "x" * 60])
def test_an_unknown_slug_is_a_404(client, db, slug):
    assert client.get(f"/datasets/{slug}/").status_code == 404


def test_a_withdrawn_dataset_is_a_404(client, bus):
    Dataset.objects.filter(pk=bus.pk).update(status=DatasetStatus.WITHDRAWN)
    assert client.get(reverse("dataset-detail", args=[bus.slug])).status_code == 404
    assert (
        client.get(
            reverse("dataset-detail", args=[bus.slug]), HTTP_ACCEPT="text/turtle"
        ).status_code
        == 404
    )


# Untrusted text: descriptions, cell values, column names -------------------------------------

XSS_DESCRIPTIONS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[点我](javascript:alert(1))",
    "[点我](JaVaScRiPt:alert(1))",
    "<svg onload=alert(1)><circle r=1 /></svg>",
    "[<img src=x onerror=alert(1)>](https://example.cn)",
    "[数据](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="https://example.cn" onclick="alert(1)" style="color:red">链接</a>',
    "<iframe src=https://evil.example></iframe>",
    '<div onmouseover="alert(1)">悬停</div>',
]


@pytest.mark.parametrize("payload", XSS_DESCRIPTIONS)
def test_hostile_markdown_in_a_description_never_reaches_the_page_as_markup(client, world, payload):
    dataset = make_dataset(world, title="恶意描述", description=f"正文开始 {payload} 正文结束")
    page = html(client.get(reverse("dataset-detail", args=[dataset.slug])))
    body = page.split('<div class="markdown">')[1].split("</div>\n")[0]
    assert "正文开始" in body and "正文结束" in body
    lowered = body.lower()
    for bad in (
        "<script",
        "onerror",
        "onload",
        "onclick",
        "onmouseover",
        "javascript:",
        "data:",
        "<svg",
        "<iframe",
        "<img",
        "style=",
    ):
        assert bad not in lowered, (payload, body)


@pytest.mark.parametrize(
    "payload",
    ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "</td></tr></table><b>x</b>"],
)
def test_hostile_preview_cells_and_column_names_are_escaped(client, world, payload):
    dataset = make_dataset(world, title="恶意预览")
    add_file(
        dataset,
        preview={"columns": [payload, "数量"], "rows": [[payload, 1], ["正常", 2]]},
    )
    page = html(client.get(reverse("dataset-detail", args=[dataset.slug])))
    escaped = (
        payload.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
    )
    assert f"<th>{escaped}</th>" in page
    assert f"<td>{escaped}</td>" in page
    assert payload not in page  # nowhere raw, not even in the chart JSON
    chart = re.search(
        r'<script id="dataset-chart" type="application/json">(.*?)</script>', page, re.S
    )
    assert chart is not None
    assert "<" not in chart[1] and ">" not in chart[1]
    assert json.loads(chart[1])["labels"][0] == payload


def test_the_query_count_of_the_page_does_not_grow_with_files_and_versions(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    dataset = make_dataset(world, title="多文件数据")
    add_file(dataset, preview=PREVIEW)
    url = reverse("dataset-detail", args=[dataset.slug])
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for n in range(3):
        version = add_file(dataset, name=f"f{n}.csv", preview=PREVIEW)
        add_version(version, f"v2-{n}".encode(), now=at(2026, 5, 1))
    with CaptureQueriesContext(connection) as many:
        page = html(client.get(url))
    assert page.count('class="version-history"') == 3
    assert len(many) == len(one)
