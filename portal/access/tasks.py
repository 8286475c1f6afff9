"""Thin Celery tasks: idempotent, `now` passed in, transient database errors retried."""

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from portal.access import services


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def expire_grants() -> int:
    """Record grants past their expiry as expired (every minute from beat). Access itself
    never waits for this: `can_download` compares the expiry with the clock."""
    return services.grants_expire(now=timezone.now())


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def flag_overdue_applications() -> int:
    return services.applications_flag_overdue(now=timezone.now())
