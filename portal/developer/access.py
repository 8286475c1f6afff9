"""The layer the API views call: who is calling (a key, or anonymous), may they call this
dataset, are they within their rate limit and quota, and the usage row of every call.

    key = authenticate_request(request)                 # KeyInUrl, KeyRefused
    check_key_scope(key=key, dataset=dataset)           # KeyScopeRefused
    with metered_call(request=request, key=key, user=..., dataset=dataset) as meter:
        result = run_the_query()                        # inside the metering transaction
        meter.rows, meter.bytes = len(result.records), len(body)
    response = Response(...); response.headers.update(meter.headers)

Limits. A rate limit is a fixed one-minute window per key and per account (per client address
when anonymous); a quota is a daily allowance (Asia/Shanghai days) counted the same way. Each
counter changes only through one upsert statement whose `WHERE used < cap` makes overrunning
impossible under any concurrency. The rate window counts attempts: it is taken before the call
runs, in its own short transaction (a refused call takes nothing). The quota counts calls
served: it is checked before the call runs (refusing early costs nothing) and decremented when
the call completes, in the same transaction as its usage row, so the row locks on the counters
are held for milliseconds at commit rather than for the whole query. Two calls racing for the
last unit may both run; exactly one commits, the other is refused with 429 and leaves no row.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import math
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from rest_framework.response import Response

from portal.datastore.execute import RESET_READ_ONLY
from portal.developer import counters, keys
from portal.developer.models import ApiKey, ApiPlan, CounterPeriod, KeyScope
from portal.lookups import Graph, fetch
from portal.models import Dataset, DistributionVersion, UsageKind, UsageRecord
from portal.selectors import can_download
from registry.api_common import problem_exception_handler
from registry.errors import Conflict, DomainError
from registry.models import OpenCategory

logger = logging.getLogger(__name__)
SHANGHAI = ZoneInfo("Asia/Shanghai")
URL_KEY_PARAMS = frozenset({"api_key", "api-key", "apikey", "key", "token", "access_token"})
GENERIC_KEY_MESSAGE = (
    "The API key is not valid. Send a valid, unexpired key in the 'Authorization: Api-Key "
    "<key>' header or the 'X-API-Key' header."
)
_WWW_AUTHENTICATE = 'Api-Key realm="opendata"'
_MAX_RAW_KEY = 200


class KeyRefused(DomainError):
    """Unknown, revoked, expired or malformed key: always the same message and headers."""

    status = 401
    type_slug = "invalid_api_key"
    title = "Invalid API key"

    def __init__(self, detail: str = GENERIC_KEY_MESSAGE) -> None:
        # The detail is always the generic one, so no caller can reveal why a key failed.
        super().__init__(
            GENERIC_KEY_MESSAGE, extra={"headers": {"WWW-Authenticate": _WWW_AUTHENTICATE}}
        )


class KeyInUrl(DomainError):
    status = 400
    type_slug = "api_key_in_url"
    title = "API key in the URL"


class RateLimited(DomainError):
    status = 429
    type_slug = "rate_limited"
    title = "Too many requests"


class QuotaExceeded(DomainError):
    status = 429
    type_slug = "quota_exceeded"
    title = "Quota exceeded"


class KeyScopeRefused(DomainError):
    status = 403
    type_slug = "key_scope"
    title = "Not allowed for this key"


class RequestReplayed(Conflict):
    """An X-Request-ID that is already recorded: the call is not run or counted again."""

    type_slug = "request_replayed"
    title = "Request id already used"


def problem_for(exc: DomainError) -> Response:
    """The problem+json response for an error of this module (the shared handler sends
    `extra["headers"]` as response headers)."""
    return problem_exception_handler(exc, {})


# --------------------------------------------------------------------------- authentication


def _refuse_key_in_url(request) -> None:
    for name, values in request.GET.lists():
        if name.lower() in URL_KEY_PARAMS or any(keys.KEY_LIKE.search(v) for v in values):
            raise KeyInUrl(
                "API keys are accepted only in the 'Authorization: Api-Key <key>' or "
                "'X-API-Key' header, never in the URL (URLs are logged and cached). If this "
                "key was real, rotate it in the developer console.",
                extra={"parameter": name[:40]},
            )


def _presented_key(request) -> str | None:
    """The key sent in a header, '' for a header that is present but unusable, None for no
    key at all."""
    header = request.headers.get("X-API-Key")
    authorization = request.headers.get("Authorization", "")
    scheme, _, credentials = authorization.strip().partition(" ")
    if scheme.lower() == "api-key":
        from_auth = credentials.strip()
        if header is not None and header.strip() != from_auth:
            return ""  # two different keys: refuse rather than guess
        return from_auth
    if keys.KEY_LIKE.match(credentials.strip()):
        return ""  # one of our keys under another scheme (Bearer, Token): a wrong header
    if header is not None:
        return header.strip()
    return None


@dataclass(frozen=True)
class PresentedKey:
    """A key as sent: `well_formed` false for one that cannot be ours (it is still looked up,
    under an impossible prefix, so that every refusal costs the same)."""

    well_formed: bool
    prefix: str
    secret: str


_KEY = Graph(ApiKey, ("plan", "user"))


def presented_key(request) -> PresentedKey | None:
    """The key in the request's headers, None for an anonymous call. KeyInUrl for a key in
    the query string."""
    _refuse_key_in_url(request)
    raw = _presented_key(request)
    if raw is None:
        return None
    parsed = keys.parse_key(raw[:_MAX_RAW_KEY])
    prefix, secret = parsed or ("", raw[:_MAX_RAW_KEY])
    return PresentedKey(parsed is not None, prefix or "-", secret)


def key_lookup(presented: PresentedKey) -> tuple[Graph, str, list[Any]]:
    """The key's row with its plan and user (see `portal.lookups.fetch`); the prefix is
    unique."""
    return _KEY, _KEY.select("{}.prefix = %s"), [presented.prefix]


def verified_key(presented: PresentedKey, key: ApiKey | None) -> ApiKey:
    """The key when its secret matches and it and its user are usable, else KeyRefused (one
    message for every reason; the HMACs run whether or not a row was found)."""
    matched = keys.secret_matches(presented.secret, key.secret_hash if key else None)
    now = timezone.now()
    if not (presented.well_formed and matched and key.is_usable_at(now) and key.user.is_active):
        raise KeyRefused()
    return key


def authenticate_request(request) -> ApiKey | None:
    """The key of the request (with its plan and user), or None for an anonymous call.
    Raises KeyInUrl for a key in the query string and KeyRefused, with one message, for
    every key that is malformed, unknown, revoked, expired or of an inactive user. The same
    work is done for every presented key, so the answer's timing does not tell them apart."""
    presented = presented_key(request)
    if presented is None:
        return None
    [key] = fetch(key_lookup(presented))
    return verified_key(presented, key)


