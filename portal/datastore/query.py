"""The datastore query language: parsing and SQL building from allowlists.

No SQL text ever comes from a client. Field ids map onto the table's own physical columns,
operators and aggregate functions onto fixed SQL fragments, aliases must be plain identifiers,
and every value is a bound parameter coerced to its column's type first. Queries run as the
read-only role with a statement timeout (`portal.datastore.execute`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core import signing
from psycopg import sql

from portal.datastore.models import ColumnType, DatastoreTable
from portal.lookups import rendered
from registry.errors import DomainError
from registry.search import tsquery_string

if TYPE_CHECKING:
    from portal.datastore.restriction import Restriction

SCHEMA = "datastore"
OPERATORS = ("eq", "ne", "lt", "lte", "gt", "gte", "in", "nin", "contains", "startswith", "isnull")
AGGREGATES = ("count", "sum", "avg", "min", "max")
_COMPARE = {"eq": "=", "ne": "<>", "lt": "<", "lte": "<=", "gt": ">", "gte": ">="}
_NUMERIC_TYPES = (ColumnType.INTEGER, ColumnType.NUMERIC)
_ALIAS = re.compile(r"[A-Za-z_\u3400-\u9fff][A-Za-z0-9_\u3400-\u9fff]{0,62}\Z")
MAX_DEPTH = 5
MAX_CONDITIONS = 50
MAX_IN_VALUES = 500
MAX_SORT_KEYS = 5
MAX_GROUP_FIELDS = 5
_CURSOR_SALT = "datastore.cursor"


class QueryProblem(DomainError):
    """A query the API refuses, with a machine-readable `type` slug."""

    status = 400
    title = "Invalid query"

    def __init__(
        self, slug: str, detail: str, *, extra: dict[str, Any] | None = None, status: int = 400
    ) -> None:
        super().__init__(detail, extra=extra)
        self.type_slug = slug
        self.status = status


class QueryTimeout(DomainError):
    status = 503
    type_slug = "query_timeout"
    title = "The query took too long"


@dataclass(frozen=True)
class Column:
    id: str
    label: str
    column: str
    type: str
    nullable: bool = True  # False: the column is NOT NULL (no empty cell in the loaded file)


@dataclass
class Spec:
    fields: list[Column]
    where: sql.Composable | None = None
    params: list[Any] = field(default_factory=list)
    sort: list[tuple[Column, bool]] = field(default_factory=list)  # (column, descending)
    limit: int = 100
    offset: int = 0
    after: list[Any] | None = None  # keyset: sort values of the last row, then its _id
    total: str = "auto"
    group_by: list[Column] = field(default_factory=list)
    aggregates: list[tuple[str, Column | None, str]] = field(default_factory=list)
    agg_sort: list[tuple[str, bool]] = field(default_factory=list)
    records_format: str = "objects"
    min_group_size: int | None = None  # groups below it are dropped (HAVING), licences only

    @property
    def is_aggregate(self) -> bool:
        return bool(self.group_by or self.aggregates)


def columns_of(table: DatastoreTable) -> dict[str, Column]:
    return {
        c["id"]: Column(c["id"], c["label"], c["column"], c["type"], c.get("nullable", True))
        for c in table.columns
    }


def _unknown_field(name: Any, allowed: Mapping[str, Column]) -> QueryProblem:
    return QueryProblem(
        "unknown_field",
        f"Unknown field {str(name)[:100]!r}.",
        extra={"field": str(name)[:100], "allowed_fields": list(allowed)},
    )


def _field(name: Any, allowed: Mapping[str, Column]) -> Column:
    if not isinstance(name, str) or name not in allowed:
        raise _unknown_field(name, allowed)
    return allowed[name]


# --------------------------------------------------------------------------- values


def coerce(column: Column, value: Any) -> Any:
    """A client value as a Python value of the column's type, or a 400."""
    if isinstance(value, bool) or value is None or isinstance(value, dict | list):
        raise _bad_value(column, value)
    try:
        if column.type == ColumnType.INTEGER:
            if isinstance(value, float):
                if not value.is_integer():
                    raise ValueError
                value = int(value)
            number = int(str(value).strip())
            if not -(2**63) <= number < 2**63:
                raise ValueError
            return number
        if column.type == ColumnType.NUMERIC:
            number = Decimal(str(value).strip())
            if not number.is_finite():
                raise ValueError
            return number
        if column.type == ColumnType.DATE:
            return dt.date.fromisoformat(str(value).strip())
        if column.type == ColumnType.TIMESTAMP:
            return dt.datetime.fromisoformat(str(value).strip())
    except (ValueError, InvalidOperation, OverflowError):
        raise _bad_value(column, value) from None
    text = str(value)
    if len(text) > 10_000 or "\x00" in text:
        raise _bad_value(column, value)
    return text


