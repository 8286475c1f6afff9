"""Pieces every commerce service uses: events, document numbers, months, locks."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import F, Model

from operations.commerce.models import CommerceEvent, DocumentSequence
from registry.errors import NotFound

SHANGHAI = ZoneInfo("Asia/Shanghai")


def record_event(
    *,
    action: str,
    obj: Model,
    actor,
    at: dt.datetime,
    data: dict[str, Any] | None = None,
    reason: str = "",
) -> CommerceEvent:
    return CommerceEvent.objects.create(
        action=action,
        object_type=obj._meta.model_name,
        object_id=obj.pk,
        actor=actor if actor is not None and actor.is_authenticated else None,
        data=data or {},
        reason=reason,
        at=at,
    )


def next_number(prefix: str, year: int) -> str:
    """`<prefix>-<year>-<000001>`: a per-prefix-and-year counter, taken under a row lock."""
    key = f"{prefix}-{year}"
    DocumentSequence.objects.get_or_create(prefix=key)
    DocumentSequence.objects.filter(prefix=key).update(last_value=F("last_value") + 1)
    value = DocumentSequence.objects.get(prefix=key).last_value
    return f"{key}-{value:06d}"


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The aware [start, end) of a calendar month in Asia/Shanghai."""
    start = dt.datetime(month.year, month.month, 1, tzinfo=SHANGHAI)
    nxt = dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return start, dt.datetime(nxt.year, nxt.month, 1, tzinfo=SHANGHAI)


def local_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(SHANGHAI).date()


def lock(model: type[Model], pk: int, **related) -> Any:
    """One row, locked for update (only that row), or NotFound."""
    try:
        return model.objects.select_for_update(of=("self",)).get(pk=pk)
    except model.DoesNotExist:
        raise NotFound("No such object.") from None
