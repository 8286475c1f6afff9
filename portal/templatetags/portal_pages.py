"""Template helpers of the public portal pages: file sizes, figures, Markdown, highlighted
search terms and result excerpts, and a dataset's timeliness."""

from __future__ import annotations

import datetime as dt
import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from portal.markdown import markdown_plain, render_markdown
from registry.models import UpdateFrequency

register = template.Library()

_UNITS = ("KB", "MB", "GB", "TB", "PB")
EXCERPT_CHARS = 140


@register.filter
def human_size(value) -> str:
    """Bytes as a short human size in binary units: 512 B, 1.5 KB, 12.3 MB."""
    try:
        size = int(value)
    except (TypeError, ValueError):
        return "—"
    if size < 1024:
        return f"{size} B"
    amount = float(size)
    for unit in _UNITS:
        amount /= 1024
        if amount < 1024 or unit == _UNITS[-1]:
            return f"{amount:.1f} {unit}" if amount < 100 else f"{amount:.0f} {unit}"
    return f"{size} B"  # pragma: no cover - the loop always returns


@register.filter
def thousands(value) -> str:
    """An integer with thousands separators (12,345)."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return "—"


@register.filter(name="markdown")
def markdown_filter(text: str | None) -> SafeString:
    return render_markdown(text)


def _term_pattern(terms) -> re.Pattern[str] | None:
    words = sorted({t for t in (terms or []) if t and t.strip()}, key=len, reverse=True)
    if not words:
        return None
    return re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)


def _marked(text: str, pattern: re.Pattern[str] | None) -> SafeString:
    """Escape every piece of the text first, then wrap the matched pieces in <mark>: matching
    on the raw text means a term can never match inside an entity or a tag we added."""
    if pattern is None:
        return escape(text)
    out: list[str] = []
    last = 0
    for match in pattern.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # every piece escaped above


@register.filter
def highlight(text, terms) -> SafeString:
    """The text, escaped, with the search terms marked."""
    return _marked(str(text or ""), _term_pattern(terms))


@register.filter
def excerpt(markdown_text, terms) -> SafeString:
    """A plain-text window of a Markdown description around the first matched term (or its
    start), escaped, with the terms marked."""
    plain = markdown_plain(markdown_text or "")
    pattern = _term_pattern(terms)
    start = 0
    if pattern is not None and (match := pattern.search(plain)):
        start = max(0, match.start() - EXCERPT_CHARS // 3)
    window = plain[start : start + EXCERPT_CHARS]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + EXCERPT_CHARS < len(plain) else ""
    return mark_safe(prefix + _marked(window, pattern) + suffix)  # escaped by _marked


@register.filter
def days_overdue(due: dt.datetime | None, now: dt.datetime) -> int:
    """Whole days since the due moment (0 on the day it fell due)."""
    if due is None or due >= now:
        return 0
    return (now - due).days


@register.simple_tag
def timeliness(dataset, now: dt.datetime) -> dict:
    """{'state': 'overdue' | 'on_time' | 'irregular' | 'no_data', 'label', 'days', 'due'}."""
    due = dataset.update_due_at
    if due is not None and due < now:
        days = (now - due).days
        label = (
            gettext("已超期 %(days)s 天") % {"days": days} if days else gettext("今日到期未更新")
        )
        return {"state": "overdue", "label": label, "days": days, "due": due}
    if due is not None:
        return {"state": "on_time", "label": gettext("按时更新"), "days": 0, "due": due}
    if dataset.data_updated_at is None:
        return {"state": "no_data", "label": gettext("尚未发布数据文件"), "days": 0, "due": None}
    if dataset.update_frequency == UpdateFrequency.IRREGULAR:
        return {"state": "irregular", "label": gettext("不定期更新"), "days": 0, "due": None}
    return {"state": "no_data", "label": gettext("未设定更新期限"), "days": 0, "due": None}


TIMELINESS_BADGES = {
    "overdue": "badge badge-bad",
    "on_time": "badge badge-ok",
    "irregular": "badge",
    "no_data": "badge",
}


@register.filter
def timeliness_badge(state: str) -> str:
    return TIMELINESS_BADGES.get(state, "badge")


@register.filter
def open_badge(open_category: str) -> str:
    return "badge badge-ok" if open_category == "unconditional" else "badge badge-warn"
