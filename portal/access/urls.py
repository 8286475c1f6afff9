"""Pages of conditional access, mounted at /access/."""

from django.urls import path

from portal.access import views

app_name = "access"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("apply/<slug:slug>/", views.apply, name="apply"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/<slug:action>/", views.application_act, name="application-act"),
    path("grants/<int:pk>/revoke/", views.grant_revoke, name="grant-revoke"),
    path("grants/<int:pk>/report/", views.grant_report, name="grant-report"),
    path("review/", views.review_queue, name="queue"),
    path("outcomes/", views.outcomes, name="outcomes"),
]
