"""The datastore query API: `/api/v1/datastore/{resource}/…` where `{resource}` is a
distribution id.

The records endpoint is a hot path, so it stays thin: keys and metering come from
`portal.developer.access`, parsing from `query.parse`, execution from `execute.run`, and the
JSON is encoded once and returned as bytes (no DRF renderer in between).
"""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.datastore import execute, selectors, services
from portal.datastore.models import ColumnType, IngestJob
from portal.datastore.query import AGGREGATES, OPERATORS, QueryProblem, QueryTimeout, parse
from portal.developer.access import (
    check_key_scope,
    key_lookup,
    metered_call,
    presented_key,
    record_failed_call,
    verified_key,
)
from portal.lookups import fetch
from portal.selectors import can_download
from registry.apis.common import problems
from registry.errors import DomainError, NotFound, PermissionDenied

TAGS = ["datastore"]


class AccessRefused(DomainError):
    status = 401
    type_slug = "authentication_required"
    title = "A key is needed"


class FieldSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="The name to use in filters, fields, sort, group_by.")
    label = serializers.CharField(help_text="The original column header.")
    type = serializers.ChoiceField(choices=ColumnType.choices)


class InfoOutputSerializer(serializers.Serializer):
    resource = serializers.IntegerField()
    dataset = serializers.CharField(help_text="The dataset's slug.")
    version = serializers.IntegerField()
    row_count = serializers.IntegerField()
    loaded_at = serializers.DateTimeField()
    fields = FieldSerializer(many=True)
    operators = serializers.ListField(child=serializers.CharField())
    aggregates = serializers.ListField(child=serializers.CharField())


class RecordsOutputSerializer(serializers.Serializer):
    resource = serializers.IntegerField()
    fields = FieldSerializer(many=True)
    records = serializers.ListField(
        child=serializers.JSONField(),
        help_text="Objects keyed by field id, or lists in `fields` order "
        "(records_format=lists). Numeric values are strings (exact); dates ISO 8601.",
    )
    limit = serializers.IntegerField()
    next = serializers.CharField(allow_null=True, help_text="Opaque cursor of the next page.")
    next_url = serializers.CharField(allow_null=True)
    total = serializers.IntegerField(allow_null=True)
    total_estimated = serializers.BooleanField()


class QueryBodySerializer(serializers.Serializer):
    """The POST body (also accepted as query parameters on GET)."""

    filters = serializers.JSONField(
        required=False,
        help_text='{"field": value}, {"field": [values]}, {"field": "f", "op": "gte", '
        '"value": 1}, or {"and": [...]} / {"or": [...]} nested up to 5 levels. Operators: '
        + ", ".join(OPERATORS),
    )
    q = serializers.CharField(required=False, help_text="Full-text search (Chinese segmented).")
    fields = serializers.ListField(child=serializers.CharField(), required=False)
    sort = serializers.CharField(required=False, help_text="`a,-b` or `a asc, b desc`.")
    limit = serializers.IntegerField(required=False, help_text="1–1000, default 100.")
    offset = serializers.IntegerField(required=False, help_text="At most 10,000; use `cursor`.")
    cursor = serializers.CharField(required=False)
    total = serializers.ChoiceField(choices=["auto", "exact", "estimate", "none"], required=False)
    group_by = serializers.ListField(child=serializers.CharField(), required=False)
    aggregates = serializers.JSONField(
        required=False,
        help_text='[{"func": "sum", "field": "amount", "as": "total"}] or "count:*,sum:amount". '
        "Functions: " + ", ".join(AGGREGATES),
    )
    records_format = serializers.ChoiceField(choices=["objects", "lists"], required=False)
    format = serializers.ChoiceField(
        choices=["json", "csv", "jsonl"],
        required=False,
        help_text="csv / jsonl stream the whole result, without limit or paging.",
    )


class JobOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    resource = serializers.IntegerField(source="version.distribution_id")
    version = serializers.IntegerField(source="version.number")
    status = serializers.CharField()
    rows_loaded = serializers.IntegerField()
    rows_estimated = serializers.IntegerField(allow_null=True)
    attempts = serializers.IntegerField()
    error = serializers.JSONField()
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)


class IngestInputSerializer(serializers.Serializer):
    type_overrides = serializers.DictField(
        child=serializers.ChoiceField(choices=ColumnType.choices),
        required=False,
        help_text="Field id or original header → type.",
    )


