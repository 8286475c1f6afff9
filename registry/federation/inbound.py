"""National side: receive a provincial node's events (pushed, or pulled by us), in sequence.

Per node, events are handled one at a time under a row lock on the node, each in its own
transaction with its InboundEvent row and the cursor move, so a crash between two events loses
nothing and repeats nothing:
- a sequence already handled is a replay: the first result is returned again (a different body
  under the same sequence is a conflict, refused and logged);
- a sequence beyond the next expected one is a gap: reported with the expected sequence so the
  node sends again from there;
- the record must belong to the node's province, and to the node (its origin, or handed over to
  it): anything else is refused and logged, and the sequence is consumed so the queue moves on;
- a version not newer than the stored one is refused as stale;
- otherwise the snapshot is applied and the unified code assigned or confirmed.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction

from registry.codes import get_national_code_rule
from registry.errors import ValidationFailed
from registry.federation.apply import materialise, platform_of_province
from registry.federation.models import FederatedRecord, FederationNode, InboundEvent
from registry.federation.notices import notice_apply
from registry.federation.payload import event_digest, parse_moment
from registry.models import Resource

logger = logging.getLogger(__name__)

STOP = {"gap", "conflict", "invalid"}
MAX_EVENTS_PER_BATCH = 500


class Refused(Exception):
    """The event is consumed but not applied."""

    def __init__(self, outcome: str, detail: str, **extra) -> None:
        super().__init__(detail)
        self.outcome = outcome
        self.detail = detail
        self.extra = extra


def receive_batch(
    *, node: FederationNode, events: list, now: dt.datetime, via: str = "push"
) -> list[dict]:
    """Handle events in order; stop at the first gap, conflict or malformed event."""
    results = []
    for event in events[:MAX_EVENTS_PER_BATCH]:
        result = receive_event(node=node, event=event, now=now, via=via)
        results.append(result)
        if result["status"] in STOP:
            break
    return results


def _sequence_of(event) -> int | None:
    if not isinstance(event, dict):
        return None
    sequence = event.get("sequence")
    if isinstance(sequence, bool) or not isinstance(sequence, int) or sequence < 1:
        return None
    return sequence


@transaction.atomic
def receive_event(*, node: FederationNode, event, now: dt.datetime, via: str = "push") -> dict:
    node = FederationNode.objects.select_for_update().get(pk=node.pk)
    sequence = _sequence_of(event)
    if sequence is None:
        return {"sequence": None, "status": "invalid", "detail": "An event needs a sequence."}
    digest = event_digest(event)
    first = InboundEvent.objects.filter(node=node, sequence=sequence).first()
    if first is not None:
        if first.body_digest != digest:
            logger.warning(
                "Federation: node %s reused sequence %s with another body", node.code, sequence
            )
            _note_error(node, now, f"sequence {sequence} reused with a different body")
            return {"sequence": sequence, "status": "conflict", "detail": "Sequence already used."}
        return {**first.result, "replayed": True}
    expected = node.last_sequence + 1
    if sequence != expected:
        return {"sequence": sequence, "status": "gap", "expected": expected}
    record = event.get("record") if isinstance(event.get("record"), dict) else {}
    try:
        result = _apply(node, event, record, now=now)
        outcome = "applied"
    except Refused as refusal:
        outcome = refusal.outcome
        result = {"status": refusal.outcome, "detail": refusal.detail, **refusal.extra}
        if outcome == "refused":
            logger.warning(
                "Federation: refused event %s of node %s: %s", sequence, node.code, refusal.detail
            )
            node.refused_count += 1
            _note_error(node, now, f"#{sequence}: {refusal.detail}")
    result["sequence"] = sequence
    InboundEvent.objects.create(
        node=node,
        sequence=sequence,
        body_digest=digest,
        event=str(event.get("event", ""))[:20],
        record_key=f"{record.get('origin_node', '')}:{record.get('origin_id', '')}"[:80],
        version=record.get("version") if isinstance(record.get("version"), int) else 0,
        outcome=outcome,
        result=result,
        via=via,
        received_at=now,
    )
    node.last_sequence = sequence
    node.last_success_at = now
    if outcome == "applied":
        node.last_event_at = parse_moment(event.get("occurred_at")) or now
    node.save()
    return result


def _note_error(node: FederationNode, now: dt.datetime, message: str) -> None:
    node.last_error = message[:2000]
    node.last_error_at = now
    node.save(update_fields=["last_error", "last_error_at"])


def _record_identity(record: dict) -> tuple[str, int, int]:
    origin_node, origin_id, version = (
        record.get("origin_node"),
        record.get("origin_id"),
        record.get("version"),
    )
    if not isinstance(origin_node, str) or not origin_node:
        raise Refused("refused", "The event names no origin node.")
    for value in (origin_id, version):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise Refused("refused", "The event's record id and version must be positive.")
    return origin_node, origin_id, version


def _apply(node: FederationNode, event: dict, record: dict, *, now: dt.datetime) -> dict:
    origin_node, origin_id, version = _record_identity(record)
    province = event.get("province")
    if province != node.province_id:
        raise Refused(
            "refused",
            f"Record of province {province!r} reported by the node of {node.province_id}.",
        )
    if event.get("event") == "notice":
        return _apply_notice(node, event, now=now)
    existing = (
        FederatedRecord.objects.select_related("resource")
        .filter(origin_node=origin_node, origin_id=origin_id)
        .first()
    )
    if origin_node != node.code and (existing is None or existing.steward_node != node.code):
        raise Refused("refused", f"Record {origin_node}:{origin_id} is not kept by this node.")
    if existing is not None and existing.steward_node != node.code:
        raise Refused("refused", f"Record {origin_node}:{origin_id} is kept by another node.")
    if existing is not None and version <= existing.version:
        raise Refused(
            "stale",
            f"Version {version} is not newer than the stored version {existing.version}.",
            current_version=existing.version,
            national_code=existing.resource.code or "",
        )
    snap = event.get("snapshot")
    if not isinstance(snap, dict):
        raise Refused("refused", "The event carries no record snapshot.")
    try:
        platform = platform_of_province(province)
        fed = materialise(
            snap=snap,
            origin_node=origin_node,
            origin_id=origin_id,
            steward_node=node.code,
            version=version,
            platform=platform,
            now=now,
        )
    except ValidationFailed as exc:
        raise Refused("refused", exc.detail, errors=exc.errors) from None
    return {"status": "applied", **_confirm_code(fed, proposed=snap.get("code"), now=now)}


def _confirm_code(fed: FederatedRecord, *, proposed, now: dt.datetime) -> dict:
    resource = Resource.objects.select_related("platform__region").get(pk=fed.resource_id)
    if not resource.code:
        resource.code = get_national_code_rule()(resource, proposed, now)
        resource.save(update_fields=["code", "updated_at"])
        from registry.services.coding import _refresh_search

        _refresh_search(resource)
    if fed.national_code != resource.code:
        fed.national_code = resource.code
        fed.confirmed_at = now
        fed.save(update_fields=["national_code", "confirmed_at"])
    return {"national_code": resource.code, "confirmed": resource.code == proposed}


def _apply_notice(node: FederationNode, event: dict, *, now: dt.datetime) -> dict:
    try:
        result = notice_apply(fed_node=node, event=event, now=now)
    except ValidationFailed as exc:
        raise Refused("refused", exc.detail) from None
    if result["status"] == "stale":
        raise Refused("stale", result["detail"])
    return result
