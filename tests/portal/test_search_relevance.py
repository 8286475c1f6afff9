"""What the Chinese catalogue search finds, and in what order.

The tokeniser (registry.search) indexes jieba's search-mode words plus every single CJK
character, and segments a query in jieba's precise mode, ANDing the words. So:
- a sub-word of an indexed word is found (交通 in 公共交通);
- an abbreviation is *not* found: 公交 does not match 公共交通线路站点 (no shared word);
- a one-character query matches the character lexeme, through the GIN index;
- a compound the text splits differently (道路交通 vs 道路|交通拥堵) is not found as a word;
  the empty-result page then offers its characters (see docs/search.md).
"""

from __future__ import annotations

import pytest
from django.db import connection

from portal.models import Dataset
from portal.search import check_search_query, search_datasets, suggest_broader
from tests.conftest import at, make_org, make_user
from tests.portal.factories import add_file, make_dataset


def found(q: str, **filters) -> list[str]:
    result = search_datasets(check_search_query(q=q, filters=filters, limit=100))
    return [d.title for d in result.datasets]


@pytest.fixture
def neutral(world):
    """Datasets of a holder whose name and data dictionary share no word with the queries
    below, so that only titles, descriptions and tags decide."""
    org = make_org("某某局", region="440300")
    user = make_user(holder_staff=org)
    items = [{"name": "名称", "type": "string", "description": ""}]

    def make(title: str, description: str, **fields) -> Dataset:
        reg = world.coded(user=user, holder=org, name=title, data_items=items)
        return make_dataset(
            world, holder_org=org, coded=reg, user=user, title=title,
            description=description, **fields,
        )  # fmt: skip

    return make


@pytest.fixture
def transit(neutral):
    neutral("深圳市公共交通线路站点", "地铁和有轨电车的线路。")
    neutral("广州市公交线路站点信息", "常规线路和走向。")
    neutral("城市道路交通拥堵指数", "主要道路运行指数。")


def test_an_abbreviation_does_not_match_the_full_word(transit):
    assert found("公交") == ["广州市公交线路站点信息"]


def test_the_full_word_and_its_sub_words_match(transit):
    assert found("公共交通") == ["深圳市公共交通线路站点"]
    assert set(found("交通")) == {"深圳市公共交通线路站点", "城市道路交通拥堵指数"}
    assert set(found("公共")) == {"深圳市公共交通线路站点"}


def test_a_one_character_query_matches_every_text_with_that_character(transit):
    assert set(found("交")) == {
        "深圳市公共交通线路站点",
        "广州市公交线路站点信息",
        "城市道路交通拥堵指数",
    }
    assert found("堵") == ["城市道路交通拥堵指数"]


def test_a_one_character_query_is_answered_by_the_gin_index(transit):
    dataset = Dataset.objects.get(title="城市道路交通拥堵指数")
    assert "'堵'" in str(dataset.search_vector)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM portal_dataset WHERE search_vector @@ to_tsquery('simple', %s)",
            ["'堵'"],
        )
        plan = " ".join(row[0] for row in cursor.fetchall())
    assert "portal_dataset_search_gin" in plan


def test_a_compound_split_differently_in_the_text_is_not_found_as_a_word(transit):
    assert found("道路交通") == []
    assert found("道 路 交 通") == ["城市道路交通拥堵指数"]


def test_several_terms_must_all_match(transit):
    assert found("深圳 线路") == ["深圳市公共交通线路站点"]
    assert set(found("线路")) == {"深圳市公共交通线路站点", "广州市公交线路站点信息"}
    assert found("深圳 拥堵") == []


def test_a_title_match_ranks_above_a_description_only_match(neutral):
    neutral("新能源汽车充电桩分布", "全市公共设施位置。")
    # Newer, so it would come first if relevance were ignored.
    neutral("市政设施普查", "包括路灯、井盖和充电桩的位置。", now=at(2026, 5, 1))
    assert found("充电桩") == ["新能源汽车充电桩分布", "市政设施普查"]
    newest = search_datasets(check_search_query(q="充电桩", sort="newest"))
    assert [d.title for d in newest.datasets] == ["市政设施普查", "新能源汽车充电桩分布"]


def test_tags_holder_names_and_field_names_are_searched(world):
    tagged = make_dataset(world, title="甲数据", description="无关。", tags=["客流"])
    columns = make_dataset(world, title="乙数据", description="无关。")
    add_file(columns, preview={"columns": ["候车亭编号", "名称"], "rows": [["1", "x"]]})
    assert found("客流") == [tagged.title]
    assert found("候车亭") == [columns.title]
    # The holder (广州市交通运输局) is indexed for every one of its datasets.
    assert set(found("交通运输")) == {"甲数据", "乙数据"}
    # ...but not as 运输局: jieba keeps that query word whole, the name is cut 交通运输|局.
    assert found("运输局") == []
    # The registry record's data items (线路编号, 站点名称) are searchable field names.
    assert set(found("站点名称")) == {"甲数据", "乙数据"}


def test_full_width_and_upper_case_queries_are_normalised(neutral):
    neutral("空气质量PM2.5浓度", "各监测站点。")
    for q in ("pm2.5", "PM2.5", "ＰＭ２．５", "pm2"):
        assert found(q) == ["空气质量PM2.5浓度"], q


@pytest.mark.parametrize(
    "q", ["公交 & | ! ( )", "'; DROP TABLE portal_dataset; --", "a:* <-> b", "\\", "''", "！？。"]
)
def test_query_syntax_characters_are_plain_text_never_an_error(transit, q):
    result = search_datasets(check_search_query(q=q))
    assert result.total >= 0


def test_punctuation_only_means_no_text_filter(transit):
    assert search_datasets(check_search_query(q="！？。")).total == 3


def test_an_empty_result_suggests_each_term_alone_and_the_spelt_out_characters(transit):
    terms = suggest_broader(check_search_query(q="深圳 拥堵"))
    assert {(s.q, s.reason) for s in terms} == {("深圳", "single_term"), ("拥堵", "single_term")}
    chars = suggest_broader(check_search_query(q="道路交通"))
    assert [(s.q, s.reason, s.count) for s in chars] == [("道 路 交 通", "characters", 1)]


def test_no_character_suggestion_when_nothing_would_change(transit):
    suggestions = suggest_broader(check_search_query(q="堵 塞"))
    assert [(s.q, s.reason) for s in suggestions] == [("堵", "single_term")]
