"""Interaction API: data requests, error reports / suggestions / complaints, statistics."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny, IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.interaction import selectors, services
from portal.interaction.apis.common import TAGS, StrictInput, dataset_by_slug
from portal.interaction.models import (
    DataRequest,
    Feedback,
    FeedbackKind,
    RequestStatus,
)
from portal.interaction.statistics import timeliness_by_channel, timeliness_by_holder
from registry.apis.common import problems
from registry.errors import ValidationFailed
from registry.models import Organisation

# --------------------------------------------------------------------------- requests


class RequestOutput(serializers.ModelSerializer):
    holder = serializers.CharField(source="holder.name", allow_null=True, default=None)
    dataset = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = DataRequest
        ref_name = "InteractionDataRequest"
        fields = [
            "id",
            "title",
            "description",
            "holder",
            "status",
            "reply",
            "replied_at",
            "dataset",
            "support_count",
            "created_at",
            "reply_deadline",
            "overdue",
        ]

    def get_overdue(self, obj) -> bool:
        return selectors.is_overdue(obj, timezone.now())


class RequestInput(StrictInput):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=4000)
    holder = serializers.IntegerField(required=False, allow_null=True, help_text="Organisation id")

    class Meta:
        ref_name = "InteractionDataRequestInput"


class RequestListCreateApi(ListAPIView):
    permission_classes = [IsAuthenticatedOrReadOnly]
    serializer_class = RequestOutput
    parser_classes = [JSONParser]

    def get_queryset(self):
        qs = selectors.requests_public()
        wanted = self.request.query_params.get("status")
        return qs.filter(status=wanted) if wanted in RequestStatus.values else qs

    @extend_schema(
        tags=TAGS, summary="Data requests (public)", responses={200: RequestOutput(many=True)}
    )
    def get(self, request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=TAGS,
        summary="Ask for data (to a holder, or to the platform)",
        request=RequestInput,
        responses={201: RequestOutput, **problems(400, 401)},
    )
    def post(self, request) -> Response:
        serializer = RequestInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        holder = None
        if data.get("holder") is not None:
            holder = Organisation.objects.filter(pk=data["holder"]).first()
            if holder is None:
                raise ValidationFailed("Unknown holder.", errors={"holder": ["Unknown holder."]})
        req = services.request_create(
            actor=request.user, data=data, holder=holder, now=timezone.now()
        )
        return Response(RequestOutput(req).data, status=status.HTTP_201_CREATED)


class RequestDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=TAGS, summary="One data request", responses={200: RequestOutput, **problems(404)}
    )
    def get(self, request, pk: int) -> Response:
        return Response(RequestOutput(selectors.access_request(pk=pk)).data)


class RequestSupportApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        summary="Support a request (once per user)",
        request=None,
        responses={200: RequestOutput, **problems(401, 404, 409)},
    )
    def post(self, request, pk: int) -> Response:
        req = selectors.access_request(pk=pk)
        req = services.request_support(actor=request.user, request=req, now=timezone.now())
        return Response(RequestOutput(selectors.access_request(pk=pk)).data)


class AnswerInput(StrictInput):
    action = serializers.ChoiceField(choices=["accept", "publish", "decline"])
    reply = serializers.CharField(max_length=4000)
    dataset = serializers.SlugField(required=False, help_text="For publish: the dataset's slug")

    class Meta:
        ref_name = "InteractionAnswerInput"


class RequestAnswerApi(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    @extend_schema(
        tags=TAGS,
        summary="Answer a request publicly: accept, publish or decline (holder staff, admin)",
        request=AnswerInput,
        responses={200: RequestOutput, **problems(400, 401, 404, 409)},
    )
    def post(self, request, pk: int) -> Response:
        req = selectors.access_request(pk=pk)
        serializer = AnswerInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.request_answer(
            actor=request.user,
            request=req,
            action=data["action"],
            reply=data["reply"],
            dataset=dataset_by_slug(data.get("dataset")),
            now=timezone.now(),
        )
        return Response(RequestOutput(selectors.access_request(pk=pk)).data)


# --------------------------------------------------------------------------- feedback


class FeedbackOutput(serializers.ModelSerializer):
    dataset = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    holder = serializers.CharField(source="holder.name", allow_null=True, default=None)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Feedback
        ref_name = "InteractionFeedback"
        fields = [
            "id",
            "kind",
            "title",
            "body",
            "dataset",
            "holder",
            "status",
            "reply",
            "replied_at",
            "created_at",
            "reply_deadline",
            "overdue",
        ]

    def get_overdue(self, obj) -> bool:
        return selectors.is_overdue(obj, timezone.now())


class FeedbackInput(StrictInput):
    kind = serializers.ChoiceField(choices=FeedbackKind.choices)
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=4000)
    dataset = serializers.SlugField(required=False, help_text="Required for error reports")

    class Meta:
        ref_name = "InteractionFeedbackInput"


class FeedbackListCreateApi(ListAPIView):
    permission_classes = [IsAuthenticatedOrReadOnly]
    serializer_class = FeedbackOutput
    parser_classes = [JSONParser]

    def get_queryset(self):
        kind = self.request.query_params.get("kind")
        return selectors.feedback_public(kind if kind in FeedbackKind.values else None)

    @extend_schema(
        tags=TAGS,
        summary="Error reports, suggestions and complaints with their replies (public; ?kind=)",
        responses={200: FeedbackOutput(many=True)},
    )
    def get(self, request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=TAGS,
        summary="Report an error in a dataset, or make a suggestion or complaint",
        request=FeedbackInput,
        responses={201: FeedbackOutput, **problems(400, 401)},
    )
    def post(self, request) -> Response:
        serializer = FeedbackInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        item = services.feedback_create(
            actor=request.user,
            kind=data.pop("kind"),
            dataset=dataset_by_slug(data.pop("dataset", None)),
            data=data,
            now=timezone.now(),
        )
        return Response(FeedbackOutput(item).data, status=status.HTTP_201_CREATED)


class FeedbackDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=TAGS, summary="One message", responses={200: FeedbackOutput, **problems(404)}
    )
    def get(self, request, pk: int) -> Response:
        return Response(FeedbackOutput(selectors.access_feedback(pk=pk)).data)


class ReplyInput(StrictInput):
    reply = serializers.CharField(max_length=4000)

    class Meta:
        ref_name = "InteractionReplyInput"


class FeedbackReplyApi(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    @extend_schema(
        tags=TAGS,
        summary="Reply publicly (holder staff, platform admin)",
        request=ReplyInput,
        responses={200: FeedbackOutput, **problems(400, 401, 404, 409)},
    )
    def post(self, request, pk: int) -> Response:
        item = selectors.access_feedback(pk=pk)
        serializer = ReplyInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.feedback_reply(
            actor=request.user,
            feedback=item,
            reply=serializer.validated_data["reply"],
            now=timezone.now(),
        )
        return Response(FeedbackOutput(selectors.access_feedback(pk=pk)).data)


# --------------------------------------------------------------------------- statistics


class TimelinessOutput(serializers.Serializer):
    label = serializers.CharField()
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    open = serializers.IntegerField()
    overdue = serializers.IntegerField()
    on_time_rate = serializers.FloatField(allow_null=True)


class StatisticsOutput(serializers.Serializer):
    channels = TimelinessOutput(many=True)
    holders = TimelinessOutput(many=True)


class StatisticsApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=TAGS,
        summary="Reply timeliness per channel and per holder",
        responses={200: StatisticsOutput},
    )
    def get(self, request) -> Response:
        now = timezone.now()
        body = {
            "channels": TimelinessOutput(timeliness_by_channel(now), many=True).data,
            "holders": TimelinessOutput(timeliness_by_holder(now), many=True).data,
        }
        return Response(body)