# --------------------------------------------------------------------------- scope


def check_key_scope(*, key: ApiKey | None, dataset: Dataset) -> None:
    """Anonymous calls: unconditional data only. Keys: within their scope, and conditional
    data only for a user who may have it (`portal.selectors.can_download`: the holder's
    staff and, once conditional access exists, users with a valid grant)."""
    conditional = dataset.open_category != OpenCategory.UNCONDITIONAL
    if key is None:
        if conditional:
            raise KeyScopeRefused(
                "This dataset is conditional: call it with an API key of a user who holds a "
                "valid grant for it.",
                extra={"dataset": dataset.slug},
            )
        return
    if key.scope == KeyScope.DATASETS and not key.datasets.filter(pk=dataset.pk).exists():
        raise KeyScopeRefused(
            "This key is not valid for this dataset. Add the dataset to the key's scope in the "
            "developer console, or use another key.",
            extra={"dataset": dataset.slug, "key": key.prefix},
        )
    if conditional and not can_download(user=key.user, dataset=dataset):
        raise KeyScopeRefused(
            "This dataset is conditional and the key's user holds no valid grant for it.",
            extra={"dataset": dataset.slug, "key": key.prefix},
        )


# --------------------------------------------------------------------------- limits


@dataclass(frozen=True)
class Limit:
    """One subject's cap in one period."""

    subject: str
    minute_cap: int
    day_cap: int


@dataclass
class Allowance:
    limit: int
    remaining: int
    reset_at: dt.datetime

    def retry_after(self, now: dt.datetime) -> int:
        return max(1, math.ceil((self.reset_at - now).total_seconds()))


