"""Ratings (1–5, one per user and dataset, editable) and comments with moderation: anyone
logged in may report a comment as abusive (once); a moderator (platform administrator
overseeing the dataset's holder) hides it with a reason, restores it, or dismisses the
reports."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction

from portal.interaction.models import AbuseReport, Comment, CommentStatus, Rating
from portal.interaction.services.common import event, lock, may_moderate_dataset, require_login
from portal.models import Dataset
from portal.text import clean_reason, clean_required
from registry.errors import Conflict, IllegalTransition, NotFound, ValidationFailed


def _score(value: Any) -> int:
    if isinstance(value, bool):
        value = None
    try:
        score = int(value)
    except (TypeError, ValueError):
        score = 0
    if str(value).strip() != str(score) or not 1 <= score <= 5:
        raise ValidationFailed(
            "A rating is 1 to 5.", errors={"score": ["Must be an integer from 1 to 5."]}
        )
    return score


@transaction.atomic
def rating_set(*, actor, dataset: Dataset, score: Any, now: dt.datetime) -> Rating:
    """Create or change the user's rating of the dataset (upsert on the unique pair)."""
    require_login(actor)
    value = _score(score)
    rating, created = Rating.objects.select_for_update().get_or_create(
        user=actor,
        dataset=dataset,
        defaults={"score": value, "created_at": now, "updated_at": now},
    )
    if not created:
        rating.score, rating.updated_at = value, now
        rating.save(update_fields=["score", "updated_at"])
    return rating


@transaction.atomic
def comment_create(*, actor, dataset: Dataset, body: str, now: dt.datetime) -> Comment:
    require_login(actor)
    errors: dict[str, list[str]] = {}
    text = clean_required(body, "body", 2000, errors)
    if errors:
        raise ValidationFailed("The comment is empty.", errors=errors)
    comment = Comment.objects.create(user=actor, dataset=dataset, body=text, created_at=now)
    event("comment", comment, action="create", actor=actor, now=now)
    return comment


@transaction.atomic
def comment_report_abuse(*, actor, comment: Comment, reason: str, now: dt.datetime):
    require_login(actor)
    errors: dict[str, list[str]] = {}
    text = clean_required(reason, "reason", 500, errors)
    if errors:
        raise ValidationFailed("Say why the comment is abusive.", errors=errors)
    if comment.user_id == actor.pk:
        raise Conflict("You cannot report your own comment.")
    try:
        with transaction.atomic():
            return AbuseReport.objects.create(
                comment=comment, reporter=actor, reason=text, created_at=now
            )
    except IntegrityError:
        raise Conflict("You already reported this comment.") from None


def _moderated(actor, pk: int) -> Comment:
    comment = lock(Comment, pk, what="comment")
    if not may_moderate_dataset(actor, comment.dataset):
        raise NotFound("No such comment.")
    return comment


def _resolve_reports(comment: Comment, now: dt.datetime) -> None:
    comment.abuse_reports.filter(resolved_at__isnull=True).update(resolved_at=now)


@transaction.atomic
def comment_hide(*, actor, comment: Comment, reason: str, now: dt.datetime) -> Comment:
    locked = _moderated(actor, comment.pk)
    if locked.status != CommentStatus.VISIBLE:
        raise IllegalTransition(action="hide", current=locked.status, allowed=["restore"])
    text = clean_reason(reason)
    locked.status = CommentStatus.HIDDEN
    locked.hidden_reason, locked.hidden_by, locked.hidden_at = text, actor, now
    locked.save(update_fields=["status", "hidden_reason", "hidden_by", "hidden_at"])
    _resolve_reports(locked, now)
    event("comment", locked, action="hide", actor=actor, now=now, reason=text)
    return locked


@transaction.atomic
def comment_restore(*, actor, comment: Comment, now: dt.datetime) -> Comment:
    locked = _moderated(actor, comment.pk)
    if locked.status != CommentStatus.HIDDEN:
        raise IllegalTransition(action="restore", current=locked.status, allowed=["hide"])
    locked.status = CommentStatus.VISIBLE
    locked.save(update_fields=["status"])
    event("comment", locked, action="restore", actor=actor, now=now)
    return locked


@transaction.atomic
def comment_dismiss_reports(*, actor, comment: Comment, now: dt.datetime) -> Comment:
    """The reports were unfounded: resolve them and leave the comment shown."""
    locked = _moderated(actor, comment.pk)
    _resolve_reports(locked, now)
    event("comment", locked, action="dismiss_reports", actor=actor, now=now)
    return locked
