"""The operator's workspace: agreements, applications, licences, and the query console that
answers only what the licence's mode allows."""

from __future__ import annotations

import json

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from operations import selectors, services
from operations.forms import ApplyForm
from operations.licensing import licence_table, licensed_query
from operations.licensing.access import resource_table
from operations.models import AccessChannel, LicenceMode, PartyKind
from operations.views.common import attempt, say, workspace
from portal.datastore.query import columns_of
from registry.errors import DomainError, NotFound

OPERATOR = PartyKind.OPERATOR


@workspace(OPERATOR)
def home(request):
    user = request.user
    ids = selectors.operator_ids(user)
    context = {
        "nav": "operator",
        "parties": selectors.parties_of(user, OPERATOR),
        "agreements": selectors.agreements_for(user).filter(operator_id__in=ids),
        "applications": selectors.applications_for(user).filter(operator_id__in=ids),
        "licences": selectors.licences_for(user).filter(operator_id__in=ids),
    }
    return render(request, "operations/operator_home.html", context)


def _resources(agreement) -> list[dict]:
    out = []
    for resource in agreement.resources.select_related("current_version").order_by("code"):
        try:
            fields = list(columns_of(resource_table(resource.pk)))
        except NotFound:
            fields = []
        out.append({"resource": resource, "fields": fields})
    return out


def _items(post, resources) -> list[dict]:
    items = []
    for entry in resources:
        resource = entry["resource"]
        prefix = f"item-{resource.pk}-"
        if not post.get(prefix + "include"):
            continue
        k = post.get(prefix + "k") or "10"
        item = {
            "registration_code": resource.code,
            "mode": post.get(prefix + "mode", ""),
            "columns": post.getlist(prefix + "columns"),
            "min_group_size": int(k) if k.isdigit() else -1,
        }
        rows = (post.get(prefix + "rows") or "").strip()
        if rows:
            # A filter document; text that is not JSON goes to the service as it is, which
            # refuses it ("a filter is a non-empty JSON object") like any bad condition.
            try:
                item["row_predicate"] = json.loads(rows)
            except ValueError:
                item["row_predicate"] = rows
        items.append(item)
    return items


@workspace(OPERATOR)
def apply(request, agreement_id: int):
    agreement = selectors.access_agreement(user=request.user, agreement_id=agreement_id)
    if agreement.operator_id not in selectors.operator_ids(request.user):
        raise NotFound("No agreement with this id.")
    form = ApplyForm(request.POST or None, agreement=agreement)
    resources = _resources(agreement)
    for entry in resources:  # what was typed is kept when the application is refused
        entry["rows"] = request.POST.get(f"item-{entry['resource'].pk}-rows", "")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        application = attempt(
            request,
            form,
            lambda: services.application_submit(
                actor=request.user,
                operator=agreement.operator,
                agreement=agreement,
                scenario_id=int(data["scenario"]),
                purpose_class=data["purpose_class"],
                purpose=data["purpose"],
                security_measures=data["security_measures"],
                items=_items(request.POST, resources),
                now=timezone.now(),
            ),
            _("申请已提交，等待数据持有单位和实施机构审核。"),
        )
        if application:
            return redirect("operations:operator-home")
    context = {
        "nav": "operator",
        "agreement": agreement,
        "form": form,
        "resources": resources,
        "modes": LicenceMode.choices,
    }
    return render(request, "operations/apply.html", context)


def _console_params(post, licence) -> dict:
    """The console's form as a datastore query; the licence decides what is answered."""
    kind = post.get("kind", "")
    params: dict = {}
    raw = (post.get("filters") or "").strip()
    if raw:
        try:
            params["filters"] = json.loads(raw)
        except ValueError:
            params["filters"] = raw  # parse() reports the JSON error
    if licence.mode == LicenceMode.VERIFICATION_ONLY or kind == "verify":
        values = {k[6:]: v for k, v in post.items() if k.startswith("match-") and v.strip()}
        return {"filters": values} if values else params
    if kind == "aggregate":
        if post.get("group_by"):
            params["group_by"] = post.getlist("group_by")
        func, _, field = (post.get("aggregate") or "count:*").partition(":")
        params["aggregates"] = [{"func": func, "field": field or "*"}]
    else:
        if post.getlist("fields"):
            params["fields"] = post.getlist("fields")
        params["limit"] = 50
    return params


@workspace(OPERATOR)
def licence_console(request, licence_id: int):
    licence = selectors.access_licence(user=request.user, licence_id=licence_id)
    try:
        fields = [f for f in columns_of(licence_table(licence)) if f in licence.allowed_columns]
    except NotFound:
        fields = []
    result = error = None
    if request.method == "POST":
        try:
            result = licensed_query(
                licence=licence,
                user=request.user,
                params=_console_params(request.POST, licence),
                channel=AccessChannel.CONSOLE,
            )
        except DomainError as exc:
            error = say(exc.detail)
            messages.error(request, error)
    context = {
        "nav": "operator",
        "licence": licence,
        "fields": fields,
        "result": result,
        "error": error,
        "post": request.POST,
        "log": licence.access_log.select_related("user")[:20],
    }
    return render(request, "operations/console.html", context)
