"""In-process pairs: query-db, paging, totals and search. The platform side calls the
platform's own functions (parse → SQL → execute, the catalogue search); the raw side runs
hand-written SQL through its own psycopg connection. Calls alternate between the sides in
every round so that both see the same machine."""

from __future__ import annotations

import time
from collections.abc import Callable

import psycopg
from django.db import connection
from psycopg import sql

from bench.stats import Target, latency_of_rounds, ratio
from portal.datastore import execute
from portal.datastore.query import make_cursor, parse
from portal.search import check_search_query, search_datasets

FILTER_FIELD, SORT_FIELD = "类别", "日期"
FILTER_VALUES = ["交通", "教育", "医疗"]
SEARCH_FACETS = ("region", "theme", "format")
SEARCH_CLASSES = {
    "rare": "鸬鹚",
    "medium": "空气质量",
    "common": "公共交通",
    "one-char": "馆",
    "two-char": "医疗",
}


def _rounds(calls: list[Callable[[], object]], *, rounds: int, per_round: int, warmup: int):
    """Per call, per round: the durations (s) of `per_round` interleaved invocations."""
    for _ in range(warmup):
        for call in calls:
            call()
    out = [[[] for _ in range(rounds)] for _ in calls]
    for r in range(rounds):
        for _ in range(per_round):
            for i, call in enumerate(calls):
                started = time.perf_counter()
                call()
                out[i][r].append(time.perf_counter() - started)
    return out


def _columns(table) -> dict[str, str]:
    return {c["id"]: c["column"] for c in table.columns}


def query_db(*, dsn: str, table, rounds: int, per_round: int):
    cols = _columns(table)
    physical = [c["column"] for c in table.columns]
    raw_sql = sql.SQL("SELECT _id, {} FROM {} WHERE {} = %s ORDER BY {}, _id LIMIT 101").format(
        sql.SQL(", ").join(map(sql.Identifier, physical)),
        sql.Identifier("datastore", table.table_name),
        sql.Identifier(cols[FILTER_FIELD]),
        sql.Identifier(cols[SORT_FIELD]),
    )
    specs = [
        parse(table, {"filters": {FILTER_FIELD: v}, "sort": SORT_FIELD, "total": "none"})
        for v in FILTER_VALUES
    ]
    state = {"i": 0}
    with psycopg.connect(dsn, autocommit=True) as raw:

        def platform():
            state["i"] += 1
            execute.run(table, specs[state["i"] % len(specs)])

        def hand():
            with raw.cursor() as cur:
                cur.execute(raw_sql, [FILTER_VALUES[state["i"] % len(specs)]])
                cur.fetchall()

        plat, raw_t = _rounds([platform, hand], rounds=rounds, per_round=per_round, warmup=20)
    p, r = latency_of_rounds(plat), latency_of_rounds(raw_t)
    targets = [
        Target(
            "query-db-p50",
            ratio(p.p50_ms, r.p50_ms),
            2.0,
            "<=",
            "generated SQL p50 vs hand-written",
        ),
        Target(
            "query-db-p99",
            ratio(p.p99_ms, r.p99_ms),
            2.0,
            "<=",
            "generated SQL p99 vs hand-written",
        ),
    ]
    shown = {
        "query-db-p50": {"platform": f"{p.p50_ms:.2f} ms", "raw": f"{r.p50_ms:.2f} ms"},
        "query-db-p99": {"platform": f"{p.p99_ms:.2f} ms", "raw": f"{r.p99_ms:.2f} ms"},
    }
    return {"platform": p.as_dict(), "raw": r.as_dict()}, targets, shown


