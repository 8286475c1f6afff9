"""Reads of the interaction channels. Requests, messages and their replies are public (the
author's identity is not shown); the answering queues are scoped to what the user oversees;
hidden comments and unapproved showcases are visible to moderators (and their authors) only."""

from __future__ import annotations

import datetime as dt

from django.db.models import Avg, Count, Q, QuerySet

from portal.interaction.models import (
    Comment,
    CommentStatus,
    DataRequest,
    Feedback,
    Rating,
    Showcase,
    ShowcaseStatus,
)
from portal.models import Dataset
from portal.oversight import admin_province_codes, oversight_filter
from registry.errors import NotFound
from registry.selectors import User


def _int(pk, what: str) -> int:
    try:
        return int(pk)
    except (TypeError, ValueError):
        raise NotFound(f"No such {what}.") from None


def requests_public() -> QuerySet[DataRequest]:
    return DataRequest.objects.select_related("holder", "dataset")


def access_request(*, pk) -> DataRequest:
    req = requests_public().filter(pk=_int(pk, "request")).first()
    if req is None:
        raise NotFound("No such request.")
    return req


def _overseen(qs: QuerySet, user: User) -> QuerySet:
    """Items addressed to holders the user answers for. Items addressed to no holder go to
    the national administrators (an unrestricted filter)."""
    q = oversight_filter("holder", user)
    return qs.none() if q is None else qs.filter(q)


def requests_to_answer(user: User) -> QuerySet[DataRequest]:
    return _overseen(requests_public(), user)


def feedback_public(kind: str | None = None) -> QuerySet[Feedback]:
    qs = Feedback.objects.select_related("dataset", "holder")
    return qs.filter(kind=kind) if kind else qs


def access_feedback(*, pk) -> Feedback:
    item = feedback_public().filter(pk=_int(pk, "message")).first()
    if item is None:
        raise NotFound("No such message.")
    return item


def feedback_to_answer(user: User) -> QuerySet[Feedback]:
    return _overseen(feedback_public(), user)


def rating_summary(dataset: Dataset) -> dict:
    agg = Rating.objects.filter(dataset=dataset).aggregate(avg=Avg("score"), count=Count("id"))
    return {"average": round(float(agg["avg"]), 1) if agg["avg"] else None, "count": agg["count"]}


def comments_shown(dataset: Dataset) -> QuerySet[Comment]:
    return Comment.objects.filter(dataset=dataset, status=CommentStatus.VISIBLE).select_related(
        "user"
    )


def access_comment(*, pk) -> Comment:
    comment = (
        Comment.objects.filter(pk=_int(pk, "comment"), status=CommentStatus.VISIBLE)
        .select_related("dataset")
        .first()
    )
    if comment is None:
        raise NotFound("No such comment.")
    return comment


def comments_moderated_by(user: User) -> QuerySet[Comment]:
    """Every comment of the datasets the moderator oversees, reported ones first."""
    provinces = admin_province_codes(user)
    qs = Comment.objects.select_related("dataset", "user", "hidden_by")
    if provinces is not None:
        if not provinces:
            return qs.none()
        qs = qs.filter(dataset__province_code__in=provinces)
    return qs.annotate(
        open_reports=Count("abuse_reports", filter=Q(abuse_reports__resolved_at__isnull=True))
    ).order_by("-open_reports", "-created_at")


def access_moderated_comment(*, user: User, pk) -> Comment:
    comment = comments_moderated_by(user).filter(pk=_int(pk, "comment")).first()
    if comment is None:
        raise NotFound("No such comment.")
    return comment


def showcases_public() -> QuerySet[Showcase]:
    return Showcase.objects.filter(status=ShowcaseStatus.APPROVED).prefetch_related("datasets")


def showcases_of_dataset(dataset: Dataset) -> QuerySet[Showcase]:
    return showcases_public().filter(datasets=dataset)


def showcases_moderated_by(user: User) -> QuerySet[Showcase]:
    provinces = admin_province_codes(user)
    qs = Showcase.objects.prefetch_related("datasets").select_related("submitter")
    if provinces is None:
        return qs
    if not provinces:
        return qs.none()
    return qs.filter(datasets__province_code__in=provinces).distinct()


def showcases_of(user: User) -> QuerySet[Showcase]:
    if not user.is_authenticated:
        return Showcase.objects.none()
    return Showcase.objects.filter(submitter_id=user.pk).prefetch_related("datasets")


def access_showcase(*, user: User, pk) -> Showcase:
    """Approved ones for anyone; pending or rejected ones for their submitter and moderators."""
    pk_int = _int(pk, "showcase")
    showcase = (
        showcases_public().filter(pk=pk_int).first()
        or showcases_of(user).filter(pk=pk_int).first()
        or showcases_moderated_by(user).filter(pk=pk_int).first()
    )
    if showcase is None:
        raise NotFound("No such showcase.")
    return showcase


def is_overdue(item, now: dt.datetime) -> bool:
    return item.replied_at is None and item.reply_deadline < now
