"""The public home page and catalogue search page: figures, facets that toggle, sorting,
paging, highlighted terms, broader suggestions, and bad parameters answered with a 400 page."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.models import Dataset, DatasetStatus, Distribution, Theme
from tests.conftest import at, make_org, make_user
from tests.portal.factories import add_file, make_dataset

LIST = "/datasets/"


def html(response) -> str:
    return response.content.decode()


def dataset_in(world, org, **fields) -> Dataset:
    """A published dataset held by `org` (any province), on a record coded in Guangdong: the
    catalogue reads the dataset's own holder and province, not the record's."""
    reg = world.coded(name=fields.get("title", "测试数据"))
    return make_dataset(world, holder_org=org, coded=reg, user=world.holder, **fields)


def links_in(page: str, css_class: str) -> dict[str, str]:
    """data-value → href of the facet links of a page."""
    pattern = rf'<a href="([^"]*)" class="{css_class}[^"]*" data-facet="(\w+)" data-value="([^"]*)"'
    return {f"{m[2]}={m[3]}": m[1].replace("&amp;", "&") for m in re.finditer(pattern, page)}


def params_of(href: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(href).query)


@pytest.fixture
def catalogue(world):
    """Three datasets in two provinces, with files, downloads and themes."""
    bus = make_dataset(
        world, title="广州市公交线路站点", description="全市公交线路和站点位置。", tags=["公交"]
    )
    add_file(bus)
    Dataset.objects.filter(pk=bus.pk).update(download_count=40, api_call_count=7)
    hospital = make_dataset(
        world,
        title="广州市医疗机构名录",
        description="医院和社区卫生服务中心。",
        theme=Theme.objects.get(code="health"),
        industry="Q",
    )
    add_file(hospital, name="list.xlsx", fmt="XLSX", media_type="application/vnd.ms-excel")
    Dataset.objects.filter(pk=hospital.pk).update(download_count=5)
    hz = make_org("杭州市交通运输局", region="330100")
    metro = dataset_in(world, hz, title="杭州市地铁站点", description="地铁线路站点出入口。")
    return {"bus": bus, "hospital": hospital, "metro": metro, "hz": hz}


# Home --------------------------------------------------------------------------------------


def test_the_home_page_shows_the_portal_figures_without_login(client, catalogue, world):
    withdrawn = make_dataset(world, title="已下线的数据")
    add_file(withdrawn)
    Dataset.objects.filter(pk=withdrawn.pk).update(
        status=DatasetStatus.WITHDRAWN, download_count=1000
    )
    # A distribution without any uploaded version is not a file.
    Distribution.objects.create(
        dataset=catalogue["metro"], title="空", format="CSV", created_at=at(2026, 4, 1),
        updated_at=at(2026, 4, 1),
    )  # fmt: skip

    response = client.get(reverse("home"))

    assert response.status_code == 200
    page = html(response)
    figures = dict(re.findall(r'data-stat="(\w+)">([\d,]+)<', page))
    assert figures == {
        "datasets": "3",
        "files": "2",
        "downloads": "45",
        "api_calls": "7",
        "organisations": "2",
    }
    assert "已下线的数据" not in page


def test_the_home_page_lists_newest_and_most_downloaded_themes_and_provinces(client, catalogue):
    page = html(client.get("/"))

    popular = page.split('id="popular"')[1].split("</ol>")[0]
    assert popular.index("广州市公交线路站点") < popular.index("广州市医疗机构名录")
    newest = page.split('id="newest"')[1].split("</ul>")[0]
    assert "杭州市地铁站点" in newest
    themes = page.split('id="themes"')[1].split("</ul>")[0]
    assert re.search(r'\?theme=transport"><span>交通出行</span><b>2</b>', themes)
    assert re.search(r'\?theme=health"><span>医疗卫生</span><b>1</b>', themes)
    provinces = page.split('id="provinces"')[1].split("</ul>")[0]
    assert re.search(r'href="/regions/440000/"><span>广东省</span><b>2</b>', provinces)
    assert re.search(r'href="/regions/330000/"><span>浙江省</span><b>1</b>', provinces)
    assert reverse("timeliness") in page
    assert reverse("registry:notice-list") in page and reverse("registry:record-list") in page


def test_the_home_search_box_submits_to_the_catalogue(client, db):
    page = html(client.get("/"))
    assert re.search(
        r'<form method="get" action="/datasets/"[^>]*>\s*<label[^>]*>[^<]*</label>\s*<input type="search" name="q"',
        page,
    )


# Catalogue search ----------------------------------------------------------------------------


def test_a_chinese_query_finds_the_dataset_and_says_how_many(client, catalogue):
    response = client.get(LIST, {"q": "公交"})

    assert response.status_code == 200
    page = html(response)
    assert "共 1 个数据集" in page
    assert "广州市<mark>公交</mark>线路站点" in page
    assert "医疗机构" not in page.split('class="results"')[1]


def test_facets_count_per_value_and_each_link_toggles_one_value(client, catalogue):
    # 站点 is in two titles, and in the hospital's data dictionary (站点名称): field names are
    # searched too.
    page = html(client.get(LIST, {"q": "站点"}))
    links = links_in(page, "facet-link")

    assert re.search(
        r'data-value="440000"><span class="facet-label">广东省</span><span class="facet-count">2</span>',
        page,
    )
    assert re.search(
        r'data-value="330000"><span class="facet-label">浙江省</span><span class="facet-count">1</span>',
        page,
    )
    assert params_of(links["region=440000"]) == {"q": ["站点"], "region": ["440000"]}

    # Choosing Guangdong keeps the query; the region facet still counts Zhejiang (disjunctive).
    chosen = html(client.get(LIST + links["region=440000"]))
    assert "共 2 个数据集" in chosen
    chosen_links = links_in(chosen, "facet-link")
    assert params_of(chosen_links["region=330000"]) == {
        "q": ["站点"],
        "region": ["440000", "330000"],
    }
    # The selected value's link switches it off again and keeps the rest.
    assert params_of(chosen_links["region=440000"]) == {"q": ["站点"]}
    assert 'class="facet-link selected" data-facet="region" data-value="440000"' in chosen


def test_two_values_of_one_facet_are_ored_and_two_facets_are_anded(client, catalogue):
    both = html(client.get(LIST, {"region": ["440000", "330000"]}))
    assert "共 3 个数据集" in both
    anded = html(client.get(LIST, {"region": ["440000", "330000"], "theme": "health"}))
    assert "共 1 个数据集" in anded
    assert "广州市医疗机构名录" in anded


def test_format_holder_and_other_facets_filter_and_show_removable_chips(client, catalogue):
    page = html(client.get(LIST, {"format": "XLSX", "holder": str(catalogue["hz"].pk)}))
    assert "共 0 个数据集" in page

    page = html(client.get(LIST, {"format": "XLSX"}))
    assert "共 1 个数据集" in page
    assert "广州市医疗机构名录" in page
    assert re.search(r'<a class="chip chip-remove" href="\?"[^>]*>数据格式：XLSX', page)
    for facet in ("holder", "theme", "industry", "open_category", "update_frequency"):
        assert f'data-facet="{facet}"' in page


def test_a_tag_link_searches_that_tag(client, catalogue):
    page = html(client.get(LIST, {"tag": "公交"}))
    assert "共 1 个数据集" in page
    assert "标签：公交" in page


def test_sort_links_keep_the_query_and_order_the_results(client, catalogue):
    page = html(client.get(LIST, {"q": "广州"}))
    sort_bar = page.split('class="sort-bar"')[1].split("</nav>")[0]
    sorts = {
        m[2]: m[1].replace("&amp;", "&")
        for m in re.finditer(r'<a href="([^"]*)">([^<]+)</a>', sort_bar)
    }
    assert params_of(sorts["下载最多"]) == {"q": ["广州"], "sort": ["downloads"]}

    by_downloads = html(client.get(LIST, {"q": "广州", "sort": "downloads"}))
    results = by_downloads.split('class="result-list"')[1]
    assert results.index("公交线路站点") < results.index("医疗机构名录")
    by_title = html(client.get(LIST, {"sort": "title"})).split('class="result-list"')[1]
    titles = re.findall(r'<h3 class="result-title"><a href="[^"]+">([^<]+)</a>', by_title)
    assert titles == sorted(titles)


def test_results_are_paged_by_twenty_with_page_links(client, world):
    for n in range(23):
        make_dataset(world, title=f"测试分页数据{n:02d}")

    first = html(client.get(LIST, {"q": "分页"}))
    assert "共 23 个数据集" in first
    assert first.count('class="result-item"') == 20
    assert 'href="?q=%E5%88%86%E9%A1%B5&amp;page=2"' in first
    second = html(client.get(LIST, {"q": "分页", "page": "2"}))
    assert second.count('class="result-item"') == 3
    assert 'aria-current="page">2<' in second


def test_the_query_count_of_the_list_does_not_grow_with_the_results(client, world):
    make_dataset(world, title="查询次数数据00")
    with CaptureQueriesContext(connection) as one:
        assert client.get(LIST, {"q": "查询次数"}).status_code == 200
    for n in range(1, 21):
        dataset = make_dataset(world, title=f"查询次数数据{n:02d}", tags=["标签"])
        add_file(dataset)
    with CaptureQueriesContext(connection) as many:
        page = html(client.get(LIST, {"q": "查询次数"}))
    assert page.count('class="result-item"') == 20
    assert len(many) == len(one)


def test_the_list_runs_a_fixed_number_of_queries(client, catalogue, django_assert_num_queries):
    from portal import search

    search._label_cache.clear()
    # One pass (count, seven facets, the page's ids), the page's rows, three facet label
    # look-ups (region, holder, theme).
    with django_assert_num_queries(5):
        assert client.get(LIST, {"q": "站点", "region": "440000"}).status_code == 200
    # Region and theme names seen a moment ago are not looked up again.
    with django_assert_num_queries(3):
        assert client.get(LIST, {"q": "站点", "region": "440000"}).status_code == 200


def test_matched_terms_are_highlighted_after_escaping(client, world):
    make_dataset(
        world,
        title="<b>公交</b>线路&站点",
        description="<script>alert('公交')</script>公交**运营**数据",
    )
    page = html(client.get(LIST, {"q": "公交"}))
    results = page.split('class="result-list"')[1]
    assert "&lt;b&gt;<mark>公交</mark>&lt;/b&gt;线路&amp;站点" in results
    assert "<script>" not in results
    assert "<mark>公交</mark>运营数据" in results


def test_a_term_never_matches_inside_an_entity(client, world):
    make_dataset(world, title="amp 数据 & 说明")
    page = html(client.get(LIST, {"q": "amp"}))
    assert "<mark>amp</mark> 数据 &amp; 说明" in page


def test_an_empty_result_suggests_broader_queries_and_a_link_without_filters(client, catalogue):
    response = client.get(LIST, {"q": "公交 医院"})
    assert response.status_code == 200
    page = html(response)
    assert "没有找到与“公交 医院”相关的数据集" in page
    assert "只检索“公交”" in page and "只检索“医院”" in page
    assert 'href="?q=%E5%85%AC%E4%BA%A4"' in page

    filtered = html(client.get(LIST, {"q": "医院", "region": "330000"}))
    assert "“医院”，不限筛选条件" in filtered
    assert (
        '<a class="button secondary" href="/datasets/?q=%E5%8C%BB%E9%99%A2">去掉全部筛选条件</a>'
        in filtered
    )
    assert '<a class="button secondary" href="/datasets/">浏览全部数据集</a>' in filtered


def test_a_compound_the_text_splits_differently_gets_a_character_suggestion(client, world):
    make_dataset(world, title="城市道路交通拥堵指数")
    page = html(client.get(LIST, {"q": "道路交通"}))
    assert "没有找到与“道路交通”相关的数据集" in page
    assert "按单字检索“道 路 交 通”" in page
    follow = html(client.get(LIST, {"q": "道 路 交 通"}))
    assert "共 1 个数据集" in follow
    assert "城市<mark>道</mark><mark>路</mark><mark>交</mark><mark>通</mark>拥堵指数" in follow


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"sort": "price"}, "未知的排序方式"),
        ({"page": "abc"}, "页码须为正整数"),
        ({"page": "0"}, "页码须为正整数"),
        ({"page": "-3"}, "页码须为正整数"),
        ({"page": "1e3"}, "页码须为正整数"),
        ({"page": "99999999999999999999999"}, "页码须为正整数"),
        ({"page": "100000"}, "页码过大"),
        ({"colour": "red"}, "未知的筛选条件“colour”"),
        ({"holder": "abc"}, "“数据提供单位”的取值无效"),
        ({"region": [f"{n:06d}" for n in range(51)]}, "“地区”最多选择 50 项"),
        ({"q": "数" * 201}, "检索词最多 200 个字符"),
        ({"q": "公交\x00"}, "检索词含有不可见的控制字符"),
        ({"region": "\x00"}, "“地区”的取值无效"),
        ({"tag": "a\x00b"}, "“标签”的取值无效"),
        ({"format": "CSV\x1b"}, "“数据格式”的取值无效"),
        ({"page": "²"}, "页码须为正整数"),
    ],
)
def test_bad_parameters_get_the_page_back_with_a_message_and_status_400(
    client, catalogue, params, message
):
    response = client.get(LIST, params)

    assert response.status_code == 400
    page = html(response)
    assert message in page
    assert "检索条件有误" in page
    assert '<input type="search" name="q"' in page
    assert 'class="result-list"' not in page


def test_a_page_past_the_last_is_a_400_naming_the_page_count(client, catalogue):
    response = client.get(LIST, {"page": "3"})
    assert response.status_code == 400
    assert "第 3 页超出范围：共 1 页。" in html(response)


def test_several_bad_parameters_are_all_reported(client, db):
    page = html(client.get(LIST, {"sort": "x", "page": "y", "nope": "1"}))
    assert "未知的排序方式" in page and "页码须为正整数" in page and "未知的筛选条件“nope”" in page


def test_withdrawn_datasets_are_never_listed_or_counted(client, world):
    gone = make_dataset(world, title="已下线公交数据")
    Dataset.objects.filter(pk=gone.pk).update(status=DatasetStatus.WITHDRAWN)
    page = html(client.get(LIST, {"q": "公交"}))
    assert "已下线公交数据" not in page
    assert "共 0 个数据集" in page


def test_the_list_is_public_and_works_for_a_logged_in_user_too(client, catalogue):
    client.force_login(make_user())
    assert client.get(LIST).status_code == 200
