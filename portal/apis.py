"""The holder's publishing API under /api/v1/portal/: the caller's datasets, publishing,
editing, withdrawal, files and uploads. Holder staff only (session or HTTP Basic auth); other
organisations' datasets are 404. Views are thin: validate the shape, call a service, render.
Unknown and read-only names in a body are a 400 naming them. Uploads stream through
portal.uploads.HashingUploadHandler; a Content-Length over the limit is a 413 before the body
is read. Errors are RFC 9457 problem+json (registry.api_common)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from portal import selectors, services
from portal.models import Dataset, Distribution, DistributionVersion
from portal.services.publishing import READ_ONLY_FIELDS
from portal.timeliness import is_overdue
from portal.uploads import HashingUploadHandler, upload_too_large
from registry.apis.common import StrictInputSerializer as RegistryStrictInputSerializer
from registry.apis.common import problems
from registry.errors import ValidationFailed
from registry.models import Industry, UpdateFrequency
from registry.selectors import scope_of

TAGS = ["portal: publishing"]


class IsHolderStaff(BasePermission):
    message = "Only staff of a data holder may publish."

    def has_permission(self, request, view) -> bool:
        return bool(scope_of(request.user).holder_org_ids)


class PayloadTooLarge(exceptions.APIException):
    status_code = 413
    default_detail = "The upload is larger than the limit."
    default_code = "payload_too_large"


def too_large() -> PayloadTooLarge:
    return PayloadTooLarge(f"The upload is larger than {settings.PORTAL_UPLOAD_MAX_BYTES} bytes.")


class StrictInputSerializer(RegistryStrictInputSerializer):
    """Refuses names it does not declare: the portal's read-only ones and unknown ones."""

    read_only_names = frozenset(READ_ONLY_FIELDS)


