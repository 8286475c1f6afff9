"""Reads of conditional access, scoped: an applicant sees their own applications, grants and
reports; a holder's staff the ones addressed to their organisations; a platform administrator
those of the holders it oversees. Anything else is NotFound (404). The public sees decided
outcomes only, without personal data."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from portal.access.models import AccessApplication, ApplicationStatus, Grant, GrantStatus
from portal.models import Dataset
from portal.oversight import oversight_filter
from registry.errors import NotFound
from registry.selectors import User, scope_of

_RELATED = ("holder", "applicant", "decided_by", "grant", "grant__holder")
_PREFETCH = ("datasets", "grant__datasets")


def has_valid_grant(*, user: User, dataset: Dataset, now: dt.datetime) -> bool:
    """A grant that covers the dataset, is active, has started and has not expired."""
    if not user.is_authenticated:
        return False
    return Grant.objects.filter(
        user_id=user.pk,
        datasets=dataset,
        status=GrantStatus.ACTIVE,
        starts_at__lte=now,
        expires_at__gt=now,
    ).exists()


def applications_of(user: User) -> QuerySet[AccessApplication]:
    if not user.is_authenticated:
        return AccessApplication.objects.none()
    return (
        AccessApplication.objects.filter(applicant_id=user.pk)
        .select_related(*_RELATED)
        .prefetch_related(*_PREFETCH)
    )


def applications_overseen_by(user: User) -> QuerySet[AccessApplication]:
    """The review queue: applications to the user's organisations, or (administrators) to
    the holders of their province."""
    q = oversight_filter("holder", user)
    if q is None:
        return AccessApplication.objects.none()
    return (
        AccessApplication.objects.filter(q)
        .exclude(applicant_id=user.pk)
        .select_related(*_RELATED)
        .prefetch_related(*_PREFETCH)
    )


def review_queue_ordered(qs: QuerySet[AccessApplication]) -> QuerySet[AccessApplication]:
    """Undecided first by deadline, then the decided ones newest first."""
    from django.db.models import Case, IntegerField, Value, When

    pending = Case(
        When(status=ApplicationStatus.SUBMITTED, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return qs.annotate(pending_first=pending).order_by("pending_first", "review_deadline", "-id")


def access_application(*, user: User, pk: int | str) -> AccessApplication:
    try:
        pk_int = int(pk)
    except (TypeError, ValueError):
        raise NotFound("No such application.") from None
    app = applications_of(user).filter(pk=pk_int).first()
    if app is None:
        app = applications_overseen_by(user).filter(pk=pk_int).first()
    if app is None:
        raise NotFound("No such application.")
    return app


def can_decide(*, user: User, application: AccessApplication) -> bool:
    return (
        user.is_authenticated
        and application.applicant_id != user.pk
        and application.holder_id in scope_of(user).holder_org_ids
    )


def grants_of(user: User) -> QuerySet[Grant]:
    if not user.is_authenticated:
        return Grant.objects.none()
    return (
        Grant.objects.filter(user_id=user.pk)
        .select_related("application", "holder")
        .prefetch_related("datasets")
    )


def grants_overseen_by(user: User) -> QuerySet[Grant]:
    q = oversight_filter("holder", user)
    if q is None:
        return Grant.objects.none()
    return (
        Grant.objects.filter(q)
        .select_related("application", "holder", "user")
        .prefetch_related("datasets")
    )


def access_grant(*, user: User, pk: int | str) -> Grant:
    try:
        pk_int = int(pk)
    except (TypeError, ValueError):
        raise NotFound("No such grant.") from None
    grant = (
        grants_of(user).filter(pk=pk_int).first()
        or grants_overseen_by(user).filter(pk=pk_int).first()
    )
    if grant is None:
        raise NotFound("No such grant.")
    return grant


def grants_with_overdue_reports(qs: QuerySet[Grant], now: dt.datetime) -> QuerySet[Grant]:
    return qs.filter(status=GrantStatus.ACTIVE, expires_at__gt=now, next_report_due__lt=now)


def public_outcomes() -> QuerySet[AccessApplication]:
    """Decided applications for the public list. Callers show only the number, the datasets,
    the holder, the dates and the outcome: never the applicant or what they wrote."""
    return (
        AccessApplication.objects.filter(
            status__in=[ApplicationStatus.APPROVED, ApplicationStatus.REJECTED]
        )
        .select_related("holder")
        .prefetch_related("datasets")
        .order_by("-decided_at", "-id")
    )


def overdue_applications(qs: QuerySet[AccessApplication], now: dt.datetime):
    return qs.filter(Q(status=ApplicationStatus.SUBMITTED) & Q(review_deadline__lt=now))
