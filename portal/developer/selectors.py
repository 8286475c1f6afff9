"""Reads for the developer console and the usage dashboards, scoped to the actor: a user sees
only their own keys; a holder sees only usage of their organisations' datasets. Dashboards
read the day rollups only, never the raw usage rows, so their cost does not grow with
traffic."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from portal.developer.access import SHANGHAI, limits_for
from portal.developer.models import (
    ApiKey,
    ApiPlan,
    CounterPeriod,
    UsageCounter,
    UsageRollupDay,
)
from portal.models import Dataset, UsageKind
from portal.search import check_search_query, search_datasets
from portal.selectors import datasets_managed_by, datasets_public
from registry.errors import NotFound
from registry.selectors import User

_MEASURES = ("calls", "errors", "rows", "bytes")
# Aliases differ from the field names (an annotation may not shadow a field).
_SUMS = {f"total_{name}": Sum(name) for name in _MEASURES}
PICKER_LIMIT = 20


def keys_of(user: User) -> QuerySet[ApiKey]:
    """The user's keys, newest first, with their plan and the number of scoped datasets."""
    return (
        ApiKey.objects.filter(user_id=user.pk)
        .select_related("plan")
        .annotate(dataset_count=Count("datasets"))
        .order_by("revoked_at", "-created_at", "-id")
    )


def access_key(*, user: User, pk: int) -> ApiKey:
    """One of the user's keys, or NotFound (another user's key is not theirs to see)."""
    key = ApiKey.objects.select_related("plan", "user").filter(pk=pk, user_id=user.pk).first()
    if key is None:
        raise NotFound("No such key.")
    return key


def plans() -> QuerySet[ApiPlan]:
    return ApiPlan.objects.all()


def used_today(keys: list[ApiKey], *, now: dt.datetime) -> dict[int, int]:
    """Calls counted today against each key's daily quota (one query for all keys)."""
    day_start = now.astimezone(SHANGHAI).replace(hour=0, minute=0, second=0, microsecond=0)
    subjects = {limits_for(key=k, ip=None)[0].subject: k.pk for k in keys}
    rows = UsageCounter.objects.filter(
        subject__in=list(subjects), period=CounterPeriod.DAY, window_start__gte=day_start
    ).values_list("subject", "used")
    counts = {subjects[subject]: used for subject, used in rows}
    return {k.pk: counts.get(k.pk, 0) for k in keys}


def dataset_picker(*, q: str, selected_ids: list[int]) -> tuple[list[Dataset], list[Dataset]]:
    """(chosen datasets, catalogue matches for `q` not already chosen) for the scope picker.
    Without `q`: the most called datasets. Raises ValidationFailed for a bad query."""
    chosen = list(datasets_public().filter(pk__in=selected_ids).order_by("title", "pk"))
    if q:
        result = search_datasets(check_search_query(q=q, limit=PICKER_LIMIT), facet_fields=())
        found = result.datasets
    else:
        found = list(datasets_public().order_by("-api_call_count", "-published_at")[:PICKER_LIMIT])
    chosen_ids = {d.pk for d in chosen}
    return chosen, [d for d in found if d.pk not in chosen_ids]


# --------------------------------------------------------------------------- dashboards


@dataclass
class Period:
    """Local days `first`..`last`, both included."""

    first: dt.date
    last: dt.date

    @classmethod
    def last_days(cls, days: int, *, now: dt.datetime | None = None) -> Period:
        today = (now or timezone.now()).astimezone(SHANGHAI).date()
        return cls(today - dt.timedelta(days=days - 1), today)

    def days(self) -> list[dt.date]:
        count = (self.last - self.first).days + 1
        return [self.first + dt.timedelta(days=i) for i in range(count)]


@dataclass
class UsageReport:
    period: Period
    totals: dict[str, int]
    # {"labels": [...], "api_call": {"calls": [...], "rows": [...], "bytes": [...]}, "download": ...}
    daily: dict[str, Any]
    by_dataset: list[dict[str, Any]]
    by_consumer: list[dict[str, Any]] = field(default_factory=list)


