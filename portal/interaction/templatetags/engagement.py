"""Template helpers of the access and interaction pages: the reply deadline of an item in
working days, state labels, and the dataset page's panels (apply, rate, comment, report an
error, showcases) so that the dataset page itself needs only two lines."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

from portal.channel_pages import event_label, state_label
from registry.workdays import local_date, working_days_between

register = template.Library()

BADGES = {
    "submitted": "badge badge-info",
    "approved": "badge badge-ok",
    "rejected": "badge badge-bad",
    "withdrawn": "badge",
    "active": "badge badge-ok",
    "revoked": "badge badge-bad",
    "expired": "badge badge-warn",
    "open": "badge badge-info",
    "accepted": "badge badge-notice",
    "published": "badge badge-ok",
    "declined": "badge badge-bad",
    "replied": "badge badge-ok",
    "hidden": "badge badge-bad",
    "visible": "badge",
    "pending": "badge badge-info",
}


@register.filter(name="state_label")
def state_label_filter(value: str) -> str:
    return state_label(value)


@register.filter(name="event_label")
def event_label_filter(value: str) -> str:
    return event_label(value)


@register.filter
def state_badge(value: str) -> str:
    return BADGES.get(value, "badge")


@register.inclusion_tag("interaction/_sla.html")
def sla(
    deadline: dt.datetime | None,
    answered_at: dt.datetime | None,
    now: dt.datetime | None = None,
    label: str = "",
):
    """The deadline; when answered, whether on time; when open, working days left or over."""
    now = now or timezone.now()
    info: dict = {"deadline": deadline, "answered_at": answered_at, "label": label}
    if deadline is None:
        return info
    if answered_at is not None:
        info["on_time"] = answered_at <= deadline
        return info
    days = working_days_between(local_date(now), local_date(deadline))
    info.update(overdue=deadline < now, days=days, days_over=max(-days, 1))
    return info


@register.inclusion_tag("interaction/_dataset_panel.html", takes_context=True)
def dataset_engagement(context, dataset):
    from portal.interaction import selectors
    from portal.interaction.models import FeedbackKind, Rating

    request = context["request"]
    user = request.user
    mine = None
    if user.is_authenticated:
        mine = (
            Rating.objects.filter(user=user, dataset=dataset)
            .values_list("score", flat=True)
            .first()
        )
    return {
        "request": request,
        "user": user,
        "csrf_token": context.get("csrf_token"),
        "dataset": dataset,
        "rating": selectors.rating_summary(dataset),
        "my_rating": mine,
        "comments": selectors.comments_shown(dataset)[:20],
        "showcases": selectors.showcases_of_dataset(dataset)[:10],
        "error_reports": selectors.feedback_public(FeedbackKind.ERROR_REPORT).filter(
            dataset=dataset
        )[:10],
        "now": timezone.now(),
        "scores": range(1, 6),
    }


@register.inclusion_tag("access/_dataset_access.html", takes_context=True)
def access_panel(context, dataset):
    from portal.access import selectors

    request = context["request"]
    user = request.user
    latest = None
    grant = None
    if user.is_authenticated:
        latest = selectors.applications_of(user).filter(datasets=dataset).first()
        grant = selectors.grants_of(user).filter(datasets=dataset).first()
    return {
        "request": request,
        "user": user,
        "dataset": dataset,
        "latest": latest,
        "grant": grant,
        "may_download": context.get("may_download"),
        "now": timezone.now(),
    }
