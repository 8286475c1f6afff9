"""Recall, precision and speed of Chinese tokenisers for the catalogue search.

    .venv/bin/python bench/search_recall.py [--docs 5000] [--repeat 5] [--no-db]

Methods (document tokens / query clauses; every query clause must match, as in the portal):
  current        jieba search mode + single CJK characters / jieba precise-mode words
                 (registry.search: what the portal uses today)
  jieba          jieba search mode only / jieba precise-mode words
  bigram         overlapping CJK bigrams + single characters / the query's bigrams (one
                 character: the character)
  bigram+jieba   both token sets / each jieba word matches as itself OR as all its bigrams
  current+chars  the current index / each jieba word matches as itself OR as all its characters
                 (a query-side change only: the characters are indexed already)
  current→sugg.  current, and for a query that finds nothing, its words spelt out as characters
                 (what the portal's empty-result page offers as a suggestion)

Recall is computed in pure Python (token-set semantics of `tsvector @@ tsquery` with the
`simple` configuration). With DATABASE_URL set the script also loads the labelled set into
PostgreSQL to check that PostgreSQL returns exactly what the Python model says, and measures
index size and query time on a generated catalogue of `--docs` entries (temporary tables, gone
when the connection closes).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import rjieba
from search_labelled_set import CITIES, DOCS, QUERIES, YEARS

from registry.search import document_tokens, normalise, query_terms

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[0-9a-z]+")

# A query is AND over clauses; a clause is OR over alternatives; an alternative is AND over
# lexemes. This is exactly what a tsquery like `(a | (b & c)) & d` expresses.
Query = list[list[list[str]]]


def _runs(text: str) -> list[str]:
    return [r for chunk in _WORD.findall(normalise(text)) for r in _RUN.findall(chunk)]


def bigrams(run: str) -> list[str]:
    if not _CJK.match(run):
        return [run]
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def _jieba_search_words(text: str) -> list[str]:
    words: list[str] = []
    for chunk in _WORD.findall(normalise(text)):
        if _CJK.search(chunk):
            words.extend(w for w in rjieba.cut_for_search(chunk) if w.strip())
        else:
            words.append(chunk)
    return words


# Document tokenisers -------------------------------------------------------------------------


def doc_current(text: str) -> list[str]:
    return document_tokens(text).split()


def doc_jieba(text: str) -> list[str]:
    return _jieba_search_words(text)


def doc_bigram(text: str) -> list[str]:
    tokens: list[str] = []
    for run in _runs(text):
        tokens.extend(bigrams(run))
        if _CJK.match(run) and len(run) > 1:
            tokens.extend(run)  # single characters, so one-character queries hit the index
    return tokens


def doc_bigram_jieba(text: str) -> list[str]:
    return doc_bigram(text) + _jieba_search_words(text)


# Query parsers -------------------------------------------------------------------------------


def q_current(q: str) -> Query:
    return [[[term]] for term in query_terms(q)]


def q_bigram(q: str) -> Query:
    clauses: Query = []
    for run in _runs(q):
        clauses.extend([[gram]] for gram in bigrams(run))
    return clauses


def q_bigram_jieba(q: str) -> Query:
    clauses: Query = []
    for term in query_terms(q):
        alternatives = [[term]]
        grams = [g for run in _runs(term) for g in bigrams(run)]
        if grams != [term]:
            alternatives.append(grams)
        clauses.append(alternatives)
    return clauses


def q_current_chars(q: str) -> Query:
    clauses: Query = []
    for term in query_terms(q):
        chars = list(term) if _CJK.match(term) and len(term) > 1 else []
        clauses.append([[term], chars] if chars else [[term]])
    return clauses


@dataclass(frozen=True)
class Method:
    name: str
    doc: Callable[[str], list[str]]
    query: Callable[[str], Query]
    # Asked only when `query` finds nothing: the portal's "characters" suggestion, one click.
    fallback: Callable[[str], Query] | None = None


def q_spelt_out(q: str) -> Query:
    """Every multi-character word as its characters (portal.search._character_query)."""
    return [[[ch]] for term in query_terms(q) for ch in (term if _CJK.match(term) else [term])]


METHODS = [
    Method("current", doc_current, q_current),
    Method("jieba", doc_jieba, q_current),
    Method("bigram", doc_bigram, q_bigram),
    Method("bigram+jieba", doc_bigram_jieba, q_bigram_jieba),
    Method("current+chars", doc_current, q_current_chars),
    Method("current→sugg.", doc_current, q_current, fallback=q_spelt_out),
]


def matches(tokens: set[str], query: Query) -> bool:
    return bool(query) and all(
        any(alt and all(t in tokens for t in alt) for alt in clause) for clause in query
    )


def tsquery_text(query: Query) -> str:
    def lexeme(t: str) -> str:
        return "'" + t.replace("'", "''").replace("\\", "") + "'"

    return " & ".join(
        "(" + " | ".join("(" + " & ".join(lexeme(t) for t in alt) + ")" for alt in clause) + ")"
        for clause in query
    )


# Recall ---------------------------------------------------------------------------------------


@dataclass
class Scores:
    recall_macro: float
    recall_micro: float
    precision_micro: float
    f1: float
    zero_result: int
    missed: list[str]


def text_of(doc_id: int) -> str:
    title, description = DOCS[doc_id]
    return f"{title} {description}"


def evaluate(method: Method, *, include_mismatch: bool = True) -> tuple[Scores, dict]:
    index = {i: set(method.doc(text_of(i))) for i in DOCS}
    hits_total = relevant_total = retrieved_total = zero = 0
    recalls: list[float] = []
    missed: list[str] = []
    retrieved_by_query: dict[str, set[int]] = {}
    for lq in QUERIES:
        if lq.mismatch and not include_mismatch:
            continue
        parsed = method.query(lq.q)
        found = {i for i, tokens in index.items() if matches(tokens, parsed)}
        if not found and method.fallback is not None:
            parsed = method.fallback(lq.q)
            found = {i for i, tokens in index.items() if matches(tokens, parsed)}
        retrieved_by_query[lq.q] = found
        hits = len(found & lq.relevant)
        hits_total += hits
        relevant_total += len(lq.relevant)
        retrieved_total += len(found)
        recalls.append(hits / len(lq.relevant))
        zero += not found
        if hits < len(lq.relevant):
            missed.append(f"{lq.q}({hits}/{len(lq.relevant)})")
    precision = hits_total / retrieved_total if retrieved_total else 1.0
    recall = hits_total / relevant_total
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    scores = Scores(statistics.mean(recalls), recall, precision, f1, zero, missed)
    return scores, retrieved_by_query


# PostgreSQL: agreement and speed --------------------------------------------------------------


def connect():
    url = os.environ.get("DATABASE_URL")
    if not url:
        return None
    import psycopg

    return psycopg.connect(url, autocommit=True)


def load_table(cur, table: str, rows: Iterable[tuple[int, str]]) -> None:
    cur.execute(f"DROP TABLE IF EXISTS {table}")
    cur.execute(f"CREATE TEMP TABLE {table} (id int PRIMARY KEY, tokens text, v tsvector)")
    with cur.copy(f"COPY {table} (id, tokens) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    cur.execute(f"UPDATE {table} SET v = to_tsvector('simple', tokens)")
    cur.execute(f"CREATE INDEX {table}_gin ON {table} USING gin (v)")
    cur.execute(f"ANALYZE {table}")


def check_agreement(cur, method: Method, expected: dict[str, set[int]]) -> int:
    """Queries on which PostgreSQL disagrees with the Python model (should be 0)."""
    table = "recall_" + re.sub(r"\W", "_", method.name)
    load_table(cur, table, ((i, " ".join(method.doc(text_of(i)))) for i in DOCS))
    disagreements = 0
    for q, found in expected.items():
        parsed = method.query(q)
        if not parsed:
            continue
        cur.execute(
            f"SELECT id FROM {table} WHERE v @@ to_tsquery('simple', %s)", [tsquery_text(parsed)]
        )
        if {row[0] for row in cur.fetchall()} != found:
            disagreements += 1
            print(f"  PostgreSQL disagrees with the Python model for {method.name} / {q}")
    return disagreements


def generated_catalogue(n: int) -> list[str]:
    rng = random.Random(20260401)
    subjects = list(DOCS.values())
    texts = []
    for i in range(n):
        title, description = subjects[i % len(subjects)]
        city = CITIES[(i // len(subjects)) % len(CITIES)]
        year = rng.choice(YEARS)
        extra = subjects[rng.randrange(len(subjects))][1]
        texts.append(f"{city}市{year}{title} {city}市{description}{extra}")
    return texts


@dataclass
class Speed:
    tokenise_ms_per_1000: float
    tokens_per_doc: float
    vector_kib: float
    index_kib: float
    count_ms: float
    top20_ms: float
    count_p95_ms: float
    hits_per_query: float


def measure_speed(cur, method: Method, texts: list[str], repeat: int) -> Speed:
    started = time.perf_counter()
    token_lists = [method.doc(t) for t in texts]
    tokenise = (time.perf_counter() - started) * 1000 / len(texts) * 1000
    table = "speed_" + re.sub(r"\W", "_", method.name)
    load_table(cur, table, ((i, " ".join(toks)) for i, toks in enumerate(token_lists)))
    cur.execute(f"SELECT sum(pg_column_size(v)) FROM {table}")
    vector_bytes = cur.fetchone()[0]
    cur.execute("SELECT pg_relation_size(%s)", [f"{table}_gin"])
    index_bytes = cur.fetchone()[0]
    counts, tops, hits = [], [], []
    for lq in QUERIES:
        parsed = method.query(lq.q)
        if not parsed:
            continue
        text = tsquery_text(parsed)
        cur.execute(f"SELECT count(*) FROM {table} WHERE v @@ %s::tsquery", [text])
        hits.append(cur.fetchone()[0])
        counts.append(
            _timed(cur, f"SELECT count(*) FROM {table} WHERE v @@ %s::tsquery", text, repeat)
        )
        tops.append(
            _timed(
                cur,
                f"SELECT id FROM {table} WHERE v @@ %s::tsquery "
                f"ORDER BY ts_rank_cd(v, %s::tsquery) DESC, id LIMIT 20",
                text,
                repeat,
                twice=True,
            )
        )
    return Speed(
        tokenise_ms_per_1000=tokenise,
        tokens_per_doc=statistics.mean(len(t) for t in token_lists),
        vector_kib=vector_bytes / 1024,
        index_kib=index_bytes / 1024,
        count_ms=statistics.mean(counts),
        top20_ms=statistics.mean(tops),
        count_p95_ms=sorted(counts)[int(len(counts) * 0.95) - 1],
        hits_per_query=statistics.mean(hits),
    )


def _timed(cur, sql: str, text: str, repeat: int, *, twice: bool = False) -> float:
    params = [text, text] if twice else [text]
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        cur.execute(sql, params)
        cur.fetchall()
        runs.append((time.perf_counter() - started) * 1000)
    return statistics.median(runs)


# Report ---------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=5000, help="size of the generated catalogue")
    parser.add_argument("--repeat", type=int, default=5, help="runs per query (median taken)")
    parser.add_argument("--no-db", action="store_true", help="pure Python figures only")
    args = parser.parse_args()

    print(
        f"Labelled set: {len(DOCS)} entries, {len(QUERIES)} queries "
        f"({sum(q.mismatch for q in QUERIES)} marked vocabulary mismatch)\n"
    )
    header = f"{'method':<14} {'recall':>7} {'recall*':>8} {'micro-R':>8} {'precision':>9} {'F1':>6} {'zero':>5}"
    print(header + "   (* = without mismatch queries)")
    results = {}
    for method in METHODS:
        scores, retrieved = evaluate(method)
        strict, _ = evaluate(method, include_mismatch=False)
        results[method.name] = (scores, retrieved)
        print(
            f"{method.name:<14} {scores.recall_macro:7.3f} {strict.recall_macro:8.3f} "
            f"{scores.recall_micro:8.3f} {scores.precision_micro:9.3f} {scores.f1:6.3f} "
            f"{scores.zero_result:5d}"
        )
    print("\nQueries not fully recalled:")
    for name, (scores, _) in results.items():
        print(f"  {name:<14} {' '.join(scores.missed)}")

    connection = None if args.no_db else connect()
    if connection is None:
        print("\n(DATABASE_URL unset or --no-db: no PostgreSQL agreement check or speed figures)")
        return
    with connection, connection.cursor() as cur:
        cur.execute("SET work_mem = '64MB'")
        print("\nPostgreSQL agreement with the Python model on the labelled set:")
        for method in (m for m in METHODS if m.fallback is None):
            bad = check_agreement(cur, method, results[method.name][1])
            print(f"  {method.name:<14} {'identical' if not bad else f'{bad} queries differ'}")
        texts = generated_catalogue(args.docs)
        print(
            f"\nSpeed on a generated catalogue of {len(texts)} entries "
            f"(median of {args.repeat} runs per query, mean over {len(QUERIES)} queries):"
        )
        print(
            f"{'method':<14} {'tokenise':>12} {'tokens/doc':>10} {'tsvector':>10} "
            f"{'GIN index':>10} {'count(*)':>9} {'p95':>7} {'top 20':>8} {'hits':>6}"
        )
        for method in (m for m in METHODS if m.fallback is None):
            s = measure_speed(cur, method, texts, args.repeat)
            print(
                f"{method.name:<14} {s.tokenise_ms_per_1000:9.0f} ms {s.tokens_per_doc:10.1f} "
                f"{s.vector_kib:7.0f} KiB {s.index_kib:6.0f} KiB {s.count_ms:6.2f} ms "
                f"{s.count_p95_ms:5.2f} ms {s.top20_ms:5.2f} ms {s.hits_per_query:6.0f}"
            )
        print("  (tokenise = Python time per 1,000 entries; hits = mean matches per query)")


if __name__ == "__main__":
    main()