@dataclass
class Meter:
    """Filled in by the caller inside `metered_call`: rows returned, bytes sent, status."""

    request_id: uuid.UUID
    rows: int | None = None
    bytes: int = 0
    status: int = 200
    rate: Allowance | None = None
    quota: Allowance | None = None
    # Whether the block runs in metered_call's own atomic block, which is rolled back
    # whenever the block raises (then the block's queries need no savepoint of their own).
    in_own_atomic: bool = False

    @property
    def headers(self) -> dict[str, str]:
        out = {"X-Request-ID": str(self.request_id)}
        out.update(_allowance_headers("X-RateLimit", self.rate))
        out.update(_allowance_headers("X-Quota", self.quota))
        return out


def _allowance_headers(name: str, allowance: Allowance | None) -> dict[str, str]:
    if allowance is None:
        return {}
    return {
        f"{name}-Limit": str(allowance.limit),
        f"{name}-Remaining": str(max(0, allowance.remaining)),
        f"{name}-Reset": str(int(allowance.reset_at.timestamp())),
    }


def client_ip(request) -> str | None:
    """The caller's address: the proxy's header named by PORTAL_CLIENT_IP_HEADER (its first
    entry) when it holds a valid address, else REMOTE_ADDR; None when neither is valid."""
    header = settings.PORTAL_CLIENT_IP_HEADER
    candidates = [request.META.get(header, "").split(",")[0]] if header else []
    candidates.append(request.META.get("REMOTE_ADDR", ""))
    for raw in candidates:
        try:
            address = ipaddress.ip_address(raw.strip())
        except ValueError:
            continue
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        return str(address)
    return None


def _ip_subject(ip: str | None) -> str:
    if ip is None:
        return "ip:unknown"
    address = ipaddress.ip_address(ip)
    if isinstance(address, ipaddress.IPv6Address):
        # One IPv6 host usually owns a whole /64: limit the network, not each address.
        return f"ip:{ipaddress.ip_network(f'{ip}/64', strict=False)}"
    return f"ip:{address}"


def anonymous_plan() -> ApiPlan:
    plan = ApiPlan.objects.filter(code=settings.DEVELOPER_ANONYMOUS_PLAN).first()
    if plan is None:
        raise ImproperlyConfigured(
            f"DEVELOPER_ANONYMOUS_PLAN names plan {settings.DEVELOPER_ANONYMOUS_PLAN!r}, which "
            "does not exist (see the developer.ApiPlan reference data)."
        )
    return plan


def limits_for(*, key: ApiKey | None, ip: str | None) -> list[Limit]:
    """The subjects a call is counted against, in the order their rows are locked (key,
    then account), which keeps concurrent calls of one account free of deadlocks."""
    if key is None:
        plan = anonymous_plan()
        return [Limit(_ip_subject(ip), plan.rate_per_minute, plan.quota_per_day)]
    plan = key.plan
    return [
        Limit(f"key:{key.family.hex}", plan.rate_per_minute, plan.quota_per_day),
        Limit(f"user:{key.user_id}", plan.account_rate_per_minute, plan.account_quota_per_day),
    ]


