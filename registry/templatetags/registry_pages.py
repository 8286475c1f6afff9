"""Template helpers for the registry pages: labels, badges and deadlines."""

from __future__ import annotations

import datetime as dt

from django import template
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from registry.forms import DATA_ITEM_TYPE_LABELS, field_label
from registry.models import RecordStatus, Region, Registration, RegistrationStatus
from registry.selectors import scope_of
from registry.views.common import ACTION_LABELS, STATUS_BADGES, status_label
from registry.workdays import local_date, working_days_between

register = template.Library()

S = RegistrationStatus
DEADLINE_KINDS = {
    S.SUBMITTED: _("受理时限"),
    S.UNDER_REVIEW: _("审核时限"),
    S.IN_NOTICE: _("公示截止"),
}


@register.filter
def status_badge(value: str) -> str:
    return STATUS_BADGES.get(value, "badge")


RECORD_BADGES = {
    RecordStatus.ACTIVE: "badge badge-ok",
    RecordStatus.EXPIRING: "badge badge-warn",
    RecordStatus.EXPIRED: "badge badge-bad",
    RecordStatus.DEREGISTERED: "badge",
    RecordStatus.PENDING: "badge badge-info",
}


@register.filter
def record_badge(value: str) -> str:
    return RECORD_BADGES.get(value, "badge")


@register.simple_tag(takes_context=True)
def user_scope(context):
    """The registry scope of the request's user (roles, platforms, organisations)."""
    return scope_of(context["request"].user)


@register.filter(name="status_label")
def status_label_filter(value: str) -> str:
    return status_label(value) if value else "—"


@register.filter
def action_label(value: str) -> str:
    return str(ACTION_LABELS.get(value, value))


@register.filter(name="field_label")
def field_label_filter(value: str) -> str:
    return field_label(value)


@register.filter
def item_type_label(value: str) -> str:
    label = DATA_ITEM_TYPE_LABELS.get(value)
    return f"{label}（{value}）" if label else value


@register.filter
def region_names(codes) -> str:
    """Coverage region codes as names, in the order given."""
    codes = list(codes or [])
    if not codes:
        return "—"
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    return "、".join(names.get(code, code) for code in codes)


@register.simple_tag
def open_category_label(obj, platform=None) -> str:
    """Provinces name the three open categories differently (DOMAIN.md §2, cfg)."""
    labels = settings.REGISTRY_OPEN_CATEGORY_LABELS.get(getattr(platform, "code", ""), {})
    return labels.get(obj.open_category) or obj.get_open_category_display()


@register.filter
def workdays_left(deadline: dt.datetime | None, now: dt.datetime) -> int | None:
    if deadline is None:
        return None
    return working_days_between(local_date(now), local_date(deadline))


@register.inclusion_tag("registry/_deadline.html")
def deadline_info(registration: Registration, now: dt.datetime) -> dict:
    """The running deadline of an application, the working days left, and whether it is
    overdue (acceptance and review) or ended (public notice)."""
    deadline = registration.current_deadline
    info: dict = {"deadline": deadline, "kind": "", "passed": False, "overdue": False}
    if deadline is None:
        return info
    info["kind"] = DEADLINE_KINDS.get(registration.status, _("办理时限"))
    info["passed"] = deadline < now
    info["overdue"] = info["passed"] and registration.status != S.IN_NOTICE
    days = working_days_between(local_date(now), local_date(deadline))
    info["days"] = days
    info["days_over"] = -days
    return info


@register.filter
def registration_type_label(value: str) -> str:
    """The label of a registration type value (federated notices carry the bare value)."""
    from registry.models import RegistrationType

    return dict(RegistrationType.choices).get(value, value)
