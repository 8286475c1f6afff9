"""Thin scheduled tasks: take `now`, call a service, return a count. Idempotent."""

from celery import shared_task
from django.utils import timezone

from operations import services


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def expire_agreements() -> int:
    return services.agreements_expire_due(now=timezone.now())


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def expire_licences() -> int:
    return services.licences_expire_due(now=timezone.now())