def _window(period: str, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The fixed window containing `now`: a UTC minute, or a local (Asia/Shanghai) day."""
    if period == CounterPeriod.MINUTE:
        start = now.replace(second=0, microsecond=0)
        return start, start + dt.timedelta(minutes=1)
    start = now.astimezone(SHANGHAI).replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + dt.timedelta(days=1)  # Shanghai keeps no summer time


def _bump_rate_reading_quota(
    limits: list[Limit], now: dt.datetime
) -> tuple[dict[str, int], dict[str, int]]:
    """The minute windows' units (all or none) and a read of the current day's counters, in
    one statement."""
    minute, _ = _window(CounterPeriod.MINUTE, now)
    day, _ = _window(CounterPeriod.DAY, now)
    return counters.take_reading(
        [(x.subject, x.minute_cap) for x in limits],
        CounterPeriod.MINUTE,
        minute,
        read_period=CounterPeriod.DAY,
        read_since=day,
    )


def _cap(limit: Limit, period: str) -> int:
    return limit.minute_cap if period == CounterPeriod.MINUTE else limit.day_cap


def _tightest(
    limits: list[Limit], used: dict[str, int], period: str, now: dt.datetime
) -> Allowance:
    """The allowance of the subject with the least left (a subject missing from `used` has
    none left)."""
    _, end = _window(period, now)
    allowances = [
        Allowance(
            limit=_cap(x, period),
            remaining=_cap(x, period) - used.get(x.subject, _cap(x, period)),
            reset_at=end,
        )
        for x in limits
    ]
    return min(allowances, key=lambda a: a.remaining)


def _refusal(error: type[DomainError], allowance: Allowance, now: dt.datetime) -> DomainError:
    """RateLimited or QuotaExceeded. Its X-RateLimit-* headers describe the limit that was
    reached (the minute window, or the daily quota) so that every 429 carries them."""
    retry = allowance.retry_after(now)
    allowance.remaining = 0
    headers = {**_allowance_headers("X-RateLimit", allowance), "Retry-After": str(retry)}
    if error is QuotaExceeded:
        headers.update(_allowance_headers("X-Quota", allowance))
        what = "daily quota"
    else:
        what = "rate limit"
    return error(
        f"The {what} of {allowance.limit} calls is used up; try again in {retry} seconds.",
        extra={"headers": headers, "limit": allowance.limit, "retry_after": retry},
    )


def _take_rate(limits: list[Limit], now: dt.datetime) -> tuple[Allowance, dict[str, int]]:
    """One unit of every subject's minute window (all or none), in a short transaction of
    its own; also returns the daily counts read by the same statement (for `_check_quota`).
    The transaction commits asynchronously: a crash may forget the last fraction of a second
    of attempts, which only a rate window counts (usage rows and quotas are committed
    durably)."""
    used, day_used = _bump_rate_reading_quota(limits, now)
    allowance = _tightest(limits, used, CounterPeriod.MINUTE, now)
    if len(used) < len(limits):  # refused: the statement took no unit from any subject
        raise _refusal(RateLimited, allowance, now)
    return allowance, day_used


def _check_quota(limits: list[Limit], now: dt.datetime, used: dict[str, int]) -> Allowance:
    """What is left of the daily quota before the call (`used`: the counts read with the
    rate bump; nothing is taken)."""
    allowance = _tightest(
        limits, {x.subject: used.get(x.subject, 0) for x in limits}, CounterPeriod.DAY, now
    )
    if allowance.remaining <= 0:
        raise _refusal(QuotaExceeded, allowance, now)
    return allowance


def _take_quota(limits: list[Limit], now: dt.datetime) -> Allowance:
    """One unit of every subject's daily quota, or QuotaExceeded (inside the caller's
    transaction, which the error rolls back)."""
    start, _ = _window(CounterPeriod.DAY, now)
    used = counters.bump([(x.subject, x.day_cap) for x in limits], CounterPeriod.DAY, start)
    allowance = _tightest(limits, used, CounterPeriod.DAY, now)
    if len(used) < len(limits):
        raise _refusal(QuotaExceeded, allowance, now)
    return allowance


# --------------------------------------------------------------------------- metering


def request_id_of(request) -> tuple[uuid.UUID, bool]:
    """The client's X-Request-ID when it is a valid UUID (and whether it was), else a new one."""
    raw = request.headers.get("X-Request-ID", "").strip()
    if raw and len(raw) <= 45:
        try:
            return uuid.UUID(raw), True
        except ValueError:
            pass
    return uuid.uuid4(), False


def _user_or_none(user):
    return user if user is not None and user.is_authenticated else None


def _replayed(request_id: uuid.UUID) -> RequestReplayed:
    return RequestReplayed(
        f"The request id {request_id} was already used; a call is counted once. Send a new "
        "X-Request-ID to make another call.",
        extra={"request_id": str(request_id)},
    )


def _count_on_dataset(dataset: Dataset, version: DistributionVersion | None, kind: str) -> None:
    if kind == UsageKind.DOWNLOAD:
        Dataset.objects.filter(pk=dataset.pk).update(download_count=F("download_count") + 1)
        if version is not None:
            DistributionVersion.objects.filter(pk=version.pk).update(
                download_count=F("download_count") + 1
            )
    else:
        Dataset.objects.filter(pk=dataset.pk).update(api_call_count=F("api_call_count") + 1)


def _touch_due(key: ApiKey | None, now: dt.datetime) -> tuple[int, dt.datetime] | None:
    """(key id, cutoff) when the key's last use is older than the resolution interval (a hot
    key would otherwise rewrite its row on every call), else None."""
    if key is None:
        return None
    cutoff = now - dt.timedelta(seconds=settings.DEVELOPER_LAST_USED_RESOLUTION_SECONDS)
    if key.last_used_at is not None and key.last_used_at > cutoff:
        return None
    return key.pk, cutoff


