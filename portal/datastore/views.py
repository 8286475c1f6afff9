"""The holder's datastore pages: load status with a live progress bar, the failure report,
and reloading with type overrides chosen in the data dictionary."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import selectors as portal_selectors
from portal.datastore import services
from portal.datastore.models import ColumnType, DatastoreTable
from portal.views.staff import holder_page
from registry.errors import DomainError, NotFound


def datastore_panel(distribution) -> dict:
    """Context for the versions page: the live table and the newest job."""
    from portal.datastore.selectors import latest_jobs

    table = (
        DatastoreTable.objects.filter(distribution=distribution).select_related("version").first()
    )
    job = latest_jobs([distribution.pk]).get(distribution.pk)
    fields = table.columns if table else (job.profile.get("columns", []) if job else [])
    return {
        "ds_table": table,
        "ds_job": job,
        "ds_fields": fields,
        "ds_types": ColumnType.choices,
        "ds_active": job is not None and job.status in ("queued", "running"),
    }


@require_POST
@holder_page
def publish_reingest(request: HttpRequest, slug: str, distribution_id: int) -> HttpResponse:
    try:
        distribution = portal_selectors.access_managed_distribution(
            user=request.user, slug=slug, distribution_id=distribution_id
        )
    except NotFound:
        raise Http404 from None
    back = redirect("publish-versions", slug, distribution_id)
    if distribution.current_version is None:
        messages.error(request, _("尚未上传文件。"))
        return back
    overrides = {}
    for key, value in request.POST.items():
        if key.startswith("type:") and value:
            overrides[key[5:]] = value
    try:
        services.ingest_request(
            version=distribution.current_version,
            actor=request.user,
            now=timezone.now(),
            type_overrides=overrides,
        )
    except DomainError as exc:
        for texts in exc.errors.values():
            for text in texts:
                messages.error(request, text)
        if not exc.errors:
            messages.error(request, exc.detail)
        return back
    messages.success(request, _("已提交重新导入，进度见下方。"))
    return back
