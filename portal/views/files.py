"""File downloads of published datasets: `distribution-latest` (the current version at a URL
that never changes) and `version-download` (one immutable version).

Access: `portal.selectors.access_version` (a published dataset's file, else 404: withdrawn
datasets' files are gone) and `can_download`. Unconditional data needs no login. Conditional
data: an anonymous visitor gets **401** with a page linking to the login (not a redirect: a
script or download manager must not save a login page as the file); a logged-in user without
the right gets 403 with a page that says how to obtain access. Every completed download is
metered (see portal.downloads for what counts).
"""

from __future__ import annotations

import logging

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from portal import downloads, selectors, services
from portal.models import DistributionVersion
from registry.errors import NotFound
from registry.models import OpenCategory

log = logging.getLogger(__name__)

PUBLIC_VERSION_CACHE = "public, max-age=3600"
PUBLIC_LATEST_CACHE = "public, no-cache"  # may be stored, but revalidated: "latest" moves
PRIVATE_CACHE = "private, no-cache"


@require_http_methods(["GET", "HEAD"])
def distribution_latest(request: HttpRequest, slug: str, distribution_id: int) -> HttpResponse:
    return _serve(request, slug=slug, distribution_id=distribution_id, number=None)


@require_http_methods(["GET", "HEAD"])
def version_download(
    request: HttpRequest, slug: str, distribution_id: int, number: int
) -> HttpResponse:
    return _serve(request, slug=slug, distribution_id=distribution_id, number=number)


def _serve(request: HttpRequest, *, slug: str, distribution_id: int, number: int | None):
    try:
        version = selectors.access_version(
            slug=slug, distribution_id=distribution_id, number=number
        )
    except NotFound:
        raise Http404 from None
    dataset = version.distribution.dataset
    if not selectors.can_download(user=request.user, dataset=dataset):
        return _refused(request, version)
    if dataset.open_category == OpenCategory.UNCONDITIONAL:
        cache = PUBLIC_LATEST_CACHE if number is None else PUBLIC_VERSION_CACHE
    else:
        cache = PRIVATE_CACHE
    extra = {}
    if number is None:
        extra["Content-Location"] = reverse(
            "version-download", args=[slug, distribution_id, version.number]
        )
    try:
        return downloads.serve_version(
            request,
            version,
            cache_control=cache,
            on_complete=_meter(request, version),
            extra_headers=extra,
        )
    except FileNotFoundError:
        log.error("Stored file missing for version %s", version.pk)
        raise Http404 from None


def _meter(request: HttpRequest, version: DistributionVersion):
    request_id = downloads.request_id_of(request)
    client_ip = downloads.client_ip_of(request)
    user = request.user

    def record(status: int, bytes_sent: int) -> None:
        services.download_record(
            version=version,
            user=user,
            status=status,
            bytes_sent=bytes_sent,
            client_ip=client_ip,
            request_id=request_id,
            now=timezone.now(),
        )

    return record


def _refused(request: HttpRequest, version: DistributionVersion) -> HttpResponse:
    dataset = version.distribution.dataset
    context = {"dataset": dataset, "distribution": version.distribution, "version": version}
    if not request.user.is_authenticated:
        response = render(request, "portal/files/login_required.html", context, status=401)
        # Sign-in is a form on the site, not HTTP authentication; say so to clients.
        response["WWW-Authenticate"] = 'FormBased realm="opendata"'
    else:
        response = render(request, "portal/files/forbidden.html", context, status=403)
    response["Cache-Control"] = "private, no-store"
    return response
