"""Error reports (数据纠错), suggestions (意见建议) and complaints (投诉): filed by a logged-in
user, answered once publicly within a working-day deadline set per kind in the settings (error
reports: 5 by default, at most 10)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction

from portal.interaction.models import Feedback, FeedbackKind, FeedbackStatus
from portal.interaction.services.common import event, lock, require_answerer, require_login
from portal.models import Dataset
from portal.text import clean_required
from registry.errors import IllegalTransition, ValidationFailed
from registry.workdays import deadline_after


def reply_days(kind: str) -> int:
    return {
        FeedbackKind.ERROR_REPORT: settings.INTERACTION_ERROR_REPORT_WORKING_DAYS,
        FeedbackKind.SUGGESTION: settings.INTERACTION_SUGGESTION_WORKING_DAYS,
        FeedbackKind.COMPLAINT: settings.INTERACTION_COMPLAINT_WORKING_DAYS,
    }[kind]


@transaction.atomic
def feedback_create(
    *, actor, kind: str, data: dict[str, Any], dataset: Dataset | None, now: dt.datetime
) -> Feedback:
    """A dataset's items go to its holder; a suggestion or complaint about the platform (no
    dataset) to the national platform administrators."""
    require_login(actor)
    errors: dict[str, list[str]] = {}
    if kind not in FeedbackKind.values:
        errors["kind"] = [f"Must be one of: {', '.join(FeedbackKind.values)}."]
    elif kind == FeedbackKind.ERROR_REPORT and dataset is None:
        errors["dataset"] = ["An error report names the dataset."]
    title = clean_required(data.get("title"), "title", 200, errors)
    body = clean_required(data.get("body"), "body", 4000, errors)
    if errors:
        raise ValidationFailed("The message is not complete.", errors=errors)
    item = Feedback.objects.create(
        kind=kind,
        author=actor,
        dataset=dataset,
        holder_id=dataset.holder_id if dataset is not None else None,
        title=title,
        body=body,
        created_at=now,
        reply_deadline=deadline_after(now, reply_days(kind)),
    )
    event("feedback", item, action="create", actor=actor, now=now)
    return item


@transaction.atomic
def feedback_reply(*, actor, feedback: Feedback, reply: str, now: dt.datetime) -> Feedback:
    item = lock(Feedback, feedback.pk, what="message")
    require_answerer(actor, item.holder, what="message")
    if item.status != FeedbackStatus.OPEN:
        raise IllegalTransition(action="reply", current=item.status, allowed=[])
    errors: dict[str, list[str]] = {}
    text = clean_required(reply, "reply", 4000, errors)
    if errors:
        raise ValidationFailed("The reply is empty.", errors=errors)
    item.status = FeedbackStatus.REPLIED
    item.reply, item.replied_at, item.replied_by = text, now, actor
    item.save(update_fields=["status", "reply", "replied_at", "replied_by"])
    event("feedback", item, action="reply", actor=actor, now=now, reason=text)
    return item
