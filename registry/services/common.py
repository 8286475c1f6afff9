"""Shared pieces of every transition: the state table, row locks, event rows and the
reviewer/filer checks."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

from registry.errors import (
    IllegalTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from registry.models import (
    NATIONAL_REGION_CODE,
    Organisation,
    Platform,
    PlatformLevel,
    Registration,
    RegistrationEvent,
    RegistrationStatus,
)
from registry.selectors import can_review, is_own_filing, scope_of
from registry.workdays import local_date

S = RegistrationStatus

# The state machine: which actions each state allows. Used for checks and for the UI.
ALLOWED_ACTIONS: dict[str, list[str]] = {
    S.DRAFT: ["update", "attach", "submit", "withdraw"],
    S.SUBMITTED: ["accept", "require_supplement", "not_accept", "withdraw"],
    S.SUPPLEMENT_REQUIRED: ["update", "attach", "submit", "withdraw"],
    S.UNDER_REVIEW: ["return", "reject", "approve_review", "withdraw"],
    S.RETURNED: ["update", "attach", "submit", "withdraw"],
    S.IN_NOTICE: ["object", "uphold_objection", "dismiss_objection", "complete"],
    S.NOT_ACCEPTED: [],
    S.REJECTED: [],
    S.APPROVED: [],
    S.WITHDRAWN: [],
}
FILER_ACTIONS = {"update", "attach", "submit", "withdraw"}


def _lock(pk: int) -> Registration:
    """Lock one application row (and nothing else) for a transition."""
    try:
        return (
            Registration.objects.select_for_update(of=("self",))
            .select_related("resource", "platform")
            .get(pk=pk)
        )
    except Registration.DoesNotExist:
        raise NotFound("No such registration.") from None


def _check_state(reg: Registration, action: str) -> None:
    if action not in ALLOWED_ACTIONS[reg.status]:
        raise IllegalTransition(
            action=action, current=reg.status, allowed=ALLOWED_ACTIONS[reg.status]
        )


def _event(
    reg: Registration,
    *,
    action: str,
    from_status: str,
    actor,
    now: dt.datetime,
    reason: str = "",
    data: dict | None = None,
) -> RegistrationEvent:
    return RegistrationEvent.objects.create(
        registration=reg,
        action=action,
        from_status=from_status,
        to_status=reg.status,
        actor=actor if actor is not None and actor.is_authenticated else None,
        reason=reason,
        data=data or {},
        at=now,
    )


def _move(
    reg: Registration,
    *,
    action: str,
    to: str,
    actor,
    now: dt.datetime,
    reason: str = "",
    data: dict | None = None,
    fields: dict[str, Any] | None = None,
) -> Registration:
    from_status = reg.status
    reg.status = to
    updates = ["status", "updated_at"]
    for name, value in (fields or {}).items():
        setattr(reg, name, value)
        updates.append(name)
    reg.save(update_fields=updates)
    _event(
        reg, action=action, from_status=from_status, actor=actor, now=now, reason=reason, data=data
    )
    return reg


def _require_reviewer(actor, reg: Registration) -> None:
    if not can_review(user=actor, registration=reg):
        if scope_of(actor).is_reviewer and is_own_filing(user=actor, registration=reg):
            raise PermissionDenied("Reviewers never decide on their own filing.")
        raise NotFound("No such registration.")


def _require_filer(actor, reg: Registration, *, now: dt.datetime) -> None:
    """Holder staff of the holder, or the filing agent while its mandate is still valid (an
    agent whose mandate expired or was revoked can no longer act on the application)."""
    scope = scope_of(actor)
    if reg.resource.holder_id in scope.holder_org_ids:
        return
    if reg.agent_organisation_id and reg.agent_organisation_id in scope.agent_org_ids:
        mandate = reg.mandate
        today = local_date(now)
        if (
            mandate is not None
            and mandate.revoked_at is None
            and mandate.valid_from <= today <= mandate.valid_until
        ):
            return
    raise NotFound("No such registration.")


def clean_reason(reason: Any, *, field: str = "reason") -> str:
    """A required reason: cleaned text, 1 to 2000 characters."""
    text = clean_text(reason)
    if not text:
        raise ValidationFailed("A reason is required.", errors={field: ["This field is required."]})
    if len(text) > 2000:
        raise ValidationFailed(
            "The reason is too long.", errors={field: ["At most 2000 characters."]}
        )
    return text


def clean_text(value: Any) -> str:
    """NFC, no NUL (PostgreSQL text cannot hold it), trimmed."""
    if value is None:
        return ""
    return unicodedata.normalize("NFC", str(value)).replace("\x00", "").strip()


def platform_for(holder: Organisation) -> Platform:
    """属地原则: the holder's province platform if it is live, else the national platform."""
    national = Platform.objects.get(level=PlatformLevel.NATIONAL)
    if holder.is_national_level or holder.region.province_code == NATIONAL_REGION_CODE:
        return national
    provincial = Platform.objects.filter(region_id=holder.region.province_code).first()
    if provincial is None or not provincial.is_live:
        return national
    return provincial
