"""`Idempotency-Key` for billing POSTs (TRUST.md §10).

    return idempotent(request, lambda: Response(...))

- no key: the handler runs as usual;
- a new key: a row is claimed (state in progress, committed at once), the handler runs, and
  its response (2xx, or a 4xx problem from a DomainError) is stored with the row;
- the same key and the same request again: the first response is returned as it was, with
  `Idempotent-Replayed: true`, and nothing runs again;
- the same key with a different body or path: 422;
- the same key while the first request is still running: 409.

Keys belong to the user who sent them; an unexpected error (5xx) releases the key so the
client can retry.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

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


def _claim(request, key: str) -> tuple[IdempotencyRecord | None, Response | None]:
    scope, digest = _fingerprint(request)
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.create(
                user=request.user,
                key=key,
                scope=scope,
                request_hash=digest,
                state=IdempotencyState.IN_PROGRESS,
                created_at=timezone.now(),
            )
        return record, None
    except IntegrityError:
        existing = IdempotencyRecord.objects.get(user=request.user, key=key)
    if existing.request_hash != digest:
        raise IdempotencyKeyReused(
            "This Idempotency-Key was used for a different request; use a new key for a new "
            "request.",
            extra={"idempotency_key": key},
        )
    if existing.state == IdempotencyState.IN_PROGRESS:
        raise IdempotencyInProgress(
            "The first request with this Idempotency-Key has not finished; retry later.",
            extra={"idempotency_key": key, "headers": {"Retry-After": "1"}},
        )
    return None, _replay(existing)


def idempotent(request, handler: Callable[[], Response]) -> Response:
    key = _key_of(request)
    if key is None:
        return handler()
    record, replay = _claim(request, key)
    if replay is not None:
        return replay
    try:
        response = handler()
    except DomainError as exc:
        response = problem_exception_handler(exc, {})
    except BaseException:
        IdempotencyRecord.objects.filter(pk=record.pk).delete()
        raise
    body = json.loads(JSONRenderer().render(response.data) or b"null")
    IdempotencyRecord.objects.filter(pk=record.pk).update(
        state=IdempotencyState.COMPLETED,
        response_status=response.status_code,
        response_body=body,
        completed_at=timezone.now(),
    )
    return response