@extend_schema_field(
    {"oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}]}
)
class TagsField(serializers.Field):
    """A list of strings, or one string separated by commas or 、 (normalised by the service)."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str) or (
            isinstance(data, list) and all(isinstance(t, str) for t in data)
        ):
            return data
        raise serializers.ValidationError("Must be a list of strings or a comma-separated string.")

    def to_representation(self, value: Any) -> Any:
        return value


class DatasetInputSerializer(StrictInputSerializer):
    """The editable metadata. On publication absent fields default to the record's values."""

    title = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(max_length=20000, required=False, help_text="Markdown")
    theme = serializers.CharField(max_length=40, required=False, allow_blank=True, allow_null=True)
    industry = serializers.ChoiceField(choices=Industry.choices, required=False)
    tags = TagsField(required=False)
    licence = serializers.CharField(max_length=40, required=False)
    update_frequency = serializers.ChoiceField(choices=UpdateFrequency.choices, required=False)
    contact_name = serializers.CharField(max_length=100, required=False)
    contact_phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    contact_email = serializers.CharField(max_length=254, required=False, allow_blank=True)

    class Meta:
        ref_name = "PortalDatasetInput"


class PublishInputSerializer(DatasetInputSerializer):
    record_code = serializers.CharField(max_length=40, help_text="The registry record to publish")

    class Meta:
        ref_name = "PortalPublishInput"


# --------------------------------------------------------------------------- output


class VersionOutputSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = DistributionVersion
        ref_name = "PortalDistributionVersion"
        fields = [
            "number",
            "original_name",
            "format",
            "media_type",
            "encoding",
            "size",
            "sha256",
            "row_count",
            "preview",
            "download_count",
            "uploaded_at",
            "download_url",
        ]

    def get_download_url(self, version: DistributionVersion) -> str:
        dist = version.distribution
        path = reverse("version-download", args=[dist.dataset.slug, dist.pk, version.number])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class DistributionOutputSerializer(serializers.ModelSerializer):
    current_version = VersionOutputSerializer(allow_null=True)
    latest_url = serializers.SerializerMethodField()

    class Meta:
        model = Distribution
        ref_name = "PortalDistribution"
        fields = [
            "id",
            "title",
            "description",
            "format",
            "position",
            "created_at",
            "updated_at",
            "current_version",
            "latest_url",
        ]

    def get_latest_url(self, dist: Distribution) -> str | None:
        if dist.current_version_id is None:
            return None
        path = reverse("distribution-latest", args=[dist.dataset.slug, dist.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class DatasetOutputSerializer(serializers.ModelSerializer):
    record_code = serializers.CharField(source="resource.code")
    holder = serializers.CharField(source="holder.name")
    holder_id = serializers.IntegerField()
    region = serializers.CharField(source="region_id")
    theme = serializers.SlugRelatedField(slug_field="code", read_only=True)
    licence = serializers.SlugRelatedField(slug_field="code", read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Dataset
        ref_name = "PortalDataset"
        fields = [
            "slug",
            "record_code",
            "title",
            "description",
            "status",
            "open_category",
            "holder",
            "holder_id",
            "region",
            "province_code",
            "theme",
            "industry",
            "tags",
            "licence",
            "update_frequency",
            "contact_name",
            "contact_phone",
            "contact_email",
            "formats",
            "published_at",
            "metadata_updated_at",
            "data_updated_at",
            "update_due_at",
            "overdue",
            "download_count",
            "withdrawn_at",
            "withdrawal_reason",
        ]

    def get_overdue(self, dataset: Dataset) -> bool:
        return is_overdue(dataset, timezone.now())


class DatasetDetailOutputSerializer(DatasetOutputSerializer):
    distributions = serializers.SerializerMethodField()

    class Meta(DatasetOutputSerializer.Meta):
        ref_name = "PortalDatasetDetail"
        fields = [*DatasetOutputSerializer.Meta.fields, "distributions"]

    @extend_schema_field(DistributionOutputSerializer(many=True))
    def get_distributions(self, dataset: Dataset) -> list:
        qs = dataset.distributions.select_related("current_version", "dataset").order_by(
            "position", "id"
        )
        return DistributionOutputSerializer(qs, many=True, context=self.context).data


def _detail(request, dataset: Dataset, *, code: int = 200) -> Response:
    fresh = selectors.access_managed_dataset(user=request.user, slug=dataset.slug)
    body = DatasetDetailOutputSerializer(fresh, context={"request": request}).data
    return Response(body, status=code)


# --------------------------------------------------------------------------- views


class MyDatasetListCreateApi(ListAPIView):
    permission_classes = [IsAuthenticated, IsHolderStaff]
    serializer_class = DatasetOutputSerializer
    parser_classes = [JSONParser]

    def get_queryset(self):
        return selectors.datasets_managed_by(self.request.user).order_by("-published_at", "-id")

    @extend_schema(
        tags=TAGS,
        summary="Datasets of my organisations (any status)",
        responses={200: DatasetOutputSerializer(many=True), **problems(401, 403)},
    )
    def get(self, request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=TAGS,
        summary="Publish a coded, open registry record as a dataset",
        request=PublishInputSerializer,
        responses={201: DatasetDetailOutputSerializer, **problems(400, 401, 403, 404, 409)},
    )
    def post(self, request) -> Response:
        serializer = PublishInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        resource = services.resource_for_publishing(
            actor=request.user, code=data.pop("record_code")
        )
        dataset = services.dataset_publish(
            actor=request.user, resource=resource, data=data, now=timezone.now()
        )
        return _detail(request, dataset, code=status.HTTP_201_CREATED)


class MyDatasetDetailApi(APIView):
    permission_classes = [IsAuthenticated, IsHolderStaff]
    parser_classes = [JSONParser]

    @extend_schema(
        tags=TAGS,
        summary="A dataset of mine, with its files",
        responses={200: DatasetDetailOutputSerializer, **problems(401, 403, 404)},
    )
    def get(self, request, slug: str) -> Response:
        return _detail(request, selectors.access_managed_dataset(user=request.user, slug=slug))

    @extend_schema(
        tags=TAGS,
        summary="Change a dataset's metadata (only the fields sent)",
        request=DatasetInputSerializer,
        responses={200: DatasetDetailOutputSerializer, **problems(400, 401, 403, 404, 409)},
    )
    def patch(self, request, slug: str) -> Response:
        dataset = selectors.access_managed_dataset(user=request.user, slug=slug)
        serializer = DatasetInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.dataset_update(
            actor=request.user,
            dataset=dataset,
            data=dict(serializer.validated_data),
            now=timezone.now(),
        )
        return _detail(request, dataset)


class ReasonInputSerializer(StrictInputSerializer):
    reason = serializers.CharField(max_length=2000)

    class Meta:
        ref_name = "PortalWithdrawInput"


class DatasetWithdrawApi(APIView):
    permission_classes = [IsAuthenticated, IsHolderStaff]
    parser_classes = [JSONParser]

    @extend_schema(
        tags=TAGS,
        summary="Withdraw a dataset from the public catalogue (its files answer 404)",
        request=ReasonInputSerializer,
        responses={200: DatasetDetailOutputSerializer, **problems(400, 401, 403, 404, 409)},
    )
    def post(self, request, slug: str) -> Response:
        dataset = selectors.access_managed_dataset(user=request.user, slug=slug)
        serializer = ReasonInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.dataset_withdraw(
            actor=request.user,
            dataset=dataset,
            reason=serializer.validated_data["reason"],
            now=timezone.now(),
        )
        return _detail(request, dataset)


class DatasetRepublishApi(APIView):
    permission_classes = [IsAuthenticated, IsHolderStaff]

    @extend_schema(
        tags=TAGS,
        summary="Publish a withdrawn dataset again (if its record still may be)",
        request=None,
        responses={200: DatasetDetailOutputSerializer, **problems(401, 403, 404, 409)},
    )
    def post(self, request, slug: str) -> Response:
        dataset = selectors.access_managed_dataset(user=request.user, slug=slug)
        services.dataset_republish(actor=request.user, dataset=dataset, now=timezone.now())
        return _detail(request, dataset)


class DistributionInputSerializer(StrictInputSerializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=4000, required=False, allow_blank=True)

    class Meta:
        ref_name = "PortalDistributionInput"


class DistributionCreateApi(APIView):
    permission_classes = [IsAuthenticated, IsHolderStaff]
    parser_classes = [JSONParser]

    @extend_schema(
        tags=TAGS,
        summary="Add an empty file slot (distribution) to a dataset; upload versions to it",
        request=DistributionInputSerializer,
        responses={201: DistributionOutputSerializer, **problems(400, 401, 403, 404, 409)},
    )
    def post(self, request, slug: str) -> Response:
        dataset = selectors.access_managed_dataset(user=request.user, slug=slug)
        serializer = DistributionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        distribution = services.distribution_create(
            actor=request.user, dataset=dataset, now=timezone.now(), **serializer.validated_data
        )
        body = DistributionOutputSerializer(distribution, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)


class UploadInputSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The data file (multipart/form-data field `file`)")

    class Meta:
        ref_name = "PortalVersionUpload"


class VersionListUploadApi(APIView):
    """The versions of a distribution, and uploading a new one (multipart field `file`)."""

    permission_classes = [IsAuthenticated, IsHolderStaff]
    parser_classes = [MultiPartParser]
    upload_handler: HashingUploadHandler | None = None

    def initial(self, request, *args, **kwargs) -> None:
        # Before authentication: the CSRF check of session auth reads the body.
        if request.method == "POST":
            if upload_too_large(request._request):
                raise too_large()
            self.upload_handler = HashingUploadHandler(request._request)
            request._request.upload_handlers = [self.upload_handler]
        super().initial(request, *args, **kwargs)

    @extend_schema(
        tags=TAGS,
        summary="Versions of a file, newest first",
        responses={200: VersionOutputSerializer(many=True), **problems(401, 403, 404)},
    )
    def get(self, request, slug: str, distribution_id: int) -> Response:
        distribution = selectors.access_managed_distribution(
            user=request.user, slug=slug, distribution_id=distribution_id
        )
        versions = distribution.versions.select_related("distribution__dataset").order_by("-number")
        body = VersionOutputSerializer(versions, many=True, context={"request": request}).data
        return Response(body)

    @extend_schema(
        tags=TAGS,
        summary="Upload a new version (streamed; type sniffed; preview and row count for tables)",
        request={"multipart/form-data": UploadInputSerializer},
        responses={201: VersionOutputSerializer, **problems(400, 401, 403, 404, 409, 413)},
    )
    def post(self, request, slug: str, distribution_id: int) -> Response:
        distribution = selectors.access_managed_distribution(
            user=request.user, slug=slug, distribution_id=distribution_id
        )
        files = request.FILES
        if self.upload_handler is not None and self.upload_handler.too_large:
            raise too_large()
        unknown = sorted(set(request.data) - {"file"})
        if unknown:
            raise ValidationFailed(
                "Unknown fields.", errors={name: ["Unknown field."] for name in unknown}
            )
        upload = files.get("file")
        if upload is None:
            raise ValidationFailed("No file.", errors={"file": ["This field is required."]})
        version = services.distribution_upload(
            actor=request.user, distribution=distribution, upload=upload, now=timezone.now()
        )
        body = VersionOutputSerializer(version, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)
