"""Thin scheduled tasks: take `now`, call a service, return a count. Idempotent."""

from celery import shared_task
from django.utils import timezone

from registry import notifications, services


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def close_ended_notices() -> int:
    return services.close_ended_notices(now=timezone.now())


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def flag_overdue_registrations() -> int:
    """Flag what is newly overdue, then e-mail the staff about every flag not yet notified
    (also those a failed earlier run left)."""
    now = timezone.now()
    flagged = services.flag_overdue(now=now)
    notifications.notify_overdue(now=now)
    return flagged


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def update_record_validity() -> dict[str, int]:
    """Mark expiring and expired records, then e-mail registrants about their expiring ones
    (also those a failed earlier run left)."""
    now = timezone.now()
    counts = services.update_record_validity(now=now)
    counts["notified"] = notifications.notify_expiring(now=now)
    return counts


# Federation tasks live in their package; importing registers them with the worker.
from registry.federation import tasks as federation_tasks  # noqa: E402, F401
