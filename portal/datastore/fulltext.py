"""The full-text column of a table loaded by `COPY` of the file as it is (`ingest`'s fast
path), filled in one rewrite instead of row by row in Python.

Each distinct text value that has a non-ASCII character is segmented once in Python (jieba
search mode plus single CJK characters: `registry.search.document_tokens`, exactly what the
row path uses); values of ASCII characters only are segmented by the same rule in SQL (lower
case, runs of [0-9a-z]). The staging table is then rewritten with `_fts` as the union of its
text columns' tokens, and takes the staging table's name: what the row path would have stored,
lexeme for lexeme (NULL when a row has no token at all).
"""

from __future__ import annotations

import contextlib
import tempfile

import psycopg
from psycopg import sql

from portal.datastore.models import ColumnType
from registry.search import document_tokens

SCHEMA = "datastore"
_UPPER, _LOWER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz"


# PostgreSQL's longest lexeme: `to_tsvector` skips longer words (with a notice), a tsvector
# literal or `array_to_tsvector` refuses them. Both paths skip them, as `to_tsvector` does.
MAX_LEXEME_BYTES = 2047
# A tsvector holds at most 1,048,575 bytes: a value of a few megabytes (a long document, a
# blob of words) would fail the load. A row's `_fts` is the union of its text values' tokens,
# and each value gets an equal share of this budget (`value_budget`).
_ROW_BUDGET = 1_000_000
_ENTRY_BYTES = 4  # a lexeme's entry in a tsvector, besides its text


