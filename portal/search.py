"""Catalogue search: Chinese full text over the segmented `search_vector`, disjunctive facets
with counts, sorting and offset paging.

Within one facet the selected values are ORed, across facets ANDed; each facet's counts are
computed with every filter except its own, so the counts say what choosing a value would give.
All values are bound parameters; facet and sort names come from the allowlists below.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery as PgSearchQuery
from django.db.models import Q, QuerySet

from portal.models import Dataset, Licence, Theme
from portal.search_pass import FILTER_LOOKUPS, RANK, Pass, count_and_page
from portal.selectors import datasets_listed, datasets_listed_by_ids, datasets_public
from registry.errors import ValidationFailed
from registry.models import Industry, OpenCategory, Organisation, Region, UpdateFrequency
from registry.search import query_terms, tsquery_string

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Control characters other than tab and line breaks: PostgreSQL refuses NUL in text, and none
# of them belongs in a search.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_MESSAGE = "Control characters are not allowed."

FACET_FIELDS: tuple[str, ...] = (
    "region",
    "holder",
    "theme",
    "industry",
    "format",
    "open_category",
    "update_frequency",
)
FILTER_NAMES: tuple[str, ...] = tuple(FILTER_LOOKUPS)
SORTS: dict[str, tuple[str, ...]] = {
    "relevance": (),  # rank, then newest; newest when there is no text query
    "newest": ("-published_at", "-id"),
    "updated": ("-metadata_updated_at", "-id"),
    "downloads": ("-download_count", "-published_at", "-id"),
    "title": ("title", "id"),
}
MAX_LIMIT = 100
MAX_OFFSET = 10_000
MAX_QUERY_LENGTH = 200
MAX_FILTER_VALUES = 50


@dataclass(frozen=True)
class SearchQuery:
    q: str = ""
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    sort: str = "relevance"
    offset: int = 0
    limit: int = 20


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class SearchResult:
    query: SearchQuery
    datasets: list[Dataset]
    total: int
    facets: dict[str, list[FacetValue]]
    terms: list[str]


@dataclass(frozen=True)
class Suggestion:
    """A broader query that has results, for the empty-result page."""

    q: str
    filters: Mapping[str, tuple[str, ...]]
    count: int
    reason: str  # "without_filters" | "single_term" | "characters"


def check_search_query(
    *,
    q: str = "",
    filters: Mapping[str, list[str] | tuple[str, ...]] | None = None,
    sort: str = "",
    offset: int | str = 0,
    limit: int | str = 20,
) -> SearchQuery:
    """Validate raw parameters into a SearchQuery; ValidationFailed names each bad one."""
    errors: dict[str, list[str]] = {}
    q = (q or "").strip()
    if len(q) > MAX_QUERY_LENGTH:
        errors["q"] = [f"At most {MAX_QUERY_LENGTH} characters."]
    elif _CONTROL.search(q):
        errors["q"] = [CONTROL_MESSAGE]
    clean: dict[str, tuple[str, ...]] = {}
    for name, values in (filters or {}).items():
        if name not in FILTER_LOOKUPS:
            errors[name] = [f"Unknown filter. Allowed: {', '.join(FILTER_NAMES)}."]
            continue
        values = tuple(dict.fromkeys(v.strip() for v in values if v and v.strip()))
        if len(values) > MAX_FILTER_VALUES:
            errors[name] = [f"At most {MAX_FILTER_VALUES} values."]
        elif name == "holder" and not all(v.isdigit() and len(v) < 19 for v in values):
            errors[name] = ["Holder values are organisation ids (digits)."]
        elif any(len(v) > 100 for v in values):
            errors[name] = ["Each value is at most 100 characters."]
        elif any(_CONTROL.search(v) for v in values):
            errors[name] = [CONTROL_MESSAGE]
        elif values:
            clean[name] = values
    sort = sort or "relevance"
    if sort not in SORTS:
        errors["sort"] = [f"Unknown sort. Allowed: {', '.join(SORTS)}."]
    offset_n = _bounded_int(offset, "offset", 0, MAX_OFFSET, errors)
    limit_n = _bounded_int(limit, "limit", 1, MAX_LIMIT, errors)
    if errors:
        raise ValidationFailed("Invalid search parameters.", errors=errors)
    return SearchQuery(q=q, filters=clean, sort=sort, offset=offset_n, limit=limit_n)


def _bounded_int(value, name: str, low: int, high: int, errors: dict[str, list[str]]) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        errors[name] = ["Must be a whole number."]
        return low
    if not low <= number <= high:
        errors[name] = [f"Must be between {low} and {high}."]
    return number


def _text_filtered(q: str) -> tuple[QuerySet[Dataset], PgSearchQuery | None]:
    qs = datasets_public()
    raw = tsquery_string(q)
    if raw is None:
        return qs, None
    ts = PgSearchQuery(raw, search_type="raw", config="simple")
    return qs.filter(search_vector=ts), ts


def _apply_filters(
    qs: QuerySet[Dataset], filters: Mapping[str, tuple[str, ...]], *, skip: str = ""
):
    for name, values in filters.items():
        if name != skip:
            qs = qs.filter(Q(**{FILTER_LOOKUPS[name]: list(values)}))
    return qs


def search_datasets(
    query: SearchQuery,
    *,
    facet_fields: tuple[str, ...] = FACET_FIELDS,
    restrict: Q | None = None,
    order_by: tuple[str, ...] = (),
) -> SearchResult:
    """`restrict`: an extra filter built by the caller from its own allowlist (the CKAN API's
    `fq`), applied before facets are counted; `order_by`: an ordering that replaces the
    query's sort (relevance is then not used).

    Two statements, plus label look-ups for facet values not seen lately: one pass over the
    matching rows (`portal.search_pass`) that counts them, counts every facet and, with a text
    query, picks the page's ids; then the page's rows with the columns a result list shows.
    Without a text query the page is read in index order by its own statement."""
    tsquery = tsquery_string(query.q)
    ordering = _ordering(query, tsquery, order_by)
    spec = Pass(
        filters=query.filters,
        facet_fields=facet_fields,
        ordering=ordering if tsquery is not None else (),
        tsquery=tsquery,
        limit=query.limit,
        offset=query.offset,
    )
    restricted = None if restrict is None else _text_filtered(query.q)[0].filter(restrict)
    counted = count_and_page(spec, restricted=restricted)
    if tsquery is not None:
        datasets = datasets_listed_by_ids(counted.page_ids)
    else:
        page_qs = _apply_filters(datasets_listed(), query.filters)
        if restrict is not None:
            page_qs = page_qs.filter(restrict)
        datasets = list(page_qs.order_by(*ordering)[query.offset : query.offset + query.limit])
    facets = {name: _facet(name, counted.facets[name], query.filters) for name in facet_fields}
    return SearchResult(
        query=query,
        datasets=datasets,
        total=counted.total,
        facets=facets,
        terms=query_terms(query.q),
    )


def _ordering(query: SearchQuery, tsquery: str | None, order_by: tuple[str, ...]):
    if order_by:
        return order_by
    if query.sort == "relevance" and tsquery is not None:
        return (f"-{RANK}", "-published_at", "-id")
    return SORTS[query.sort] or SORTS["newest"]


def _facet(name: str, counts: dict[str, int], filters) -> list[FacetValue]:
    selected = set(filters.get(name, ()))
    labels = _LABELLERS[name](list(counts.keys() | selected))
    values = [
        FacetValue(value=v, label=labels.get(v, v), count=n, selected=v in selected)
        for v, n in counts.items()
    ]
    # A selected value stays visible even when nothing else matches it any more.
    values += [FacetValue(v, labels.get(v, v), 0, True) for v in selected if v not in counts]
    return sorted(values, key=lambda f: (-f.count, f.label))


def _choice_labels(choices) -> Callable[[list[str]], dict[str, str]]:
    return lambda values: {v: str(label) for v, label in choices if v in values}


# Region and theme names are reference data: a search looks up only the codes it has not seen
# in the last few minutes (two round trips fewer per search on the hot path).
_LABEL_TTL_SECONDS = 300.0
_label_cache: dict[str, tuple[float, dict[str, str]]] = {}


def _cached_labels(
    kind: str, values: list[str], fetch: Callable[[list[str]], dict[str, str]]
) -> dict[str, str]:
    now = time.monotonic()
    stamp, known = _label_cache.get(kind, (now, {}))
    if now - stamp > _LABEL_TTL_SECONDS:
        stamp, known = now, {}
    missing = [v for v in values if v not in known]
    if missing:
        known = {**known, **fetch(missing)}
        _label_cache[kind] = (stamp, known)
    return {v: known[v] for v in values if v in known}


def _region_labels(values: list[str]) -> dict[str, str]:
    return _cached_labels(
        "region",
        values,
        lambda codes: dict(Region.objects.filter(code__in=codes).values_list("code", "name")),
    )


def _holder_labels(values: list[str]) -> dict[str, str]:
    ids = [int(v) for v in values]
    return {
        str(pk): name
        for pk, name in Organisation.objects.filter(pk__in=ids).values_list("pk", "name")
    }


def _theme_labels(values: list[str]) -> dict[str, str]:
    return _cached_labels(
        "theme",
        values,
        lambda codes: dict(Theme.objects.filter(code__in=codes).values_list("code", "name")),
    )


def _licence_labels(values: list[str]) -> dict[str, str]:
    return dict(Licence.objects.filter(code__in=values).values_list("code", "name"))


_LABELLERS: dict[str, Callable[[list[str]], dict[str, str]]] = {
    "region": _region_labels,
    "holder": _holder_labels,
    "theme": _theme_labels,
    "industry": _choice_labels(Industry.choices),
    "format": lambda values: {v: v for v in values},
    "tag": lambda values: {v: v for v in values},
    "licence": _licence_labels,
    "open_category": _choice_labels(OpenCategory.choices),
    "update_frequency": _choice_labels(UpdateFrequency.choices),
}


def suggest_broader(query: SearchQuery, *, limit: int = 5) -> list[Suggestion]:
    """For a query with no results: the same text without filters, each of its terms on its
    own, and its words spelt out as characters, where they have results."""
    out: list[Suggestion] = []
    if query.filters:
        count = _text_filtered(query.q)[0].count()
        if count:
            out.append(Suggestion(q=query.q, filters={}, count=count, reason="without_filters"))
    terms = query_terms(query.q)
    if len(terms) > 1:
        for term in terms:
            count = _apply_filters(_text_filtered(term)[0], query.filters).count()
            if count:
                out.append(
                    Suggestion(q=term, filters=query.filters, count=count, reason="single_term")
                )
    chars = _character_query(query.q)
    if chars:
        count = _apply_filters(_text_filtered(chars)[0], query.filters).count()
        if count:
            out.append(Suggestion(q=chars, filters=query.filters, count=count, reason="characters"))
    out.sort(key=lambda s: -s.count)
    return out[:limit]


def _character_query(q: str) -> str:
    """The query with each multi-character Chinese word spelt out as its characters ("道路交通"
    → "道 路 交 通"), or "" when nothing changes. Queries are segmented in jieba's precise mode
    and documents in search mode, so a compound the text splits differently (道路 | 交通拥堵)
    finds nothing as a word; its characters are indexed, and ANDed they find it. Measured in
    docs/search.md: this recovers most zero-result queries, at some cost in precision, which
    is why it is offered as a suggestion rather than applied to every search."""
    terms = query_terms(q)
    spelt = [" ".join(t) if len(t) > 1 and _CJK.search(t) else t for t in terms]
    return " ".join(spelt) if spelt != terms else ""
