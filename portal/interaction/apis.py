"""Interaction API under /api/v1/portal/interaction/: data requests and support, error reports,
suggestions and complaints with public replies, ratings, comments and abuse reports,
moderation, showcases and the reply-timeliness statistics. Reading is public (authors are not
shown); writing needs a login. Status, reply and moderation fields are never writable by the
author (400 naming them); answering outside one's scope is 404; illegal transitions are 409."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny, IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.access.apis import DatasetRefSerializer, datasets_by_slug
from portal.interaction import selectors, services
from portal.interaction.models import (
    Comment,
    DataRequest,
    Feedback,
    FeedbackKind,
    Rating,
    RequestStatus,
    Showcase,
    ShowcaseKind,
)
from portal.interaction.statistics import timeliness_by_channel, timeliness_by_holder
from portal.selectors import access_dataset
from registry.apis.common import StrictInputSerializer as RegistryStrict
from registry.apis.common import problems
from registry.errors import ValidationFailed
from registry.models import Organisation

TAGS = ["portal: interaction"]
READ_ONLY = frozenset(
    {
        "status",
        "reply",
        "replied_at",
        "replied_by",
        "reply_deadline",
        "support_count",
        "created_at",
        "author",
        "requester",
        "submitter",
        "moderation_reason",
        "moderated_by",
        "moderated_at",
        "hidden_reason",
        "id",
        "overdue",
        "user",
    }
)


class StrictInput(RegistryStrict):
    read_only_names = READ_ONLY


def _dataset(slug: str | None):
    if not slug:
        return None
    try:
        return datasets_by_slug([slug])[0]
    except ValidationFailed:
        raise ValidationFailed(
            "Unknown dataset.", errors={"dataset": [f"Unknown dataset: {slug}"]}
        ) from None


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
            dataset=_dataset(data.get("dataset")),
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
            dataset=_dataset(data.pop("dataset", None)),
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


# --------------------------------------------------------------------------- ratings, comments


class RatingSummary(serializers.Serializer):
    average = serializers.FloatField(allow_null=True)
    count = serializers.IntegerField()
    mine = serializers.IntegerField(allow_null=True)


class RatingInput(StrictInput):
    score = serializers.IntegerField(min_value=1, max_value=5)

    class Meta:
        ref_name = "InteractionRatingInput"


def _rating_body(request, dataset) -> dict:
    mine = None
    if request.user.is_authenticated:
        mine = (
            Rating.objects.filter(dataset=dataset, user=request.user)
            .values_list("score", flat=True)
            .first()
        )
    return {**selectors.rating_summary(dataset), "mine": mine}


class DatasetRatingApi(APIView):
    permission_classes = [IsAuthenticatedOrReadOnly]
    parser_classes = [JSONParser]

    @extend_schema(
        tags=TAGS, summary="A dataset's rating", responses={200: RatingSummary, **problems(404)}
    )
    def get(self, request, slug: str) -> Response:
        return Response(_rating_body(request, access_dataset(slug=slug)))

    @extend_schema(
        tags=TAGS,
        summary="Rate a dataset 1–5 (again to change it)",
        request=RatingInput,
        responses={200: RatingSummary, **problems(400, 401, 404)},
    )
    def put(self, request, slug: str) -> Response:
        dataset = access_dataset(slug=slug)
        serializer = RatingInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.rating_set(
            actor=request.user,
            dataset=dataset,
            score=serializer.validated_data["score"],
            now=timezone.now(),
        )
        return Response(_rating_body(request, dataset))


class CommentOutput(serializers.ModelSerializer):
    class Meta:
        model = Comment
        ref_name = "InteractionComment"
        fields = ["id", "body", "created_at"]


class CommentInput(StrictInput):
    body = serializers.CharField(max_length=2000)

    class Meta:
        ref_name = "InteractionCommentInput"


class DatasetCommentsApi(ListAPIView):
    permission_classes = [IsAuthenticatedOrReadOnly]
    serializer_class = CommentOutput
    parser_classes = [JSONParser]
    queryset = Comment.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Comment.objects.none()
        return selectors.comments_shown(access_dataset(slug=self.kwargs["slug"]))

    @extend_schema(
        tags=TAGS, summary="Comments shown on a dataset", responses={200: CommentOutput(many=True)}
    )
    def get(self, request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=TAGS,
        summary="Comment on a dataset",
        request=CommentInput,
        responses={201: CommentOutput, **problems(400, 401, 404)},
    )
    def post(self, request, slug: str) -> Response:
        dataset = access_dataset(slug=slug)
        serializer = CommentInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        comment = services.comment_create(
            actor=request.user,
            dataset=dataset,
            body=serializer.validated_data["body"],
            now=timezone.now(),
        )
        return Response(CommentOutput(comment).data, status=status.HTTP_201_CREATED)


class AbuseInput(StrictInput):
    reason = serializers.CharField(max_length=500)

    class Meta:
        ref_name = "InteractionAbuseInput"


class CommentReportApi(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    @extend_schema(
        tags=TAGS,
        summary="Report a comment as abusive (once per user)",
        request=AbuseInput,
        responses={204: None, **problems(400, 401, 404, 409)},
    )
    def post(self, request, pk: int) -> Response:
        comment = selectors.access_comment(pk=pk)
        serializer = AbuseInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.comment_report_abuse(
            actor=request.user,
            comment=comment,
            reason=serializer.validated_data["reason"],
            now=timezone.now(),
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class ModerationInput(StrictInput):
    decision = serializers.ChoiceField(choices=["hide", "restore", "dismiss_reports"])
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True)

    class Meta:
        ref_name = "InteractionCommentModerationInput"


class CommentModerateApi(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    @extend_schema(
        tags=TAGS,
        summary="Hide (reason required), restore, or dismiss the reports of a comment (moderators)",
        request=ModerationInput,
        responses={204: None, **problems(400, 401, 404, 409)},
    )
    def post(self, request, pk: int) -> Response:
        comment = selectors.access_moderated_comment(user=request.user, pk=pk)
        serializer = ModerationInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data, now = serializer.validated_data, timezone.now()
        if data["decision"] == "hide":
            services.comment_hide(
                actor=request.user, comment=comment, reason=data.get("reason", ""), now=now
            )
        elif data["decision"] == "restore":
            services.comment_restore(actor=request.user, comment=comment, now=now)
        else:
            services.comment_dismiss_reports(actor=request.user, comment=comment, now=now)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --------------------------------------------------------------------------- showcases


class ShowcaseOutput(serializers.ModelSerializer):
    datasets = DatasetRefSerializer(many=True)

    class Meta:
        model = Showcase
        ref_name = "InteractionShowcase"
        fields = ["id", "title", "description", "url", "kind", "datasets", "status", "created_at"]


class ShowcaseInput(StrictInput):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=4000)
    url = serializers.CharField(max_length=500)
    kind = serializers.ChoiceField(choices=ShowcaseKind.choices)
    datasets = serializers.ListField(
        child=serializers.SlugField(max_length=60), min_length=1, max_length=20
    )

    class Meta:
        ref_name = "InteractionShowcaseInput"


class ShowcaseListCreateApi(ListAPIView):
    permission_classes = [IsAuthenticatedOrReadOnly]
    serializer_class = ShowcaseOutput
    parser_classes = [JSONParser]

    def get_queryset(self):
        return selectors.showcases_public()

    @extend_schema(
        tags=TAGS, summary="Approved showcases", responses={200: ShowcaseOutput(many=True)}
    )
    def get(self, request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=TAGS,
        summary="Submit a showcase (shown after moderation)",
        request=ShowcaseInput,
        responses={201: ShowcaseOutput, **problems(400, 401)},
    )
    def post(self, request) -> Response:
        serializer = ShowcaseInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        showcase = services.showcase_submit(
            actor=request.user,
            datasets=datasets_by_slug(data.pop("datasets")),
            data=data,
            now=timezone.now(),
        )
        return Response(ShowcaseOutput(showcase).data, status=status.HTTP_201_CREATED)


class ShowcaseModerationInput(StrictInput):
    decision = serializers.ChoiceField(choices=["approve", "reject"])
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True)

    class Meta:
        ref_name = "InteractionShowcaseModerationInput"


class ShowcaseModerateApi(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    @extend_schema(
        tags=TAGS,
        summary="Approve or reject (reason required) a showcase (moderators)",
        request=ShowcaseModerationInput,
        responses={200: ShowcaseOutput, **problems(400, 401, 404, 409)},
    )
    def post(self, request, pk: int) -> Response:
        showcase = selectors.access_showcase(user=request.user, pk=pk)
        serializer = ShowcaseModerationInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        showcase = services.showcase_moderate(
            actor=request.user,
            showcase=showcase,
            approve=data["decision"] == "approve",
            reason=data.get("reason", ""),
            now=timezone.now(),
        )
        return Response(ShowcaseOutput(showcase).data)


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
