"""The one way to read licensed data.

    result = licensed_query(licence=licence, user=user, params={...}, channel=AccessChannel.API)
    chunks = licensed_export(licence=licence, user=user, params={...}, fmt="csv")

Order inside one transaction: lock the licence and its agreement `FOR SHARE` (a suspension,
revocation or expiry takes them `FOR UPDATE`, so it waits for calls already running and every
later call sees the new state), check state and validity, check quota, run the restricted
query, take one unit from each quota counter with `WHERE used < cap`, write the access-log row,
commit. A refused call writes a log row of its own and serves nothing. The caller must have
authorised the user for the licence (`operations.selectors.access_licence`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.utils import timezone

from operations.licensing.entitlements import query_shape, restriction_for
from operations.models import (
    AccessChannel,
    AccessLog,
    AccessOutcome,
    AgreementStatus,
    Licence,
    LicenceCounter,
    LicenceMode,
    LicenceStatus,
)
from portal.datastore import execute
from portal.datastore.models import DatastoreTable
from portal.datastore.query import parse
from registry.errors import DomainError, NotFound

SHANGHAI = ZoneInfo("Asia/Shanghai")
_NO_CAP = 2_147_483_647


class LicenceRefused(DomainError):
    status = 403
    type_slug = "licence_refused"
    title = "Not served under this licence"


class LicenceQuotaExceeded(DomainError):
    status = 429
    type_slug = "licence_quota_exceeded"
    title = "Licence quota exceeded"


@dataclass
class LicencedResult:
    licence: Licence
    mode: str
    fields: list[dict[str, str]] = field(default_factory=list)
    records: list[Any] = field(default_factory=list)
    total: int | None = None
    next_cursor: str | None = None
    suppressed_groups: int = 0
    verified: bool | None = None
    log: AccessLog | None = None


def licence_table(licence: Licence) -> DatastoreTable:
    """The datastore table of the licensed resource (its dataset's first loaded table)."""
    return resource_table(licence.resource_id)


def resource_table(resource_id: int) -> DatastoreTable:
    table = (
        DatastoreTable.objects.select_related("distribution", "version")
        .filter(distribution__dataset__resource_id=resource_id)
        .order_by("distribution_id")
        .first()
    )
    if table is None:
        raise NotFound("The licensed resource has no queryable table yet.")
    return table


def licensed_query(
    *,
    licence: Licence,
    user,
    params: Mapping[str, Any],
    channel: str = AccessChannel.API,
    request_id: str = "",
    now: dt.datetime | None = None,
) -> LicencedResult:
    """Run one query (records, aggregates, or a verification) under the licence."""
    now = now or timezone.now()
    params = dict(params)
    shape = query_shape(params)
    try:
        with transaction.atomic():
            current = _lock_usable(licence.pk, now)
            table = licence_table(current)
            _check_quota(current, now)
            spec = parse(table, params, restriction=restriction_for(current))
            result = LicencedResult(licence=current, mode=current.mode)
            if current.mode == LicenceMode.VERIFICATION_ONLY:
                result.verified = execute.verify(table, spec)
            else:
                run = execute.run(table, spec)
                result.fields, result.records = run.fields, run.records
                result.total, result.next_cursor = run.total, run.next_cursor
                result.suppressed_groups = run.suppressed_groups
            _take_quota(current, now)
            result.log = AccessLog.objects.create(
                licence=current,
                user=user,
                channel=channel,
                outcome=AccessOutcome.SERVED,
                query_shape=shape,
                rows_returned=0 if spec.is_aggregate else len(result.records),
                groups_returned=len(result.records) if spec.is_aggregate else 0,
                groups_suppressed=result.suppressed_groups,
                verification_result=result.verified,
                request_id=request_id[:64],
                at=now,
            )
            return result
    except DomainError as exc:
        _log_refusal(licence, user, channel, shape, exc, request_id, now)
        raise


def licensed_export(
    *,
    licence: Licence,
    user,
    params: Mapping[str, Any],
    fmt: str,
    request_id: str = "",
    now: dt.datetime | None = None,
) -> Iterator[bytes]:
    """Authorise, count and log an export of aggregate results, then stream it. Raw rows never
    leave the platform in bulk: only aggregates-only licences export."""
    now = now or timezone.now()
    params = dict(params)
    shape = {**query_shape(params), "format": fmt}
    try:
        with transaction.atomic():
            current = _lock_usable(licence.pk, now)
            if current.mode != LicenceMode.AGGREGATES_ONLY:
                raise LicenceRefused(
                    "Raw data stays inside the platform: this licence does not export. "
                    "Only aggregate results of an aggregates-only licence can be exported.",
                    extra={"mode": current.mode},
                )
            table = licence_table(current)
            _check_quota(current, now)
            spec = parse(table, params, restriction=restriction_for(current))
            _take_quota(current, now)
            AccessLog.objects.create(
                licence=current,
                user=user,
                channel=AccessChannel.EXPORT,
                outcome=AccessOutcome.SERVED,
                query_shape=shape,
                request_id=request_id[:64],
                at=now,
            )
    except DomainError as exc:
        _log_refusal(licence, user, AccessChannel.EXPORT, shape, exc, request_id, now)
        raise
    # Authorised and counted: the stream finishes even if the licence changes meanwhile.
    return execute.export(table, spec, fmt)


# --------------------------------------------------------------------------- state


def _lock_usable(licence_id: int, now: dt.datetime) -> Licence:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM operations_licence l JOIN operations_agreement a "
            "ON a.id = l.agreement_id WHERE l.id = %s FOR SHARE OF l, a",
            [licence_id],
        )
    licence = Licence.objects.select_related("agreement").get(pk=licence_id)
    today = now.astimezone(SHANGHAI).date()
    if licence.status != LicenceStatus.ACTIVE:
        raise LicenceRefused(
            f"The licence is {licence.status}; nothing is served under it.",
            extra={"licence_status": licence.status},
        )
    if not licence.valid_from <= today <= licence.valid_until:
        raise LicenceRefused(
            "The licence is outside its validity period.",
            extra={"valid_from": str(licence.valid_from), "valid_until": str(licence.valid_until)},
        )
    if licence.agreement.status != AgreementStatus.ACTIVE:
        raise LicenceRefused(
            f"The agreement is {licence.agreement.status}; its licences serve nothing.",
            extra={"agreement_status": licence.agreement.status},
        )
    return licence