def value_budget(text_columns: int) -> int:
    """The bytes of tsvector one value of a table with `text_columns` text columns may use."""
    return max(8 * 1024, _ROW_BUDGET // max(1, text_columns))


def ascii_prefix(budget: int) -> int:
    """How many characters of an ASCII value are tokenised: its tokens are runs of [0-9a-z]
    separated by at least one other character, so those of n characters use at most 3n
    bytes (the text, plus an entry for each of at most n/2 tokens)."""
    return budget // 3


def value_tokens(value: str, budget: int) -> list[str]:
    """The distinct tokens of one value within `budget` bytes of tsvector: an ASCII value's
    tokens of its first `ascii_prefix` characters (what the fast path computes in SQL);
    another value's tokens in order until the budget is spent. Tokens longer than
    `MAX_LEXEME_BYTES` are left out."""
    if value.isascii():
        tokens = dict.fromkeys(document_tokens(value[: ascii_prefix(budget)]).split())
        return [t for t in tokens if len(t) <= MAX_LEXEME_BYTES]
    out: list[str] = []
    used = 0
    for token in dict.fromkeys(document_tokens(value).split()):
        size = len(token.encode())
        if size > MAX_LEXEME_BYTES:
            continue
        used += size + _ENTRY_BYTES
        if used > budget:
            break
        out.append(token)
    return out


def tsvector_literal(values: list[str | None], budget: int) -> str:
    """A `tsvector` literal of the tokens of `values` (no positions, each token once; each
    value's tokens as `value_tokens` within `budget`)."""
    unique = dict.fromkeys(t for v in values if v for t in value_tokens(v, budget))
    return " ".join("'" + t.replace("\\", "\\\\").replace("'", "''") + "'" for t in unique)


def _copy_text(value: str) -> str:
    """A value in COPY's text format."""
    return (
        value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    )


# A value with a non-ASCII character: in a UTF-8 database (the platform's), its bytes outnumber
# its characters. Both are counted in C, where a regular expression per value cost several
# times more (the test runs on every text cell of the table, twice).
def _non_ascii(value: sql.Composable) -> sql.Composable:
    return sql.SQL("octet_length({c}) <> length({c})").format(c=value)


def _dictionary(cursor, staging: str, column: str, name: str, budget: int) -> None:
    """A temporary table (v, t) of the column's distinct non-ASCII values and their tokens."""
    source = sql.SQL("COPY (SELECT DISTINCT {c} FROM {t} WHERE {non_ascii}) TO STDOUT").format(
        c=sql.Identifier(column),
        t=sql.Identifier(SCHEMA, staging),
        non_ascii=_non_ascii(sql.Identifier(column)),
    )
    with tempfile.TemporaryFile("w+", encoding="utf-8") as spool:
        with cursor.copy(source) as copy:
            for (value,) in copy.rows():
                tokens = tsvector_literal([value], budget)
                spool.write(_copy_text(value) + "\t" + _copy_text(tokens) + "\n")
        spool.seek(0)
        cursor.execute(
            sql.SQL("CREATE TEMPORARY TABLE {} (v text, t tsvector)").format(sql.Identifier(name))
        )
        with cursor.copy(sql.SQL("COPY {} FROM STDIN").format(sql.Identifier(name))) as copy:
            while block := spool.read(1 << 20):
                copy.write(block)
    cursor.execute(sql.SQL("ANALYZE {}").format(sql.Identifier(name)))


def _tokens(column: str, alias: str, budget: int) -> sql.Composable:
    value = sql.SQL("s.{}").format(sql.Identifier(column))
    head = sql.SQL("left({}, {})").format(value, sql.Literal(ascii_prefix(budget)))
    return sql.SQL(
        "CASE WHEN {v} IS NULL THEN ''::tsvector"
        " WHEN {non_ascii} THEN coalesce({d}.t, ''::tsvector)"
        " WHEN {h} ~ '^[0-9a-z]+$' AND octet_length({h}) <= {most}"
        " THEN array_to_tsvector(ARRAY[{h}])"
        " ELSE array_to_tsvector(ARRAY("
        "SELECT m[1] FROM regexp_matches(translate({h}, {up}, {low}), '[0-9a-z]+', 'g') AS m"
        " WHERE octet_length(m[1]) <= {most})) END"
    ).format(
        v=value,
        h=head,
        non_ascii=_non_ascii(value),
        up=sql.Literal(_UPPER),
        low=sql.Literal(_LOWER),
        d=sql.Identifier(alias),
        most=sql.Literal(MAX_LEXEME_BYTES),
    )


def fill(cursor, staging: str, columns: list[dict], *, rows: int) -> None:
    """Rewrite `datastore.<staging>` (whose `_fts` is empty, and whose `_id`s are 1 to `rows`)
    with its full-text column; `_id` stays an identity column that continues after `rows`."""
    text = [c["column"] for c in columns if c["type"] == ColumnType.TEXT]
    if not text:
        return
    rewritten = f"{staging}x"
    dictionaries = [f"fts_{staging}_{column}" for column in text]
    budget = value_budget(len(text))
    try:
        for column, name in zip(text, dictionaries, strict=True):
            _dictionary(cursor, staging, column, name, budget)
        joins = sql.SQL(" ").join(
            sql.SQL("LEFT JOIN {d} {a} ON {a}.v = s.{c}").format(
                d=sql.Identifier(name), a=sql.Identifier(f"d{i}"), c=sql.Identifier(column)
            )
            for i, (column, name) in enumerate(zip(text, dictionaries, strict=True))
        )
        tokens = sql.SQL(" || ").join(
            _tokens(column, f"d{i}", budget) for i, column in enumerate(text)
        )
        data = sql.SQL(", ").join(
            sql.SQL("s.{}").format(sql.Identifier(c["column"])) for c in columns
        )
        cursor.execute(
            sql.SQL(
                "CREATE TABLE {new} AS SELECT s._id, {data}, NULLIF({tokens}, ''::tsvector) AS _fts "
                "FROM {old} s {joins}"
            ).format(
                new=sql.Identifier(SCHEMA, rewritten),
                data=data,
                tokens=tokens,
                old=sql.Identifier(SCHEMA, staging),
                joins=joins,
            )
        )
        # CREATE TABLE AS keeps no constraint: the identity and the NOT NULL columns are
        # made again, in one ALTER (one scan checks every NOT NULL).
        required = [sql.Identifier("_id")] + [
            sql.Identifier(c["column"]) for c in columns if not c["nullable"]
        ]
        cursor.execute(
            sql.SQL(
                "ALTER TABLE {} {}, ALTER COLUMN _id ADD GENERATED ALWAYS AS IDENTITY (START WITH {})"
            ).format(
                sql.Identifier(SCHEMA, rewritten),
                sql.SQL(", ").join(
                    sql.SQL("ALTER COLUMN {} SET NOT NULL").format(c) for c in required
                ),
                sql.Literal(rows + 1),
            )
        )
        cursor.execute(sql.SQL("DROP TABLE {}").format(sql.Identifier(SCHEMA, staging)))
        cursor.execute(
            sql.SQL("ALTER TABLE {} RENAME TO {}").format(
                sql.Identifier(SCHEMA, rewritten), sql.Identifier(staging)
            )
        )
    except BaseException:
        _quietly(
            cursor, sql.SQL("DROP TABLE IF EXISTS {}").format(sql.Identifier(SCHEMA, rewritten))
        )
        raise
    finally:
        for name in dictionaries:
            _quietly(cursor, sql.SQL("DROP TABLE IF EXISTS {}").format(sql.Identifier(name)))


def _quietly(cursor, statement: sql.Composable) -> None:
    """Clean-up that must not hide the error being raised (an aborted outer transaction
    refuses every statement, and undoes the tables anyway)."""
    with contextlib.suppress(psycopg.Error):
        cursor.execute(statement)
