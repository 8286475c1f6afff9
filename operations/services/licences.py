"""Licence transitions. Each locks the licence (and agreement) `FOR UPDATE`: it waits for the
licensed queries running under it (they hold `FOR SHARE`) and every later query sees the new
state. Nothing is served or counted after the commit."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from operations.models import AgreementStatus, Licence, LicenceEvent, LicenceStatus
from operations.services.common import local_day, require_agency_staff, text
from registry.errors import Conflict, IllegalTransition

L = LicenceStatus
TRANSITIONS = {
    "suspend": ((L.ACTIVE,), L.SUSPENDED),
    "reinstate": ((L.SUSPENDED,), L.ACTIVE),
    "revoke": ((L.ACTIVE, L.SUSPENDED), L.REVOKED),
}


def allowed_actions(licence: Licence) -> list[str]:
    return [a for a, (sources, _) in TRANSITIONS.items() if licence.status in sources]


def _change(licence: Licence, status: str, reason: str, actor, now: dt.datetime) -> Licence:
    LicenceEvent.objects.create(
        licence=licence,
        from_status=licence.status,
        to_status=status,
        reason=reason,
        actor=actor,
        at=now,
    )
    licence.status, licence.status_reason, licence.status_changed_at = status, reason, now
    licence.save(update_fields=["status", "status_reason", "status_changed_at"])
    return licence


@transaction.atomic
def licence_transition(
    *, actor, licence: Licence, action: str, reason: str = "", now: dt.datetime
) -> Licence:
    licence = (
        Licence.objects.select_for_update(of=("self", "agreement"))
        .select_related("agreement__agency")
        .get(pk=licence.pk)
    )
    require_agency_staff(actor, licence.agreement.agency)
    rule = TRANSITIONS.get(action)
    if rule is None or licence.status not in rule[0]:
        raise IllegalTransition(
            action=str(action)[:30], current=licence.status, allowed=allowed_actions(licence)
        )
    reason = text(reason, "reason", max_length=1000, required=action != "reinstate")
    if action == "reinstate":
        if licence.agreement.status != AgreementStatus.ACTIVE:
            raise Conflict(
                f"The agreement is {licence.agreement.status}; the licence cannot be reinstated."
            )
        if local_day(now) > licence.valid_until:
            raise Conflict("The licence's validity has ended.")
    return _change(licence, rule[1], reason, actor, now)


def licences_expire_due(*, now: dt.datetime) -> int:
    """Mark licences past their validity as expired (queries already refuse them by date)."""
    count = 0
    due = Licence.objects.filter(
        status__in=[L.ACTIVE, L.SUSPENDED], valid_until__lt=local_day(now)
    ).order_by("pk")
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            licence = Licence.objects.select_for_update().get(pk=pk)
            if licence.status in (L.ACTIVE, L.SUSPENDED) and licence.valid_until < local_day(now):
                _change(licence, L.EXPIRED, "validity ended", None, now)
                count += 1
    return count


__all__ = ["allowed_actions", "licence_transition", "licences_expire_due"]
