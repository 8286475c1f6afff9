"""National side: the pull fallback. When a node's pushes stall (its worker is down, its
outbound network is blocked), the national node fetches the node's changes since its own
durable cursor, with the same signatures, bounded pages, timeouts and no redirects, and hands
them to the same sequence-checked receiver as pushed events."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings

from registry.federation import keys
from registry.federation.client import PeerError, signed_request
from registry.federation.inbound import STOP, receive_batch
from registry.federation.models import FederationNode

logger = logging.getLogger(__name__)

CHANGES_PATH = "/registry/federation/api/changes/"
MAX_PAGES_PER_RUN = 20


def node_url(fed_node: FederationNode, path: str) -> str:
    return fed_node.base_url.rstrip("/") + path


def peer_get(fed_node: FederationNode, path: str) -> dict:
    """A signed GET to a node whose signed answer must verify with the node's key."""
    try:
        response = signed_request(
            "GET", node_url(fed_node, path), peer_key=keys.load_public(fed_node.public_key)
        )
    except (PeerError, ValueError) as exc:
        raise PeerError(f"{fed_node.code}: {exc}") from None
    if response.status != 200:
        raise PeerError(
            f"{fed_node.code}: HTTP {response.status} {response.data.get('detail', '')}"
        )
    return response.data


def node_pull(*, fed_node: FederationNode, now: dt.datetime) -> dict:
    """Fetch and apply a node's events after our cursor, page by page (bounded per run)."""
    page = settings.FEDERATION_PULL_PAGE_SIZE
    counts = {"received": 0, "applied": 0}
    for _ in range(MAX_PAGES_PER_RUN):
        fed_node.refresh_from_db()
        try:
            data = peer_get(fed_node, f"{CHANGES_PATH}?after={fed_node.last_sequence}&limit={page}")
        except PeerError as exc:
            FederationNode.objects.filter(pk=fed_node.pk).update(
                last_error=f"pull: {exc}"[:2000], last_error_at=now
            )
            raise
        events = data.get("events")
        if not isinstance(events, list) or not events:
            break
        results = receive_batch(node=fed_node, events=events[:page], now=now, via="pull")
        counts["received"] += len(results)
        counts["applied"] += sum(
            1 for r in results if r["status"] == "applied" and not r.get("replayed")
        )
        if any(r["status"] in STOP for r in results) or len(events) < page:
            break
    FederationNode.objects.filter(pk=fed_node.pk).update(last_pull_at=now)
    return counts
