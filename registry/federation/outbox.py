"""Provincial side: every registration event the national level must know is written to the
outbox in the same transaction as the change (a receiver of registry.signals.record_changed,
which is sent inside that transaction).

Sequences are per node and gapless: the counter row in OutboxState is locked and incremented
in the same transaction, so a rolled-back change leaves no hole and commit order is sequence
order (a second writer waits for the first to commit before it takes the next number).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import connection

from registry.federation.conf import node
from registry.federation.models import FederatedRecord, OutboxEvent, OutboxState
from registry.federation.payload import province_of, snapshot
from registry.models import Resource

logger = logging.getLogger(__name__)

REPORTED_EVENTS = {"coded", "changed", "corrected", "deregistered", "expired"}


def on_record_changed(sender, *, resource, event, registration=None, now, **kwargs) -> None:
    """registry.signals.record_changed: on a provincial node, append the event to the outbox.
    Does nothing in single-deployment mode or on the national node."""
    config = node()
    if not config.is_provincial or event not in REPORTED_EVENTS:
        return
    outbox_append(resource=resource, event=event, now=now)


def _lock_state() -> OutboxState:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO registry_outboxstate (id, last_sequence, acked_sequence, last_error, "
            "failures) VALUES (1, 0, 0, '', 0) ON CONFLICT (id) DO NOTHING"
        )
    return OutboxState.objects.select_for_update().get(pk=1)


def federated_record_for(resource: Resource, *, own_node: str) -> FederatedRecord:
    """The record's federation row, locked; created for a record first registered here."""
    FederatedRecord.objects.get_or_create(
        resource=resource,
        defaults={"origin_node": own_node, "origin_id": resource.pk, "steward_node": own_node},
    )
    return FederatedRecord.objects.select_for_update().get(resource=resource)


def outbox_append(*, resource: Resource, event: str, now: dt.datetime) -> OutboxEvent | None:
    """Write one outbox row for `event` on `resource` (the caller's transaction). Records this
    node is not the steward of are never reported (no loops: nothing goes back to its origin)."""
    config = node()
    resource = Resource.objects.select_related(
        "holder__region", "platform__region", "current_version__registration"
    ).get(pk=resource.pk)
    record = federated_record_for(resource, own_node=config.node_code)
    if record.steward_node != config.node_code:
        logger.info(
            "Not reporting %s of %s: stewarded by %s", event, record.key, record.steward_node
        )
        return None
    record.version += 1
    record.save(update_fields=["version"])
    return append_event(
        resource=resource,
        event=event,
        version=record.version,
        now=now,
        origin=(record.origin_node, record.origin_id),
        body={"province": province_of(resource), "snapshot": snapshot(resource)},
    )


def append_event(
    *,
    resource: Resource,
    event: str,
    version: int,
    now: dt.datetime,
    body: dict,
    origin: tuple[str, int] | None = None,
) -> OutboxEvent:
    """Take the next sequence and write the outbox row (the caller's transaction)."""
    origin_node, origin_id = origin or (node().node_code, resource.pk)
    state = _lock_state()
    state.last_sequence += 1
    state.save(update_fields=["last_sequence"])
    payload = {
        "sequence": state.last_sequence,
        "event": event,
        "record": {"origin_node": origin_node, "origin_id": origin_id, "version": version},
        "occurred_at": now.isoformat(),
        **body,
    }
    return OutboxEvent.objects.create(
        sequence=state.last_sequence,
        resource=resource,
        event=event,
        version=version,
        payload=payload,
        created_at=now,
    )
