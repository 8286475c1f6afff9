"""URLs of the interaction API, mounted at /api/v1/portal/interaction/."""

from django.urls import path

from portal.interaction.apis import channels, reviews

app_name = "interaction-api"

urlpatterns = [
    path("requests/", channels.RequestListCreateApi.as_view(), name="request-list"),
    path("requests/<int:pk>", channels.RequestDetailApi.as_view(), name="request-detail"),
    path("requests/<int:pk>/support", channels.RequestSupportApi.as_view(), name="request-support"),
    path("requests/<int:pk>/answer", channels.RequestAnswerApi.as_view(), name="request-answer"),
    path("feedback/", channels.FeedbackListCreateApi.as_view(), name="feedback-list"),
    path("feedback/<int:pk>", channels.FeedbackDetailApi.as_view(), name="feedback-detail"),
    path("feedback/<int:pk>/reply", channels.FeedbackReplyApi.as_view(), name="feedback-reply"),
    path("datasets/<slug:slug>/rating", reviews.DatasetRatingApi.as_view(), name="rating"),
    path("datasets/<slug:slug>/comments", reviews.DatasetCommentsApi.as_view(), name="comments"),
    path("comments/<int:pk>/report", reviews.CommentReportApi.as_view(), name="comment-report"),
    path(
        "comments/<int:pk>/moderate", reviews.CommentModerateApi.as_view(), name="comment-moderate"
    ),
    path("showcases/", reviews.ShowcaseListCreateApi.as_view(), name="showcase-list"),
    path(
        "showcases/<int:pk>/moderate",
        reviews.ShowcaseModerateApi.as_view(),
        name="showcase-moderate",
    ),
    path("statistics", channels.StatisticsApi.as_view(), name="statistics"),
]
