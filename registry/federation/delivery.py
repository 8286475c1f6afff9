"""Provincial side: deliver the outbox to the national node, in sequence order, and serve the
national node's pull requests.

The durable cursor is OutboxState.acked_sequence: only a sequence the national node answered
for (applied, replayed, stale or refused) moves it, in the same transaction that stores the
answer. A crash before that resends the batch, and the national node answers the replays with
their first results, so nothing is lost and nothing is applied twice. A gap answer moves the
cursor back to what the national node expects.
"""

from __future__ import annotations

import datetime as dt
import logging
from contextlib import contextmanager

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from registry.federation import keys
from registry.federation.client import PeerError, signed_request
from registry.federation.conf import node
from registry.federation.models import FederatedRecord, OutboxEvent, OutboxState, OutboxStatus
from registry.federation.outbox import _lock_state
from registry.federation.payload import canonical_json

logger = logging.getLogger(__name__)

EVENTS_PATH = "/registry/federation/api/events/"
HANDLED = {"applied", "stale", "refused"}
MAX_BATCHES_PER_RUN = 20
_LOCK_ID = 8_000_008


class DeliveryFailed(Exception):
    """The national node could not take the batch now (retried with backoff)."""


@contextmanager
def _single_deliverer():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [_LOCK_ID])
        got = cursor.fetchone()[0]
    try:
        yield got
    finally:
        if got:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [_LOCK_ID])


def outbox_deliver(*, now: dt.datetime | None = None, batch_size: int | None = None) -> dict:
    """Send pending events until the outbox is empty (bounded per run). Raises DeliveryFailed
    when the national node cannot be reached or refuses the request as a whole."""
    config = node()
    if not config.is_provincial:
        return {"sent": 0, "acked": 0}
    batch_size = batch_size or settings.FEDERATION_BATCH_SIZE
    totals = {"sent": 0, "acked": 0}
    with _single_deliverer() as got:
        if not got:
            return totals
        for _ in range(MAX_BATCHES_PER_RUN):
            with transaction.atomic():
                acked = _lock_state().acked_sequence
            rows = list(
                OutboxEvent.objects.filter(sequence__gt=acked).order_by("sequence")[:batch_size]
            )
            if not rows:
                break
            moved = _send(rows, now=now or timezone.now(), url=config.national_url + EVENTS_PATH)
            totals["sent"] += len(rows)
            totals["acked"] += moved
            if moved <= 0:
                break
    return totals


def _send(rows: list[OutboxEvent], *, now: dt.datetime, url: str) -> int:
    try:
        response = signed_request(
            "POST",
            url,
            payload={"events": [row.payload for row in rows]},
            peer_key=keys.national_public_key(),
        )
    except PeerError as exc:
        _failed(now, str(exc))
        raise DeliveryFailed(str(exc)) from None
    if response.status == 413 and len(rows) > 1:  # big snapshots: send fewer at a time
        return _send(rows[: len(rows) // 2], now=now, url=url)
    if response.status != 200 or not isinstance(response.data.get("results"), list):
        detail = response.data.get("detail") or f"HTTP {response.status}"
        _failed(now, f"national node: {detail}")
        raise DeliveryFailed(detail)
    return _record_results(response.data["results"], now=now)


def _failed(now: dt.datetime, message: str) -> None:
    logger.warning("Federation delivery failed: %s", message)
    with transaction.atomic():
        state = _lock_state()
        state.last_attempt_at = now
        state.last_error = message[:2000]
        state.failures += 1
        state.save(update_fields=["last_attempt_at", "last_error", "failures"])


@transaction.atomic
def _record_results(results: list, *, now: dt.datetime) -> int:
    """Store the national node's answers and move the cursor; the number of sequences moved
    (negative after a gap moved it back)."""
    state = _lock_state()
    start = state.acked_sequence
    error = ""
    for result in results:
        status = result.get("status") if isinstance(result, dict) else None
        sequence = result.get("sequence") if isinstance(result, dict) else None
        if status in HANDLED and sequence == state.acked_sequence + 1:
            _store_answer(sequence, result, now=now)
            state.acked_sequence = sequence
        elif status == "gap" and isinstance(result.get("expected"), int):
            state.acked_sequence = min(state.acked_sequence, max(result["expected"] - 1, 0))
            error = f"national node expects sequence {result['expected']}"
            break
        else:
            error = f"unexpected answer for sequence {sequence}: {result}"[:500]
            break
    state.last_attempt_at = now
    if state.acked_sequence > start or not error:
        state.last_success_at = now
        state.failures = 0
    state.last_error = error
    state.save()
    if error:
        logger.warning("Federation delivery: %s", error)
    return state.acked_sequence - start


def _store_answer(sequence: int, result: dict, *, now: dt.datetime) -> None:
    refused = result["status"] == "refused"
    row = OutboxEvent.objects.filter(sequence=sequence).first()
    if row is None:
        return
    row.status = OutboxStatus.REFUSED if refused else OutboxStatus.DELIVERED
    row.result = result
    row.delivered_at = now
    row.save(update_fields=["status", "result", "delivered_at"])
    code = result.get("national_code")
    if code and not refused:
        FederatedRecord.objects.filter(resource_id=row.resource_id).exclude(
            national_code=code
        ).update(national_code=code, confirmed_at=now)
        FederatedRecord.objects.filter(resource_id=row.resource_id).update(synced_at=now)


def changes_since(*, after: int, limit: int) -> dict:
    """The pull fallback's page: events after a sequence, oldest first, bounded."""
    limit = max(1, min(limit, settings.FEDERATION_PULL_PAGE_SIZE))
    rows = OutboxEvent.objects.filter(sequence__gt=after).order_by("sequence")[:limit]
    budget = settings.FEDERATION_MAX_BODY_BYTES * 9 // 10  # the answer must stay under the cap
    events, size = [], 0
    for row in rows:
        size += len(canonical_json(row.payload))
        if events and size > budget:
            break
        events.append(row.payload)
    state = OutboxState.objects.filter(pk=1).first()
    return {"events": events, "last_sequence": state.last_sequence if state else 0}


def outbox_backfill(*, now: dt.datetime) -> int:
    """Queue a "coded" event for every coded record of this node not reported yet (a node that
    ran alone before it was federated). Each record in its own transaction."""
    from registry.federation.outbox import outbox_append
    from registry.models import Resource

    if not node().is_provincial:
        return 0
    ids = list(
        Resource.objects.filter(code__isnull=False, federation__isnull=True)
        .order_by("registered_at", "pk")
        .values_list("pk", flat=True)
    )
    for pk in ids:
        with transaction.atomic():
            resource = Resource.objects.select_for_update().get(pk=pk)
            outbox_append(resource=resource, event="coded", now=now)
    return len(ids)