def _bad_value(column: Column, value: Any) -> QueryProblem:
    return QueryProblem(
        "invalid_value",
        f"{str(value)[:50]!r} is not a valid {column.type} value for field {column.id!r}.",
        extra={"field": column.id, "expected_type": column.type},
    )


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# --------------------------------------------------------------------------- filters


class _FilterBuilder:
    def __init__(self, allowed: Mapping[str, Column]) -> None:
        self.allowed = allowed
        self.params: list[Any] = []
        self.count = 0

    def node(self, node: Any, depth: int = 0) -> sql.Composable:
        if depth > MAX_DEPTH:
            raise QueryProblem("filter_too_deep", f"Filters nest at most {MAX_DEPTH} levels.")
        if not isinstance(node, dict) or not node:
            raise QueryProblem(
                "invalid_filter",
                "A filter is a non-empty JSON object.",
                extra={"allowed_operators": list(OPERATORS)},
            )
        keys = set(node)
        if keys in ({"and"}, {"or"}):
            ((joiner, children),) = node.items()
            if not isinstance(children, list) or not children:
                raise QueryProblem("invalid_filter", f"'{joiner}' takes a non-empty list.")
            parts = [self.node(child, depth + 1) for child in children]
            glue = sql.SQL(" AND " if joiner == "and" else " OR ")
            return sql.SQL("({})").format(glue.join(parts))
        if "op" in keys and "field" in keys:
            unknown = keys - {"field", "op", "value"}
            if unknown:
                raise QueryProblem(
                    "invalid_filter", f"Unknown keys in a condition: {sorted(unknown)}."
                )
            return self.condition(node["field"], node["op"], node.get("value"))
        # CKAN shorthand: {"field": value} (eq) or {"field": [values]} (in), ANDed.
        parts = []
        for name, value in node.items():
            op = "in" if isinstance(value, list) else "eq"
            parts.append(self.condition(name, op, value))
        return sql.SQL("({})").format(sql.SQL(" AND ").join(parts))

    def condition(self, name: Any, op: Any, value: Any) -> sql.Composable:
        self.count += 1
        if self.count > MAX_CONDITIONS:
            raise QueryProblem("too_many_conditions", f"At most {MAX_CONDITIONS} conditions.")
        column = _field(name, self.allowed)
        ident = sql.Identifier(column.column)
        if op not in OPERATORS:
            raise QueryProblem(
                "unknown_operator",
                f"Unknown operator {str(op)[:30]!r}.",
                extra={"allowed_operators": list(OPERATORS)},
            )
        if op == "isnull":
            if not isinstance(value, bool):
                raise QueryProblem("invalid_value", "'isnull' takes true or false.")
            return sql.SQL("{} IS NULL" if value else "{} IS NOT NULL").format(ident)
        if op in ("in", "nin"):
            if not isinstance(value, list) or not value or len(value) > MAX_IN_VALUES:
                raise QueryProblem(
                    "invalid_value", f"'{op}' takes a list of 1 to {MAX_IN_VALUES} values."
                )
            self.params.append([coerce(column, v) for v in value])
            template = "{} = ANY(%s)" if op == "in" else "NOT ({} = ANY(%s))"
            return sql.SQL(template).format(ident)
        if op in ("contains", "startswith"):
            if column.type != ColumnType.TEXT:
                raise QueryProblem(
                    "unsupported_operator",
                    f"'{op}' applies to text fields only.",
                    extra={"field": column.id},
                )
            text = _like_escape(str(coerce(column, value)))
            self.params.append(f"%{text}%" if op == "contains" else f"{text}%")
            return sql.SQL("{} LIKE %s ESCAPE '\\'").format(ident)
        self.params.append(coerce(column, value))
        return sql.SQL("{} " + _COMPARE[op] + " %s").format(ident)


