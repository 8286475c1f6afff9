"""URLs of the registry REST API, mounted at /api/v1/registry/."""

from django.urls import path

from registry.apis import notices, records, reference, registrations, transitions

app_name = "registry-api"

_registration = "registrations/<int:pk>/"

urlpatterns = [
    path("regions/", reference.RegionListApi.as_view(), name="region-list"),
    path("regions/<str:code>/", reference.RegionDetailApi.as_view(), name="region-detail"),
    path("platforms/", reference.PlatformListApi.as_view(), name="platform-list"),
    path("organisations/", reference.OrganisationListCreateApi.as_view(), name="organisation-list"),
    path("me/", reference.MeApi.as_view(), name="me"),
    path(
        "registrations/",
        registrations.RegistrationListCreateApi.as_view(),
        name="registration-list",
    ),
    path(_registration, registrations.RegistrationDetailApi.as_view(), name="registration-detail"),
    path(
        _registration + "attachments/",
        registrations.AttachmentListCreateApi.as_view(),
        name="registration-attachments",
    ),
    path(
        _registration + "attachments/<int:attachment_id>/download",
        registrations.AttachmentDownloadApi.as_view(),
        name="registration-attachment-download",
    ),
    path(
        _registration + "events/", registrations.EventListApi.as_view(), name="registration-events"
    ),
    path(_registration + "submit", transitions.SubmitApi.as_view(), name="registration-submit"),
    path(
        _registration + "withdraw", transitions.WithdrawApi.as_view(), name="registration-withdraw"
    ),
    path(_registration + "accept", transitions.AcceptApi.as_view(), name="registration-accept"),
    path(
        _registration + "require-supplement",
        transitions.RequireSupplementApi.as_view(),
        name="registration-require-supplement",
    ),
    path(
        _registration + "not-accept",
        transitions.NotAcceptApi.as_view(),
        name="registration-not-accept",
    ),
    path(_registration + "return", transitions.ReturnApi.as_view(), name="registration-return"),
    path(_registration + "reject", transitions.RejectApi.as_view(), name="registration-reject"),
    path(
        _registration + "approve-review",
        transitions.ApproveReviewApi.as_view(),
        name="registration-approve-review",
    ),
    path(
        _registration + "complete", transitions.CompleteApi.as_view(), name="registration-complete"
    ),
    path("notices/", notices.NoticeListApi.as_view(), name="notice-list"),
    path("notices/<int:pk>/", notices.NoticeDetailApi.as_view(), name="notice-detail"),
    path(
        "notices/<int:pk>/objections/",
        notices.ObjectionFileApi.as_view(),
        name="notice-objections",
    ),
    path("objections/", notices.ObjectionListApi.as_view(), name="objection-list"),
    path(
        "objections/<int:pk>/uphold", notices.ObjectionUpholdApi.as_view(), name="objection-uphold"
    ),
    path(
        "objections/<int:pk>/dismiss",
        notices.ObjectionDismissApi.as_view(),
        name="objection-dismiss",
    ),
    path("records/", records.RecordListApi.as_view(), name="record-list"),
    path("records/<str:code>/", records.RecordDetailApi.as_view(), name="record-detail"),
    path(
        "records/<str:code>/versions/<int:number>/",
        records.RecordVersionApi.as_view(),
        name="record-version",
    ),
    path("dashboard/", records.DashboardApi.as_view(), name="dashboard"),
]
