"""A page of records as JSON text made by PostgreSQL.

The records endpoint used to fetch a page as Python values, convert each one and encode the
page with `json.dumps`; here each row arrives as its JSON text (an object in field order, or a
list), so Python only joins the rows. The text is exactly what the Python path makes
(`execute._json_value` then `json.dumps(..., ensure_ascii=False, separators=(",", ":"))`),
type by type:

- integer: the number; numeric: a string, written as PostgreSQL writes it (no exponent);
- text: a JSON string (PostgreSQL's escapes are json.dumps's: \\" \\\\ \\b \\f \\n \\r \\t and
  \\u00xx for the other control characters; nothing else is escaped);
- date: "YYYY-MM-DD"; timestamp: "YYYY-MM-DDTHH:MM:SS", with ".ffffff" when it has a
  fraction (as `datetime.isoformat`);
- NULL: null.

The field names are encoded by `json.dumps` and bound as literals. The row expression is a
chain of `||` (no argument limit, unlike `json_build_object`'s 100), computed in an outer
query over the page, so only the page's rows are encoded. `tests/portal/datastore/
test_json_shape.py` compares both paths over every type and awkward values.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from psycopg import sql

from portal.datastore.models import ColumnType, DatastoreTable
from portal.datastore.query import Column, Spec, records_sql
from portal.lookups import rendered

_TIMESTAMP = (
    "'\"' || to_char({c}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || "
    "CASE WHEN date_trunc('second', {c}) = {c} THEN '' ELSE to_char({c}, '.US') END || '\"'"
)


def value_json(column: Column) -> sql.Composable:
    """The JSON text of one column's value (never NULL: null is written out)."""
    ident = sql.Identifier(column.column)
    if column.type == ColumnType.INTEGER:
        expr = sql.SQL("{}::text").format(ident)
    elif column.type == ColumnType.NUMERIC:
        expr = sql.SQL("to_json({}::text)::text").format(ident)
    elif column.type == ColumnType.TIMESTAMP:
        expr = sql.SQL(_TIMESTAMP).format(c=ident)
    else:  # text, date
        expr = sql.SQL("to_json({})::text").format(ident)
    return sql.SQL("coalesce({}, 'null')").format(expr)


def record_json(fields: list[Column], records_format: str) -> sql.Composable:
    """One row as a JSON object keyed by field id (in field order), or a list."""
    lists = records_format == "lists"
    parts: list[sql.Composable] = [sql.Literal("[" if lists else "{")]
    for i, column in enumerate(fields):
        prefix = "," if i else ""
        if not lists:
            prefix += json.dumps(column.id, ensure_ascii=False) + ":"
        if prefix:
            parts.append(sql.Literal(prefix))
        parts.append(value_json(column))
    parts.append(sql.Literal("]" if lists else "}"))
    return sql.SQL(" || ").join(parts)


@lru_cache(maxsize=512)
def _record_json_text(fields: tuple[Column, ...], records_format: str) -> sql.SQL:
    """`record_json` rendered once per field list: it is the largest part of the statement and
    the same on every call of a table. Its literals hold field ids, which may contain '%':
    doubled, so that psycopg does not read them as placeholders."""
    return sql.SQL(rendered(record_json(list(fields), records_format)).replace("%", "%%"))


def records_json_sql(table: DatastoreTable, spec: Spec) -> tuple[sql.Composable, list[Any]]:
    """`records_sql`'s page as rows of (JSON text, _id, sort values…) in the page's order."""
    inner, params = records_sql(table, spec)
    keys = [sql.Identifier(c.column) for c, _ in spec.sort]
    order = [
        sql.SQL("{} {} NULLS LAST").format(
            sql.Identifier(c.column), sql.SQL("DESC" if d else "ASC")
        )
        for c, d in spec.sort
    ] + [sql.SQL("_id")]
    query = sql.SQL("SELECT {} AS _json, {} FROM ({}) AS page ORDER BY {}").format(
        _record_json_text(tuple(spec.fields), spec.records_format),
        sql.SQL(", ").join([sql.Identifier("_id"), *keys]),
        inner,
        sql.SQL(", ").join(order),
    )
    return query, params
