"""URLs of the conditional-access API, mounted at /api/v1/portal/access/."""

from django.urls import path

from portal.access import apis

app_name = "access-api"

urlpatterns = [
    path("applications/", apis.ApplicationListCreateApi.as_view(), name="application-list"),
    path("applications/<int:pk>", apis.ApplicationDetailApi.as_view(), name="application-detail"),
    path("applications/<int:pk>/extend", apis.ApplicationExtendApi.as_view(), name="extend"),
    path("applications/<int:pk>/approve", apis.ApplicationApproveApi.as_view(), name="approve"),
    path("applications/<int:pk>/reject", apis.ApplicationRejectApi.as_view(), name="reject"),
    path("applications/<int:pk>/withdraw", apis.ApplicationWithdrawApi.as_view(), name="withdraw"),
    path("grants/", apis.GrantListApi.as_view(), name="grant-list"),
    path("grants/<int:pk>", apis.GrantDetailApi.as_view(), name="grant-detail"),
    path("grants/<int:pk>/revoke", apis.GrantRevokeApi.as_view(), name="revoke"),
    path("grants/<int:pk>/reports", apis.GrantReportsApi.as_view(), name="reports"),
    path("outcomes/", apis.OutcomeListApi.as_view(), name="outcomes"),
]
