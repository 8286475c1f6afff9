"""The holder's publishing pages (发布工作台) under /publish/: a dashboard of the
organisations' datasets with their timeliness and the records still to publish, the publish
and edit forms, withdrawal and republication, files and their versions.

Holder staff only (others get 404, as do other organisations' datasets). Uploads go through
portal.uploads (streamed to disk, hashed on the way, 413 before reading an oversized body).
Service errors are shown on the fields; nothing ends in a 500.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from portal import downloads, selectors, services
from portal.forms import DatasetForm, FileForm, ReasonForm, VersionForm
from portal.models import Dataset, DatasetStatus
from portal.timeliness import timeliness_of
from portal.uploads import streamed_upload_view
from portal.views.staff_messages import portal_errors, portal_message
from registry.errors import Conflict, DomainError, IllegalTransition, NotFound, ValidationFailed
from registry.selectors import Scope
from registry.views.common import staff_page

PAGE_SIZE = 25
ACTION_LABELS = {
    "update": _("修改信息"),
    "withdraw": _("下线"),
    "republish": _("重新上线"),
    "add_file": _("添加文件"),
    "upload": _("上传新版本"),
}


EVENT_LABELS = {
    "publish": _("发布"),
    "update": _("修改信息"),
    "withdraw": _("下线"),
    "republish": _("重新上线"),
    "add_file": _("添加文件"),
    "upload": _("上传文件版本"),
    "sync": _("随登记记录同步"),
}


def is_holder_staff(scope: Scope) -> bool:
    return bool(scope.holder_org_ids)


holder_page = staff_page(is_holder_staff)


def _dataset(request: HttpRequest, slug: str) -> Dataset:
    return selectors.access_managed_dataset(user=request.user, slug=slug)


def apply_errors(form, errors: dict[str, list[str]]) -> None:
    """Service errors onto the form: on the field when the form has it, else on the form."""
    had_errors = set(form.errors)
    for key, texts in errors.items():
        field = key if key in form.fields else None
        if field in had_errors:
            continue  # the form's own message for that field is already shown
        for text in texts:
            form.add_error(field, text)


def _refusal(exc: DomainError) -> str:
    """A refused action, in Chinese: the state it is in and what it allows."""
    if isinstance(exc, IllegalTransition):
        state = DatasetStatus(exc.extra["current_state"]).label
        allowed = "、".join(str(ACTION_LABELS.get(a, a)) for a in exc.extra["allowed_actions"])
        return gettext("操作未执行：数据集当前状态为“%(state)s”，可办理：%(allowed)s。") % {
            "state": state,
            "allowed": allowed or gettext("无"),
        }
    return gettext("操作未执行：%s") % portal_message(exc.detail)


# --------------------------------------------------------------------------- dashboard


@holder_page
def publish_home(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    managed = selectors.datasets_managed_by(request.user)
    datasets = managed.annotate(file_count=Count("distributions")).order_by("-published_at", "-id")
    page = Paginator(datasets, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(d, timeliness_of(d, now)) for d in page]
    published = managed.filter(status=DatasetStatus.PUBLISHED)
    context = {
        "page": page,
        "rows": rows,
        "publishable": selectors.resources_publishable_by(request.user)[:50],
        "stats": {
            "published": published.count(),
            "withdrawn": managed.filter(status=DatasetStatus.WITHDRAWN).count(),
            "overdue": published.filter(update_due_at__lt=now).count(),
            "downloads": managed.aggregate(n=Sum("download_count"))["n"] or 0,
        },
        "nav": "home",
    }
    return render(request, "portal/staff/home.html", context)


# --------------------------------------------------------------------------- publish and edit


@holder_page
def publish_create(request: HttpRequest, code: str) -> HttpResponse:
    resource = services.resource_for_publishing(actor=request.user, code=code)
    if hasattr(resource, "dataset"):
        messages.info(request, gettext("该登记记录已发布为数据集。"))
        return redirect("publish-dataset", slug=resource.dataset.slug)
    try:
        version = services.check_publishable(resource)
    except Conflict as exc:
        messages.error(request, _refusal(exc))
        return redirect("publish-home")
    if request.method == "POST":
        form = DatasetForm(request.POST)
        if form.is_valid():
            try:
                dataset = services.dataset_publish(
                    actor=request.user,
                    resource=resource,
                    data=form.service_data(),
                    now=timezone.now(),
                )
            except ValidationFailed as exc:
                apply_errors(form, portal_errors(exc))
            except Conflict as exc:
                messages.error(request, _refusal(exc))
                return redirect("publish-home")
            else:
                messages.success(request, gettext("数据集已发布。请继续添加数据文件。"))
                return redirect("publish-dataset", slug=dataset.slug)
        else:
            _precheck(form)
    else:
        form = DatasetForm(
            initial=DatasetForm.initial_from_defaults(services.record_defaults(version))
        )
    context = {"form": form, "resource": resource, "version": version, "nav": "home"}
    return render(request, "portal/staff/dataset_form.html", context)


@holder_page
def publish_edit(request: HttpRequest, slug: str) -> HttpResponse:
    dataset = _dataset(request, slug)
    if request.method == "POST":
        form = DatasetForm(request.POST)
        if form.is_valid():
            try:
                services.dataset_update(
                    actor=request.user,
                    dataset=dataset,
                    data=form.service_data(),
                    now=timezone.now(),
                )
            except ValidationFailed as exc:
                apply_errors(form, portal_errors(exc))
            except IllegalTransition as exc:
                messages.error(request, _refusal(exc))
                return redirect("publish-dataset", slug=slug)
            else:
                messages.success(request, gettext("数据集信息已保存。"))
                return redirect("publish-dataset", slug=slug)
        else:
            _precheck(form)
    else:
        form = DatasetForm(initial=DatasetForm.initial_from_dataset(dataset))
    context = {"form": form, "dataset": dataset, "resource": dataset.resource, "nav": "home"}
    return render(request, "portal/staff/dataset_form.html", context)


def _precheck(form: DatasetForm) -> None:
    """The form did not parse: still run the service's rules on the fields that did, so every
    problem is reported at once (一次性告知)."""
    data = {
        k: v for k, v in form.data.items() if k in services.EDITABLE_FIELDS and k not in form.errors
    }
    try:
        services.check_dataset_data(data, partial=True)
    except ValidationFailed as exc:
        apply_errors(form, portal_errors(exc))


# --------------------------------------------------------------------------- dataset page


@holder_page
def publish_dataset(request: HttpRequest, slug: str) -> HttpResponse:
    return _render_dataset(request, _dataset(request, slug))


def _render_dataset(request, dataset: Dataset, *, reason_form: ReasonForm | None = None):
    now = timezone.now()
    context = {
        "dataset": dataset,
        "distributions": selectors.distributions_managed(dataset),
        "timeliness": timeliness_of(dataset, now),
        "allowed": services.DATASET_ACTIONS[dataset.status],
        "reason_form": reason_form or ReasonForm(),
        "events": [
            (event, EVENT_LABELS.get(event.action, event.action))
            for event in dataset.events.select_related("actor")[:50]
        ],
        "nav": "home",
    }
    return render(request, "portal/staff/dataset_detail.html", context)


@require_POST
@holder_page
def publish_withdraw(request: HttpRequest, slug: str) -> HttpResponse:
    dataset = _dataset(request, slug)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return _render_dataset(request, dataset, reason_form=form)
    try:
        services.dataset_withdraw(
            actor=request.user,
            dataset=dataset,
            reason=form.cleaned_data["reason"],
            now=timezone.now(),
        )
    except ValidationFailed as exc:
        apply_errors(form, portal_errors(exc))
        return _render_dataset(request, dataset, reason_form=form)
    except IllegalTransition as exc:
        messages.error(request, _refusal(exc))
    else:
        messages.success(request, gettext("数据集已下线，公众不再能查看和下载。"))
    return redirect("publish-dataset", slug=slug)


@require_POST
@holder_page
def publish_republish(request: HttpRequest, slug: str) -> HttpResponse:
    dataset = _dataset(request, slug)
    try:
        services.dataset_republish(actor=request.user, dataset=dataset, now=timezone.now())
    except (IllegalTransition, Conflict) as exc:
        messages.error(request, _refusal(exc))
    else:
        messages.success(request, gettext("数据集已重新上线。"))
    return redirect("publish-dataset", slug=slug)


# --------------------------------------------------------------------------- files


@require_http_methods(["GET", "POST"])
@holder_page
@streamed_upload_view
def publish_add_file(request: HttpRequest, slug: str) -> HttpResponse:
    dataset = _dataset(request, slug)
    form = FileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.distribution_create_with_file(
                actor=request.user,
                dataset=dataset,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                upload=form.cleaned_data["file"],
                now=timezone.now(),
            )
        except ValidationFailed as exc:
            apply_errors(form, portal_errors(exc))
        except IllegalTransition as exc:
            messages.error(request, _refusal(exc))
            return redirect("publish-dataset", slug=slug)
        else:
            messages.success(request, _uploaded_message(version))
            return redirect("publish-dataset", slug=slug)
    context = {"form": form, "dataset": dataset, "distribution": None, "nav": "home"}
    return render(request, "portal/staff/file_form.html", context)


@require_http_methods(["GET", "POST"])
@holder_page
@streamed_upload_view
def publish_upload_version(request: HttpRequest, slug: str, distribution_id: int) -> HttpResponse:
    distribution = selectors.access_managed_distribution(
        user=request.user, slug=slug, distribution_id=distribution_id
    )
    form = VersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.distribution_upload(
                actor=request.user,
                distribution=distribution,
                upload=form.cleaned_data["file"],
                now=timezone.now(),
            )
        except ValidationFailed as exc:
            apply_errors(form, portal_errors(exc))
        except IllegalTransition as exc:
            messages.error(request, _refusal(exc))
            return redirect("publish-dataset", slug=slug)
        else:
            messages.success(request, _uploaded_message(version))
            return redirect("publish-versions", slug=slug, distribution_id=distribution_id)
    context = {
        "form": form,
        "dataset": distribution.dataset,
        "distribution": distribution,
        "nav": "home",
    }
    return render(request, "portal/staff/file_form.html", context)


def _uploaded_message(version) -> str:
    text = gettext("已上传第 %(n)s 版（%(format)s）。") % {
        "n": version.number,
        "format": version.format,
    }
    if version.row_count is not None:
        text += gettext("共 %s 行数据。") % f"{version.row_count:,}"
    return text


@holder_page
def publish_versions(request: HttpRequest, slug: str, distribution_id: int) -> HttpResponse:
    distribution = selectors.access_managed_distribution(
        user=request.user, slug=slug, distribution_id=distribution_id
    )
    versions = distribution.versions.select_related("uploaded_by").order_by("-number")
    from portal.datastore.views import datastore_panel

    context = {
        "dataset": distribution.dataset,
        "distribution": distribution,
        "versions": versions,
        "nav": "home",
        **datastore_panel(distribution),
    }
    return render(request, "portal/staff/versions.html", context)


@require_http_methods(["GET", "HEAD"])
@holder_page
def publish_version_download(
    request: HttpRequest, slug: str, distribution_id: int, number: int
) -> HttpResponse:
    """The holder's own copy of any version, whatever the dataset's status; not metered (it
    is not a public download)."""
    try:
        version = selectors.access_managed_version(
            user=request.user, slug=slug, distribution_id=distribution_id, number=number
        )
    except NotFound:
        raise Http404 from None
    try:
        return downloads.serve_version(request, version, cache_control="private, no-store")
    except FileNotFoundError:
        raise Http404 from None
