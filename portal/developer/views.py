"""The developer console (`/developer/`): keys (create, rename, scope, expiry, rotate, revoke),
the developer's usage dashboard and the holders' "who uses my data" page.

A new or rotated key is shown once, in the response to the POST that made it (sent with
`Cache-Control: no-store`), and never again: only its hash is stored. Another user's key is a
404. Dashboards read the day rollups only."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from portal.developer import selectors, services
from portal.developer.forms import (
    HolderUsageFilterForm,
    KeyCreateForm,
    KeyExpiryForm,
    KeyRenameForm,
    KeyScopeForm,
    UsageFilterForm,
    apply_service_errors,
    date_from_expiry,
    expiry_from_date,
    translate_message,
)
from portal.developer.models import ApiKey, KeyScope, KeyStatus
from portal.developer.selectors import Period, UsageReport
from portal.selectors import datasets_public
from registry.errors import Conflict, NotFound, ValidationFailed
from registry.selectors import scope_of

EVENT_LABELS = {
    "created": _("创建"),
    "renamed": _("修改名称"),
    "scope_changed": _("修改适用范围"),
    "expiry_changed": _("修改有效期"),
    "rotated": _("轮换"),
    "revoked": _("吊销"),
    "plan_changed": _("调整套餐"),
}
STATUS_BADGES = {
    KeyStatus.ACTIVE: "badge badge-ok",
    KeyStatus.EXPIRED: "badge badge-warn",
    KeyStatus.REVOKED: "badge badge-bad",
    KeyStatus.ROTATED: "badge",
}


def _page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    context["is_holder"] = bool(scope_of(request.user).holder_org_ids)
    return render(request, template, context)


def _own_key(request: HttpRequest, pk: int) -> ApiKey:
    try:
        return selectors.access_key(user=request.user, pk=pk)
    except NotFound:
        raise Http404 from None


def _status(key: ApiKey, now) -> dict[str, str]:
    status = key.status_at(now)
    return {"value": status, "label": KeyStatus(status).label, "badge": STATUS_BADGES[status]}


# --------------------------------------------------------------------------- keys


@login_required
def key_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    keys = list(selectors.keys_of(request.user))
    used = selectors.used_today(keys, now=now)
    rows = [{"key": k, "status": _status(k, now), "used_today": used[k.pk]} for k in keys]
    context = {
        "rows": rows,
        "plans": selectors.plans(),
        "live": sum(1 for k in keys if k.revoked_at is None),
        "nav": "keys",
    }
    return _page(request, "developer/key_list.html", context)


def _picker(form, *, bound: bool) -> dict[str, Any]:
    """The datasets the scope picker shows: those chosen so far, then catalogue matches."""
    if bound:
        raw_ids, q = form.data.getlist("datasets"), form.data.get("q", "")
    else:
        raw_ids, q = form.initial.get("datasets", []), form.initial.get("q", "")
    ids = [int(i) for i in raw_ids if str(i).isdigit() and len(str(i)) < 19]
    try:
        chosen, found = selectors.dataset_picker(q=q.strip()[:200], selected_ids=ids)
        error = ""
    except ValidationFailed:
        chosen, found = selectors.dataset_picker(q="", selected_ids=ids)
        error = gettext("查询词过长或无效。")
    return {"chosen": chosen, "found": found, "q": q, "search_error": error}


def _searching(request: HttpRequest, form_class, **initial_extra):
    """A POST that only asks to search the catalogue: an unbound form carrying what was typed
    (so nothing is validated or saved)."""
    post = request.POST
    initial = {name: post.get(name, "") for name in ("name", "expires_on", "scope", "q")}
    initial["datasets"] = post.getlist("datasets")
    initial.update(initial_extra)
    return form_class(initial=initial)


@login_required
def key_create(request: HttpRequest) -> HttpResponse:
    bound = request.method == "POST" and "search" not in request.POST
    if request.method == "POST" and not bound:
        form = _searching(request, KeyCreateForm)
    elif bound:
        form = KeyCreateForm(request.POST)
        if form.is_valid():
            response = _create(request, form)
            if response is not None:
                return response
    else:
        slugs = request.GET.getlist("dataset")[:50]
        preselected = list(datasets_public().filter(slug__in=slugs).values_list("pk", flat=True))
        form = KeyCreateForm(
            initial={
                "expires_on": KeyCreateForm.default_expiry(),
                "scope": KeyScope.DATASETS if preselected else KeyScope.ALL_OPEN,
                "datasets": preselected,
                "q": request.GET.get("q", ""),
            }
        )
    context = {
        "form": form,
        "picker": _picker(form, bound=form.is_bound),
        "nav": "create",
    }
    return _page(request, "developer/key_create.html", context)


def _create(request: HttpRequest, form: KeyCreateForm) -> HttpResponse | None:
    data = form.cleaned_data
    try:
        key, plaintext = services.key_create(
            user=request.user,
            name=data["name"],
            scope=data["scope"],
            dataset_ids=form.dataset_ids(),
            expires_at=expiry_from_date(data.get("expires_on")),
            now=timezone.now(),
        )
    except ValidationFailed as exc:
        apply_service_errors(form, exc.errors)
        return None
    return _show_secret(request, key, plaintext, rotated=False)


def _show_secret(request: HttpRequest, key: ApiKey, plaintext: str, *, rotated: bool):
    response = _page(
        request,
        "developer/key_secret.html",
        {"key": key, "plaintext": plaintext, "rotated": rotated, "nav": "keys"},
    )
    response["Cache-Control"] = "no-store"
    response["Pragma"] = "no-cache"
    return response


@login_required
def key_detail(request: HttpRequest, pk: int) -> HttpResponse:
    key = _own_key(request, pk)
    return _detail(request, key)


def _detail(request: HttpRequest, key: ApiKey, *, rename=None, expiry=None) -> HttpResponse:
    now = timezone.now()
    context = {
        "key": key,
        "status": _status(key, now),
        "datasets": list(key.datasets.order_by("title", "pk")[:200]),
        "events": [
            {"event": e, "label": EVENT_LABELS.get(e.action, e.action)}
            for e in key.events.select_related("actor")[:50]
        ],
        "rename_form": rename or KeyRenameForm(initial={"name": key.name}),
        "expiry_form": expiry
        or KeyExpiryForm(initial={"expires_on": date_from_expiry(key.expires_at)}),
        "used_today": selectors.used_today([key], now=now)[key.pk],
        "nav": "keys",
    }
    return _page(request, "developer/key_detail.html", context)


def _refused(request: HttpRequest, key: ApiKey, exc: Conflict) -> HttpResponse:
    messages.error(request, gettext("操作未执行：") + translate_message(exc.detail))
    return redirect("developer:key-detail", pk=key.pk)


@login_required
@require_POST
def key_rename(request: HttpRequest, pk: int) -> HttpResponse:
    key = _own_key(request, pk)
    form = KeyRenameForm(request.POST)
    if form.is_valid():
        try:
            services.key_rename(
                actor=request.user, key=key, name=form.cleaned_data["name"], now=timezone.now()
            )
        except Conflict as exc:
            return _refused(request, key, exc)
        except ValidationFailed as exc:
            apply_service_errors(form, exc.errors)
        else:
            messages.success(request, gettext("密钥名称已修改。"))
            return redirect("developer:key-detail", pk=key.pk)
    return _detail(request, key, rename=form)


@login_required
@require_POST
def key_expiry(request: HttpRequest, pk: int) -> HttpResponse:
    key = _own_key(request, pk)
    form = KeyExpiryForm(request.POST)
    if form.is_valid():
        try:
            services.key_set_expiry(
                actor=request.user,
                key=key,
                expires_at=expiry_from_date(form.cleaned_data.get("expires_on")),
                now=timezone.now(),
            )
        except Conflict as exc:
            return _refused(request, key, exc)
        except ValidationFailed as exc:
            apply_service_errors(form, exc.errors)
        else:
            messages.success(request, gettext("有效期已更新。"))
            return redirect("developer:key-detail", pk=key.pk)
    return _detail(request, key, expiry=form)


@login_required
def key_scope(request: HttpRequest, pk: int) -> HttpResponse:
    key = _own_key(request, pk)
    searching = request.method == "POST" and "search" in request.POST
    if searching:
        form = _searching(request, KeyScopeForm)
    elif request.method == "POST":
        form = KeyScopeForm(request.POST)
        if form.is_valid():
            try:
                services.key_update_scope(
                    actor=request.user,
                    key=key,
                    scope=form.cleaned_data["scope"],
                    dataset_ids=form.dataset_ids(),
                    now=timezone.now(),
                )
            except Conflict as exc:
                return _refused(request, key, exc)
            except ValidationFailed as exc:
                apply_service_errors(form, exc.errors)
            else:
                messages.success(request, gettext("适用范围已更新。"))
                return redirect("developer:key-detail", pk=key.pk)
    else:
        ids = list(key.datasets.values_list("pk", flat=True))
        form = KeyScopeForm(initial={"scope": key.scope, "datasets": ids, "q": ""})
    context = {
        "key": key,
        "form": form,
        "picker": _picker(form, bound=form.is_bound),
        "nav": "keys",
    }
    return _page(request, "developer/key_scope.html", context)


@login_required
@require_POST
def key_rotate(request: HttpRequest, pk: int) -> HttpResponse:
    key = _own_key(request, pk)
    try:
        new, plaintext = services.key_rotate(actor=request.user, key=key, now=timezone.now())
    except Conflict as exc:
        return _refused(request, key, exc)
    return _show_secret(request, new, plaintext, rotated=True)


@login_required
@require_POST
def key_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    key = _own_key(request, pk)
    try:
        services.key_revoke(actor=request.user, key=key, now=timezone.now())
    except Conflict as exc:
        return _refused(request, key, exc)
    messages.success(request, gettext("密钥“%s”已吊销，立即失效。") % key.name)
    return redirect("developer:key-list")


# --------------------------------------------------------------------------- dashboards


def _charts(report: UsageReport) -> dict[str, dict[str, Any]]:
    """Chart specs for static/js/developer-charts.js."""
    daily = report.daily
    api, downloads = daily["api_call"], daily["download"]
    top = report.by_dataset[:10]
    return {
        "calls": {
            "type": "bar",
            "stack": True,
            "labels": daily["labels"],
            "series": [
                {"name": gettext("接口调用"), "data": api["calls"]},
                {"name": gettext("文件下载"), "data": downloads["calls"]},
            ],
        },
        "rows": {
            "type": "line",
            "labels": daily["labels"],
            "series": [{"name": gettext("返回记录数"), "data": api["rows"]}],
        },
        "bytes": {
            "type": "line",
            "unit": "bytes",
            "labels": daily["labels"],
            "series": [
                {"name": gettext("接口流量"), "data": api["bytes"]},
                {"name": gettext("下载流量"), "data": downloads["bytes"]},
            ],
        },
        "datasets": {
            "type": "bar",
            "horizontal": True,
            "labels": [d["title"] for d in top],
            "series": [
                {"name": gettext("接口调用"), "data": [d["api_calls"] for d in top]},
                {"name": gettext("文件下载"), "data": [d["downloads"] for d in top]},
            ],
            "stack": True,
        },
    }


def _filters(form) -> dict[str, Any]:
    """The filter values that are valid (an invalid one shows its error and is ignored)."""
    if not form.is_bound:
        return {}
    form.is_valid()
    return form.cleaned_data


@login_required
def usage_dashboard(request: HttpRequest) -> HttpResponse:
    form = UsageFilterForm(request.GET or None, user=request.user)
    filters = _filters(form)
    key = filters.get("key")
    period = Period.last_days(filters.get("days") or 30)
    report = selectors.developer_usage(user=request.user, period=period, key=key)
    context = {
        "form": form,
        "report": report,
        "charts": _charts(report),
        "key": key,
        "nav": "usage",
    }
    return _page(request, "developer/usage.html", context)


@login_required
def holder_usage(request: HttpRequest) -> HttpResponse:
    if not scope_of(request.user).holder_org_ids:
        raise Http404
    datasets = selectors.holder_datasets(request.user)
    form = HolderUsageFilterForm(request.GET or None, datasets=datasets)
    filters = _filters(form)
    dataset = filters.get("dataset")
    period = Period.last_days(filters.get("days") or 30)
    report = selectors.holder_usage(user=request.user, period=period, dataset=dataset)
    context = {
        "form": form,
        "report": report,
        "charts": _charts(report),
        "dataset": dataset,
        "nav": "holder",
    }
    return _page(request, "developer/holder_usage.html", context)
