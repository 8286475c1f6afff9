"""HTML pages of the registry: public notices and register, staff console."""

from django.urls import path

from registry.views import filing, public, review

app_name = "registry"

urlpatterns = [
    # Public (no login)
    path("notices/", public.notice_list, name="notice-list"),
    path("notices/<int:pk>/", public.notice_detail, name="notice-detail"),
    path("records/", public.record_list, name="record-list"),
    path("records/<str:code>/", public.record_detail, name="record-detail"),
    path(
        "records/<str:code>/versions/<int:number>/",
        public.record_version,
        name="record-version",
    ),
    # Filers
    path("staff/", filing.staff_home, name="staff-home"),
    path("staff/filings/", filing.filing_list, name="filing-list"),
    path("staff/filings/new/", filing.filing_create, name="filing-create"),
    path("staff/filings/<int:pk>/", filing.filing_detail, name="filing-detail"),
    path("staff/filings/<int:pk>/edit/", filing.filing_edit, name="filing-edit"),
    path("staff/filings/<int:pk>/attach/", filing.filing_attach, name="filing-attach"),
    path("staff/filings/<int:pk>/submit/", filing.filing_submit, name="filing-submit"),
    path("staff/filings/<int:pk>/withdraw/", filing.filing_withdraw, name="filing-withdraw"),
    path(
        "staff/registrations/<int:pk>/attachments/<int:aid>/",
        filing.attachment_download,
        name="attachment-download",
    ),
    path("staff/records/<str:code>/followup/", filing.followup_create, name="followup-create"),
    # Registration body
    path("staff/queue/", review.queue, name="queue"),
    path("staff/queue/<int:pk>/", review.queue_detail, name="queue-detail"),
    path("staff/queue/<int:pk>/<slug:action>/", review.queue_action, name="queue-action"),
    path(
        "staff/queue/<int:pk>/objections/<int:oid>/<slug:action>/",
        review.objection_action,
        name="objection-action",
    ),
    path("staff/dashboard/", review.dashboard, name="dashboard"),
]
