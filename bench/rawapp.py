"""The raw side of query-http: a psycopg-only WSGI app that runs the same SQL as the records
endpoint and answers JSON built by PostgreSQL. One persistent connection per worker.

    RAWAPP_DSN=postgres://... RAWAPP_TABLE=datastore.r1 gunicorn bench.rawapp:app
"""

from __future__ import annotations

import os
from urllib.parse import parse_qs

import psycopg
from psycopg import sql

_conn: psycopg.Connection | None = None


def _connection() -> psycopg.Connection:
    global _conn
    if _conn is None or _conn.closed:
        _conn = psycopg.connect(os.environ["RAWAPP_DSN"], autocommit=True)
    return _conn


def _query() -> sql.Composed:
    schema, table = os.environ["RAWAPP_TABLE"].split(".")
    columns = os.environ["RAWAPP_COLUMNS"].split(",")
    return sql.SQL(
        "SELECT coalesce(json_agg(json_build_object({pairs})), '[]')::text FROM ("
        "SELECT * FROM {table} WHERE {filter_col} = %s ORDER BY {sort_col}, _id LIMIT 100) t"
    ).format(
        pairs=sql.SQL(", ").join(
            sql.SQL("{}, t.{}").format(sql.Literal(c), sql.Identifier(c)) for c in columns
        ),
        table=sql.Identifier(schema, table),
        filter_col=sql.Identifier(os.environ["RAWAPP_FILTER"]),
        sort_col=sql.Identifier(os.environ["RAWAPP_SORT"]),
    )


_SQL = None


def app(environ, start_response):
    global _SQL
    if _SQL is None:
        _SQL = _query()
    params = parse_qs(environ.get("QUERY_STRING", ""))
    value = params.get("v", [""])[0]
    if not value:
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]
    with _connection().cursor() as cur:
        cur.execute(_SQL, [value])
        rows = cur.fetchone()[0]
    body = b'{"records":' + rows.encode() + b"}"
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    start_response("200 OK", headers)
    return [body]