# --------------------------------------------------------------------------- quota


def _periods(licence: Licence, now: dt.datetime) -> list[tuple[str, int]]:
    day = now.astimezone(SHANGHAI).date().isoformat()
    return [(day, licence.daily_quota or _NO_CAP), ("total", licence.total_quota or _NO_CAP)]


def _check_quota(licence: Licence, now: dt.datetime) -> None:
    periods = _periods(licence, now)
    used = dict(
        LicenceCounter.objects.filter(
            licence=licence, period__in=[p for p, _ in periods]
        ).values_list("period", "used")
    )
    for period, cap in periods:
        if used.get(period, 0) >= cap:
            raise LicenceQuotaExceeded(
                "The licence's "
                + ("total" if period == "total" else "daily")
                + " quota is used up.",
                extra={"period": period, "limit": cap},
            )


_TAKE = (
    "INSERT INTO operations_licencecounter AS c (licence_id, period, used) VALUES (%s, %s, 1) "
    "ON CONFLICT (licence_id, period) DO UPDATE SET used = c.used + 1 WHERE c.used < %s "
    "RETURNING used"
)


def _take_quota(licence: Licence, now: dt.datetime) -> None:
    """One unit from each counter, or none: racing calls for the last unit → one wins."""
    with connection.cursor() as cursor:
        for period, cap in _periods(licence, now):
            cursor.execute(_TAKE, [licence.pk, period, cap])
            if cursor.fetchone() is None:
                raise LicenceQuotaExceeded(
                    "The licence's quota was used up by another call.",
                    extra={"period": period, "limit": cap},
                )


def _log_refusal(licence, user, channel, shape, exc: DomainError, request_id, now) -> None:
    if connection.in_atomic_block and connection.needs_rollback:
        return  # inside a broken outer transaction the row could not be written anyway
    AccessLog.objects.create(
        licence_id=licence.pk,
        user=user if getattr(user, "pk", None) else None,
        channel=channel,
        outcome=AccessOutcome.REFUSED,
        refusal=str(getattr(exc, "type_slug", "refused"))[:40],
        query_shape=shape,
        request_id=request_id[:64],
        at=now,
    )
