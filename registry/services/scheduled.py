"""Sweeps run by Celery beat. Each item is handled in its own transaction."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction

from registry import signals
from registry.errors import (
    Conflict,
    IllegalTransition,
)
from registry.models import (
    ObjectionStatus,
    RecordStatus,
    Registration,
    Resource,
)
from registry.services.coding import registration_complete
from registry.services.common import (
    S,
    _event,
)
from registry.workdays import local_date

logger = logging.getLogger(__name__)


def close_ended_notices(*, now: dt.datetime, batch: int = 200) -> int:
    """Complete every notice that has ended with no objection pending. Each one in its own
    transaction; one that fails does not block the others."""
    done = 0
    ids = list(
        Registration.objects.filter(status=S.IN_NOTICE, notice_end__lt=now)
        .exclude(objections__status=ObjectionStatus.PENDING)
        .order_by("notice_end", "pk")
        .values_list("pk", flat=True)[:batch]
    )
    for pk in ids:
        try:
            registration_complete(registration=Registration(pk=pk), now=now)
            done += 1
        except (Conflict, IllegalTransition):
            continue  # someone else acted first, or an objection arrived
        except Exception:
            # Rolled back on its own; the others still get their codes. It is retried on the
            # next run, and the log says why it failed.
            logger.exception("Could not complete registration %s", pk)
    return done


def flag_overdue(*, now: dt.datetime) -> int:
    """Flag applications past their acceptance or review deadline (once per deadline)."""
    from registry.selectors import overdue_filter

    flagged = 0
    for reg in Registration.objects.filter(overdue_filter(now), overdue_flagged_at__isnull=True):
        with transaction.atomic():
            # Compare-and-swap: only one sweeper flags a given application.
            changed = Registration.objects.filter(
                pk=reg.pk, status=reg.status, overdue_flagged_at__isnull=True
            ).update(overdue_flagged_at=now)
            if changed:
                _event(
                    reg,
                    action="flag_overdue",
                    from_status=reg.status,
                    actor=None,
                    now=now,
                    data={"deadline": reg.current_deadline.isoformat()},
                )
                flagged += 1
    return flagged


def update_record_validity(*, now: dt.datetime) -> dict[str, int]:
    today = local_date(now)
    warn = today + dt.timedelta(days=settings.REGISTRY_EXPIRING_WARNING_DAYS)
    expiring = Resource.objects.filter(
        status=RecordStatus.ACTIVE, valid_until__lte=warn, valid_until__gte=today
    ).update(status=RecordStatus.EXPIRING)
    expired_ids = list(
        Resource.objects.filter(
            status__in=[RecordStatus.ACTIVE, RecordStatus.EXPIRING], valid_until__lt=today
        ).values_list("pk", flat=True)
    )
    expired = 0
    for pk in expired_ids:
        with transaction.atomic():
            changed = Resource.objects.filter(
                pk=pk, status__in=[RecordStatus.ACTIVE, RecordStatus.EXPIRING]
            ).update(status=RecordStatus.EXPIRED)
            if changed:
                expired += 1
                resource = Resource.objects.get(pk=pk)
                signals.record_changed.send(
                    sender=Resource, resource=resource, event="expired", registration=None, now=now
                )
    # Count only rows this run changed: a concurrent sweep may have taken some of them.
    return {"expiring": expiring, "expired": expired}
