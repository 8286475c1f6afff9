from __future__ import annotations

import json
from typing import Any

from django import template
from django.utils.html import format_html

from operations.commerce import actors
from operations.models import AuthorisationMode
from operations.views.common import STATUS_BADGES

register = template.Library()


@register.simple_tag(takes_context=True)
def sees_commerce_reports(context) -> bool:
    """The console's nav shows 报告与导出 only to those the page has something for."""
    request = context.get("request")
    return request is not None and actors.sees_reports(request.user)


@register.simple_tag
def badge(status: str, label: str) -> str:
    return format_html('<span class="{}">{}</span>', STATUS_BADGES.get(status, "badge"), label)


@register.filter
def mode_labels(modes: list[str]) -> str:
    labels = []
    for mode in modes or []:
        try:
            labels.append(str(AuthorisationMode(mode).label))
        except ValueError:
            labels.append(mode)
    return " + ".join(labels)


@register.filter
def cell(row: Any, key: str) -> Any:
    return row.get(key) if isinstance(row, dict) else ""


@register.filter
def shape(value: dict) -> str:
    parts = []
    for key, item in (value or {}).items():
        parts.append(f"{key}={','.join(map(str, item)) if isinstance(item, list) else item}")
    return "; ".join(parts)


@register.filter
def json_text(value: Any) -> str:
    """A filter document (a licence's row condition) as compact JSON, Chinese kept readable;
    escaped by the template like any text."""
    if value in (None, "", {}, []):
        return ""
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
