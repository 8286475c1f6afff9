"""Handover: registrants of a province without a live platform file on the national node
(属地原则's fallback). When the province's node goes live, the national node hands their coded
records over to it: the node stores them (keeping their codes and their origin, the national
node), becomes their steward and reports their later changes; the national copy moves under the
province's platform. Records with an application still open stay until it is decided.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction

from registry.errors import Conflict, ValidationFailed
from registry.federation import keys
from registry.federation.apply import materialise, platform_of_province
from registry.federation.client import PeerError, signed_request
from registry.federation.conf import node
from registry.federation.models import FederatedRecord, FederationNode
from registry.federation.payload import snapshot
from registry.federation.pull import node_url
from registry.models import OPEN_STATUSES, Platform, PlatformLevel, Resource

logger = logging.getLogger(__name__)

HANDOVER_PATH = "/registry/federation/api/handover/"
BATCH = 50


def handover_candidates(fed_node: FederationNode):
    """Coded records filed on the national platform by registrants of the node's province."""
    return (
        Resource.objects.filter(
            platform__level=PlatformLevel.NATIONAL,
            code__isnull=False,
            holder__region__province_code=fed_node.province_id,
            holder__is_national_level=False,
            federation__isnull=True,
        )
        .exclude(registrations__status__in=OPEN_STATUSES)
        .select_related("holder__region", "platform__region", "current_version__registration")
        .order_by("pk")
    )


def records_handover(*, fed_node: FederationNode, now: dt.datetime) -> dict:
    """Send every candidate to the node, batch by batch; each batch is committed here only
    after the node has stored it. Safe to run again (the node updates what it already has)."""
    config = node()
    if not config.is_national:
        raise Conflict("Only the national node hands records over.")
    if not fed_node.is_enabled:
        raise Conflict("The node is disabled.")
    handed = 0
    while True:
        batch = list(handover_candidates(fed_node)[:BATCH])
        if not batch:
            break
        records = [
            {
                "origin_node": config.node_code,
                "origin_id": r.pk,
                "version": 1,
                "snapshot": snapshot(r),
            }
            for r in batch
        ]
        _send(fed_node, records)
        _mark_handed_over(fed_node, batch, national_code=config.node_code, now=now)
        handed += len(batch)
    Platform.objects.filter(region_id=fed_node.province_id).update(is_live=True)
    return {"handed_over": handed, "still_open": _still_open(fed_node)}


def _still_open(fed_node: FederationNode) -> int:
    return (
        Resource.objects.filter(
            platform__level=PlatformLevel.NATIONAL,
            holder__region__province_code=fed_node.province_id,
            holder__is_national_level=False,
            federation__isnull=True,
            registrations__status__in=OPEN_STATUSES,
        )
        .distinct()
        .count()
    )


def _send(fed_node: FederationNode, records: list[dict]) -> None:
    try:
        response = signed_request(
            "POST",
            node_url(fed_node, HANDOVER_PATH),
            payload={"records": records},
            peer_key=keys.load_public(fed_node.public_key),
        )
    except PeerError as exc:
        raise Conflict(f"The node could not be reached: {exc}") from None
    accepted = response.data.get("accepted")
    if response.status != 200 or accepted != len(records):
        raise Conflict(
            f"The node did not take the records: {response.data.get('detail', response.status)}"
        )


@transaction.atomic
def _mark_handed_over(fed_node, batch, *, national_code: str, now: dt.datetime) -> None:
    platform = platform_of_province(fed_node.province_id)
    for resource in batch:
        FederatedRecord.objects.create(
            resource=resource,
            origin_node=national_code,
            origin_id=resource.pk,
            steward_node=fed_node.code,
            version=1,
            national_code=resource.code,
            confirmed_at=now,
            synced_at=now,
            handed_over_at=now,
        )
        Resource.objects.filter(pk=resource.pk).update(platform=platform)


def records_receive(*, records: list, now: dt.datetime) -> int:
    """Provincial side: store handed-over records (no outbox: the national node has them)."""
    config = node()
    if not isinstance(records, list) or len(records) > BATCH * 4:
        raise ValidationFailed("records must be a list of at most 200 items.")
    platform = platform_of_province(config.province)
    accepted = 0
    with transaction.atomic():
        for item in records:
            if not isinstance(item, dict) or not isinstance(item.get("snapshot"), dict):
                raise ValidationFailed("Each record needs a snapshot.")
            snap = item["snapshot"]
            if snap.get("holder", {}).get("region", "")[:2] != config.province[:2]:
                raise ValidationFailed("A handed-over record must belong to this province.")
            fed = materialise(
                snap=snap,
                origin_node=str(item.get("origin_node", "")),
                origin_id=int(item.get("origin_id", 0)),
                steward_node=config.node_code,
                version=int(item.get("version", 1)),
                platform=platform,
                now=now,
                code=snap.get("code"),
            )
            FederatedRecord.objects.filter(pk=fed.pk).update(
                national_code=snap.get("code") or "", confirmed_at=now, handed_over_at=now
            )
            accepted += 1
    return accepted
