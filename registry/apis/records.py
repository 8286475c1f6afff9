"""The public register of coded records, their version history, and the platform dashboard."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from registry.apis.common import (
    DataItemSerializer,
    OrganisationRefSerializer,
    PlatformRefSerializer,
    problems,
)
from registry.errors import NotFound, PermissionDenied
from registry.models import (
    METADATA_FIELDS,
    Industry,
    ObjectType,
    OpenCategory,
    Resource,
    ResourceVersion,
)
from registry.selectors import (
    PUBLIC_RECORD_STATUSES,
    access_record,
    dashboard_counts,
    record_versions,
    register_search,
    scope_of,
)

TAGS = ["register"]
# The public sees the metadata, not the contact person or the consent paperwork.
PRIVATE_METADATA = {"contact_name", "contact_phone", "contact_email", "consent_note"}
PUBLIC_METADATA_FIELDS = [name for name in METADATA_FIELDS if name not in PRIVATE_METADATA]


class PublicMetadataSerializer(serializers.ModelSerializer):
    data_items = DataItemSerializer(many=True)
    coverage_regions = serializers.ListField(child=serializers.CharField())
    formats = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = ResourceVersion
        ref_name = "PublicMetadata"
        fields = PUBLIC_METADATA_FIELDS


class RecordOutputSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="current_version.name")
    summary = serializers.CharField(source="current_version.summary")
    industry = serializers.ChoiceField(source="current_version.industry", choices=Industry.choices)
    open_category = serializers.ChoiceField(
        source="current_version.open_category", choices=OpenCategory.choices
    )
    holder = OrganisationRefSerializer()
    platform = PlatformRefSerializer()
    province = serializers.CharField(source="platform.region_id")

    class Meta:
        model = Resource
        ref_name = "Record"
        fields = [
            "code",
            "name",
            "summary",
            "object_type",
            "industry",
            "open_category",
            "holder",
            "platform",
            "province",
            "status",
            "registered_at",
            "valid_until",
        ]


class VersionSummarySerializer(serializers.ModelSerializer):
    registration_type = serializers.CharField(source="registration.registration_type")

    class Meta:
        model = ResourceVersion
        ref_name = "RecordVersionSummary"
        fields = ["number", "registration_type", "created_at"]


class RecordListApi(ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = RecordOutputSerializer
    filter_backends: list = []

    class FilterSerializer(serializers.Serializer):
        q = serializers.CharField(max_length=200, required=False, allow_blank=True)
        province = serializers.RegexField(r"^\d{6}$", required=False)
        object_type = serializers.ChoiceField(choices=ObjectType.choices, required=False)
        industry = serializers.ChoiceField(choices=Industry.choices, required=False)
        open_category = serializers.ChoiceField(choices=OpenCategory.choices, required=False)
        holder = serializers.IntegerField(min_value=1, required=False)
        status = serializers.ChoiceField(
            choices=[(s.value, s.label) for s in PUBLIC_RECORD_STATUSES], required=False
        )

        class Meta:
            ref_name = "RecordFilter"

    def get_queryset(self) -> QuerySet[Resource]:
        filters = self.FilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return register_search(**filters.validated_data)

    @extend_schema(
        tags=TAGS,
        summary="The public register: search (Chinese full text) and filter coded records",
        parameters=[FilterSerializer],
        responses={200: RecordOutputSerializer(many=True), **problems(400)},
    )
    def get(self, request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


class RecordDetailApi(APIView):
    permission_classes = [AllowAny]

    class OutputSerializer(serializers.ModelSerializer):
        holder = OrganisationRefSerializer()
        platform = PlatformRefSerializer()
        current_version = serializers.IntegerField(source="current_version.number")
        metadata = PublicMetadataSerializer(source="current_version")
        versions = serializers.SerializerMethodField()

        class Meta:
            model = Resource
            ref_name = "RecordDetail"
            fields = [
                "code",
                "object_type",
                "holder",
                "platform",
                "status",
                "registered_at",
                "valid_until",
                "deregistered_at",
                "current_version",
                "metadata",
                "versions",
            ]

        @extend_schema_field(VersionSummarySerializer(many=True))
        def get_versions(self, obj: Resource) -> list[dict]:
            return VersionSummarySerializer(record_versions(obj), many=True).data

    @extend_schema(
        tags=TAGS,
        summary="One record: current metadata, holder, status, validity and its versions",
        responses={200: OutputSerializer, **problems(404)},
    )
    def get(self, request, code: str) -> Response:
        return Response(self.OutputSerializer(access_record(code=code)).data)


class RecordVersionApi(APIView):
    permission_classes = [AllowAny]

    class OutputSerializer(serializers.ModelSerializer):
        record_code = serializers.CharField(source="resource.code")
        registration_type = serializers.CharField(source="registration.registration_type")
        metadata = PublicMetadataSerializer(source="*")

        class Meta:
            model = ResourceVersion
            ref_name = "RecordVersion"
            fields = ["record_code", "number", "registration_type", "created_at", "metadata"]

    @extend_schema(
        tags=TAGS,
        summary="One immutable version of a record",
        responses={200: OutputSerializer, **problems(404)},
    )
    def get(self, request, code: str, number: int) -> Response:
        record = access_record(code=code)
        version = record_versions(record).filter(number=number).first()
        if version is None:
            raise NotFound("No such version.")
        return Response(self.OutputSerializer(version).data)


class DashboardApi(APIView):
    permission_classes = [IsAuthenticated]

    class OutputSerializer(serializers.Serializer):
        by_status = serializers.DictField(child=serializers.IntegerField())
        overdue = serializers.IntegerField()
        pending_objections = serializers.IntegerField()
        records = serializers.DictField(child=serializers.IntegerField())

        class Meta:
            ref_name = "Dashboard"

    @extend_schema(
        tags=TAGS,
        summary="Counts for the platform dashboard (reviewers and administrators)",
        responses={200: OutputSerializer, **problems(403)},
    )
    def get(self, request) -> Response:
        if not scope_of(request.user).is_staff_of_platform:
            raise PermissionDenied("Only reviewers and platform administrators see the dashboard.")
        counts = dashboard_counts(user=request.user, now=timezone.now())
        return Response(self.OutputSerializer(counts).data)
