"""The one-pass catalogue search returns what the earlier one-statement-per-part search did:
same totals, same page in the same order, same facet counts, on a varied catalogue (ties in
rank, date and downloads; datasets without a theme, with no, one or two formats; withdrawn
ones) across queries, filters, sorts, paging, a caller's restriction and ordering."""

from __future__ import annotations

import itertools

import pytest
from django.contrib.postgres.search import SearchRank
from django.db import connection
from django.db.models import Count, F, Q
from django.utils import timezone

from portal.models import Dataset, Licence, Theme
from portal.search import (
    FACET_FIELDS,
    SORTS,
    _apply_filters,
    _text_filtered,
    check_search_query,
    search_datasets,
)
from portal.search_index import dataset_reindex
from registry.models import ObjectType, Organisation, Platform, RecordStatus, Resource
from tests.conftest import at, make_org

_ALL_FACETS = (*FACET_FIELDS, "tag", "licence")
_GROUP_COLUMNS = {
    "region": "province_code",
    "holder": "holder_id",
    "theme": "theme__code",
    "licence": "licence__code",
}


def previous_search(query, *, facet_fields, restrict=None, order_by=()):
    """The search as it was before the one-pass statement: a count, a page query and one
    GROUP BY per facet (the format and tag facets through `id IN (subquery)`)."""
    base, ts = _text_filtered(query.q)
    if restrict is not None:
        base = base.filter(restrict)
    filtered = _apply_filters(base, query.filters)
    if order_by:
        page_qs = filtered.order_by(*order_by)
    elif query.sort == "relevance" and ts is not None:
        page_qs = filtered.annotate(
            rank=SearchRank(F("search_vector"), ts, cover_density=True)
        ).order_by("-rank", "-published_at", "-id")
    else:
        page_qs = filtered.order_by(*(SORTS[query.sort] or SORTS["newest"]))
    page = list(page_qs.values_list("id", flat=True)[query.offset : query.offset + query.limit])
    facets = {}
    for name in facet_fields:
        qs = _apply_filters(base, query.filters, skip=name).order_by()
        if name in ("format", "tag"):
            inner, params = qs.values("id").query.sql_with_params()
            column = "formats" if name == "format" else "tags"
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT v, count(*) FROM portal_dataset d, unnest(d.{column}) AS v "
                    f"WHERE d.id IN ({inner}) GROUP BY v",
                    params,
                )
                facets[name] = dict(cursor.fetchall())
        else:
            column = _GROUP_COLUMNS.get(name, name)
            facets[name] = {
                str(row[column]): row["n"]
                for row in qs.values(column).annotate(n=Count("id"))
                if row[column] is not None
            }
    return filtered.count(), page, facets