def _parse_json(value: Any, name: str) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except json.JSONDecodeError as exc:
        raise QueryProblem("invalid_json", f"'{name}' is not valid JSON: {exc.msg}.") from None


# --------------------------------------------------------------------------- parse


def _list_param(value: Any, name: str) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [v.strip() for v in value]
    raise QueryProblem("invalid_parameter", f"'{name}' is a comma-separated list of fields.")


def _int_param(value: Any, name: str, default: int) -> int:
    if value in (None, ""):
        return default
    if isinstance(value, bool):
        raise QueryProblem("invalid_parameter", f"'{name}' must be a whole number.")
    try:
        number = int(str(value).strip())
    except ValueError:
        raise QueryProblem("invalid_parameter", f"'{name}' must be a whole number.") from None
    if number < 0:
        raise QueryProblem("invalid_parameter", f"'{name}' must not be negative.")
    return number


def _sort_keys(value: Any) -> list[tuple[str, bool]]:
    keys = []
    for item in _list_param(value, "sort"):
        parts = item.split()
        name = parts[0]
        descending = name.startswith("-")
        name = name.lstrip("-")
        if len(parts) == 2 and parts[1].lower() in ("asc", "desc"):
            descending = parts[1].lower() == "desc"
        elif len(parts) > 1:
            raise QueryProblem("invalid_sort", f"Cannot read sort key {item[:60]!r}.")
        keys.append((name, descending))
    if len(keys) > MAX_SORT_KEYS:
        raise QueryProblem("invalid_sort", f"At most {MAX_SORT_KEYS} sort keys.")
    return keys


def _aggregates(value: Any, allowed: Mapping[str, Column]) -> list[tuple[str, Column | None, str]]:
    """`count:*,sum:amount` or [{"func": "sum", "field": "amount", "as": "total"}]."""
    items: list[dict[str, Any]] = []
    value = (
        _parse_json(value, "aggregates") if isinstance(value, str) and value[:1] == "[" else value
    )
    if isinstance(value, str):
        for part in _list_param(value, "aggregates"):
            func, _, name = part.partition(":")
            items.append({"func": func, "field": name or "*"})
    elif isinstance(value, list):
        items = value
    elif value not in (None, ""):
        raise QueryProblem("invalid_aggregate", "'aggregates' is a list.")
    out = []
    aliases: set[str] = set()
    for item in items:
        if not isinstance(item, dict):
            raise QueryProblem("invalid_aggregate", "Each aggregate is an object.")
        func = item.get("func")
        if func not in AGGREGATES:
            raise QueryProblem(
                "unknown_function",
                f"Unknown aggregate function {str(func)[:30]!r}.",
                extra={"allowed_functions": list(AGGREGATES)},
            )
        name = item.get("field", "*")
        column = None if (name == "*" and func == "count") else _field(name, allowed)
        if func in ("sum", "avg") and column is not None and column.type not in _NUMERIC_TYPES:
            raise QueryProblem(
                "unsupported_function",
                f"'{func}' needs a numeric field; {column.id!r} is {column.type}.",
                extra={"field": column.id},
            )
        alias = item.get("as") or (f"{func}_{column.id}" if column else "count")
        if not isinstance(alias, str) or not _ALIAS.match(alias) or alias in aliases:
            raise QueryProblem(
                "invalid_alias",
                "An alias is a unique identifier of letters, digits and _ (at most 63).",
            )
        aliases.add(alias)
        out.append((func, column, alias))
    return out