def _touch_key(key: ApiKey | None, now: dt.datetime) -> None:
    """last_used_at, written at most once per resolution interval."""
    due = _touch_due(key, now)
    if due is None:
        return
    pk, cutoff = due
    ApiKey.objects.filter(pk=pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lte=cutoff)
    ).update(last_used_at=now)
    key.last_used_at = now


@contextmanager
def metered_call(
    *,
    request,
    key: ApiKey | None,
    user,
    dataset: Dataset,
    version: DistributionVersion | None = None,
    kind: str = UsageKind.API_CALL,
    read_only_block: bool = False,
) -> Iterator[Meter]:
    """Meter one call (see the module docstring). Before the block: the rate window is taken
    (RateLimited), the quota is checked (QuotaExceeded) and a replayed X-Request-ID is refused
    (RequestReplayed). The block runs inside `transaction.atomic()`; on normal exit, in that
    transaction: one UsageRecord, the quota decrement (QuotaExceeded if the last unit was
    taken meanwhile: everything rolls back), the dataset's counter, the key's last use.
    A block that raises leaves no row and takes no quota; the exception propagates. A block
    that sets `meter.status` >= 400 gets a usage row but takes no quota.

    Round trips, in production: one for the rate window (one prepared statement, its own
    transaction in autocommit, committed asynchronously), the block's own, and one for the
    writes. A `read_only_block` (a block that writes nothing, so a refused quota has nothing
    of it to undo) outside any atomic block runs in no transaction of ours (`execute.run_json`
    makes its own), and the writes are one prepared statement in autocommit: the usage row +
    quota + counters."""
    if not settings.DEVELOPER_METERING:
        # Metering switched off (the benchmark's comparison): no limits, no usage row.
        yield Meter(request_id=request_id_of(request)[0])
        return
    started = time.monotonic()
    now = timezone.now()
    ip = client_ip(request)
    limits = limits_for(key=key, ip=ip)
    request_id, supplied = request_id_of(request)
    meter = Meter(request_id=request_id)
    meter.rate, day_used = _take_rate(limits, now)
    meter.quota = _check_quota(limits, now, day_used)
    if supplied and UsageRecord.objects.filter(request_id=request_id).exists():
        raise _replayed(request_id)
    if read_only_block and not connection.in_atomic_block:
        # A block that writes nothing needs no transaction around it: it runs in its own
        # (`execute.run_json`), and the closing statement in another.
        yield from _metered_read_only(
            meter,
            started,
            key=key,
            user=user,
            dataset=dataset,
            version=version,
            kind=kind,
            ip=ip,
            limits=limits,
            request_id=request_id,
            supplied=supplied,
        )
        return
    try:
        with transaction.atomic():
            meter.in_own_atomic = True
            try:
                yield meter
            finally:
                meter.in_own_atomic = False
            ended = timezone.now()
            usage = _usage_of(
                meter,
                started,
                ended,
                key=key,
                user=user,
                dataset=dataset,
                version=version,
                kind=kind,
                ip=ip,
            )
            _close(
                meter,
                usage,
                ended,
                key=key,
                dataset=dataset,
                version=version,
                kind=kind,
                limits=limits,
                own_transaction=False,
            )
    except IntegrityError:
        _refuse_replay(request_id, supplied)
        raise


def _refuse_replay(request_id: uuid.UUID, supplied: bool) -> None:
    """After an IntegrityError on the usage row: only a client's X-Request-ID can collide (a
    concurrent duplicate of one checked before the call), and the call is refused as a
    replay; any other IntegrityError is the caller's to re-raise."""
    if supplied and UsageRecord.objects.filter(request_id=request_id).exists():
        raise _replayed(request_id) from None


def _usage_of(
    meter: Meter, started: float, ended: dt.datetime, *, key, user, dataset, version, kind, ip
) -> dict[str, Any]:
    return {
        "request_id": meter.request_id,
        "kind": kind,
        "dataset_id": dataset.pk,
        "version_id": version.pk if version is not None else None,
        "user_id": getattr(_user_or_none(user), "pk", None),
        "api_key_id": key.pk if key is not None else None,
        "status": meter.status,
        "bytes": max(0, int(meter.bytes or 0)),
        "rows": None if meter.rows is None else max(0, int(meter.rows)),
        "duration_ms": int((time.monotonic() - started) * 1000),
        "client_ip": ip,
        "at": ended,
    }