_QUERY_PARAMS = [
    OpenApiParameter(name, OpenApiTypes.STR, description=text)
    for name, text in [
        ("filters", "JSON filter document (see the POST body)."),
        ("q", "Full-text search."),
        ("fields", "Comma-separated field ids."),
        ("sort", "`a,-b`."),
        ("limit", "1–1000 (default 100)."),
        ("offset", "At most 10,000."),
        ("cursor", "The `next` value of the previous page."),
        ("total", "auto | exact | estimate | none."),
        ("group_by", "Comma-separated field ids."),
        ("aggregates", "`count:*,sum:field`."),
        ("records_format", "objects | lists."),
        ("format", "json | csv | jsonl."),
    ]
]


def _json(data: Any, status: int = 200) -> HttpResponse:
    return HttpResponse(
        json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode(),
        status=status,
        content_type="application/json",
    )


def session_user(request: HttpRequest):
    return getattr(request._request if hasattr(request, "_request") else request, "user", None)


class DatastoreInfoApi(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        tags=TAGS,
        operation_id="datastore_info",
        summary="The fields, types and size of a resource's table",
        responses={200: InfoOutputSerializer, **problems(404)},
    )
    def get(self, request, resource: int):
        table = selectors.access_table(distribution_id=resource)
        return Response(selectors.table_info(table))


class DatastoreRecordsApi(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    def perform_content_negotiation(self, request, force=False):
        # `format` is this endpoint's own parameter (json/csv/jsonl), not DRF's renderer
        # override; the body is encoded by the view, errors are problem+json.
        return (JSONRenderer(), "application/json")

    @extend_schema(
        tags=TAGS,
        operation_id="datastore_records",
        summary="Query a resource's records",
        description="Keyset paging by default (`next`); totals say whether they are estimated. "
        "Anonymous calls work on unconditional data at a low rate; send a key in "
        "`Authorization: Api-Key …` or `X-API-Key` for higher limits and for conditional data.",
        parameters=_QUERY_PARAMS,
        responses={
            200: RecordsOutputSerializer,
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, "format=csv"),
            **problems(400, 401, 403, 404),
            429: OpenApiResponse(description="Rate limit or quota exceeded (problem+json)."),
            503: OpenApiResponse(description="query_timeout (problem+json)."),
        },
    )
    def get(self, request, resource: int):
        duplicated = sorted(k for k, v in request.GET.lists() if len(v) > 1)
        if duplicated:
            raise QueryProblem(
                "duplicate_parameter", f"Parameters given more than once: {', '.join(duplicated)}."
            )
        params = dict(request.GET.items())
        return self._query(request, resource, params, session=True)

    @extend_schema(
        tags=TAGS,
        operation_id="datastore_records_query",
        summary="Query a resource's records with a JSON body",
        request=QueryBodySerializer,
        responses={
            200: RecordsOutputSerializer,
            **problems(400, 401, 403, 404),
            429: OpenApiResponse(description="Rate limit or quota exceeded (problem+json)."),
            503: OpenApiResponse(description="query_timeout (problem+json)."),
        },
    )
    def post(self, request, resource: int):
        if not isinstance(request.data, dict):
            raise QueryProblem("invalid_json", "The body is a JSON object.")
        # POSTs authenticate by key only: a session cookie would make them forgeable.
        return self._query(request, resource, dict(request.data), session=False)

    def _query(self, request, resource: int, params: dict, *, session: bool):
        started = time.monotonic()
        # The key and the table are read in one round trip; a refused key still answers 401
        # before an unknown resource's 404.
        presented = presented_key(request)
        lookups = [selectors.table_lookup(resource)]
        if presented is not None:
            lookups.append(key_lookup(presented))
        found = fetch(*lookups)
        key = verified_key(presented, found[1]) if presented is not None else None
        user = key.user if key else (session_user(request) if session else None)
        table = selectors.table_or_404(found[0])
        dataset = table.distribution.dataset
        if key is not None:
            check_key_scope(key=key, dataset=dataset)
        check_data_access(user, dataset)
        fmt = params.pop("format", "json") or "json"
        if fmt not in ("json", *execute.EXPORT_FORMATS):
            raise QueryProblem("invalid_parameter", "'format' is json, csv or jsonl.")
        spec = parse(table, params)
        if fmt != "json":
            return self._export(request, key, user, table, spec, fmt)
        try:
            with metered_call(
                request=request,
                key=key,
                user=user,
                dataset=dataset,
                version=table.version,
                read_only_block=True,
            ) as meter:
                savepoint = not meter.in_own_atomic
                if spec.is_aggregate:
                    result = execute.run(table, spec, savepoint=savepoint)
                    body = _records_body(request, resource, spec, result)
                    meter.rows = len(result.records)
                else:
                    page = execute.run_json(table, spec, savepoint=savepoint)
                    body = _page_body(request, resource, spec, page)
                    meter.rows = page.count
                meter.bytes = len(body)
                meter.status = 200
        except QueryTimeout:
            record_failed_call(
                request=request,
                key=key,
                user=user,
                dataset=dataset,
                status=503,
                duration_ms=int((time.monotonic() - started) * 1000),
            )
            raise
        response = HttpResponse(body, content_type="application/json")
        for name, value in meter.headers.items():
            response[name] = value
        return response

    def _export(self, request, key, user, table, spec, fmt):
        with metered_call(
            request=request,
            key=key,
            user=user,
            dataset=table.distribution.dataset,
            version=table.version,
        ) as meter:
            meter.status = 200  # an export is one call; its size is known only as it streams
        content_type = "text/csv; charset=utf-8" if fmt == "csv" else "application/x-ndjson"
        response = StreamingHttpResponse(
            execute.export(table, spec, fmt), content_type=content_type
        )
        stamp = timezone.localdate().strftime("%Y%m%d")
        response["Content-Disposition"] = (
            f'attachment; filename="resource-{table.distribution_id}-{stamp}.{fmt}"'
        )
        for name, value in meter.headers.items():
            response[name] = value
        return response


