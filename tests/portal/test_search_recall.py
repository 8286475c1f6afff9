"""The recall measurement of docs/search.md stays true: bench/search_recall.py on its labelled
set (pure Python, the same token-set semantics as `tsvector @@ tsquery`)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from django.conf import settings

BENCH = Path(settings.BASE_DIR) / "bench"


@pytest.fixture(scope="module")
def bench():
    sys.path.insert(0, str(BENCH))
    try:
        spec = importlib.util.spec_from_file_location("search_recall", BENCH / "search_recall.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["search_recall"] = module  # dataclasses look their module up
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.path.remove(str(BENCH))
        sys.modules.pop("search_recall", None)


def scores(bench, name):
    method = next(m for m in bench.METHODS if m.name == name)
    return bench.evaluate(method)[0]


def test_the_labelled_set_is_big_enough_to_mean_something(bench):
    assert len(bench.DOCS) >= 40
    assert len(bench.QUERIES) >= 30
    assert all(q.relevant <= set(bench.DOCS) for q in bench.QUERIES)


def test_the_current_tokeniser_keeps_the_recall_and_precision_documented(bench):
    current = scores(bench, "current")
    assert current.recall_macro >= 0.90
    assert current.precision_micro >= 0.90


def test_the_current_tokeniser_beats_jieba_alone_and_plain_bigrams(bench):
    current = scores(bench, "current")
    assert current.recall_macro > scores(bench, "jieba").recall_macro
    assert current.recall_macro > scores(bench, "bigram").recall_macro


def test_the_character_suggestion_leaves_no_query_without_results(bench):
    assert scores(bench, "current→sugg.").zero_result == 0
    assert scores(bench, "current").zero_result > 0


def test_the_python_model_agrees_with_the_portal_tokeniser(bench):
    from registry.search import document_tokens, query_terms

    assert bench.doc_current("公共交通") == document_tokens("公共交通").split()
    assert bench.q_current("广州 公交") == [[[t]] for t in query_terms("广州 公交")]
