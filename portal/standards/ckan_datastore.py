"""CKAN's `datastore_search` and `datastore_info`, answered from this platform's datastore so
that CKAN clients (ckanapi, CKAN's own JS previews) work unchanged.

Parameters are translated into the native query language (`portal.datastore.query.parse`), so
the same allowlists, bound values, read-only role, timeout, keys and metering apply.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse

from portal.datastore import execute, selectors
from portal.datastore.apis import check_data_access, session_user
from portal.datastore.query import QueryProblem, parse
from portal.developer.access import authenticate_request, check_key_scope, metered_call
from registry.errors import ValidationFailed

# Our column types → the names CKAN reports.
CKAN_TYPES = {
    "text": "text",
    "integer": "int8",
    "numeric": "numeric",
    "date": "date",
    "timestamp": "timestamp",
}
CKAN_MAX_LIMIT = 1000


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, errors={field: [message]})


def _table(params: dict[str, Any]):
    raw = params.get("resource_id", params.get("id"))
    if raw in (None, ""):
        raise _invalid("resource_id", "Missing value")
    if not str(raw).isdigit() or len(str(raw)) > 18:
        raise _invalid("resource_id", "Not found: resource")
    return selectors.access_table(distribution_id=int(raw))


def _fields(table) -> list[dict[str, Any]]:
    return [{"id": "_id", "type": "int"}] + [
        {"id": c["id"], "type": CKAN_TYPES[c["type"]], "info": {"label": c["label"]}}
        for c in table.columns
    ]


def _native_params(params: dict[str, Any]) -> dict[str, Any]:
    native: dict[str, Any] = {}
    filters = params.get("filters")
    if isinstance(filters, str) and filters.strip():
        try:
            filters = json.loads(filters)
        except json.JSONDecodeError:
            raise _invalid("filters", "Cannot parse JSON") from None
    if filters not in (None, "", {}):
        if not isinstance(filters, dict):
            raise _invalid("filters", "Not a json object")
        native["filters"] = filters
    q = params.get("q")
    if isinstance(q, dict):
        raise _invalid("q", "Field-specific full-text search is not supported; use a string.")
    if q not in (None, ""):
        native["q"] = q
    fields = params.get("fields")
    if fields not in (None, ""):
        if isinstance(fields, str):
            fields = fields.split(",")
        elif not isinstance(fields, list):
            raise _invalid("fields", "Must be a list or a comma-separated string")
        fields = [str(f).strip() for f in fields if str(f).strip() and f != "_id"]
        if fields:
            native["fields"] = fields
    if params.get("sort") not in (None, ""):
        native["sort"] = params["sort"]
    for name in ("limit", "offset"):
        if params.get(name) not in (None, ""):
            native[name] = params[name]
    native.setdefault("limit", 100)
    include_total = params.get("include_total", True)
    if isinstance(include_total, str):
        include_total = include_total.lower() not in ("false", "0", "no")
    native["total"] = "auto" if include_total else "none"
    return native


def _query_error(exc: QueryProblem) -> ValidationFailed:
    field = exc.extra.get("field") or exc.type_slug
    return ValidationFailed(exc.detail, errors={str(field): [exc.detail]})


def datastore_search(params: dict[str, Any], request: HttpRequest) -> dict:
    """Search a DataStore resource.

    :param resource_id: id of the resource (the distribution id)
    :param filters: {"field": value} or {"field": [values]}
    :param q: full-text query
    :param fields: fields to return (list or comma-separated)
    :param sort: "field asc, other desc"
    :param limit: at most 1000 (default 100)
    :param offset: at most 10000
    :param include_total: default true
    :param records_format: objects (default), lists, csv or tsv
    """
    key = authenticate_request(request)
    user = key.user if key else session_user(request)
    table = _table(params)
    dataset = table.distribution.dataset
    if key is not None:
        check_key_scope(key=key, dataset=dataset)
    check_data_access(user, dataset)
    records_format = params.get("records_format") or "objects"
    if records_format not in ("objects", "lists", "csv", "tsv"):
        raise _invalid("records_format", "Must be one of: objects, lists, csv, tsv")
    native = _native_params(params)
    try:
        limit = int(native["limit"])
    except (TypeError, ValueError):
        raise _invalid("limit", "Invalid integer") from None
    if limit > CKAN_MAX_LIMIT:
        raise _invalid("limit", f"Must be at most {CKAN_MAX_LIMIT}")
    native["records_format"] = "objects" if records_format == "objects" else "lists"
    try:
        spec = parse(table, native)
    except QueryProblem as exc:
        raise _query_error(exc) from None
    with metered_call(
        request=request,
        key=key,
        user=user,
        dataset=dataset,
        version=table.version,
        read_only_block=True,
    ) as meter:
        result = execute.run(table, spec, savepoint=not meter.in_own_atomic)
        meter.rows = len(result.records)
        meter.status = 200
    shown = ["_id"] + [c.id for c in spec.fields]
    if records_format == "objects":
        records: Any = [
            {"_id": i, **r} for i, r in zip(result.row_ids, result.records, strict=True)
        ]
    else:
        rows = [[i, *r] for i, r in zip(result.row_ids, result.records, strict=True)]
        if records_format == "lists":
            records = rows
        else:
            records = _delimited(rows, "," if records_format == "csv" else "\t")
    field_map = {f["id"]: f for f in _fields(table)}
    response: dict[str, Any] = {
        "include_total": spec.total != "none",
        "resource_id": str(table.distribution_id),
        "fields": [field_map[f] for f in shown],
        "records_format": records_format,
        "records": records,
        "limit": spec.limit,
        "_links": _links(table, params, spec),
    }
    if spec.offset:
        response["offset"] = spec.offset
    if spec.total != "none":
        response["total"] = result.total
        response["total_was_estimated"] = result.total_estimated
    return response


def _delimited(rows: list[list[Any]], delimiter: str) -> str:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue()


def _links(table, params: dict[str, Any], spec) -> dict[str, str]:
    path = reverse("ckan-action", args=["datastore_search"])
    base = {k: v for k, v in params.items() if isinstance(v, str | int) and k != "offset"}
    base["resource_id"] = str(table.distribution_id)
    start = f"{path}?{urlencode(base)}"
    nxt = f"{path}?{urlencode({**base, 'offset': spec.offset + spec.limit})}"
    return {"start": start, "next": nxt}


def datastore_info(params: dict[str, Any], request: HttpRequest) -> dict:
    """Return the fields and size of a DataStore resource.

    :param id: id of the resource (the distribution id); `resource_id` is also accepted
    """
    table = _table(params)
    return {
        "meta": {
            "id": str(table.distribution_id),
            "count": table.row_count,
            "table_type": "BASE TABLE",
            "aliases": [],
        },
        "fields": [
            {
                "id": c["id"],
                "type": CKAN_TYPES[c["type"]],
                "info": {"label": c["label"]},
                "schema": {"native_type": CKAN_TYPES[c["type"]], "is_index": True},
            }
            for c in table.columns
        ],
    }
