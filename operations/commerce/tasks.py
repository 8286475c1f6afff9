"""Scheduled work of the paid channel."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from operations.commerce.models import IdempotencyRecord


@shared_task
def prune_idempotency_records() -> int:
    """Forget idempotency keys older than COMMERCE_IDEMPOTENCY_RETENTION_DAYS (a replay
    after that is a new request); returns how many were deleted."""
    cutoff = timezone.now() - dt.timedelta(days=settings.COMMERCE_IDEMPOTENCY_RETENTION_DAYS)
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
