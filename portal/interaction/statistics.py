"""Reply timeliness for the public statistics page: for each channel (access applications,
data requests, error reports, suggestions, complaints) and each holder, how many items were
answered on time, answered late, are open within their deadline, and are open past it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from portal.access.models import AccessApplication, ApplicationStatus
from portal.interaction.models import DataRequest, Feedback, FeedbackKind


@dataclass
class Timeliness:
    label: str
    on_time: int = 0
    late: int = 0
    open: int = 0
    overdue: int = 0

    @property
    def answered(self) -> int:
        return self.on_time + self.late

    @property
    def total(self) -> int:
        return self.answered + self.open + self.overdue

    @property
    def on_time_rate(self) -> float | None:
        """Share answered on time of all answered or overdue (None when nothing is due)."""
        due = self.answered + self.overdue
        return round(100 * self.on_time / due, 1) if due else None


def _counts(qs: QuerySet, *, answered_at: str, deadline: str, now: dt.datetime) -> dict:
    answered = Q(**{f"{answered_at}__isnull": False})
    return {
        "on_time": Count("id", filter=answered & Q(**{f"{answered_at}__lte": F(deadline)})),
        "late": Count("id", filter=answered & Q(**{f"{answered_at}__gt": F(deadline)})),
        "open": Count("id", filter=~answered & Q(**{f"{deadline}__gte": now})),
        "overdue": Count("id", filter=~answered & Q(**{f"{deadline}__lt": now})),
    }


def _channels():
    """(key, label, queryset, answered-at field, deadline field, holder field)."""
    applications = AccessApplication.objects.exclude(status=ApplicationStatus.WITHDRAWN)
    out = [
        ("access", _("数据使用申请"), applications, "decided_at", "review_deadline"),
        ("request", _("数据需求"), DataRequest.objects.all(), "replied_at", "reply_deadline"),
    ]
    for kind in FeedbackKind:
        out.append(
            (
                kind.value,
                kind.label,
                Feedback.objects.filter(kind=kind),
                "replied_at",
                "reply_deadline",
            )
        )
    return out


def timeliness_by_channel(now: dt.datetime) -> list[Timeliness]:
    rows = []
    for _key, label, qs, answered_at, deadline in _channels():
        agg = qs.aggregate(**_counts(qs, answered_at=answered_at, deadline=deadline, now=now))
        rows.append(Timeliness(label=str(label), **agg))
    return rows


def timeliness_by_holder(now: dt.datetime) -> list[Timeliness]:
    """All channels summed per holder (items addressed to the platform are under 平台)."""
    totals: dict[str, Timeliness] = {}
    for _key, _label, qs, answered_at, deadline in _channels():
        grouped = (
            qs.values("holder__name")
            .annotate(**_counts(qs, answered_at=answered_at, deadline=deadline, now=now))
            .order_by()
        )
        for row in grouped:
            name = row["holder__name"] or str(_("平台"))
            acc = totals.setdefault(name, Timeliness(label=name))
            for field in ("on_time", "late", "open", "overdue"):
                setattr(acc, field, getattr(acc, field) + row[field])
    return sorted(totals.values(), key=lambda t: (-t.overdue, -t.total, t.label))
