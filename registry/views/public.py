"""Public pages (no login): the public notices (公示) with the objection form, and the register
of coded records with search, filters, detail and version history."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext

from registry import selectors, services
from registry.errors import Conflict, NotFound, ValidationFailed
from registry.federation.conf import node
from registry.federation.guards import kept_elsewhere
from registry.federation.notices import open_notices
from registry.forms import ObjectionForm, RegisterFilterForm, apply_errors
from registry.models import ObjectType, Platform, RecordStatus, Resource, ResourceVersion
from registry.views.common import translate_message, translated_errors
from registry.workdays import local_date

PAGE_SIZE = 20
FOLLOWUP_STATUSES = {RecordStatus.ACTIVE, RecordStatus.EXPIRING, RecordStatus.EXPIRED}


def notice_list(request: HttpRequest) -> HttpResponse:
    platforms = list(Platform.objects.select_related("region").order_by("region__code"))
    chosen = next((p for p in platforms if p.code == request.GET.get("platform")), None)
    notices = selectors.notice_list(platform=chosen)
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "platforms": platforms, "chosen": chosen, "now": timezone.now()}
    if node().is_national:  # the nationwide picture: notices running on provincial nodes
        province = chosen.region_id if chosen else ""
        context["node_notices"] = Paginator(open_notices(province=province), PAGE_SIZE).get_page(
            request.GET.get("node_page")
        )
    return render(request, "registry/notice_list.html", context)


def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        registration = selectors.access_notice(pk=pk)
    except NotFound:
        raise Http404 from None
    form = ObjectionForm()
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        form = ObjectionForm(request.POST)
        if form.is_valid():
            response = _file_objection(request, registration, form)
            if response is not None:
                return response
    return render(
        request,
        "registry/notice_detail.html",
        {"reg": registration, "form": form, "now": timezone.now()},
    )


def _file_objection(request: HttpRequest, registration, form: ObjectionForm):
    """File the objection; a redirect on success or on a closed notice, None to re-render."""
    try:
        services.objection_file(
            actor=request.user,
            registration=registration,
            reason=form.cleaned_data["reason"],
            contact=form.cleaned_data["contact"],
            now=timezone.now(),
        )
    except ValidationFailed as exc:
        apply_errors(form, translated_errors(exc))
        return None
    except Conflict as exc:
        messages.error(request, translate_message(exc.detail))
        return redirect("registry:notice-detail", pk=registration.pk)
    except NotFound:
        raise Http404 from None
    messages.success(request, gettext("异议已提交，登记机构将依法核实处理。"))
    return redirect("registry:notice-detail", pk=registration.pk)


def record_list(request: HttpRequest) -> HttpResponse:
    form = RegisterFilterForm(request.GET)
    records = selectors.register_search(**form.filters())
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    grouped = records.order_by().values("object_type").annotate(n=Count("id"))
    by_type = {row["object_type"]: row["n"] for row in grouped}
    type_counts = [(label, by_type.get(value, 0)) for value, label in ObjectType.choices]
    return render(
        request,
        "registry/record_list.html",
        {"form": form, "page": page, "type_counts": type_counts},
    )


def _record(code: str) -> Resource:
    try:
        return selectors.access_record(code=code)
    except NotFound:
        raise Http404 from None


def record_detail(request: HttpRequest, code: str) -> HttpResponse:
    record = _record(code)
    return _render_record(request, record, record.current_version)


def record_version(request: HttpRequest, code: str, number: int) -> HttpResponse:
    record = _record(code)
    version = record.versions.filter(number=number).first()
    if version is None:
        raise Http404
    return _render_record(request, record, version)


def _render_record(request: HttpRequest, record: Resource, version: ResourceVersion | None):
    return render(
        request,
        "registry/record_detail.html",
        {
            "record": record,
            "version": version,
            "is_current": version is not None and version.pk == record.current_version_id,
            "versions": selectors.record_versions(record),
            "can_followup": _can_followup(request, record),
        },
    )


def _can_followup(request: HttpRequest, record: Resource) -> bool:
    """Only the holder's staff (or an agent with a mandate) are offered follow-up filings."""
    if record.status not in FOLLOWUP_STATUSES or not request.user.is_authenticated:
        return False
    if kept_elsewhere(record):
        return False
    today = local_date(timezone.now())
    return bool(selectors.can_file_for(user=request.user, holder=record.holder, today=today))
