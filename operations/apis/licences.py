from __future__ import annotations

import json

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.authentication import BasicAuthentication, SessionAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from operations import selectors, services
from operations.apis.common import TAGS, ApiKeyAuthentication, OperationsApi, Strict, problems
from operations.licensing import licensed_export, licensed_query
from operations.models import AccessChannel, AccessLog, Licence, LicenceMode
from operations.services.licences import TRANSITIONS, allowed_actions
from portal.datastore.query import QueryProblem
from registry.api_common import StandardPagination
from registry.apis.common import PROBLEM_MEDIA_TYPE, ProblemSerializer
from registry.errors import NotFound


class LicenceOutput(serializers.ModelSerializer):
    operator = serializers.CharField(source="operator.organisation.name")
    agreement = serializers.CharField(source="agreement.number")
    registration_code = serializers.CharField(source="resource.code")
    scenario = serializers.CharField(source="scenario.name")
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = Licence
        fields = [
            "id",
            "number",
            "operator",
            "agreement",
            "registration_code",
            "scenario",
            "purpose_class",
            "mode",
            "allowed_columns",
            "row_predicate",
            "min_group_size",
            "daily_quota",
            "total_quota",
            "valid_from",
            "valid_until",
            "status",
            "status_reason",
            "status_changed_at",
            "granted_at",
            "allowed_actions",
        ]

    def get_allowed_actions(self, obj) -> list[str]:
        return allowed_actions(obj)


class LicenceListApi(OperationsApi):
    @extend_schema(
        tags=TAGS,
        operation_id="operations_licences",
        summary="Licences I hold or granted",
        responses={200: LicenceOutput(many=True), **problems(401)},
    )
    def get(self, request):
        return Response(LicenceOutput(selectors.licences_for(request.user), many=True).data)


class LicenceDetailApi(OperationsApi):
    @extend_schema(
        tags=TAGS,
        operation_id="operations_licence",
        summary="One licence",
        responses={200: LicenceOutput, **problems(401, 404)},
    )
    def get(self, request, licence_id: int):
        licence = selectors.licences_for(request.user).filter(pk=licence_id).first()
        if licence is None:
            return _not_found()
        return Response(LicenceOutput(licence).data)


def _not_found():
    raise NotFound("No licence with this id.")


class LicenceTransitionApi(OperationsApi):
    class InputSerializer(Strict):
        class Meta:
            ref_name = "OperationsLicenceTransitionInput"

        action = serializers.ChoiceField(list(TRANSITIONS))
        reason = serializers.CharField(max_length=1000, required=False, allow_blank=True)

    @extend_schema(
        tags=TAGS,
        operation_id="operations_licence_transition",
        summary="Suspend, reinstate or revoke a licence (granting agency)",
        request=InputSerializer,
        responses={200: LicenceOutput, **problems(400, 401, 404, 409)},
    )
    def post(self, request, licence_id: int):
        licence = selectors.access_managed_licence(user=request.user, licence_id=licence_id)
        data = self.InputSerializer.validated(request.data)
        licence = services.licence_transition(
            actor=request.user, licence=licence, now=timezone.now(), **data
        )
        return Response(LicenceOutput(licence).data)


class LicensedQueryBody(serializers.Serializer):
    filters = serializers.JSONField(
        required=False,
        help_text='The datastore filter document, on licensed fields only. Verification: {"field": value, ...}.',
    )
    fields = serializers.ListField(child=serializers.CharField(), required=False)
    sort = serializers.CharField(required=False)
    limit = serializers.IntegerField(required=False)
    offset = serializers.IntegerField(required=False)
    cursor = serializers.CharField(required=False)
    total = serializers.CharField(required=False)
    group_by = serializers.ListField(child=serializers.CharField(), required=False)
    aggregates = serializers.JSONField(
        required=False, help_text="count, sum, avg under aggregates-only licences."
    )
    records_format = serializers.CharField(required=False)
    format = serializers.ChoiceField(
        ["json", "csv", "jsonl"],
        required=False,
        help_text="csv/jsonl export: aggregates-only licences.",
    )