def parse(
    table: DatastoreTable, params: Mapping[str, Any], *, restriction: Restriction | None = None
) -> Spec:
    """Validate request parameters (query string or JSON body) into a Spec. A restriction
    narrows the columns the client can name and adds its predicate and group threshold."""
    allowed = columns_of(table)
    if restriction is not None:
        restriction.check_params(params)
        allowed = restriction.visible(allowed)
    known = {
        "filters",
        "q",
        "fields",
        "sort",
        "limit",
        "offset",
        "cursor",
        "total",
        "group_by",
        "aggregates",
        "format",
        "records_format",
        "include_total",
    }
    unknown = set(params) - known
    if unknown:
        raise QueryProblem(
            "unknown_parameter",
            f"Unknown parameters: {', '.join(sorted(unknown))}.",
            extra={"allowed_parameters": sorted(known)},
        )
    names = _list_param(params.get("fields"), "fields")
    fields = [_field(n, allowed) for n in names] if names else list(allowed.values())
    spec = Spec(fields=fields)
    _parse_where(spec, params, allowed)
    spec.limit = _int_param(params.get("limit"), "limit", 100)
    if spec.limit == 0 or spec.limit > settings.DATASTORE_MAX_LIMIT:
        raise QueryProblem(
            "limit_too_large",
            f"'limit' is 1 to {settings.DATASTORE_MAX_LIMIT}; export the "
            "whole result as CSV or JSONL instead.",
            extra={"max_limit": settings.DATASTORE_MAX_LIMIT},
        )
    spec.offset = _int_param(params.get("offset"), "offset", 0)
    if spec.offset > settings.DATASTORE_MAX_OFFSET:
        raise QueryProblem(
            "offset_too_large",
            f"'offset' is at most {settings.DATASTORE_MAX_OFFSET}; use the "
            "'next' cursor to page further.",
            extra={"max_offset": settings.DATASTORE_MAX_OFFSET},
        )
    spec.total = params.get("total") or "auto"
    if spec.total not in ("exact", "estimate", "none", "auto"):
        raise QueryProblem("invalid_parameter", "'total' is exact, estimate, none or auto.")
    spec.records_format = params.get("records_format") or "objects"
    if spec.records_format not in ("objects", "lists"):
        raise QueryProblem("invalid_parameter", "'records_format' is objects or lists.")
    spec.group_by = [_field(n, allowed) for n in _list_param(params.get("group_by"), "group_by")]
    if len(spec.group_by) > MAX_GROUP_FIELDS:
        raise QueryProblem("invalid_parameter", f"At most {MAX_GROUP_FIELDS} group_by fields.")
    spec.aggregates = _aggregates(params.get("aggregates"), allowed)
    if spec.group_by and not spec.aggregates:
        spec.aggregates = [("count", None, "count")]
    _parse_sort(spec, params, allowed)
    _parse_cursor(spec, params.get("cursor"), table)
    if restriction is not None:
        restriction.apply(spec, table)
    return spec


def _parse_where(spec: Spec, params: Mapping[str, Any], allowed: Mapping[str, Column]) -> None:
    parts: list[sql.Composable] = []
    builder = _FilterBuilder(allowed)
    filters = _parse_json(params.get("filters"), "filters")
    if filters not in (None, "", {}):
        parts.append(builder.node(filters))
    q = params.get("q")
    if q not in (None, ""):
        if not isinstance(q, str) or len(q) > 200:
            raise QueryProblem("invalid_parameter", "'q' is text of at most 200 characters.")
        tsquery = tsquery_string(q)
        if tsquery:
            builder.params.append(tsquery)
            parts.append(sql.SQL("_fts @@ to_tsquery('simple', %s)"))
    if parts:
        spec.where = sql.SQL(" AND ").join(parts)
        spec.params = builder.params


