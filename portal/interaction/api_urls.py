"""URLs of the interaction API, mounted at /api/v1/portal/interaction/."""

from django.urls import path

from portal.interaction import apis

app_name = "interaction-api"

urlpatterns = [
    path("requests/", apis.RequestListCreateApi.as_view(), name="request-list"),
    path("requests/<int:pk>", apis.RequestDetailApi.as_view(), name="request-detail"),
    path("requests/<int:pk>/support", apis.RequestSupportApi.as_view(), name="request-support"),
    path("requests/<int:pk>/answer", apis.RequestAnswerApi.as_view(), name="request-answer"),
    path("feedback/", apis.FeedbackListCreateApi.as_view(), name="feedback-list"),
    path("feedback/<int:pk>", apis.FeedbackDetailApi.as_view(), name="feedback-detail"),
    path("feedback/<int:pk>/reply", apis.FeedbackReplyApi.as_view(), name="feedback-reply"),
    path("datasets/<slug:slug>/rating", apis.DatasetRatingApi.as_view(), name="rating"),
    path("datasets/<slug:slug>/comments", apis.DatasetCommentsApi.as_view(), name="comments"),
    path("comments/<int:pk>/report", apis.CommentReportApi.as_view(), name="comment-report"),
    path("comments/<int:pk>/moderate", apis.CommentModerateApi.as_view(), name="comment-moderate"),
    path("showcases/", apis.ShowcaseListCreateApi.as_view(), name="showcase-list"),
    path(
        "showcases/<int:pk>/moderate", apis.ShowcaseModerateApi.as_view(), name="showcase-moderate"
    ),
    path("statistics", apis.StatisticsApi.as_view(), name="statistics"),
]
