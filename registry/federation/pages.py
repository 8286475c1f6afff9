"""Staff pages: the per-province sync status (national node: every node, with the register of
nodes for national administrators; provincial node: its outbox and delivery cursor)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from registry.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from registry.federation import nodes
from registry.federation.conf import node
from registry.federation.models import OutboxEvent, OutboxState, OutboxStatus
from registry.forms import apply_errors
from registry.models import Region, RegionLevel
from registry.selectors import scope_of
from registry.views.common import staff_page, translate_message, translated_errors


class NodeForm(forms.Form):
    code = forms.CharField(label=_("节点代码"), max_length=40)
    name = forms.CharField(label=_("节点名称"), max_length=100)
    province = forms.ChoiceField(label=_("省份"))
    base_url = forms.CharField(label=_("节点地址"), max_length=300)
    public_key = forms.CharField(label=_("公钥"), max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        provinces = Region.objects.filter(level=RegionLevel.PROVINCE).order_by("code")
        self.fields["province"].choices = [(r.code, f"{r.code} {r.name}") for r in provinces]


def _federation_staff(scope) -> bool:
    config = node()
    if config.is_national:
        return scope.sees_everything
    return config.is_provincial and scope.is_staff_of_platform


@staff_page(_federation_staff)
def sync_status(request: HttpRequest, form: NodeForm | None = None) -> HttpResponse:
    config = node()
    now = timezone.now()
    context = {"nav": "federation", "config": config, "now": now}
    if config.is_national:
        context["statuses"] = nodes.node_statuses(now=now)
        if scope_of(request.user).national_admin:
            context["form"] = form or NodeForm()
    else:
        state = OutboxState.objects.filter(pk=1).first() or OutboxState()
        context.update(
            state=state,
            pending=OutboxEvent.objects.filter(sequence__gt=state.acked_sequence).count(),
            lag_seconds=int((now - state.last_success_at).total_seconds())
            if state.last_success_at
            else None,
            refused=OutboxEvent.objects.filter(status=OutboxStatus.REFUSED).order_by("-sequence")[
                :20
            ],
        )
    return render(request, "registry/federation_status.html", context)


@require_POST
@staff_page(_federation_staff)
def node_add(request: HttpRequest) -> HttpResponse:
    form = NodeForm(request.POST)
    if form.is_valid():
        try:
            nodes.node_register(actor=request.user, **form.cleaned_data)
        except ValidationFailed as exc:
            apply_errors(form, translated_errors(exc))
        except Conflict as exc:
            form.add_error(None, translate_message(exc.detail))
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, gettext("省级节点已登记。"))
            return redirect("registry:federation-status")
    return sync_status(request, form=form)


@require_POST
@staff_page(_federation_staff)
def node_toggle(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in {"enable", "disable"}:
        raise Http404
    try:
        nodes.node_set_enabled(actor=request.user, pk=pk, enabled=action == "enable")
    except (PermissionDenied, NotFound):
        raise Http404 from None
    messages.success(request, gettext("节点状态已更新。"))
    return redirect("registry:federation-status")
