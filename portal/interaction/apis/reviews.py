"""Interaction API: ratings, comments with abuse reports and moderation, showcases."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.access.apis import DatasetRefSerializer, datasets_by_slug
from portal.interaction import selectors, services
from portal.interaction.apis.common import TAGS, StrictInput
from portal.interaction.models import (
    Comment,
    Rating,
    Showcase,
    ShowcaseKind,
)
from portal.selectors import access_dataset
from registry.apis.common import problems

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