def paging(*, table, rows: int, rounds: int, per_round: int):
    """Page 10,000 (limit 100) through a keyset cursor against page 1, both through the API's
    parse → execute path. The cursor is the one the API hands out for that page."""
    params = {"filters": {FILTER_FIELD: FILTER_VALUES[0]}, "sort": SORT_FIELD, "total": "none"}
    first = parse(table, params)
    cols = _columns(table)
    matching = int(rows * 0.5)  # the first category is about half of the rows
    page = min(10_000, max(2, matching // 100 - 1))
    with connection.cursor() as cur:
        cur.execute(
            sql.SQL(
                "SELECT _id, {s} FROM {t} WHERE {f} = %s ORDER BY {s}, _id OFFSET %s LIMIT 1"
            ).format(
                s=sql.Identifier(cols[SORT_FIELD]),
                t=sql.Identifier("datastore", table.table_name),
                f=sql.Identifier(cols[FILTER_FIELD]),
            ),
            [FILTER_VALUES[0], (page - 1) * 100 - 1],
        )
        _id, value = cur.fetchone()
    token = make_cursor(first, table, {"_id": _id, cols[SORT_FIELD]: value})
    deep = parse(table, {**params, "cursor": token})
    plat, raw_t = _rounds(
        [lambda: execute.run(table, deep), lambda: execute.run(table, first)],
        rounds=rounds,
        per_round=per_round,
        warmup=10,
    )
    p, r = latency_of_rounds(plat), latency_of_rounds(raw_t)
    target = Target(
        "paging", ratio(p.p50_ms, r.p50_ms), 1.2, "<=", f"page {page} by cursor vs page 1 (p50)"
    )
    shown = {
        "paging": {"platform": f"{p.p50_ms:.2f} ms (page {page})", "raw": f"{r.p50_ms:.2f} ms"}
    }
    return {"page": page, "platform": p.as_dict(), "raw": r.as_dict()}, [target], shown


def totals(*, dsn: str, table, rounds: int, per_round: int):
    cols = _columns(table)
    cases = {
        "full": ({}, sql.SQL(""), []),
        "filtered": (
            {"filters": {FILTER_FIELD: FILTER_VALUES[1]}},
            sql.SQL(" WHERE {} = %s").format(sql.Identifier(cols[FILTER_FIELD])),
            [FILTER_VALUES[1]],
        ),
    }
    out, targets, shown = {}, [], {}
    with psycopg.connect(dsn, autocommit=True) as raw:
        for name, (params, where, args) in cases.items():
            spec = parse(table, {**params, "total": "estimate"})
            count_sql = (
                sql.SQL("SELECT count(*) FROM {}").format(
                    sql.Identifier("datastore", table.table_name)
                )
                + where
            )

            def platform(spec=spec):
                with execute.read_only() as cursor:
                    return execute._total(cursor, table, spec)

            def exact(count_sql=count_sql, args=args):
                with raw.cursor() as cur:
                    cur.execute(count_sql, args)
                    return cur.fetchone()[0]

            estimate, _ = platform()
            true = exact()
            plat, raw_t = _rounds(
                [platform, exact], rounds=rounds, per_round=max(3, per_round // 10), warmup=1
            )
            p, r = latency_of_rounds(plat), latency_of_rounds(raw_t)
            error = abs(estimate - true) / true if true else 0.0
            out[name] = {
                "estimate": estimate,
                "exact": true,
                "error": round(error, 5),
                "platform": p.as_dict(),
                "raw": r.as_dict(),
            }
            targets.append(
                Target(
                    f"totals-{name}",
                    ratio(r.p50_ms, p.p50_ms),
                    20.0,
                    ">=",
                    "count(*) time / estimate time",
                )
            )
            targets.append(Target(f"totals-{name}-error", error, 0.05, "<=", "estimate error"))
            shown[f"totals-{name}"] = {
                "platform": f"{p.p50_ms:.3f} ms",
                "raw": f"{r.p50_ms:.1f} ms",
            }
            shown[f"totals-{name}-error"] = {"platform": f"{estimate:,}", "raw": f"{true:,}"}
    return out, targets, shown


def _raw_search_sql() -> dict[str, sql.Composable]:
    """What `search_datasets` runs for these pairs, written by hand: one pass over the matches
    that counts them, counts each facet and picks the top 20 ids by rank; then those rows with
    the columns of a result list."""
    one_pass = (
        "WITH m AS MATERIALIZED (SELECT d.id, d.province_code, t.code AS theme, d.formats, "
        "ts_rank_cd(d.search_vector, to_tsquery('simple', %(q)s)) AS rank, d.published_at "
        "FROM portal_dataset d LEFT JOIN portal_theme t ON t.id = d.theme_id "
        "WHERE d.status = 'published' AND d.search_vector @@ to_tsquery('simple', %(q)s)) "
        "SELECT -1, NULL::text, count(*) FROM m "
        "UNION ALL SELECT 0, m.province_code, count(*) FROM m "
        "WHERE m.province_code IS NOT NULL GROUP BY 2 "
        "UNION ALL SELECT 1, m.theme, count(*) FROM m WHERE m.theme IS NOT NULL GROUP BY 2 "
        "UNION ALL SELECT 2, v, sum(g.n)::bigint FROM (SELECT m.formats AS a, count(*) AS n "
        "FROM m GROUP BY 1) g, unnest(g.a) v GROUP BY 2 "
        "UNION ALL SELECT -2, p.id::text, p.n FROM unnest(ARRAY(SELECT m.id FROM m "
        "ORDER BY m.rank DESC, m.published_at DESC, m.id DESC LIMIT 20)) "
        "WITH ORDINALITY AS p(id, n)"
    )
    rows = (
        "SELECT d.id, d.slug, d.holder_id, d.region_id, d.province_code, d.title, d.description, "
        "d.theme_id, d.tags, d.open_category, d.status, d.formats, d.published_at, "
        "d.metadata_updated_at, d.update_due_at, d.download_count, h.name, r.name, t.name "
        "FROM portal_dataset d JOIN registry_organisation h ON h.id = d.holder_id "
        "JOIN registry_region r ON r.code = d.region_id "
        "LEFT JOIN portal_theme t ON t.id = d.theme_id "
        "WHERE d.status = 'published' AND d.id = ANY(%(ids)s)"
    )
    return {"one-pass": sql.SQL(one_pass), "rows": sql.SQL(rows)}


def _raw_search(cur, statements: dict[str, sql.Composable], q: str) -> list:
    cur.execute(statements["one-pass"], {"q": q})
    ids = [int(value) for part, value, _ in cur.fetchall() if part == -2]
    cur.execute(statements["rows"], {"ids": ids})
    return cur.fetchall()


def _seq_scan(cur, query, params) -> bool:
    cur.execute(sql.SQL("EXPLAIN ") + query, params)
    return any("Seq Scan on portal_dataset" in row[0] for row in cur.fetchall())


def _platform_statements(call: Callable[[], object]) -> list[tuple[str, object]]:
    """The statements a call runs (SQL and parameters), to EXPLAIN what actually ran."""
    seen: list[tuple[str, object]] = []

    def capture(execute, sql_text, params, many, context):
        seen.append((sql_text, params))
        return execute(sql_text, params, many, context)

    with connection.execute_wrapper(capture):
        call()
    return seen


def search(*, dsn: str, rounds: int, per_round: int):
    from registry.search import tsquery_string

    statements = _raw_search_sql()
    out, targets, shown = {}, [], {}
    # Not prepared: after five runs psycopg would prepare the statements and PostgreSQL could
    # switch to a generic plan that does not see the query's words; Django binds values on
    # the client, so the platform's statements are planned with them every time.
    with psycopg.connect(dsn, autocommit=True, prepare_threshold=None) as raw:
        for name, q in SEARCH_CLASSES.items():
            query = check_search_query(q=q)
            params = {"q": tsquery_string(q)}

            def platform(query=query):
                return search_datasets(query, facet_fields=SEARCH_FACETS)

            def hand(q=params["q"]):
                with raw.cursor() as cur:
                    _raw_search(cur, statements, q)

            hits = platform().total
            plat, raw_t = _rounds([platform, hand], rounds=rounds, per_round=per_round, warmup=3)
            p, r = latency_of_rounds(plat), latency_of_rounds(raw_t)
            # EXPLAIN of every statement both sides ran: the raw ones, and the platform's as
            # captured from one call (label look-ups of small reference tables included).
            with raw.cursor() as cur:
                page_ids = [row[0] for row in _raw_search(cur, statements, params["q"])]
                seq = _seq_scan(cur, statements["one-pass"], params)
                seq = _seq_scan(cur, statements["rows"], {"ids": page_ids}) or seq
            with connection.cursor() as cur:
                for text, args in _platform_statements(platform):
                    cur.execute("EXPLAIN " + text, args)
                    seq = any("Seq Scan on portal_dataset" in r[0] for r in cur.fetchall()) or seq
            out[name] = {
                "q": q,
                "hits": hits,
                "seq_scan": seq,
                "platform": p.as_dict(),
                "raw": r.as_dict(),
            }
            targets.append(
                Target(
                    f"search-{name}-p99",
                    ratio(p.p99_ms, r.p99_ms),
                    2.0,
                    "<=",
                    f"{q!r}: {hits} hits",
                )
            )
            shown[f"search-{name}-p99"] = {
                "platform": f"{p.p99_ms:.1f} ms",
                "raw": f"{r.p99_ms:.1f} ms",
            }
    common = out["common"]["platform"]["p99_ms"]
    targets.append(
        Target("search-common-p99-ms", common, 100.0, "<=", "common-word p99, ms (< 100)")
    )
    shown["search-common-p99-ms"] = {"platform": f"{common:.1f} ms", "raw": ""}
    seq_classes = sum(1 for v in out.values() if v["seq_scan"])
    targets.append(
        Target(
            "search-no-seq-scan",
            float(seq_classes),
            0.0,
            "<=",
            "query classes planned as a sequential scan",
        )
    )
    shown["search-no-seq-scan"] = {"platform": f"{seq_classes} of {len(out)} classes", "raw": ""}
    return out, targets, shown