@pytest.fixture
def varied(world):
    """36 datasets: three holders in two provinces, themes transport / health / none, formats
    [], [CSV], [CSV, JSON], [XLSX], repeated titles (equal ranks) and repeated dates."""
    holders = [
        world.holder_org,
        make_org("广州市卫生健康委员会", region="440100"),
        make_org("杭州市数据资源管理局", region="330100"),
    ]
    themes = [Theme.objects.get(code="transport"), Theme.objects.get(code="health"), None]
    formats = [[], ["CSV"], ["CSV", "JSON"], ["XLSX"]]
    titles = ["公交线路数据", "医疗机构名录", "公交站点与医疗设施", "空气质量监测数据"]
    tags = [[], ["公交"], ["医疗", "名录"], ["开放"]]
    licence = Licence.objects.get(is_default=True)
    platform = Platform.objects.order_by("pk").first()
    now = timezone.now()
    for i in range(36):
        holder = holders[i % 3]
        region = holder.region
        resource = Resource.objects.create(
            object_type=ObjectType.OPEN_DATA_RESOURCE,
            holder=holder,
            platform=platform,
            code=f"EQ-{i}",
            status=RecordStatus.ACTIVE,
            registered_at=now,
        )
        published = at(2026, 3, 1 + i % 5)
        dataset = Dataset.objects.create(
            resource=resource,
            slug=f"eq-{i}",
            holder=holder,
            region=region,
            province_code=region.province_code,
            title=titles[i % 4] if i % 7 else f"{titles[i % 4]}（第{i}版）",
            description="公交和医疗的数据。" * (i % 3),
            theme=themes[i % 3],
            industry="GQ"[i % 2],
            tags=tags[(i // 2) % 4],
            licence=licence,
            update_frequency=("monthly", "yearly", "daily")[i % 3],
            open_category=("unconditional", "conditional")[(i // 3) % 2],
            contact_name="联系人",
            status="withdrawn" if i % 11 == 5 else "published",
            formats=formats[(i // 4) % 4],
            published_at=published,
            metadata_updated_at=at(2026, 4, 1 + i % 4),
            download_count=(i * 7) % 5,
            published_by=world.holder,
        )
        dataset_reindex(dataset)
    return holders


QUERIES = ["", "公交", "医疗", "数据", "医疗 名录", "交", "！？。", "没有这个词"]
FILTERS = [
    {},
    {"region": ["440000"]},
    {"theme": ["health", "transport"]},
    {"format": ["CSV", "XLSX"]},
    {"tag": ["公交", "开放"], "industry": ["G"]},
    {
        "region": ["330000"],
        "theme": ["health"],
        "format": ["JSON"],
        "open_category": ["conditional"],
    },
    {"update_frequency": ["monthly"]},
]


def _facet_counts(result):
    return {
        name: {v.value: v.count for v in values if v.count}
        for name, values in result.facets.items()
    }


def _same(query, **kwargs):
    result = search_datasets(query, facet_fields=_ALL_FACETS, **kwargs)
    total, page, facets = previous_search(query, facet_fields=_ALL_FACETS, **kwargs)
    assert result.total == total
    assert [d.pk for d in result.datasets] == page
    assert _facet_counts(result) == facets


@pytest.mark.parametrize("q", QUERIES)
def test_totals_pages_and_facets_are_those_of_the_previous_search(varied, q):
    for filters, sort in itertools.product(FILTERS, SORTS):
        for offset in (0, 4):
            _same(check_search_query(q=q, filters=filters, sort=sort, offset=offset, limit=5))


def test_a_holder_filter_and_a_callers_restriction_and_ordering_give_the_same(varied):
    holder = str(varied[1].pk)
    restrict = Q(download_count__gte=2)
    for q in ("", "公交", "数据"):
        query = check_search_query(q=q, filters={"holder": [holder]}, limit=7)
        _same(query)
        _same(query, restrict=restrict)
        _same(query, restrict=restrict, order_by=("title", "-id"))
        _same(query, order_by=("-metadata_updated_at", "-id"))


def test_the_comparison_sees_ties_and_missing_values(varied):
    """The catalogue is varied enough for the comparison to mean something."""
    result = search_datasets(check_search_query(q="公交", limit=100))
    assert result.total > 10
    assert Dataset.objects.filter(theme=None, status="published").exists()
    assert Dataset.objects.filter(formats=[]).exists()
    assert Organisation.objects.filter(pk__in=[h.pk for h in varied]).count() == 3


def test_result_rows_carry_what_the_orm_loads_for_a_result_list(varied):
    from portal.selectors import _LISTED_FIELDS, datasets_listed

    result = search_datasets(check_search_query(q="数据", limit=100))
    loaded = datasets_listed().in_bulk([d.pk for d in result.datasets])
    assert len(loaded) == len(result.datasets) > 10
    for dataset in result.datasets:
        expected = loaded[dataset.pk]
        for path in (*_LISTED_FIELDS, "holder_id", "region_id", "theme_id"):
            obj, other = dataset, expected
            for part in path.split("__"):
                obj, other = getattr(obj, part, None), getattr(other, part, None)
            assert obj == other, (dataset.pk, path)
        assert dataset.get_open_category_display() == expected.get_open_category_display()
        assert dataset.get_deferred_fields() == expected.get_deferred_fields()