def _zero(values: dict[str, Any]) -> dict[str, int]:
    return {name: int(values.get(f"total_{name}") or 0) for name in _MEASURES}


def _daily(qs: QuerySet[UsageRollupDay], period: Period) -> dict[str, Any]:
    rows = qs.values("day", "kind").annotate(**_SUMS).order_by()
    found = {(r["day"], r["kind"]): _zero(r) for r in rows}
    days = period.days()
    out: dict[str, Any] = {"labels": [d.isoformat() for d in days]}
    for kind in UsageKind.values:
        per = [found.get((d, kind), _zero({})) for d in days]
        out[kind] = {name: [p[name] for p in per] for name in _MEASURES}
    return out


def _by_dataset(qs: QuerySet[UsageRollupDay], limit: int) -> list[dict[str, Any]]:
    rows = (
        qs.values("dataset_id", "dataset__title", "dataset__slug")
        .annotate(
            **_SUMS,
            api_calls=Sum("calls", filter=Q(kind=UsageKind.API_CALL)),
            downloads=Sum("calls", filter=Q(kind=UsageKind.DOWNLOAD)),
        )
        .order_by("-total_calls", "dataset_id")[:limit]
    )
    return [
        {
            "id": r["dataset_id"],
            "title": r["dataset__title"],
            "slug": r["dataset__slug"],
            "api_calls": r["api_calls"] or 0,
            "downloads": r["downloads"] or 0,
            **_zero(r),
        }
        for r in rows
    ]


def _report(qs: QuerySet[UsageRollupDay], period: Period, *, datasets: int) -> UsageReport:
    qs = qs.filter(day__gte=period.first, day__lte=period.last)
    return UsageReport(
        period=period,
        totals=_zero(qs.aggregate(**_SUMS)),
        daily=_daily(qs, period),
        by_dataset=_by_dataset(qs, datasets),
    )


def developer_usage(*, user: User, period: Period, key: ApiKey | None = None) -> UsageReport:
    """The user's own usage (API calls with any of their keys, and their downloads while
    logged in), or one key's (with its earlier rotations)."""
    qs = UsageRollupDay.objects.filter(user_id=user.pk)
    if key is not None:
        if key.user_id != user.pk:
            raise NotFound("No such key.")
        qs = qs.filter(api_key__family=key.family)
    return _report(qs, period, datasets=50)


def holder_datasets(user: User) -> QuerySet[Dataset]:
    """The datasets whose usage a holder's staff may see: their organisations' own."""
    return datasets_managed_by(user).order_by("title", "pk")


def holder_usage(*, user: User, period: Period, dataset: Dataset | None = None) -> UsageReport:
    """Who uses the holder's data, how much: per day, per dataset and per consumer (user and
    key prefix; anonymous calls as one row). Only datasets of the user's organisations; a
    dataset outside them is NotFound."""
    scoped = holder_datasets(user)
    if dataset is not None:
        if not scoped.filter(pk=dataset.pk).exists():
            raise NotFound("No such dataset.")
        scoped = scoped.filter(pk=dataset.pk)
    qs = UsageRollupDay.objects.filter(dataset_id__in=scoped.values("pk"))
    report = _report(qs, period, datasets=200)
    report.by_consumer = _by_consumer(
        qs.filter(day__gte=period.first, day__lte=period.last), limit=100
    )
    return report


def _by_consumer(qs: QuerySet[UsageRollupDay], limit: int) -> list[dict[str, Any]]:
    rows = (
        qs.values("user_id", "user__username", "api_key_id", "api_key__prefix")
        .annotate(**_SUMS, datasets=Count("dataset_id", distinct=True))
        .order_by("-total_calls", "user_id", "api_key_id")[:limit]
    )
    return [
        {
            "user": r["user__username"],
            "key_prefix": r["api_key__prefix"],
            "datasets": r["datasets"],
            **_zero(r),
        }
        for r in rows
    ]
