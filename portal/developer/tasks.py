"""Thin Celery tasks: idempotent, `now` passed in, transient database errors retried."""

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from portal.developer import rollup


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def rollup_usage() -> dict[str, object]:
    """Recompute the recent hour and day buckets (every 5 minutes from beat)."""
    return rollup.rollup_recent(now=timezone.now()).as_dict()


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def prune_counters() -> int:
    return rollup.counters_prune(now=timezone.now())
