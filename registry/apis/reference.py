"""Reference data (regions, platforms, organisations) and the caller's own roles."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from registry import services
from registry.apis.common import StrictBooleanField, StrictInputSerializer, problems
from registry.errors import NotFound, PermissionDenied
from registry.filters import OrganisationFilter, PlatformFilter, RegionFilter
from registry.models import (
    NATIONAL_REGION_CODE,
    Organisation,
    OrganisationType,
    Platform,
    Region,
    Role,
)
from registry.selectors import roles_of, scope_of

TAGS = ["reference"]


def region_list() -> QuerySet[Region]:
    return Region.objects.order_by("code")


def access_region(*, code: str) -> Region:
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise NotFound("No such region.")
    return region


def platform_list() -> QuerySet[Platform]:
    return Platform.objects.order_by("code")


def organisation_list() -> QuerySet[Organisation]:
    return Organisation.objects.order_by("name", "id")


# --------------------------------------------------------------------------- regions


class RegionOutputSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent_id", allow_null=True)

    class Meta:
        model = Region
        ref_name = "Region"
        fields = ["code", "name", "level", "parent", "province_code"]


@extend_schema(
    tags=TAGS,
    summary="GB/T 2260 regions",
    responses={200: RegionOutputSerializer(many=True), **problems(400)},
)
class RegionListApi(ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = RegionOutputSerializer
    filterset_class = RegionFilter

    def get_queryset(self) -> QuerySet[Region]:
        return region_list()


class RegionDetailApi(APIView):
    permission_classes = [AllowAny]

    class OutputSerializer(RegionOutputSerializer):
        children = RegionOutputSerializer(many=True)

        class Meta(RegionOutputSerializer.Meta):
            ref_name = "RegionDetail"
            fields = [*RegionOutputSerializer.Meta.fields, "children"]

    @extend_schema(
        tags=TAGS,
        summary="One region with its direct subdivisions",
        responses={200: OutputSerializer, **problems(404)},
    )
    def get(self, request, code: str) -> Response:
        region = access_region(code=code)
        return Response(self.OutputSerializer(region).data)


# --------------------------------------------------------------------------- platforms


class PlatformOutputSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id")

    class Meta:
        model = Platform
        ref_name = "Platform"
        fields = ["id", "code", "name", "level", "region", "is_live"]


@extend_schema(
    tags=TAGS,
    summary="Registration platforms (national and provincial)",
    responses={200: PlatformOutputSerializer(many=True), **problems(400)},
)
class PlatformListApi(ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = PlatformOutputSerializer
    filterset_class = PlatformFilter

    def get_queryset(self) -> QuerySet[Platform]:
        return platform_list()


# --------------------------------------------------------------------------- organisations


class OrganisationOutputSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id")

    class Meta:
        model = Organisation
        ref_name = "Organisation"
        fields = ["id", "name", "credit_code", "org_type", "region", "is_national_level"]


def check_may_create_organisation(*, user, region: Region, is_national_level: bool) -> None:
    """Platform administrators only: a national one anywhere, a provincial one only within
    their own province (and never a central-level body)."""
    scope = scope_of(user)
    if scope.national_admin:
        return
    if not scope.is_admin:
        raise PermissionDenied("Only platform administrators may add organisations.")
    provinces = {
        r.platform.region_id
        for r in roles_of(user)
        if r.role == Role.PLATFORM_ADMIN and r.platform is not None
    }
    if is_national_level or region.code == NATIONAL_REGION_CODE:
        raise PermissionDenied("Only a national platform administrator may add central bodies.")
    if region.province_code not in provinces:
        raise PermissionDenied("The region is outside the province of your platform.")


@extend_schema(
    tags=TAGS,
    summary="Organisations (search by name or credit code)",
    responses={200: OrganisationOutputSerializer(many=True), **problems(400)},
)
class OrganisationListCreateApi(ListAPIView):
    permission_classes = [AllowAny]
    parser_classes = [JSONParser]
    serializer_class = OrganisationOutputSerializer
    filterset_class = OrganisationFilter

    class InputSerializer(StrictInputSerializer):
        name = serializers.CharField(max_length=200)
        credit_code = serializers.CharField(max_length=40)
        org_type = serializers.ChoiceField(choices=OrganisationType.choices)
        region = serializers.CharField(max_length=6, help_text="GB/T 2260 code")
        is_national_level = StrictBooleanField(required=False, default=False)
        contact_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
        contact_phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
        contact_email = serializers.EmailField(required=False, allow_blank=True)

        class Meta:
            ref_name = "OrganisationCreate"

        def validate_region(self, value: str) -> Region:
            region = Region.objects.filter(code=value.strip()).first()
            if region is None:
                raise serializers.ValidationError("Unknown region code.")
            return region

    def get_queryset(self) -> QuerySet[Organisation]:
        return organisation_list()

    def get_permissions(self):
        return [IsAuthenticated()] if self.request.method == "POST" else [AllowAny()]

    @extend_schema(
        summary="Add an organisation (platform administrators)",
        request=InputSerializer,
        responses={201: OrganisationOutputSerializer, **problems(400, 403)},
    )
    def post(self, request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        region = data.pop("region")
        check_may_create_organisation(
            user=request.user, region=region, is_national_level=data["is_national_level"]
        )
        org = services.organisation_create(region_code=region.code, **data)
        return Response(OrganisationOutputSerializer(org).data, status=status.HTTP_201_CREATED)


# --------------------------------------------------------------------------- me


class RoleOutputSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)
    organisation = serializers.SerializerMethodField()
    platform = serializers.SerializerMethodField()

    class Meta:
        ref_name = "RoleAssignment"

    def get_organisation(self, obj) -> int | None:
        return obj.organisation_id

    def get_platform(self, obj) -> int | None:
        return obj.platform_id


class MeApi(APIView):
    permission_classes = [IsAuthenticated]

    class OutputSerializer(serializers.Serializer):
        username = serializers.CharField()
        roles = RoleOutputSerializer(many=True)
        holder_organisations = OrganisationOutputSerializer(many=True)
        agent_organisations = OrganisationOutputSerializer(many=True)
        reviewer_platforms = PlatformOutputSerializer(many=True)
        admin_platforms = PlatformOutputSerializer(many=True)
        national_reviewer = serializers.BooleanField()
        national_admin = serializers.BooleanField()

        class Meta:
            ref_name = "Me"

    @extend_schema(
        tags=TAGS,
        summary="The current user's roles and scope",
        responses={200: OutputSerializer, **problems(403)},
    )
    def get(self, request) -> Response:
        roles = roles_of(request.user)
        scope = scope_of(request.user)

        def pick(role: str, attr: str) -> list:
            return [getattr(r, attr) for r in roles if r.role == role]

        data = {
            "username": request.user.get_username(),
            "roles": roles,
            "holder_organisations": pick(Role.HOLDER_STAFF, "organisation"),
            "agent_organisations": pick(Role.AGENT, "organisation"),
            "reviewer_platforms": pick(Role.REVIEWER, "platform"),
            "admin_platforms": pick(Role.PLATFORM_ADMIN, "platform"),
            "national_reviewer": scope.national_reviewer,
            "national_admin": scope.national_admin,
        }
        return Response(self.OutputSerializer(data).data)
