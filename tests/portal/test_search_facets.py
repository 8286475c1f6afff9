"""Facets and counts of the catalogue search: disjunctive within a facet, conjunctive across
facets, and every count equal to what choosing that value returns."""

from __future__ import annotations

import pytest

from portal.models import Theme
from portal.search import FACET_FIELDS, check_search_query, search_datasets
from tests.conftest import make_org
from tests.portal.factories import add_file, make_dataset


def dataset_in(world, org, **fields):
    """A dataset held by `org` (any province) on a record coded in Guangdong."""
    open_category = fields.get("open_category", "unconditional")
    reg = world.coded(name=fields.get("title", "测试数据"), open_category=open_category)
    return make_dataset(world, holder_org=org, coded=reg, user=world.holder, **fields)


def counts(result, facet: str) -> dict[str, int]:
    return {f.value: f.count for f in result.facets[facet]}


def search(q: str = "", **filters):
    return search_datasets(check_search_query(q=q, filters=filters, limit=100))


@pytest.fixture
def mixed(world):
    health = Theme.objects.get(code="health")
    hz = make_org("杭州市卫生健康委员会", region="330100")
    a = make_dataset(world, title="广州公交线路数据", description="全市公交线路。")
    add_file(a)
    b = make_dataset(
        world, title="广州医院名录数据", description="医院。", theme=health, industry="Q"
    )
    add_file(b, fmt="XLSX", name="b.xlsx")
    add_file(b, fmt="CSV", name="b.csv")
    c = dataset_in(
        world, hz, title="杭州医院名录数据", description="医院。", theme=health, industry="Q"
    )
    add_file(c, fmt="JSON", name="c.json", media_type="application/json")
    dataset_in(
        world, hz, title="杭州卫生监督数据", description="监督。", theme=health,
        open_category="conditional",
    )  # fmt: skip
    return {"hz": hz}


def test_a_facets_counts_ignore_its_own_selection(mixed):
    result = search(region=["440000"])
    assert result.total == 2
    assert counts(result, "region") == {"440000": 2, "330000": 2}
    # Other facets count only within the selection.
    assert counts(result, "theme") == {"transport": 1, "health": 1}


def test_values_of_one_facet_are_ored_and_facets_are_anded(mixed):
    assert search(region=["440000", "330000"]).total == 4
    assert search(region=["440000", "330000"], theme=["health"]).total == 3
    assert search(region=["330000"], open_category=["conditional"]).total == 1


def test_single_valued_facet_counts_add_up_to_the_total(mixed):
    result = search("数据")
    assert result.total == 4
    for facet in ("region", "holder", "theme", "industry", "open_category", "update_frequency"):
        assert sum(counts(result, facet).values()) == result.total, facet


def test_format_counts_datasets_per_format_so_they_may_exceed_the_total(mixed):
    result = search("数据")
    assert counts(result, "format") == {"CSV": 2, "XLSX": 1, "JSON": 1}
    assert search(format=["CSV", "JSON"]).total == 3


def test_every_facet_count_is_what_choosing_that_value_returns(mixed):
    base = {"theme": ["health"]}
    result = search("医院", **base)
    for facet in FACET_FIELDS:
        for value in result.facets[facet]:
            chosen = dict(base)
            chosen[facet] = [value.value]
            assert search("医院", **chosen).total == value.count, (facet, value)


def test_a_selected_value_without_matches_stays_visible_with_zero(mixed):
    result = search("公交", theme=["health"])
    assert result.total == 0
    theme = {f.value: (f.count, f.selected) for f in result.facets["theme"]}
    assert theme["health"] == (0, True)
    assert theme["transport"] == (1, False)


def test_a_selected_value_keeps_its_name_when_nothing_matches_at_all(mixed):
    result = search("不存在的东西", region=["440000"])
    assert [(f.value, f.label, f.count) for f in result.facets["region"]] == [
        ("440000", "广东省", 0)
    ]


def test_facet_labels_are_names_not_codes(mixed, world):
    result = search("")
    assert {f.label for f in result.facets["region"]} == {"广东省", "浙江省"}
    holders = {f.value: f.label for f in result.facets["holder"]}
    assert holders[str(world.holder_org.pk)] == "广州市交通运输局"
    assert {f.label for f in result.facets["open_category"]} == {"无条件开放", "有条件开放"}
    assert "卫生和社会工作" in {f.label for f in result.facets["industry"]}
