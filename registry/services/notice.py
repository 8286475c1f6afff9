"""Public notice (公示): objections filed, upheld or dismissed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from registry.errors import (
    Conflict,
    IllegalTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from registry.models import Objection as ObjectionModel
from registry.models import (
    ObjectionStatus,
    Registration,
)
from registry.selectors import registration_visible_to
from registry.services.common import (
    S,
    _check_state,
    _event,
    _lock,
    _move,
    _require_reviewer,
    clean_reason,
    clean_text,
)


@transaction.atomic
def objection_file(
    *, actor, registration: Registration, reason: str, contact: str = "", now: dt.datetime
) -> ObjectionModel:
    """Anyone logged in may object while the notice runs."""
    if not actor.is_authenticated:
        raise PermissionDenied("Log in to file an objection.")
    text = clean_reason(reason)
    reg = _lock(registration.pk)
    if reg.status != S.IN_NOTICE or reg.notice_end is None:
        # Outside its notice an application is not public: only those who may see it anyway
        # (its filers and reviewers) learn its state; everyone else gets a plain 404.
        if registration_visible_to(actor).filter(pk=reg.pk).exists():
            _check_state(reg, "object")
        raise NotFound("No such notice.")
    if now > reg.notice_end:
        raise Conflict(
            "The public notice period has ended.", extra={"notice_end": reg.notice_end.isoformat()}
        )
    contact_text = clean_text(contact)
    if len(contact_text) > 200:
        raise ValidationFailed("Contact too long.", errors={"contact": ["At most 200 characters."]})
    objection = ObjectionModel.objects.create(
        registration=reg, objector=actor, reason=text, contact=contact_text, created_at=now
    )
    _event(
        reg,
        action="object",
        from_status=reg.status,
        actor=actor,
        now=now,
        data={"objection": objection.pk},
    )
    return objection


def _lock_objection(pk: int) -> ObjectionModel:
    try:
        return ObjectionModel.objects.select_for_update().get(pk=pk)
    except ObjectionModel.DoesNotExist:
        raise NotFound("No such objection.") from None


@transaction.atomic
def objection_uphold(
    *, actor, objection: ObjectionModel, reason: str, outcome: str, now: dt.datetime
) -> ObjectionModel:
    """An upheld objection ends the notice: the application is returned for correction or
    rejected (`outcome`)."""
    text = clean_reason(reason)
    if outcome not in (S.RETURNED, S.REJECTED):
        raise ValidationFailed(
            "Unknown outcome.", errors={"outcome": ["Must be returned or rejected."]}
        )
    reg = _lock(objection.registration_id)
    obj = _lock_objection(objection.pk)
    _require_reviewer(actor, reg)
    _check_objection(obj, reg, "uphold_objection")
    obj.status, obj.decided_by, obj.decided_at, obj.decision_reason = (
        ObjectionStatus.UPHELD,
        actor,
        now,
        text,
    )
    obj.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    fields: dict[str, Any] = {"decision_reason": text, "notice_end": reg.notice_end}
    if outcome == S.REJECTED:
        fields["decided_at"] = now
    _move(
        reg,
        action="uphold_objection",
        to=outcome,
        actor=actor,
        now=now,
        reason=text,
        data={"objection": obj.pk},
        fields=fields,
    )
    # Other objections on the same notice are moot once one is upheld.
    reg.objections.filter(status=ObjectionStatus.PENDING).update(
        status=ObjectionStatus.DISMISSED,
        decided_by=actor,
        decided_at=now,
        decision_reason="Notice ended by another upheld objection.",
    )
    return obj


@transaction.atomic
def objection_dismiss(
    *, actor, objection: ObjectionModel, reason: str, now: dt.datetime
) -> ObjectionModel:
    text = clean_reason(reason)
    reg = _lock(objection.registration_id)
    obj = _lock_objection(objection.pk)
    _require_reviewer(actor, reg)
    _check_objection(obj, reg, "dismiss_objection")
    obj.status, obj.decided_by, obj.decided_at, obj.decision_reason = (
        ObjectionStatus.DISMISSED,
        actor,
        now,
        text,
    )
    obj.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    _event(
        reg,
        action="dismiss_objection",
        from_status=reg.status,
        actor=actor,
        now=now,
        reason=text,
        data={"objection": obj.pk},
    )
    return obj


def _check_objection(obj: ObjectionModel, reg: Registration, action: str) -> None:
    _check_state(reg, action)
    if obj.status != ObjectionStatus.PENDING:
        raise IllegalTransition(action=action, current=f"objection {obj.status}", allowed=[])
