"""`Idempotency-Key` for billing and order POSTs (TRUST.md §10).

    return idempotent(request, lambda: Response(...))

- no key: the handler runs as usual;
- a new key: a row is claimed (state in progress, committed at once), then the handler runs
  and its response (2xx, or a 4xx problem from a DomainError) is stored with the row **in the
  same transaction as the handler's writes**: an effect is never committed without its stored
  response, so a retry never runs it twice;
- the same key and the same request again: the first response is returned as it was, with
  `Idempotent-Replayed: true`, and nothing runs again (`redact` lets a handler keep a secret,
  such as a credential shown once, out of what is stored and replayed);
- the same key with a different body or path: 422;
- the same key while the first request is still running: 409 with Retry-After;
- the same key while the first request's claim is older than
  COMMERCE_IDEMPOTENCY_STALE_SECONDS (its process died, or was killed by the worker timeout,
  before it committed anything): this request takes the claim over and runs. Should the first
  request still be alive, its completion finds the claim taken and rolls back with 409: the
  handler runs to completion at most once.

Keys belong to the user who sent them; an unexpected error (5xx) rolls the handler back and
releases the key so the client can retry.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from operations.commerce.models import IdempotencyRecord, IdempotencyState
from registry.api_common import PROBLEM_CONTENT_TYPE, problem_exception_handler
from registry.errors import Conflict, DomainError, ValidationFailed

HEADER = "Idempotency-Key"
MAX_KEY = 255


class IdempotencyKeyReused(DomainError):
    status = 422
    type_slug = "idempotency_key_reused"
    title = "Idempotency key reused with a different request"


class IdempotencyInProgress(Conflict):
    type_slug = "idempotency_in_progress"
    title = "A request with this idempotency key is still running"


def _fingerprint(request) -> tuple[str, str]:
    scope = f"{request.method} {request.path}"[:300]
    try:
        body = dict(request.data.lists()) if hasattr(request.data, "lists") else request.data
    except Exception:
        body = request.body.decode("utf-8", "replace")
    canonical = json.dumps(
        {"scope": scope, "body": body}, sort_keys=True, default=str, ensure_ascii=False
    )
    return scope, hashlib.sha256(canonical.encode()).hexdigest()


def _key_of(request) -> str | None:
    raw = request.headers.get(HEADER)
    if raw is None:
        return None
    key = raw.strip()
    if not key or len(key) > MAX_KEY or not key.isprintable():
        raise ValidationFailed(
            f"The {HEADER} header must be 1–{MAX_KEY} printable characters.",
            errors={HEADER: ["Invalid."]},
        )
    return key


def _replay(record: IdempotencyRecord) -> Response:
    response = Response(record.response_body, status=record.response_status)
    if record.response_status >= 400:
        response.content_type = PROBLEM_CONTENT_TYPE
    response["Idempotent-Replayed"] = "true"
    return response


def _in_progress(key: str, message: str) -> IdempotencyInProgress:
    return IdempotencyInProgress(
        message, extra={"idempotency_key": key, "headers": {"Retry-After": "1"}}
    )


def _claim(request, key: str, now: dt.datetime) -> IdempotencyRecord | Response:
    """The claimed row (new, or taken over from a stale claim), or the replayed response."""
    scope, digest = _fingerprint(request)
    for _ in range(3):  # a claim released by a failed first request between our two reads
        try:
            with transaction.atomic():
                return IdempotencyRecord.objects.create(
                    user=request.user,
                    key=key,
                    scope=scope,
                    request_hash=digest,
                    state=IdempotencyState.IN_PROGRESS,
                    created_at=now,
                    claimed_at=now,
                )
        except IntegrityError:
            pass
        with transaction.atomic():
            existing = (
                IdempotencyRecord.objects.select_for_update()
                .filter(user=request.user, key=key)
                .first()
            )
            if existing is None:
                continue
            if existing.request_hash != digest:
                raise IdempotencyKeyReused(
                    "This Idempotency-Key was used for a different request; use a new key for "
                    "a new request.",
                    extra={"idempotency_key": key},
                )
            if existing.state != IdempotencyState.IN_PROGRESS:
                return _replay(existing)
            claimed = existing.claimed_at or existing.created_at
            stale = dt.timedelta(seconds=settings.COMMERCE_IDEMPOTENCY_STALE_SECONDS)
            if claimed > now - stale:
                raise _in_progress(
                    key,
                    "The first request with this Idempotency-Key has not finished; retry later.",
                )
            # The first request died before committing anything: this one runs instead.
            existing.claimed_at = now
            existing.save(update_fields=["claimed_at"])
            return existing
    raise _in_progress(key, "The Idempotency-Key is being claimed by another request; retry later.")


class _TakenOver(Exception):
    pass


def idempotent(
    request,
    handler: Callable[[], Response],
    *,
    redact: Callable[[Any], Any] | None = None,
) -> Response:
    """Run `handler` under the request's Idempotency-Key (see the module docstring). `redact`:
    what of a successful response's body is stored and replayed (the live response is sent
    whole)."""
    key = _key_of(request)
    if key is None:
        return handler()
    now = timezone.now()
    claimed = _claim(request, key, now)
    if isinstance(claimed, Response):
        return claimed
    record = claimed
    try:
        with transaction.atomic():
            try:
                with transaction.atomic():  # a refused request writes nothing
                    response = handler()
            except DomainError as exc:
                response = problem_exception_handler(exc, {})
            body = json.loads(JSONRenderer().render(response.data) or b"null")
            if redact is not None and response.status_code < 400:
                body = redact(body)
            done = IdempotencyRecord.objects.filter(
                pk=record.pk, claimed_at=record.claimed_at, state=IdempotencyState.IN_PROGRESS
            ).update(
                state=IdempotencyState.COMPLETED,
                response_status=response.status_code,
                response_body=body,
                completed_at=timezone.now(),
            )
            if not done:
                raise _TakenOver
    except _TakenOver:
        raise _in_progress(
            key,
            "A later retry with this Idempotency-Key took this request over; nothing of this "
            "one was kept. Repeat the request with the same key for its result.",
        ) from None
    except BaseException:
        IdempotencyRecord.objects.filter(
            pk=record.pk, claimed_at=record.claimed_at, state=IdempotencyState.IN_PROGRESS
        ).delete()
        raise
    return response
