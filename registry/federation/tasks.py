"""Thin federation tasks: call a service, return counts. Idempotent; safe to run twice."""

from celery import shared_task
from django.utils import timezone

from registry.federation.client import PeerError
from registry.federation.conf import node
from registry.federation.delivery import DeliveryFailed, outbox_deliver
from registry.federation.models import FederationNode
from registry.federation.pull import node_pull


@shared_task(
    acks_late=True,
    autoretry_for=(DeliveryFailed,),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
)
def deliver_outbox() -> dict:
    """Provincial node: send the outbox (beat runs it often; retried with backoff on failure;
    whatever is left waits for the next run, the cursor is durable)."""
    return outbox_deliver(now=timezone.now())


@shared_task(acks_late=True)
def pull_nodes() -> dict:
    """National node: the pull fallback for every enabled node (one failing node does not stop
    the others)."""
    if not node().is_national:
        return {}
    counts = {}
    for fed_node in FederationNode.objects.filter(is_enabled=True):
        try:
            counts[fed_node.code] = node_pull(fed_node=fed_node, now=timezone.now())
        except PeerError as exc:
            counts[fed_node.code] = {"error": str(exc)}
    return counts
