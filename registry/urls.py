"""HTML pages of the registry: public notices and register, staff console."""

from django.urls import path
from django.views.generic import RedirectView

from registry.federation import api as federation_api
from registry.federation import pages as federation_pages
from registry.views import filing, public, review

app_name = "registry"

urlpatterns = [
    # Public (no login); the registry's own address opens on the public notices.
    path("", RedirectView.as_view(pattern_name="registry:notice-list"), name="index"),
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

# Federation between deployments (docs/federation.md): node-to-node API and the status page.
urlpatterns += [
    path("federation/api/events/", federation_api.receive_events, name="federation-events"),
    path("federation/api/changes/", federation_api.changes, name="federation-changes"),
    path("federation/api/summary/", federation_api.summary, name="federation-summary"),
    path("federation/api/handover/", federation_api.handover, name="federation-handover"),
    path("staff/federation/", federation_pages.sync_status, name="federation-status"),
    path("staff/federation/nodes/", federation_pages.node_add, name="federation-node-add"),
    path(
        "staff/federation/nodes/<int:pk>/<slug:action>/",
        federation_pages.node_toggle,
        name="federation-node-toggle",
    ),
]
