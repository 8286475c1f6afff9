"""One pass over the datasets a catalogue search matches: the total, every facet's counts and
the page's ids from a single statement, so the matching rows (wide `portal_dataset` rows,
about 1.5 kB each) are read once instead of once per count, facet and page.

The matches are materialised narrow — id, a flag per filter, the facet columns, the sort
keys — and every part reads that: each facet counts the rows passing every filter but its
own (disjunctive facets), the total and the page every filter. The statement is written here
by hand (compiling it through the ORM cost more than running it for a rare word); a caller's
extra restriction (`restricted`, any ORM filter) has its inner query compiled by the ORM.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery as PgSearchQuery
from django.contrib.postgres.search import SearchRank
from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet

from portal.models import Dataset

# Facet or filter name → the Dataset lookup a filter uses.
FILTER_LOOKUPS: dict[str, str] = {
    "region": "province_code__in",
    "holder": "holder_id__in",
    "theme": "theme__code__in",
    "industry": "industry__in",
    "format": "formats__overlap",
    "open_category": "open_category__in",
    "update_frequency": "update_frequency__in",
    "tag": "tags__overlap",
}
# The same conditions by hand, one array parameter each (d: the dataset, t: its theme). The
# casts are those the ORM writes for `__overlap` on these columns.
_FILTER_SQL: dict[str, str] = {
    "region": "d.province_code = ANY(%s)",
    "holder": "d.holder_id = ANY(%s)",
    "theme": "t.code = ANY(%s)",
    "industry": "d.industry = ANY(%s)",
    "format": "d.formats && %s::varchar(16)[]",
    "open_category": "d.open_category = ANY(%s)",
    "update_frequency": "d.update_frequency = ANY(%s)",
    "tag": "d.tags && %s::varchar(40)[]",
}
# Facets over array columns (each element counted once per dataset that has it).
ARRAY_FACETS = frozenset({"format", "tag"})
# Facet name → the Dataset field path it groups on, where not the facet's own name.
FACET_COLUMNS: dict[str, str] = {
    "region": "province_code",
    "holder": "holder_id",
    "theme": "theme__code",
    "licence": "licence__code",
    "format": "formats",
    "tag": "tags",
}
_COLUMN_SQL: dict[str, str] = {
    "region": "d.province_code",
    "holder": "d.holder_id",
    "theme": "t.code",
    "licence": "l.code",
    "industry": "d.industry",
    "format": "d.formats",
    "open_category": "d.open_category",
    "update_frequency": "d.update_frequency",
    "tag": "d.tags",
}
RANK = "rank"  # the relevance ordering's pseudo-field
_RANK_SQL = "ts_rank_cd(d.search_vector, to_tsquery('simple', %s))"


@dataclass
class Counted:
    total: int = 0
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    page_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Pass:
    """What one pass computes. `ordering`: Dataset fields ("-" for descending, RANK for the
    text rank); empty when the caller reads the page itself. `tsquery`: a
    `registry.search.tsquery_string`, or None for every published dataset."""

    filters: Mapping[str, tuple[str, ...]]
    facet_fields: tuple[str, ...]
    ordering: tuple[str, ...]
    tsquery: str | None
    limit: int
    offset: int


def count_and_page(spec: Pass, *, restricted: QuerySet[Dataset] | None = None) -> Counted:
    """`restricted`: the published datasets matching the text and the caller's restriction,
    as an ORM queryset (its inner query is compiled by the ORM); None for the hand-written
    inner query of the text match alone."""
    if restricted is None:
        inner, params = _inner_sql(spec)
    else:
        inner, params = _inner_orm(spec, restricted)
    sql = _pass_sql(inner, spec)
    if spec.ordering:
        params = [*params, spec.limit, spec.offset]
    out = Counted(facets={name: {} for name in spec.facet_fields})
    page: list[tuple[int, int]] = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for part, value, n in cursor.fetchall():
            if part == -1:
                out.total = n
            elif part == -2:
                page.append((n, int(value)))
            else:
                out.facets[spec.facet_fields[part]][value] = n
    out.page_ids = [pk for _, pk in sorted(page)]
    return out


def _inner_sql(spec: Pass) -> tuple[str, list]:
    """The matching rows with the srch_f<i> (passes filter i), srch_c<i> (facet i's column) and
    srch_o<i> (sort key i) columns, by hand."""
    select, params = ["d.id"], []
    for i, (name, values) in enumerate(spec.filters.items()):
        select.append(f"{_FILTER_SQL[name]} AS srch_f{i}")
        params.append([int(v) for v in values] if name == "holder" else list(values))
    select += [f"{_COLUMN_SQL[name]} AS srch_c{i}" for i, name in enumerate(spec.facet_fields)]
    for i, term in enumerate(spec.ordering):
        name = term.lstrip("-")
        if name == RANK:
            select.append(f"{_RANK_SQL} AS srch_o{i}")
            params.append(spec.tsquery)
        else:
            column = connection.ops.quote_name(Dataset._meta.get_field(name).column)
            select.append(f"d.{column} AS srch_o{i}")
    used = {*spec.filters, *spec.facet_fields}
    joins = "LEFT JOIN portal_theme t ON t.id = d.theme_id " if "theme" in used else ""
    if "licence" in used:
        joins += "LEFT JOIN portal_licence l ON l.id = d.licence_id "
    where = "d.status = 'published'"
    if spec.tsquery is not None:
        where += " AND d.search_vector @@ to_tsquery('simple', %s)"
        params.append(spec.tsquery)
    sql = f"SELECT {', '.join(select)} FROM portal_dataset d {joins}WHERE {where}"  # noqa: S608
    return sql, params


def _inner_orm(spec: Pass, restricted: QuerySet[Dataset]) -> tuple[str, tuple]:
    """The same columns as `_inner_sql`, compiled by the ORM from `restricted`."""
    exprs: dict = {
        f"srch_f{i}": ExpressionWrapper(
            Q(**{FILTER_LOOKUPS[name]: list(values)}), output_field=BooleanField()
        )
        for i, (name, values) in enumerate(spec.filters.items())
    }
    exprs |= {
        f"srch_c{i}": F(FACET_COLUMNS.get(name, name)) for i, name in enumerate(spec.facet_fields)
    }
    for i, term in enumerate(spec.ordering):
        name = term.lstrip("-")
        if name == RANK:
            ts = PgSearchQuery(spec.tsquery, search_type="raw", config="simple")
            exprs[f"srch_o{i}"] = SearchRank(F("search_vector"), ts, cover_density=True)
        else:
            exprs[f"srch_o{i}"] = F(name)
    return restricted.order_by().values("id", **exprs).query.sql_with_params()


def _pass_sql(inner: str, spec: Pass) -> str:
    """Rows (part, value, n): part -1 the total; -2 the page, value an id, n its position;
    i ≥ 0 facet i's count n of value. Only generated aliases and integers are formatted into
    the text; every value is a parameter of `inner` or the LIMIT / OFFSET."""
    filters = tuple(spec.filters)

    def passing(skip: str = "") -> str:
        return " AND ".join(f"m.srch_f{i}" for i, n in enumerate(filters) if n != skip) or "TRUE"

    parts = [f"SELECT -1, NULL::text, count(*) FROM m WHERE {passing()}"]  # noqa: S608
    for i, name in enumerate(spec.facet_fields):
        if name in ARRAY_FACETS:
            # Group equal arrays first, then unnest the few groups: unnesting every row's
            # array cost more than the rest of the pass's counting.
            parts.append(
                f"SELECT {i}, v::text, sum(g.n)::bigint FROM (SELECT m.srch_c{i} AS a, "  # noqa: S608
                f"count(*) AS n FROM m WHERE {passing(name)} GROUP BY 1) AS g, "
                "unnest(g.a) AS v GROUP BY 2"
            )
        else:
            parts.append(
                f"SELECT {i}, m.srch_c{i}::text, count(*) FROM m "  # noqa: S608
                f"WHERE {passing(name)} AND m.srch_c{i} IS NOT NULL GROUP BY 2"
            )
    if spec.ordering:
        keys = ", ".join(
            f"m.srch_o{i} {'DESC' if term.startswith('-') else 'ASC'}"
            for i, term in enumerate(spec.ordering)
        )
        parts.append(
            "SELECT -2, p.id::text, p.n FROM unnest(ARRAY("  # noqa: S608
            f"SELECT m.id FROM m WHERE {passing()} ORDER BY {keys} LIMIT %s OFFSET %s"
            ")) WITH ORDINALITY AS p(id, n)"
        )
    return f"WITH m AS MATERIALIZED ({inner}) " + " UNION ALL ".join(parts)
