"""Public directory pages: data providers, provinces, the timeliness list and the licences."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from portal.models import Dataset, DatasetStatus, Licence
from tests.conftest import at, make_org
from tests.portal.factories import make_dataset


def html(response) -> str:
    return response.content.decode()


def dataset_in(world, org, **fields) -> Dataset:
    reg = world.coded(name=fields.get("title", "测试数据"))
    return make_dataset(world, holder_org=org, coded=reg, user=world.holder, **fields)


@pytest.fixture
def hz(world):
    return make_org("杭州市交通运输局", region="330100")


# Organisations -------------------------------------------------------------------------------


def test_the_provider_list_shows_holders_with_published_datasets_and_counts(client, world, hz):
    make_dataset(world, title="甲")
    make_dataset(world, title="乙")
    dataset_in(world, hz, title="丙")
    gone = dataset_in(world, make_org("只有下线数据的单位"), title="丁")
    Dataset.objects.filter(pk=gone.pk).update(status=DatasetStatus.WITHDRAWN)

    page = html(client.get(reverse("organisation-list")))

    assert "共 2 个单位开放了数据" in page
    rows = re.findall(
        r'<td><a href="/organisations/(\d+)/">([^<]+)</a></td>\s*<td>([^<]+)</td>\s*<td class="nowrap"><a href="[^"]+">(\d+)</a>',
        page,
    )
    assert [(name, region, n) for _, name, region, n in rows] == [
        ("广州市交通运输局", "广州市", "2"),
        ("杭州市交通运输局", "杭州市", "1"),
    ]
    assert "只有下线数据的单位" not in page


def test_a_providers_page_lists_its_datasets_paginated_with_its_region(client, world):
    for n in range(22):
        make_dataset(world, title=f"交通数据{n:02d}")
    url = reverse("organisation-detail", args=[world.holder_org.pk])

    first = html(client.get(url))
    assert "<h1>广州市交通运输局</h1>" in first
    assert 'href="/regions/440000/">广州市</a>' in first
    assert "开放数据集 22 个" in first
    assert first.count('class="result-item"') == 20
    assert "第 1 / 2 页" in first
    assert html(client.get(url, {"page": "2"})).count('class="result-item"') == 2
    assert client.get(url, {"page": "abc"}).status_code == 200  # first page


def test_a_provider_without_published_datasets_is_a_404(client, world):
    assert (
        client.get(reverse("organisation-detail", args=[world.other_holder_org.pk])).status_code
        == 404
    )
    assert client.get("/organisations/999999/").status_code == 404


# Regions -------------------------------------------------------------------------------------


def test_the_region_list_shows_every_province_and_nationwide_with_counts(client, world, hz):
    make_dataset(world, title="甲")
    dataset_in(world, hz, title="乙")
    dataset_in(world, world.central_org, title="丙")

    page = html(client.get(reverse("region-list")))

    regions = page.split('id="regions"')[1]
    assert re.search(r'href="/regions/440000/"><span>广东省</span><b>1</b>', regions)
    assert re.search(r'href="/regions/330000/"><span>浙江省</span><b>1</b>', regions)
    assert re.search(r'href="/regions/000000/"><span>全国</span><b>1</b>', regions)
    assert re.search(r'<span class="tile tile-empty"><span>西藏自治区</span><b>0</b>', regions)
    assert len(re.findall(r'class="tile', regions)) == 35  # 34 provincial divisions + nationwide
    assert 'data-chart="region-chart"' in page


def test_a_provinces_page_lists_its_datasets_and_providers(client, world, hz):
    make_dataset(world, title="广州数据")
    dataset_in(world, hz, title="杭州数据")

    page = html(client.get(reverse("region-detail", args=["330000"])))

    assert "<h1>浙江省</h1>" in page
    assert "杭州数据" in page and "广州数据" not in page
    assert f'href="/organisations/{hz.pk}/">杭州市交通运输局</a>' in page
    assert 'href="/datasets/?region=330000"' in page


@pytest.mark.parametrize("code", ["999999", "440100", "abc", "44000", "44%000", "４４００００"])
def test_an_unknown_or_non_provincial_region_is_a_404(client, db, code):
    assert client.get(f"/regions/{code}/").status_code == 404


# Timeliness ----------------------------------------------------------------------------------


def test_the_timeliness_list_shows_overdue_datasets_with_how_late_they_are(client, world, hz):
    late = make_dataset(world, title="超期的公交数据")
    Dataset.objects.filter(pk=late.pk).update(
        update_due_at=at(2020, 1, 1), data_updated_at=at(2019, 12, 1)
    )
    on_time = make_dataset(world, title="按时的数据")
    Dataset.objects.filter(pk=on_time.pk).update(
        update_due_at=at(2099, 1, 1), data_updated_at=at(2026, 4, 1)
    )
    make_dataset(world, title="没有期限的数据")  # no file yet: no due date
    hz_late = dataset_in(world, hz, title="杭州超期数据")
    Dataset.objects.filter(pk=hz_late.pk).update(update_due_at=at(2021, 6, 1))
    withdrawn = make_dataset(world, title="下线的超期数据")
    Dataset.objects.filter(pk=withdrawn.pk).update(
        update_due_at=at(2020, 1, 1), status=DatasetStatus.WITHDRAWN
    )

    response = client.get(reverse("timeliness"))

    assert response.status_code == 200
    page = html(response)
    overdue = page.split('id="overdue"')[1].split("</table>")[0]
    titles = re.findall(r'<a href="/datasets/[^/]+/">([^<]+)</a>', overdue)
    assert titles == ["超期的公交数据", "杭州超期数据"]  # the longest overdue first
    assert "每月" in overdue  # the promised frequency
    assert "2020-01-01" in overdue and "2019-12-01" in overdue
    days = int(re.search(r'<td class="nowrap overdue">(\d+) 天</td>', overdue)[1])
    assert days > 2000
    summary = page.split('id="holder-summary"')[1].split("</table>")[0]
    gz_row = re.search(
        r"广州市交通运输局</a></td>\s*<td>(\d+)</td>\s*<td>(.*?)</td>\s*<td>(\d+)</td>\s*<td>(\d+)%</td>",
        summary,
    )
    assert gz_row is not None
    assert gz_row[1] == "1" and "1" in gz_row[2] and gz_row[3] == "1" and gz_row[4] == "50"
    assert 'data-chart="timeliness-chart"' in page


def test_the_timeliness_list_says_when_nothing_is_overdue(client, world):
    make_dataset(world, title="按时")
    assert "所有数据集均按承诺频率更新" in html(client.get(reverse("timeliness")))


# Licences ------------------------------------------------------------------------------------


def test_the_licence_register_lists_licences_and_shows_the_default_summary(client, world):
    make_dataset(world, title="甲")

    page = html(client.get(reverse("licence-list")))

    default = Licence.objects.get(is_default=True)
    assert "平台默认许可" in page
    assert f'href="/licences/{default.code}/">{default.name}</a>' in page
    assert "<li>须注明数据提供单位和本平台名称；</li>" in page  # Markdown list rendered
    table = page.split('id="licences"')[1]
    assert 'href="/licences/cc-by-4.0/"' in table


def test_a_licence_page_renders_its_summary_safely_and_lists_its_datasets(client, world):
    licence = Licence.objects.create(
        code="hostile-1.0",
        name="测试许可",
        summary="**要点** <script>alert(1)</script> [链接](javascript:alert(1))",
        position=99,
    )
    make_dataset(world, title="采用测试许可的数据", licence=licence)

    page = html(client.get(reverse("licence-detail", args=["hostile-1.0"])))

    assert "<strong>要点</strong>" in page
    assert "<script>alert" not in page and "javascript:" not in page
    assert "采用测试许可的数据" in page


def test_the_default_licence_page_and_a_dotted_code_resolve(client, db):
    assert client.get("/licences/platform-open/").status_code == 200
    assert client.get("/licences/cc-by-4.0/").status_code == 200


@pytest.mark.parametrize("code", ["no-such-licence", "cc%00by", "x" * 41, "许可"])
def test_an_unknown_licence_is_a_404(client, db, code):
    assert client.get(f"/licences/{code}/").status_code == 404
