"""Public catalogue pages (no login): the home page and the catalogue search with facets.

Search parameters are checked by `portal.search.check_search_query`; a bad one (unknown sort,
filter or page) gets the page back with a clear message and status 400, never a 500. Facet
links toggle one value and keep the rest of the query.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal import selectors_catalogue as catalogue
from portal.search import (
    CONTROL_MESSAGE,
    FACET_FIELDS,
    FILTER_NAMES,
    MAX_FILTER_VALUES,
    MAX_OFFSET,
    MAX_QUERY_LENGTH,
    SORTS,
    FacetValue,
    SearchQuery,
    check_search_query,
    search_datasets,
    suggest_broader,
)
from registry.errors import ValidationFailed

PAGE_SIZE = 20
MAX_PAGE = MAX_OFFSET // PAGE_SIZE + 1
RESERVED_PARAMS = ("q", "sort", "page")
FACETS_SHOWN = 8  # values per facet before "more"

SORT_LABELS = {
    "relevance": _("相关度"),
    "newest": _("最新发布"),
    "downloads": _("下载最多"),
    "updated": _("最近更新"),
    "title": _("标题"),
}
FILTER_LABELS = {
    "region": _("地区"),
    "holder": _("数据提供单位"),
    "theme": _("主题"),
    "industry": _("行业"),
    "format": _("数据格式"),
    "open_category": _("开放属性"),
    "update_frequency": _("更新频率"),
    "tag": _("标签"),
    "licence": _("开放许可"),
}


@dataclass(frozen=True)
class FacetLink:
    value: str
    label: str
    count: int
    selected: bool
    url: str


@dataclass(frozen=True)
class FacetBlock:
    name: str
    label: str
    links: list[FacetLink]


def home(request: HttpRequest) -> HttpResponse:
    themes = catalogue.theme_counts()
    return render(
        request,
        "portal/home.html",
        {
            "stats": catalogue.portal_stats(),
            "newest": catalogue.datasets_newest(),
            "popular": catalogue.datasets_most_downloaded(),
            "themes": sorted(themes, key=lambda t: (-t.n, t.position, t.code)),
            "provinces": catalogue.province_counts(),
        },
    )


def dataset_list(request: HttpRequest) -> HttpResponse:
    params = request.GET
    try:
        query = _parse_query(params)
    except ValidationFailed as exc:
        return _bad_request(request, _search_messages(exc))
    result = search_datasets(query)
    page = query.offset // PAGE_SIZE + 1
    pages = min(max(1, math.ceil(result.total / PAGE_SIZE)), MAX_PAGE)
    if page > pages:
        message = gettext("第 %(page)s 页超出范围：共 %(pages)s 页。") % {
            "page": page,
            "pages": pages,
        }
        return _bad_request(request, [message])
    context = {
        "query": query,
        "result": result,
        "facets": _facet_blocks(params, result.facets),
        "chosen": _chosen_filters(params, query, result.facets),
        "sorts": [(name, label, _with(params, sort=name)) for name, label in SORT_LABELS.items()],
        "page": page,
        "pages": pages,
        "page_links": _page_links(params, page, pages),
        "hidden": _hidden_inputs(query),
        "suggestions": _suggestions(query) if not result.total else [],
        "max_query_length": MAX_QUERY_LENGTH,
        "now": timezone.now(),
    }
    return render(request, "portal/catalogue/dataset_list.html", context)


def _bad_request(request: HttpRequest, messages: list[str]) -> HttpResponse:
    context = {"errors": messages, "q": request.GET.get("q", "")[:MAX_QUERY_LENGTH]}
    return render(request, "portal/catalogue/dataset_list.html", context, status=400)


def _parse_query(params: QueryDict) -> SearchQuery:
    """Raw GET parameters into a SearchQuery; every bad parameter is reported at once."""
    errors: dict[str, list[str]] = {}
    page = _page_number(params.get("page"), errors)
    filters = {name: params.getlist(name) for name in params if name not in RESERVED_PARAMS}
    try:
        query = check_search_query(
            q=params.get("q", ""),
            filters=filters,
            sort=params.get("sort", ""),
            offset=(page - 1) * PAGE_SIZE,
            limit=PAGE_SIZE,
        )
    except ValidationFailed as exc:
        errors.update(exc.errors)
        query = None
    if errors or query is None:
        raise ValidationFailed("Invalid search parameters.", errors=errors)
    return query


def _page_number(raw: str | None, errors: dict[str, list[str]]) -> int:
    if raw is None or raw.strip() == "":
        return 1
    raw = raw.strip()
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9 or int(raw) < 1:
        errors["page"] = ["not_a_page"]
        return 1
    if int(raw) > MAX_PAGE:
        errors["page"] = ["too_far"]
        return 1
    return int(raw)


def _search_messages(exc: ValidationFailed) -> list[str]:
    """Chinese messages for the parameters check_search_query and the page refused."""
    out: list[str] = []
    for name, problems in exc.errors.items():
        if name == "page" and problems == ["too_far"]:
            msg = gettext("页码过大：最多只能翻到第 %(max)s 页，请缩小检索范围。")
            out.append(msg % {"max": MAX_PAGE})
        elif name == "page":
            out.append(gettext("页码须为正整数。"))
        elif name == "sort":
            allowed = "、".join(str(label) for label in SORT_LABELS.values())
            out.append(gettext("未知的排序方式。可选：%(allowed)s。") % {"allowed": allowed})
        elif name == "q" and CONTROL_MESSAGE in problems:
            out.append(gettext("检索词含有不可见的控制字符。"))
        elif name == "q":
            out.append(gettext("检索词最多 %(n)s 个字符。") % {"n": MAX_QUERY_LENGTH})
        elif name in ("offset", "limit"):
            out.append(gettext("页码超出范围。"))
        elif name not in FILTER_NAMES:
            out.append(gettext("未知的筛选条件“%(name)s”。") % {"name": name[:40]})
        else:
            out.append(_filter_message(name, problems))
    return out


def _filter_message(name: str, problems: list[str]) -> str:
    label = FILTER_LABELS.get(name, name)
    if any("At most" in p and "values" in p for p in problems):
        return gettext("“%(label)s”最多选择 %(n)s 项。") % {"label": label, "n": MAX_FILTER_VALUES}
    return gettext("“%(label)s”的取值无效。") % {"label": label}


def _with(params: QueryDict, **changes: str | None) -> str:
    """The current query string with some parameters replaced (None removes), back to page 1."""
    copy = params.copy()
    copy.pop("page", None)
    for name, value in changes.items():
        copy.pop(name, None)
        if value:
            copy[name] = value
    encoded = copy.urlencode()
    return f"?{encoded}" if encoded else "?"


def _toggled(params: QueryDict, name: str, value: str) -> str:
    """The current query string with one facet value switched on or off, back to page 1."""
    copy = params.copy()
    copy.pop("page", None)
    values = [v for v in copy.getlist(name) if v.strip()]
    if value in values:
        values.remove(value)
    else:
        values.append(value)
    if values:
        copy.setlist(name, values)
    else:
        copy.pop(name, None)
    encoded = copy.urlencode()
    return f"?{encoded}" if encoded else "?"


def _facet_blocks(params: QueryDict, facets: dict[str, list[FacetValue]]) -> list[FacetBlock]:
    blocks = []
    for name in FACET_FIELDS:
        values = sorted(facets.get(name, []), key=lambda f: (not f.selected, -f.count, f.label))
        links = [
            FacetLink(f.value, f.label, f.count, f.selected, _toggled(params, name, f.value))
            for f in values
        ]
        blocks.append(FacetBlock(name, str(FILTER_LABELS.get(name, name)), links))
    return blocks


def _chosen_filters(params: QueryDict, query: SearchQuery, facets) -> list[FacetLink]:
    """The selected filter values as removable chips (tags too, which have no facet)."""
    labels = {(n, f.value): f.label for n, values in facets.items() for f in values}
    return [
        FacetLink(
            value,
            f"{FILTER_LABELS.get(name, name)}：{labels.get((name, value), value)}",
            0,
            True,
            _toggled(params, name, value),
        )
        for name, values in query.filters.items()
        for value in values
    ]


def _hidden_inputs(query: SearchQuery) -> list[tuple[str, str]]:
    """Filters and sort carried by the search box, so a new text keeps the other choices."""
    pairs = [(name, value) for name, values in query.filters.items() for value in values]
    if query.sort != "relevance":
        pairs.append(("sort", query.sort))
    return pairs


def _page_links(params: QueryDict, page: int, pages: int) -> list[tuple[int | None, str]]:
    """Page numbers around the current one, with None for a gap."""
    shown = sorted({1, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)})
    links: list[tuple[int | None, str]] = []
    previous = 0
    for number in shown:
        if number - previous > 1:
            links.append((None, ""))
        links.append((number, _page_url(params, number)))
        previous = number
    return links


def _page_url(params: QueryDict, number: int) -> str:
    copy = params.copy()
    copy.pop("page", None)
    if number > 1:
        copy["page"] = str(number)
    encoded = copy.urlencode()
    return f"?{encoded}" if encoded else "?"


def _suggestions(query: SearchQuery) -> list[dict]:
    """Broader queries with results, as links, for the empty-result page."""
    out = []
    for suggestion in suggest_broader(query):
        copy = QueryDict(mutable=True)
        if suggestion.q:
            copy["q"] = suggestion.q
        for name, values in suggestion.filters.items():
            copy.setlist(name, list(values))
        if query.sort != "relevance" and query.sort in SORTS:
            copy["sort"] = query.sort
        out.append({"suggestion": suggestion, "url": f"?{copy.urlencode()}"})
    return out