def _parse_sort(spec: Spec, params: Mapping[str, Any], allowed: Mapping[str, Column]) -> None:
    keys = _sort_keys(params.get("sort"))
    if spec.is_aggregate:
        output = {c.id for c in spec.group_by} | {alias for _, _, alias in spec.aggregates}
        for name, _descending in keys:
            if name not in output:
                raise QueryProblem(
                    "unknown_field",
                    f"Sort by a group field or an aggregate alias, not {name!r}.",
                    extra={"allowed_fields": sorted(output)},
                )
        spec.agg_sort = keys
        return
    spec.sort = [(_field(name, allowed), descending) for name, descending in keys]


def _parse_cursor(spec: Spec, token: Any, table: DatastoreTable) -> None:
    if token in (None, ""):
        return
    if spec.is_aggregate or spec.offset:
        raise QueryProblem("invalid_cursor", "A cursor cannot be combined with offset or group_by.")
    try:
        data = signing.loads(str(token), salt=_CURSOR_SALT)
    except signing.BadSignature:
        raise QueryProblem("invalid_cursor", "The cursor is invalid or was altered.") from None
    if data.get("t") != table.pk or data.get("s") != _sort_signature(spec, table):
        raise QueryProblem("invalid_cursor", "The cursor belongs to another query or version.")
    values = data["v"]
    spec.after = [
        None if v is None else coerce(col, v)
        for (col, _), v in zip(spec.sort, values[:-1], strict=True)
    ] + [int(values[-1])]


def _sort_signature(spec: Spec, table: DatastoreTable) -> str:
    keys = ",".join(f"{c.id}:{int(d)}" for c, d in spec.sort)
    return f"{table.version_id}|{keys}"


def make_cursor(spec: Spec, table: DatastoreTable, last_row: dict[str, Any]) -> str:
    values = [_jsonable(last_row[c.column]) for c, _ in spec.sort] + [last_row["_id"]]
    return signing.dumps(
        {"t": table.pk, "s": _sort_signature(spec, table), "v": values},
        salt=_CURSOR_SALT,
        compress=True,
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal | dt.date | dt.datetime):
        return str(value) if isinstance(value, Decimal) else value.isoformat()
    return value


# --------------------------------------------------------------------------- SQL


def _table(table: DatastoreTable) -> sql.Composable:
    return sql.Identifier(SCHEMA, table.table_name)


def _keyset(spec: Spec) -> tuple[sql.Composable, list[Any]]:
    """Rows strictly after `spec.after` in the order (sort keys NULLS LAST, _id). Keys of NOT
    NULL columns, all ascending, are one row comparison: with a single key, a range of its
    (key, _id) index, so page 10,000 costs what page 1 does."""
    values = spec.after or []
    if all(not desc and not c.nullable for c, desc in spec.sort) and None not in values:
        names = [sql.Identifier(c.column) for c, _ in spec.sort] + [sql.Identifier("_id")]
        marks = sql.SQL(", ").join([sql.Placeholder()] * len(names))
        return sql.SQL("({}) > ({})").format(sql.SQL(", ").join(names), marks), list(values)
    keys = [(sql.Identifier(c.column), desc, c.nullable) for c, desc in spec.sort] + [
        (sql.Identifier("_id"), False, False)
    ]
    ors: list[sql.Composable] = []
    params: list[Any] = []
    for i, (ident, desc, nullable) in enumerate(keys):
        value = values[i]
        prefix: list[sql.Composable] = []
        prefix_params: list[Any] = []
        for (prev_ident, _, _), prev_value in zip(keys[:i], values[:i], strict=True):
            if prev_value is None:
                prefix.append(sql.SQL("{} IS NULL").format(prev_ident))
            else:
                prefix.append(sql.SQL("{} = %s").format(prev_ident))
                prefix_params.append(prev_value)
        if value is None:
            continue  # nothing sorts after NULL (NULLS LAST) within this key
        op = "<" if desc else ">"
        if nullable:
            term = sql.SQL("({} " + op + " %s OR {} IS NULL)").format(ident, ident)
        else:
            term = sql.SQL("{} " + op + " %s").format(ident)
        ors.append(sql.SQL("({})").format(sql.SQL(" AND ").join([*prefix, term])))
        params.extend(prefix_params + [value])
    if not ors:
        return sql.SQL("FALSE"), []
    return sql.SQL("({})").format(sql.SQL(" OR ").join(ors)), params


