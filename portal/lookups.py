"""Hot-path lookups: a model row and its forward relations read by one hand-built SELECT whose
SQL is made once per process.

The ORM compiles a `select_related` query on every call; for the records endpoint's two lookups
(key → plan, user; table → distribution → dataset → holder, version) that compile cost more
than the queries themselves. A `Graph` builds the same SELECT once (every concrete column of
every model on the path, LEFT JOINs on the foreign keys), applies the fields' database
converters as the ORM does, and returns model instances with their relations cached, so the
callers keep working with ordinary model objects. `fetch` sends several lookups in one round
trip (psycopg's pipeline mode).

    TABLE = Graph(DatastoreTable, ("distribution", "distribution.dataset", "version"))
    sql = TABLE.select('{distribution.dataset}.status = %s AND {}.distribution_id = %s')
    [table] = fetch((TABLE, sql, ["published", 7]))
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

import psycopg
from django.db import OperationalError, connection
from django.db.models import Field, Model
from psycopg import sql
from psycopg.types.string import TextLoader

_PLACEHOLDER = re.compile(r"\{([a-z_.]*)\}")


@dataclass(frozen=True)
class _Node:
    path: str  # "" for the root, else the dotted relation path
    model: type[Model]
    alias: str
    fields: tuple[Field, ...]
    parent: str | None  # the parent node's path
    via: Field | None  # the parent's foreign key to this node


@dataclass(frozen=True)
class Graph:
    """A model and forward (ForeignKey / OneToOne) relation paths to read with it; a path's
    parent must come before it ("distribution" before "distribution.dataset")."""

    model: type[Model]
    relations: tuple[str, ...] = ()
    _converters: dict = field(default_factory=dict, compare=False, repr=False)
    _selects: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def nodes(self) -> tuple[_Node, ...]:
        root = _Node("", self.model, "t0", tuple(self.model._meta.concrete_fields), None, None)
        nodes = {"": root}
        for i, path in enumerate(self.relations, start=1):
            parent_path, _, name = path.rpartition(".")
            parent = nodes[parent_path]
            fk = parent.model._meta.get_field(name)
            if not (fk.many_to_one or fk.one_to_one) or not fk.concrete:
                raise ValueError(f"{path} is not a forward foreign key")
            related = fk.related_model
            nodes[path] = _Node(
                path, related, f"t{i}", tuple(related._meta.concrete_fields), parent_path, fk
            )
        return tuple(nodes.values())

    def alias(self, path: str = "") -> str:
        return next(n.alias for n in self.nodes if n.path == path)

    @cached_property
    def _select_from(self) -> sql.Composed:
        columns = [sql.Identifier(n.alias, f.column) for n in self.nodes for f in n.fields]
        query = sql.SQL("SELECT {} FROM {} t0").format(
            sql.SQL(", ").join(columns), sql.Identifier(self.model._meta.db_table)
        )
        parents = {n.path: n for n in self.nodes}
        for node in self.nodes[1:]:
            parent = parents[node.parent]
            query += sql.SQL(" LEFT JOIN {} {} ON {} = {}").format(
                sql.Identifier(node.model._meta.db_table),
                sql.Identifier(node.alias),
                sql.Identifier(node.alias, node.via.target_field.column),
                sql.Identifier(parent.alias, node.via.column),
            )
        return query

    @cached_property
    def width(self) -> int:
        """The number of columns of the SELECT."""
        return sum(len(node.fields) for node in self.nodes)

    @cached_property
    def root_key_index(self) -> int:
        return self.nodes[0].fields.index(self.model._meta.pk)

    def select(self, where: str) -> str:
        """The SELECT with `where` (a constant of the caller's, values as %s) appended; `{}`
        in it is the root's alias, `{path}` a relation's ("{distribution.dataset}.status")."""
        made = self._selects.get(where)
        if made is None:
            aliases = {n.path: n.alias for n in self.nodes}
            clause = _PLACEHOLDER.sub(lambda m: aliases[m.group(1)], where)
            made = self._selects[where] = rendered(self._select_from + sql.SQL(" WHERE " + clause))
        return made

    def _converters_of(self, node: _Node) -> list[tuple[int, list[Callable]]]:
        cached = self._converters.get(node.path)
        if cached is None:
            cached = []
            for i, f in enumerate(node.fields):
                col = f.get_col(node.alias)
                found = connection.ops.get_db_converters(col) + f.get_db_converters(connection)
                if found:
                    cached.append((i, (col, found)))
            self._converters[node.path] = cached
        return cached

    def build(self, row: Sequence[Any]) -> Model:
        """The root instance of one row, with every relation on the path cached on it (None
        where a nullable foreign key is empty)."""
        instances: dict[str, Model | None] = {}
        start = 0
        for node in self.nodes:
            values = list(row[start : start + len(node.fields)])
            start += len(node.fields)
            for i, (col, converters) in self._converters_of(node):
                for convert in converters:
                    values[i] = convert(values[i], col, connection)
            pk_index = node.fields.index(node.model._meta.pk)
            instance = None
            if values[pk_index] is not None:
                instance = node.model.from_db(
                    connection.alias, [f.attname for f in node.fields], values
                )
            instances[node.path] = instance
            if node.via is not None and instances[node.parent] is not None:
                node.via.set_cached_value(instances[node.parent], instance)
        root = instances[""]
        assert root is not None
        return root


def fetch(*lookups: tuple[Graph, str, Sequence[Any]]) -> list[Model | None]:
    """Each lookup's first row as an instance (None when there is none); several lookups
    travel in one round trip, as one statement (`_side_by_side`). The WHERE clauses must
    select at most one row each.

    The statements are prepared on the server (server-side binding, `prepare=True`): their
    plans, several joins each, are made once per connection instead of on every call (sent
    as one script instead, unprepared, they cost the server more than the pipeline costs
    here). They bypass Django's cursor wrapper, so they are not in `connection.queries`.
    Django's connection health check (CONN_HEALTH_CHECKS) would cost a round trip of its own
    before them: instead, a first use of the connection in a request that fails on a broken
    connection is retried once on a new one (the lookups only read)."""
    retry = connection.health_check_enabled and not connection.health_check_done
    connection.health_check_done = True
    try:
        found = _prepared(lookups)
    except OperationalError:
        if not retry or connection.in_atomic_block:
            raise
        connection.close()
        found = _prepared(lookups)
    return [_first(graph, rows) for (graph, _, _), rows in zip(lookups, found, strict=True)]


def _prepared(lookups: Sequence[tuple[Graph, str, Sequence[Any]]]) -> list[list[tuple]]:
    """The lookups' rows: one prepared statement, several lookups side by side in one row
    (`_side_by_side`)."""
    connection.ensure_connection()
    if len(lookups) == 1:
        query, params = lookups[0][1], lookups[0][2]
    else:
        query = _side_by_side(tuple(q for _, q, _ in lookups))
        params = [value for _, _, values in lookups for value in values]
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(query, params, prepare=True)
        rows = cursor.fetchall()
    if len(lookups) == 1:
        return [rows]
    out: list[list[tuple]] = []
    start = 0
    for graph, _, _ in lookups:
        width = graph.width
        part = rows[0][start : start + width] if rows else ()
        start += width
        # A lookup that found nothing is all NULLs in the joined row (its root key too).
        out.append([part] if part and part[graph.root_key_index] is not None else [])
    return out


@lru_cache(maxsize=64)
def _side_by_side(queries: tuple[str, ...]) -> str:
    """Several one-row SELECTs as one statement whose one row holds each one's columns
    (NULLs where one found nothing): `FULL JOIN … ON true`. One statement prepared once
    instead of a pipeline of several, whose bookkeeping costs more CPU here than the
    statements."""
    joined = sql.SQL(" FULL JOIN ").join(
        sql.SQL("({} LIMIT 1) AS {}{}").format(
            sql.SQL(query), sql.Identifier(f"l{i}"), sql.SQL(" ON true" if i else "")
        )
        for i, query in enumerate(queries)
    )
    return rendered(sql.SQL("SELECT * FROM ") + joined)


def rendered(query: sql.Composable) -> str:
    """A composed statement as the string psycopg would send (placeholders kept): for SQL made
    once and executed often (psycopg renders a `Composed` again on every execute)."""
    connection.ensure_connection()
    return query.as_string(connection.connection)


def _first(graph: Graph, rows: list) -> Model | None:
    return graph.build(rows[0]) if rows else None


def load_as_text(cursor: psycopg.Cursor, types: Sequence[str]) -> None:
    """Have `cursor` load the values of the PostgreSQL `types` as the text PostgreSQL writes
    (str) instead of Python objects."""
    for name in types:
        cursor.adapters.register_loader(name, TextLoader)


def run_script(
    script: str,
    params: Sequence[Any],
    *,
    results: Sequence[int],
    names: bool = False,
    as_text: Sequence[str] = (),
) -> list[Any]:
    """Several statements, separated by ';', in one round trip: the simple query protocol,
    with the values bound on the client by psycopg (quoted as literals). The rows of the
    statements numbered in `results` (from 0), in that order; with `names`, each as (column
    names, rows). `as_text`: types loaded as str (`load_as_text`). A script that opened a
    transaction and failed is rolled back before the error propagates.

    For the hot paths' short transactions (`BEGIN; …; COMMIT`): psycopg's pipeline mode
    sends the same statements in one round trip too, but its bookkeeping costs several times
    the CPU of the statements' own handling on this side. Only outside Django's atomic
    blocks, whose transaction a BEGIN or COMMIT here would break; '%' in the script's own
    text (not in the values) is written '%%'."""
    if connection.in_atomic_block:
        raise RuntimeError("run_script runs its own transactions: not inside an atomic block")
    connection.ensure_connection()
    raw = connection.connection
    wanted = {index: position for position, index in enumerate(results)}
    out: list[Any] = [[] for _ in results]
    with connection.wrap_database_errors, psycopg.ClientCursor(raw) as cursor:
        load_as_text(cursor, as_text)
        try:
            cursor.execute(script, params)
            for index in range(max(results) + 1):
                if index in wanted:
                    rows = cursor.fetchall() if cursor.description else []
                    if names:
                        rows = ([d.name for d in cursor.description or ()], rows)
                    out[wanted[index]] = rows
                if cursor.nextset() is None:
                    break
        except BaseException:
            if raw.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
                raw.rollback()
            raise
    return out