def check_data_access(user, dataset) -> None:
    """Unconditional data is open to all; conditional data needs a user with access."""
    if can_download(user=user or _Anonymous(), dataset=dataset):
        return
    if user is None or not user.is_authenticated:
        raise AccessRefused(
            "This dataset is open on conditions: call with the key of a user whose access "
            "was approved."
        )
    raise PermissionDenied("Your account has no approved access to this dataset.")


class _Anonymous:
    is_authenticated = False
    pk = None


def _next_url(request, cursor: str | None) -> str | None:
    if not cursor or request.method != "GET":
        return None
    # As `QueryDict.copy()` + `query["cursor"] = …` + `urlencode()`, without the deep copy.
    query = dict(request.GET.lists())
    query["cursor"] = [cursor]
    pairs = [(name, value) for name, values in query.items() for value in values]
    return request.build_absolute_uri(request.path) + "?" + urlencode(pairs)


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _page_body(request, resource: int, spec, page: execute.JsonPage) -> bytes:
    """The same document as `_records_body`, around records PostgreSQL already encoded."""
    head = _dumps({"resource": resource, "fields": page.fields})
    tail = _dumps(
        {
            "limit": spec.limit,
            "next": page.next_cursor,
            "next_url": _next_url(request, page.next_cursor),
            "total": page.total,
            "total_estimated": page.total_estimated,
        }
    )
    return f'{head[:-1]},"records":{page.records_json},{tail[1:]}'.encode()


def _records_body(request, resource: int, spec, result) -> bytes:
    next_url = _next_url(request, result.next_cursor)
    data = {
        "resource": resource,
        "fields": result.fields,
        "records": result.records,
        "limit": spec.limit,
        "next": result.next_cursor,
        "next_url": next_url,
        "total": result.total,
        "total_estimated": result.total_estimated,
    }
    return _dumps(data).encode()


class IngestJobApi(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="datastore_job",
        summary="An ingest job's progress and report",
        responses={200: JobOutputSerializer, **problems(401, 404)},
    )
    def get(self, request, job_id: int):
        job = selectors.access_job(user=request.user, job_id=job_id)
        return Response(JobOutputSerializer(job).data)


class DatastoreIngestApi(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="datastore_ingest",
        summary="Reload the current version, optionally with type overrides",
        request=IngestInputSerializer,
        responses={202: JobOutputSerializer, **problems(400, 401, 404)},
    )
    def post(self, request, resource: int):
        distribution = selectors.access_managed_distribution(
            user=request.user, distribution_id=resource
        )
        serializer = IngestInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        unknown = (
            set(request.data) - {"type_overrides"} if isinstance(request.data, dict) else set()
        )
        if unknown:
            raise QueryProblem(
                "unknown_parameter", f"Unknown fields: {', '.join(sorted(unknown))}."
            )
        if distribution.current_version is None:
            raise NotFound("The distribution has no file yet.")
        job = services.ingest_request(
            version=distribution.current_version,
            actor=request.user,
            now=timezone.now(),
            type_overrides=serializer.validated_data.get("type_overrides", {}),
        )
        job = IngestJob.objects.select_related("version").get(pk=job.pk)
        return Response(JobOutputSerializer(job).data, status=202)