class LicensedQueryOutput(serializers.Serializer):
    licence = serializers.IntegerField()
    mode = serializers.ChoiceField(LicenceMode.choices)
    fields = serializers.ListField(child=serializers.DictField(), required=False)
    records = serializers.ListField(child=serializers.JSONField(), required=False)
    total = serializers.IntegerField(allow_null=True, required=False)
    next = serializers.CharField(allow_null=True, required=False)
    suppressed_groups = serializers.IntegerField(
        required=False, help_text="Groups below k, dropped."
    )
    match = serializers.BooleanField(
        required=False, help_text="Verification-only: the only answer."
    )


class LicensedQueryApi(OperationsApi):
    """Query a licensed resource. Entitlements are enforced inside the SQL."""

    authentication_classes = [ApiKeyAuthentication, SessionAuthentication, BasicAuthentication]
    permission_classes = [IsAuthenticated]

    def perform_content_negotiation(self, request, force=False):
        return (JSONRenderer(), "application/json")

    @extend_schema(
        tags=TAGS,
        operation_id="operations_licence_query",
        summary="Query under a licence (records, aggregates, verification, export)",
        request=LicensedQueryBody,
        responses={
            200: LicensedQueryOutput,
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, "format=csv"),
            **problems(400, 401, 403, 404, 409),
            (429, PROBLEM_MEDIA_TYPE): OpenApiResponse(
                ProblemSerializer, "licence_quota_exceeded."
            ),
        },
    )
    def post(self, request, licence_id: int):
        licence = selectors.access_licence(user=request.user, licence_id=licence_id)
        if not isinstance(request.data, dict):
            raise QueryProblem("invalid_json", "The body is a JSON object.")
        params = dict(request.data)
        fmt = params.pop("format", "json") or "json"
        request_id = request.headers.get("X-Request-ID", "")[:64]
        if fmt in ("csv", "jsonl"):
            chunks = licensed_export(
                licence=licence, user=request.user, params=params, fmt=fmt, request_id=request_id
            )
            response = StreamingHttpResponse(
                chunks,
                content_type="text/csv; charset=utf-8" if fmt == "csv" else "application/x-ndjson",
            )
            response["Content-Disposition"] = f'attachment; filename="licence-{licence.pk}.{fmt}"'
            response["X-Content-Type-Options"] = "nosniff"
            return response
        if fmt != "json":
            raise QueryProblem("invalid_parameter", "'format' is json, csv or jsonl.")
        result = licensed_query(
            licence=licence,
            user=request.user,
            params=params,
            channel=AccessChannel.API,
            request_id=request_id,
        )
        return HttpResponse(
            json.dumps(query_body(result), ensure_ascii=False).encode(),
            content_type="application/json",
        )


def query_body(result) -> dict:
    if result.mode == LicenceMode.VERIFICATION_ONLY:
        return {"licence": result.licence.pk, "mode": result.mode, "match": result.verified}
    return {
        "licence": result.licence.pk,
        "mode": result.mode,
        "fields": result.fields,
        "records": result.records,
        "total": result.total,
        "next": result.next_cursor,
        "suppressed_groups": result.suppressed_groups,
    }


class AccessLogOutput(serializers.ModelSerializer):
    user = serializers.CharField(source="user.username", allow_null=True, default=None)

    class Meta:
        model = AccessLog
        fields = [
            "id",
            "at",
            "user",
            "channel",
            "outcome",
            "refusal",
            "query_shape",
            "rows_returned",
            "groups_returned",
            "groups_suppressed",
            "verification_result",
            "request_id",
        ]


class AccessLogApi(OperationsApi):
    @extend_schema(
        tags=TAGS,
        operation_id="operations_licence_access_log",
        summary="Every access under a licence (operator and granting agency)",
        responses={200: AccessLogOutput(many=True), **problems(401, 404)},
    )
    def get(self, request, licence_id: int):
        licence = selectors.licences_for(request.user).filter(pk=licence_id).first()
        if licence is None:
            _not_found()
        rows = selectors.access_log_for(user=request.user, licence=licence)
        paginator = StandardPagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(AccessLogOutput(page, many=True).data)
