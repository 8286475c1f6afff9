"""Public notice (公示) and objections (异议). The notice list is public and carries no
applicant personal data; filing an objection needs a login; deciding one is for a reviewer of
the application's platform."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from registry import services
from registry.apis.common import (
    DataItemSerializer,
    PlatformRefSerializer,
    StrictInputSerializer,
    check_may_review,
    problems,
)
from registry.errors import NotFound
from registry.filters import NoticeFilter, ObjectionFilter
from registry.models import Objection, ObjectType, Registration, RegistrationStatus
from registry.selectors import access_notice, notice_list, registration_review_queue

TAGS = ["public notice"]


def _with_objection_count(qs: QuerySet[Registration]) -> QuerySet[Registration]:
    return qs.annotate(objection_count=Count("objections"))


def objection_review_queue(user) -> QuerySet[Objection]:
    """Objections on applications in the user's review queue (national staff: all)."""
    return Objection.objects.filter(
        registration__in=registration_review_queue(user).values("pk")
    ).select_related(
        "registration",
        "registration__resource__holder",
        "registration__platform",
        "objector",
        "decided_by",
    )


def access_objection(*, user, pk: int) -> Objection:
    objection = objection_review_queue(user).filter(pk=pk).first()
    if objection is None:
        raise NotFound("No such objection.")
    return objection


# --------------------------------------------------------------------------- notices


class NoticeOutputSerializer(serializers.ModelSerializer):
    registrant = serializers.CharField(source="resource.holder.name")
    object_type = serializers.ChoiceField(source="resource.object_type", choices=ObjectType.choices)
    record_code = serializers.CharField(source="resource.code", allow_null=True)
    platform = PlatformRefSerializer()
    objection_count = serializers.IntegerField()

    class Meta:
        model = Registration
        ref_name = "Notice"
        fields = [
            "id",
            "registrant",
            "registration_type",
            "name",
            "summary",
            "object_type",
            "record_code",
            "platform",
            "notice_start",
            "notice_end",
            "objection_count",
        ]


class NoticeDetailOutputSerializer(NoticeOutputSerializer):
    data_items = DataItemSerializer(many=True)
    coverage_regions = serializers.ListField(child=serializers.CharField())
    formats = serializers.ListField(child=serializers.CharField())

    class Meta(NoticeOutputSerializer.Meta):
        ref_name = "NoticeDetail"
        fields = [
            *NoticeOutputSerializer.Meta.fields,
            "industry",
            "domain",
            "data_items",
            "coverage_regions",
            "update_frequency",
            "formats",
            "open_category",
        ]


@extend_schema(
    tags=TAGS,
    summary="Applications in public notice (公示)",
    responses={200: NoticeOutputSerializer(many=True), **problems(400)},
)
class NoticeListApi(ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = NoticeOutputSerializer
    filterset_class = NoticeFilter

    def get_queryset(self) -> QuerySet[Registration]:
        return _with_objection_count(notice_list())


class NoticeDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=TAGS,
        summary="One public notice",
        responses={200: NoticeDetailOutputSerializer, **problems(404)},
    )
    def get(self, request, pk: int) -> Response:
        access_notice(pk=pk)
        notice = _with_objection_count(notice_list()).get(pk=pk)
        return Response(NoticeDetailOutputSerializer(notice).data)


class ObjectionFileApi(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    class InputSerializer(StrictInputSerializer):
        reason = serializers.CharField(max_length=2000)
        contact = serializers.CharField(max_length=200, required=False, allow_blank=True)

        class Meta:
            ref_name = "ObjectionFile"

    class OutputSerializer(serializers.ModelSerializer):
        class Meta:
            model = Objection
            ref_name = "ObjectionFiled"
            fields = ["id", "registration", "status", "created_at"]

    @extend_schema(
        tags=TAGS,
        summary="Object to an application while its notice runs (logged-in users)",
        request=InputSerializer,
        responses={201: OutputSerializer, **problems(400, 403, 404, 409)},
    )
    def post(self, request, pk: int) -> Response:
        notice = access_notice(pk=pk)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        objection = services.objection_file(
            actor=request.user, registration=notice, now=timezone.now(), **serializer.validated_data
        )
        return Response(self.OutputSerializer(objection).data, status=status.HTTP_201_CREATED)


# --------------------------------------------------------------------------- objections


class ObjectionOutputSerializer(serializers.ModelSerializer):
    registration_name = serializers.CharField(source="registration.name")
    registration_status = serializers.ChoiceField(
        source="registration.status", choices=RegistrationStatus.choices
    )
    registrant = serializers.CharField(source="registration.resource.holder.name")
    platform = PlatformRefSerializer(source="registration.platform")
    objector = serializers.CharField(source="objector.username")
    decided_by = serializers.CharField(source="decided_by.username", allow_null=True, default=None)

    class Meta:
        model = Objection
        ref_name = "Objection"
        fields = [
            "id",
            "registration",
            "registration_name",
            "registration_status",
            "registrant",
            "platform",
            "objector",
            "reason",
            "contact",
            "status",
            "created_at",
            "decided_by",
            "decided_at",
            "decision_reason",
        ]


@extend_schema(
    tags=TAGS,
    summary="Objections on applications in the reviewer's queue",
    responses={200: ObjectionOutputSerializer(many=True), **problems(400, 403)},
)
class ObjectionListApi(ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = ObjectionOutputSerializer
    filterset_class = ObjectionFilter

    def get_queryset(self) -> QuerySet[Objection]:
        return objection_review_queue(self.request.user).order_by("created_at", "id")


class ObjectionUpholdApi(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    class InputSerializer(StrictInputSerializer):
        reason = serializers.CharField(max_length=2000)
        outcome = serializers.ChoiceField(
            choices=[
                (RegistrationStatus.RETURNED.value, RegistrationStatus.RETURNED.label),
                (RegistrationStatus.REJECTED.value, RegistrationStatus.REJECTED.label),
            ]
        )

        class Meta:
            ref_name = "ObjectionUphold"

    @extend_schema(
        tags=TAGS,
        summary="Uphold an objection: the application is returned or rejected",
        request=InputSerializer,
        responses={200: ObjectionOutputSerializer, **problems(400, 403, 404, 409)},
    )
    def post(self, request, pk: int) -> Response:
        objection = access_objection(user=request.user, pk=pk)
        check_may_review(request.user, objection.registration)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.objection_uphold(
            actor=request.user, objection=objection, now=timezone.now(), **serializer.validated_data
        )
        return Response(ObjectionOutputSerializer(access_objection(user=request.user, pk=pk)).data)


class ObjectionDismissApi(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    class InputSerializer(StrictInputSerializer):
        reason = serializers.CharField(max_length=2000)

        class Meta:
            ref_name = "ObjectionDismiss"

    @extend_schema(
        tags=TAGS,
        summary="Dismiss an objection: the notice runs on",
        request=InputSerializer,
        responses={200: ObjectionOutputSerializer, **problems(400, 403, 404, 409)},
    )
    def post(self, request, pk: int) -> Response:
        objection = access_objection(user=request.user, pk=pk)
        check_may_review(request.user, objection.registration)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.objection_dismiss(
            actor=request.user, objection=objection, now=timezone.now(), **serializer.validated_data
        )
        return Response(ObjectionOutputSerializer(access_objection(user=request.user, pk=pk)).data)