def _metered_read_only(
    meter: Meter,
    started: float,
    *,
    key: ApiKey | None,
    user,
    dataset: Dataset,
    version: DistributionVersion | None,
    kind: str,
    ip: str | None,
    limits: list[Limit],
    request_id: uuid.UUID,
    supplied: bool,
) -> Iterator[Meter]:
    """`metered_call` of a block that writes nothing, outside any atomic block: the block
    runs with no transaction around it, then a served API call's writes are one statement
    in autocommit (`counters.record_call(own_transaction=True)`); anything else is written
    in an atomic block as `metered_call` does."""
    yield meter
    ended = timezone.now()
    usage = _usage_of(
        meter,
        started,
        ended,
        key=key,
        user=user,
        dataset=dataset,
        version=version,
        kind=kind,
        ip=ip,
    )
    try:
        if meter.status < 400 and kind == UsageKind.API_CALL:
            _close(
                meter,
                usage,
                ended,
                key=key,
                dataset=dataset,
                version=version,
                kind=kind,
                limits=limits,
                own_transaction=True,
            )
        else:
            with transaction.atomic():
                _close(
                    meter,
                    usage,
                    ended,
                    key=key,
                    dataset=dataset,
                    version=version,
                    kind=kind,
                    limits=limits,
                    own_transaction=False,
                )
    except IntegrityError:
        _refuse_replay(request_id, supplied)
        raise


def _close(
    meter: Meter,
    usage: dict[str, Any],
    ended: dt.datetime,
    *,
    key: ApiKey | None,
    dataset: Dataset,
    version: DistributionVersion | None,
    kind: str,
    limits: list[Limit],
    own_transaction: bool,
) -> None:
    """A metered call's writes. A served API call: one statement (`counters.record_call`),
    in the caller's transaction after the read-only reset, or `own_transaction` (its own
    transaction, outside any atomic block); anything else: the usage row, then the quota, the dataset's
    counter and the key's last use, in the caller's transaction."""
    if meter.status < 400 and kind == UsageKind.API_CALL:
        start, _ = _window(CounterPeriod.DAY, ended)
        touch = _touch_due(key, ended)
        used = counters.record_call(
            usage,
            pairs=[(x.subject, x.day_cap) for x in limits],
            window_start=start,
            dataset_id=dataset.pk,
            touch=touch,
            reset_first=None if own_transaction else RESET_READ_ONLY,
            durable=settings.DEVELOPER_USAGE_DURABLE_COMMIT,
            own_transaction=own_transaction,
        )
        meter.quota = _tightest(limits, used, CounterPeriod.DAY, ended)
        if len(used) < len(limits):  # nothing was written
            raise _refusal(QuotaExceeded, meter.quota, ended)
        if key is not None and touch is not None:
            key.last_used_at = ended
        return
    counters.record_usage(usage, reset_first=None if own_transaction else RESET_READ_ONLY)
    if meter.status < 400:
        meter.quota = _take_quota(limits, ended)
        _count_on_dataset(dataset, version, kind)
        _touch_key(key, ended)


def record_failed_call(
    *,
    request,
    key: ApiKey | None,
    user,
    dataset: Dataset | None,
    status: int,
    duration_ms: int,
    kind: str = UsageKind.API_CALL,
) -> UsageRecord | None:
    """A usage row for a refused or failed call (a 4xx after authentication, a timeout),
    outside any quota. It gets a fresh request id, so a client's retry with the same
    X-Request-ID is still served. Never raises: a failure to record is logged, and the
    caller's error response goes out as it would. No dataset (the call never named a known
    one): nothing to record, None."""
    if dataset is None:
        return None
    try:
        with transaction.atomic():
            return UsageRecord.objects.create(
                request_id=uuid.uuid4(),
                kind=kind,
                dataset=dataset,
                user=_user_or_none(user),
                api_key=key,
                status=status,
                duration_ms=max(0, int(duration_ms)),
                client_ip=client_ip(request),
                at=timezone.now(),
            )
    except DatabaseError:
        logger.exception("could not record a failed API call")
        return None
