"""Pages of public interaction, mounted at /interaction/."""

from django.urls import path
from django.views.generic import RedirectView

from portal.interaction.views import channels, dataset

app_name = "interaction"

urlpatterns = [
    # The channel's own address opens on its first page, the data requests.
    path("", RedirectView.as_view(pattern_name="interaction:request-list"), name="index"),
    path("requests/", channels.request_list, name="request-list"),
    path("requests/new/", channels.request_create, name="request-create"),
    path("requests/<int:pk>/", channels.request_detail, name="request-detail"),
    path("requests/<int:pk>/support/", channels.request_support, name="request-support"),
    path("requests/<int:pk>/answer/", channels.request_answer, name="request-answer"),
    path("feedback/<slug:kind>/", channels.feedback_list, name="feedback-list"),
    path("feedback/<slug:kind>/new/", channels.feedback_create, name="feedback-create"),
    path("messages/<int:pk>/", channels.feedback_detail, name="feedback-detail"),
    path("messages/<int:pk>/reply/", channels.feedback_reply, name="feedback-reply"),
    path("inbox/", channels.inbox, name="inbox"),
    path("mine/", channels.mine, name="mine"),
    path("statistics/", channels.statistics, name="statistics"),
    path("datasets/<slug:slug>/rate/", dataset.rate, name="rate"),
    path("datasets/<slug:slug>/comment/", dataset.comment, name="comment"),
    path("comments/<int:pk>/report/", dataset.comment_report, name="comment-report"),
    path("comments/<int:pk>/moderate/", dataset.comment_moderate, name="comment-moderate"),
    path("moderation/", dataset.moderation, name="moderation"),
    path("showcases/", dataset.showcase_list, name="showcase-list"),
    path("showcases/new/", dataset.showcase_create, name="showcase-create"),
    path("showcases/<int:pk>/", dataset.showcase_detail, name="showcase-detail"),
    path("showcases/<int:pk>/moderate/", dataset.showcase_moderate, name="showcase-moderate"),
]
