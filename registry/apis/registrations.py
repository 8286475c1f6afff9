"""Filing: list, create, read and edit applications; their attachments and event log."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.db.models import QuerySet
from django.http import FileResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import quote
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from registry import services
from registry.apis.common import (
    MetadataInputSerializer,
    RegistrationOutputSerializer,
    check_may_file,
    metadata_of,
    problems,
    registration_after_write,
    registration_data,
    with_pending_objections,
)
from registry.errors import NotFound, ValidationFailed
from registry.filters import RegistrationFilter
from registry.models import (
    Attachment,
    AttachmentKind,
    ObjectType,
    Registration,
    RegistrationEvent,
    RegistrationType,
    Resource,
)
from registry.selectors import (
    access_registration,
    organisations_filable_by,
    registration_visible_to,
)
from registry.workdays import local_date

TAGS = ["registrations"]
FOLLOWUP_TYPES = [
    RegistrationType.CHANGE,
    RegistrationType.CORRECTION,
    RegistrationType.DEREGISTRATION,
]


# --------------------------------------------------------------------------- list and create


class RegistrationCreateInputSerializer(MetadataInputSerializer):
    """An initial filing names `holder` and `object_type`; a follow-up (change, correction,
    deregistration) names the coded record by `record_code` and gives a reason."""

    registration_type = serializers.ChoiceField(
        choices=RegistrationType.choices, default=RegistrationType.INITIAL
    )
    holder = serializers.IntegerField(required=False, help_text="Organisation id (initial)")
    object_type = serializers.ChoiceField(choices=ObjectType.choices, required=False)
    record_code = serializers.CharField(max_length=40, required=False, help_text="(follow-up)")
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True)

    class Meta:
        ref_name = "RegistrationCreate"

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        initial = attrs["registration_type"] == RegistrationType.INITIAL
        errors: dict[str, list[str]] = {}
        required = ["holder", "object_type"] if initial else ["record_code", "reason"]
        refused = ["record_code"] if initial else ["holder", "object_type"]
        for name in required:
            if not attrs.get(name):
                errors[name] = ["This field is required."]
        for name in refused:
            if name in attrs:
                errors[name] = [f"Not allowed on a {attrs['registration_type']} registration."]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


def _create(*, user, data: dict[str, Any], now) -> Registration:
    metadata = metadata_of(data)
    if data["registration_type"] == RegistrationType.INITIAL:
        holder = organisations_filable_by(user, local_date(now)).filter(pk=data["holder"]).first()
        if holder is None:
            raise ValidationFailed(
                "You may not file for this organisation.",
                errors={"holder": ["Not an organisation you may file for."]},
            )
        return services.registration_create_initial(
            actor=user,
            holder=holder,
            object_type=data["object_type"],
            data=metadata,
            reason=data.get("reason", ""),
            now=now,
        )
    record = Resource.objects.filter(code=data["record_code"].strip()).first()
    if record is None:
        raise ValidationFailed("Unknown record.", errors={"record_code": ["No such record."]})
    return services.registration_create_followup(
        actor=user,
        resource=record,
        registration_type=data["registration_type"],
        data=metadata,
        reason=data["reason"],
        now=now,
    )


@extend_schema(
    tags=TAGS,
    summary="Applications the user may see (own filings; review queue for reviewers)",
    responses={200: RegistrationOutputSerializer(many=True), **problems(400, 403)},
)
class RegistrationListCreateApi(ListAPIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]
    serializer_class = RegistrationOutputSerializer
    filterset_class = RegistrationFilter

    def get_queryset(self) -> QuerySet[Registration]:
        # Aggregating drops Meta.ordering: order explicitly (the `ordering` filter may re-sort).
        qs = with_pending_objections(registration_visible_to(self.request.user))
        return qs.order_by("-created_at", "-id")

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "now": timezone.now()}

    @extend_schema(
        summary="File an application (draft)",
        request=RegistrationCreateInputSerializer,
        responses={201: RegistrationOutputSerializer, **problems(400, 403, 404, 409)},
    )
    def post(self, request) -> Response:
        serializer = RegistrationCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        now = timezone.now()
        reg = registration_after_write(
            _create(user=request.user, data=serializer.validated_data, now=now)
        )
        return Response(
            registration_data(reg, request=request, now=now), status=status.HTTP_201_CREATED
        )


# --------------------------------------------------------------------------- detail and edit


class RegistrationDetailApi(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    class InputSerializer(MetadataInputSerializer):
        reason = serializers.CharField(max_length=2000, required=False, allow_blank=True)

        class Meta:
            ref_name = "RegistrationUpdate"

    @extend_schema(
        tags=TAGS,
        summary="One application",
        responses={200: RegistrationOutputSerializer, **problems(403, 404)},
    )
    def get(self, request, pk: int) -> Response:
        reg = access_registration(user=request.user, pk=pk)
        return Response(registration_data(reg, request=request, now=timezone.now()))

    @extend_schema(
        tags=TAGS,
        summary="Edit a draft, supplemented or returned application (metadata and reason only)",
        request=InputSerializer,
        responses={200: RegistrationOutputSerializer, **problems(400, 403, 404, 409)},
    )
    def patch(self, request, pk: int) -> Response:
        reg = access_registration(user=request.user, pk=pk)
        now = timezone.now()
        check_may_file(request.user, reg, now)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reg = services.registration_update(
            actor=request.user,
            registration=reg,
            data=metadata_of(serializer.validated_data),
            reason=serializer.validated_data.get("reason"),
            now=now,
        )
        return Response(registration_data(registration_after_write(reg), request=request, now=now))


# --------------------------------------------------------------------------- attachments

# Room for the multipart envelope and the `kind` field around the file itself.
MULTIPART_SLACK_BYTES = 64 * 1024


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "Payload too large"
    default_code = "payload_too_large"


class _SizeLimitHandler(FileUploadHandler):
    """Stops reading an upload as soon as a file passes the limit, before it is buffered."""

    def __init__(self, request, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.exceeded = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.limit:
            self.exceeded = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def _too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"An attachment may be at most {limit} bytes.")


class AttachmentOutputSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        ref_name = "Attachment"
        fields = [
            "id",
            "kind",
            "original_name",
            "size",
            "sha256",
            "content_type",
            "uploaded_at",
            "download_url",
        ]

    def get_download_url(self, obj: Attachment) -> str:
        return reverse(
            "registry-api:registration-attachment-download",
            kwargs={"pk": obj.registration_id, "attachment_id": obj.pk},
        )


class AttachmentListCreateApi(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser]

    class InputSerializer(serializers.Serializer):
        kind = serializers.ChoiceField(choices=AttachmentKind.choices)
        file = serializers.FileField()

        class Meta:
            ref_name = "AttachmentUpload"

    def initial(self, request, *args, **kwargs) -> None:
        # Refuse oversized uploads before anything (CSRF check included) reads the body.
        if request.method == "POST":
            limit = settings.REGISTRY_ATTACHMENT_MAX_BYTES
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > limit + MULTIPART_SLACK_BYTES:
                raise _too_large(limit)
            self._size_guard = _SizeLimitHandler(request, limit)
            request._request.upload_handlers.insert(0, self._size_guard)
        super().initial(request, *args, **kwargs)

    @extend_schema(
        tags=TAGS,
        summary="Attachments of an application",
        responses={200: AttachmentOutputSerializer(many=True), **problems(403, 404)},
    )
    def get(self, request, pk: int) -> Response:
        reg = access_registration(user=request.user, pk=pk)
        return Response(AttachmentOutputSerializer(reg.attachments.all(), many=True).data)

    @extend_schema(
        tags=TAGS,
        summary="Attach a document (PDF, OFD, DOC/DOCX, PNG, JPEG; type sniffed from content)",
        request=InputSerializer,
        responses={201: AttachmentOutputSerializer, **problems(400, 403, 404, 409, 413)},
    )
    def post(self, request, pk: int) -> Response:
        reg = access_registration(user=request.user, pk=pk)
        now = timezone.now()
        check_may_file(request.user, reg, now)
        data = request.data
        if self._size_guard.exceeded:
            raise _too_large(self._size_guard.limit)
        unknown = sorted(set(data) - {"kind", "file"})
        if unknown:
            raise ValidationFailed(
                "Unknown fields.", errors={name: ["Unknown field."] for name in unknown}
            )
        serializer = self.InputSerializer(data=data)
        serializer.is_valid(raise_exception=True)
        attachment = services.attachment_add(
            actor=request.user,
            registration=reg,
            kind=serializer.validated_data["kind"],
            upload=serializer.validated_data["file"],
            now=now,
        )
        return Response(AttachmentOutputSerializer(attachment).data, status=status.HTTP_201_CREATED)


def content_disposition(filename: str) -> str:
    """RFC 6266: an ASCII fallback plus the exact UTF-8 name in `filename*`."""
    fallback = (
        "".join(ch if 32 <= ord(ch) < 127 and ch not in '"\\;%' else "_" for ch in filename).strip()
        or "download"
    )
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


class AttachmentDownloadApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        summary="Download an attachment (to those who can see the application)",
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, "The file, as an attachment."
            ),
            **problems(403, 404),
        },
    )
    def get(self, request, pk: int, attachment_id: int) -> FileResponse:
        reg = access_registration(user=request.user, pk=pk)
        attachment = reg.attachments.filter(pk=attachment_id).first()
        if attachment is None:
            raise NotFound("No such attachment.")
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError:
            raise NotFound("The file is no longer available.") from None
        response = FileResponse(handle, content_type=attachment.content_type)
        response["Content-Disposition"] = content_disposition(attachment.original_name)
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


# --------------------------------------------------------------------------- events


class EventOutputSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", allow_null=True, default=None)
    data = serializers.DictField()

    class Meta:
        model = RegistrationEvent
        ref_name = "RegistrationEvent"
        fields = ["id", "action", "from_status", "to_status", "actor", "reason", "data", "at"]


class EventListApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        summary="The application's event log (who, when, from, to, why)",
        responses={200: EventOutputSerializer(many=True), **problems(403, 404)},
    )
    def get(self, request, pk: int) -> Response:
        reg = access_registration(user=request.user, pk=pk)
        events = reg.events.select_related("actor").order_by("at", "id")
        return Response(EventOutputSerializer(events, many=True).data)