def _splits_keyset(spec: Spec) -> bool:
    """A cursor after a non-NULL value of one ascending sort key that may hold NULLs: its page
    is read as an index range (see `_split_records_sql`; a NOT NULL key needs no second
    branch, see `_keyset`)."""
    return (
        spec.after is not None
        and len(spec.sort) == 1
        and not spec.sort[0][1]
        and spec.sort[0][0].nullable
        and spec.after[0] is not None
    )


def _written(part: sql.Composable) -> sql.SQL:
    """`part` (identifiers only) as the text psycopg would send for it."""
    return sql.SQL(rendered(part))


def _split_records_sql(table: DatastoreTable, spec: Spec, *, paged: bool):
    """Rows after (v, id) in the order (key NULLS LAST, _id) are the non-NULL keys from v on,
    then the NULL keys. Written as two ordered branches, `(key, _id) > (v, id)` and
    `key IS NULL`, each is a range of the (key, _id) index, so page 10,000 costs what page 1
    does; the single OR-predicate would be a filter over every index entry before the cursor."""
    ((column, _),) = spec.sort
    names = [sql.Identifier("_id")] + [sql.Identifier(c.column) for c in spec.fields]
    if column not in spec.fields:
        names.append(sql.Identifier(column.column))  # the next page's cursor is made of it
    # The select list, the table and the key appear several times: each is written once
    # (psycopg escapes an identifier through libpq every time it is written).
    columns = _written(sql.SQL(", ").join(names))
    key = _written(sql.Identifier(column.column))
    table_name = _written(_table(table))
    order = sql.SQL(" ORDER BY {} ASC NULLS LAST, _id").format(key)
    limit = sql.SQL(" LIMIT %s") if paged else sql.SQL("")
    where = [spec.where] if spec.where is not None else []
    after = sql.SQL(" AND ").join([*where, sql.SQL("({}, _id) > (%s, %s)").format(key)])
    nulls = sql.SQL(" AND ").join([*where, sql.SQL("{} IS NULL").format(key)])

    def branch(condition: sql.Composable) -> list[sql.Composable]:
        where = sql.SQL(" WHERE ")
        return [sql.SQL("(SELECT "), columns, sql.SQL(" FROM "), table_name, where, condition]

    # One Composed of all the parts: `a + b` makes a new Composed that checks every part of
    # both again, which for this statement cost more than writing it out.
    parts = [sql.SQL("SELECT "), columns, sql.SQL(" FROM (")]
    parts += [*branch(after), order, limit, sql.SQL(") UNION ALL ")]
    parts += [*branch(nulls), order, limit, sql.SQL(")) AS page"), order]
    first = [*spec.params, spec.after[0], spec.after[1]]
    second = list(spec.params)
    if not paged:
        return sql.Composed(parts), first + second
    parts.append(sql.SQL(" LIMIT %s OFFSET %s"))
    n = spec.limit + 1
    return sql.Composed(parts), [*first, n, *second, n, n, spec.offset]


