"""Public directory pages (no login): data providers, provinces, the licence register and the
timeliness list of datasets whose promised update is late."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext

from portal import selectors_catalogue as catalogue
from registry.errors import NotFound

PAGE_SIZE = 20
LIST_PAGE_SIZE = 50


def _page(request: HttpRequest, qs: QuerySet, size: int = PAGE_SIZE) -> Page:
    # get_page: a bad or too large page number shows the first or last page.
    return Paginator(qs, size).get_page(request.GET.get("page"))


def organisation_list(request: HttpRequest) -> HttpResponse:
    holders = catalogue.holders_public()
    return render(
        request,
        "portal/catalogue/organisation_list.html",
        {"page": _page(request, holders, LIST_PAGE_SIZE)},
    )


def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        holder = catalogue.access_public_holder(pk=pk)
    except NotFound:
        raise Http404 from None
    datasets = catalogue.datasets_of_holder(holder).order_by("-published_at", "-id")
    return render(
        request,
        "portal/catalogue/organisation_detail.html",
        {"holder": holder, "page": _page(request, datasets), "now": timezone.now()},
    )


def region_list(request: HttpRequest) -> HttpResponse:
    rows = catalogue.province_counts(with_empty=True)
    charted = catalogue.province_counts()  # largest first, none empty
    chart = {
        "type": "bar",
        "x_name": "",
        "labels": [r.region.name for r in charted],
        "series": [{"name": gettext("数据集"), "data": [r.count for r in charted]}],
    }
    return render(
        request,
        "portal/catalogue/region_list.html",
        {"rows": rows, "total": sum(r.count for r in rows), "chart": chart},
    )


def region_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        region = catalogue.access_province(code=code)
    except NotFound:
        raise Http404 from None
    datasets = catalogue.datasets_in_province(region).order_by("-published_at", "-id")
    return render(
        request,
        "portal/catalogue/region_detail.html",
        {
            "region": region,
            "page": _page(request, datasets),
            "holders": list(catalogue.holders_in_province(region)),
            "now": timezone.now(),
        },
    )


def timeliness(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    summary = catalogue.timeliness_by_holder(now=now)
    charted = [h for h in summary if h.on_time or h.overdue][:15]
    chart = {
        "type": "bar",
        "stack": True,
        "horizontal": True,
        "colors": ["#1a7f37", "#cf222e"],  # on time green, overdue red
        "x_name": "",
        "labels": [h.holder.name for h in charted],
        "series": [
            {"name": gettext("按时更新"), "data": [h.on_time for h in charted]},
            {"name": gettext("已超期"), "data": [h.overdue for h in charted]},
        ],
    }
    return render(
        request,
        "portal/catalogue/timeliness.html",
        {
            "page": _page(request, catalogue.datasets_overdue(now=now), LIST_PAGE_SIZE),
            "summary": summary,
            "chart": chart if charted else None,
            "now": now,
        },
    )


def licence_list(request: HttpRequest) -> HttpResponse:
    licences = list(catalogue.licences_public())
    default = next((licence for licence in licences if licence.is_default), None)
    return render(
        request,
        "portal/catalogue/licence_list.html",
        {"licences": licences, "default": default},
    )


def licence_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        licence = catalogue.access_licence(code=code)
    except NotFound:
        raise Http404 from None
    datasets = catalogue.datasets_under_licence(licence)
    return render(
        request,
        "portal/catalogue/licence_detail.html",
        {"licence": licence, "page": _page(request, datasets.order_by("-published_at", "-id"))},
    )
