"""The reviewer's side: acceptance (受理) and formal review (形式审核)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction

from registry.errors import ValidationFailed
from registry.models import Registration
from registry.services.coding import _complete_locked
from registry.services.common import (
    S,
    _check_state,
    _lock,
    _move,
    _require_reviewer,
    clean_reason,
    clean_text,
)
from registry.workdays import deadline_after


@transaction.atomic
def registration_accept(*, actor, registration: Registration, now: dt.datetime) -> Registration:
    reg = _lock(registration.pk)
    _require_reviewer(actor, reg)
    _check_state(reg, "accept")
    return _move(
        reg,
        action="accept",
        to=S.UNDER_REVIEW,
        actor=actor,
        now=now,
        fields={
            "accepted_at": now,
            "review_deadline": deadline_after(now, settings.REGISTRY_REVIEW_WORKING_DAYS),
            "overdue_flagged_at": None,
            "overdue_notified_at": None,
        },
    )


@transaction.atomic
def registration_require_supplement(
    *, actor, registration: Registration, items: list[dict[str, str]], now: dt.datetime
) -> Registration:
    """一次性告知: one notice listing everything missing. Each item names a field (or
    'attachments') and what is wrong."""
    reg = _lock(registration.pk)
    _require_reviewer(actor, reg)
    _check_state(reg, "require_supplement")
    cleaned = _check_supplement_items(items)
    return _move(
        reg,
        action="require_supplement",
        to=S.SUPPLEMENT_REQUIRED,
        actor=actor,
        now=now,
        data={"items": cleaned},
        fields={"supplement_items": cleaned, "acceptance_deadline": None},
    )


def _check_supplement_items(items: Any) -> list[dict[str, str]]:
    if not isinstance(items, list) or not items:
        raise ValidationFailed(
            "List every missing item at once.",
            errors={"items": ["At least one item is required."]},
        )
    if len(items) > 100:
        raise ValidationFailed("Too many items.", errors={"items": ["At most 100 items."]})
    cleaned = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise ValidationFailed("Invalid item.", errors={f"items[{i}]": ["Must be an object."]})
        field = clean_text(item.get("field"))[:60] or "general"
        message = clean_text(item.get("message"))
        if not message:
            raise ValidationFailed(
                "Each item needs a message.", errors={f"items[{i}].message": ["Required."]}
            )
        cleaned.append({"field": field, "message": message[:1000]})
    return cleaned


@transaction.atomic
def registration_not_accept(
    *, actor, registration: Registration, reason: str, now: dt.datetime
) -> Registration:
    text = clean_reason(reason)
    reg = _lock(registration.pk)
    _require_reviewer(actor, reg)
    _check_state(reg, "not_accept")
    return _move(
        reg,
        action="not_accept",
        to=S.NOT_ACCEPTED,
        actor=actor,
        now=now,
        reason=text,
        fields={"decided_at": now, "decision_reason": text},
    )


@transaction.atomic
def registration_return(
    *, actor, registration: Registration, reason: str, now: dt.datetime
) -> Registration:
    text = clean_reason(reason)
    reg = _lock(registration.pk)
    _require_reviewer(actor, reg)
    _check_state(reg, "return")
    return _move(
        reg,
        action="return",
        to=S.RETURNED,
        actor=actor,
        now=now,
        reason=text,
        fields={"decision_reason": text, "review_deadline": None},
    )


@transaction.atomic
def registration_reject(
    *, actor, registration: Registration, reason: str, now: dt.datetime
) -> Registration:
    text = clean_reason(reason)
    reg = _lock(registration.pk)
    _require_reviewer(actor, reg)
    _check_state(reg, "reject")
    return _move(
        reg,
        action="reject",
        to=S.REJECTED,
        actor=actor,
        now=now,
        reason=text,
        fields={"decided_at": now, "decision_reason": text},
    )


@transaction.atomic
def registration_approve_review(
    *, actor, registration: Registration, now: dt.datetime
) -> Registration:
    """Formal review passed: into public notice, or (types without notice) coded at once."""
    reg = _lock(registration.pk)
    _require_reviewer(actor, reg)
    _check_state(reg, "approve_review")
    if reg.registration_type not in settings.REGISTRY_NOTICE_TYPES:
        _move(
            reg,
            action="approve_review",
            to=S.IN_NOTICE,
            actor=actor,
            now=now,
            fields={"notice_start": None, "notice_end": None},
        )
        return _complete_locked(reg, actor=actor, now=now)
    return _move(
        reg,
        action="start_notice",
        to=S.IN_NOTICE,
        actor=actor,
        now=now,
        fields={
            "notice_start": now,
            "notice_end": deadline_after(now, settings.REGISTRY_NOTICE_WORKING_DAYS),
            "review_deadline": None,
        },
    )