def records_sql(table: DatastoreTable, spec: Spec, *, paged: bool = True):
    """SELECT for a record query: projection, filters, order, keyset or offset paging."""
    if _splits_keyset(spec):
        return _split_records_sql(table, spec, paged=paged)
    # Sort columns are read too, projected or not: the next page's cursor is made of them.
    extra = [c for c, _ in spec.sort if c not in spec.fields]
    select = [sql.Identifier("_id")] + [sql.Identifier(c.column) for c in spec.fields + extra]
    where = [spec.where] if spec.where is not None else []
    params = list(spec.params)
    if spec.after is not None:
        clause, keyset_params = _keyset(spec)
        where.append(clause)
        params += keyset_params
    order = [
        sql.SQL("{} {} NULLS LAST").format(
            sql.Identifier(c.column), sql.SQL("DESC" if d else "ASC")
        )
        for c, d in spec.sort
    ] + [sql.SQL("_id")]
    parts = [sql.SQL("SELECT "), sql.SQL(", ").join(select), sql.SQL(" FROM "), _table(table)]
    if where:
        parts += [sql.SQL(" WHERE "), sql.SQL(" AND ").join(where)]
    parts += [sql.SQL(" ORDER BY "), sql.SQL(", ").join(order)]
    if paged:
        parts.append(sql.SQL(" LIMIT %s OFFSET %s"))
        params += [spec.limit + 1, spec.offset]
    return sql.Composed(parts), params  # one Composed: see `_split_records_sql`


def count_sql(table: DatastoreTable, spec: Spec):
    query = sql.SQL("SELECT count(*) FROM {}").format(_table(table))
    if spec.where is not None:
        query += sql.SQL(" WHERE ") + spec.where
    return query, list(spec.params)


def aggregate_sql(table: DatastoreTable, spec: Spec, *, paged: bool = True):
    groups = [sql.Identifier(c.column) for c in spec.group_by]
    select = [
        sql.SQL("{} AS {}").format(g, sql.Identifier(c.id))
        for g, c in zip(groups, spec.group_by, strict=True)
    ]
    for func, column, alias in spec.aggregates:
        arg = sql.SQL("*") if column is None else sql.Identifier(column.column)
        select.append(sql.SQL("{}({}) AS {}").format(sql.SQL(func), arg, sql.Identifier(alias)))
    query = sql.SQL("SELECT {} FROM {}").format(sql.SQL(", ").join(select), _table(table))
    params = list(spec.params)
    if spec.where is not None:
        query += sql.SQL(" WHERE ") + spec.where
    if groups:
        query += sql.SQL(" GROUP BY ") + sql.SQL(", ").join(groups)
    if spec.min_group_size is not None:
        query += sql.SQL(" HAVING count(*) >= %s")
        params.append(spec.min_group_size)
    order = [
        sql.SQL("{} {} NULLS LAST").format(sql.Identifier(name), sql.SQL("DESC" if d else "ASC"))
        for name, d in spec.agg_sort
    ] + [sql.Identifier(c.id) for c in spec.group_by]
    if order:
        query += sql.SQL(" ORDER BY ") + sql.SQL(", ").join(order)
    if paged:
        query += sql.SQL(" LIMIT %s OFFSET %s")
        params += [spec.limit + 1, spec.offset]
    return query, params


def suppressed_sql(table: DatastoreTable, spec: Spec):
    """How many groups the threshold dropped (their number, never their content)."""
    groups = [sql.Identifier(c.column) for c in spec.group_by]
    inner = sql.SQL("SELECT 1 FROM {}").format(_table(table))
    params = list(spec.params)
    if spec.where is not None:
        inner += sql.SQL(" WHERE ") + spec.where
    if groups:
        inner += sql.SQL(" GROUP BY ") + sql.SQL(", ").join(groups)
    inner += sql.SQL(" HAVING count(*) < %s")
    params.append(spec.min_group_size)
    return sql.SQL("SELECT count(*) FROM ({}) AS suppressed").format(inner), params


def exists_sql(table: DatastoreTable, spec: Spec):
    """One boolean: does any row match (verification)."""
    inner = sql.SQL("SELECT 1 FROM {}").format(_table(table))
    if spec.where is not None:
        inner += sql.SQL(" WHERE ") + spec.where
    return sql.SQL("SELECT EXISTS ({})").format(inner), list(spec.params)
