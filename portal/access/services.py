"""Writes of conditional access: apply, extend the review once, approve (→ grant), reject,
withdraw, revoke, report usage, and the sweeps (expiry, overdue flags).

Every transition locks the application row (`SELECT … FOR UPDATE`), checks the state table,
saves with `update_fields` and appends an event, in one transaction: of two reviewers deciding
at once exactly one wins, the other gets 409 with the state it lost to."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F

from portal.access.models import (
    AccessApplication,
    ApplicationEvent,
    ApplicationStatus,
    Grant,
    GrantStatus,
    UsageReport,
)
from portal.models import Dataset, DatasetStatus
from portal.text import clean_optional, clean_reason, clean_required
from registry.errors import Conflict, IllegalTransition, NotFound, ValidationFailed
from registry.models import OpenCategory
from registry.selectors import scope_of
from registry.workdays import deadline_after, local_date

S = ApplicationStatus
MAX_DATASETS = 20


def allowed_actions(application: AccessApplication) -> list[str]:
    """What the application's state allows (whoever may do it); for checks and the UI."""
    if application.status != S.SUBMITTED:
        return []
    actions = ["approve", "reject", "withdraw"]
    if not application.is_extended:
        actions.insert(0, "extend")
    return actions


def _lock(pk: int) -> AccessApplication:
    try:
        return AccessApplication.objects.select_for_update(of=("self",)).get(pk=pk)
    except AccessApplication.DoesNotExist:
        raise NotFound("No such application.") from None


def _check(application: AccessApplication, action: str) -> None:
    allowed = allowed_actions(application)
    if action not in allowed:
        raise IllegalTransition(action=action, current=application.status, allowed=allowed)


def _event(
    application: AccessApplication,
    *,
    action: str,
    from_status: str,
    actor,
    now: dt.datetime,
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> ApplicationEvent:
    return ApplicationEvent.objects.create(
        application=application,
        action=action,
        from_status=from_status,
        to_status=application.status,
        actor=actor if actor is not None and actor.is_authenticated else None,
        reason=reason,
        data=data or {},
        at=now,
    )


def _require_decider(actor, application: AccessApplication) -> None:
    """Staff of the holder; anyone else does not see the application to decide on (404)."""
    if actor is None or not actor.is_authenticated:
        raise NotFound("No such application.")
    if application.holder_id not in scope_of(actor).holder_org_ids:
        raise NotFound("No such application.")


def _int_in(value: Any, *, field: str, low: int, high: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationFailed("Invalid number.", errors={field: ["Must be an integer."]}) from None
    if isinstance(value, bool) or not low <= number <= high:
        raise ValidationFailed("Out of range.", errors={field: [f"Must be from {low} to {high}."]})
    return number


# --------------------------------------------------------------------------- apply


def _check_datasets(datasets: list[Dataset], applicant) -> None:
    if not datasets:
        raise ValidationFailed(
            "Choose at least one dataset.", errors={"datasets": ["This field is required."]}
        )
    if len(datasets) > MAX_DATASETS:
        raise ValidationFailed(
            "Too many datasets.", errors={"datasets": [f"At most {MAX_DATASETS} datasets."]}
        )
    for ds in datasets:
        if ds.status != DatasetStatus.PUBLISHED or ds.open_category != OpenCategory.CONDITIONAL:
            raise ValidationFailed(
                "Only published conditional datasets need an application.",
                errors={"datasets": ["Only published conditional datasets need an application."]},
            )
    if len({ds.holder_id for ds in datasets}) > 1:
        raise ValidationFailed(
            "One application covers the datasets of one holder.",
            errors={"datasets": ["One application covers the datasets of one holder."]},
        )
    if datasets[0].holder_id in scope_of(applicant).holder_org_ids:
        raise ValidationFailed(
            "The holder's own staff need no application.",
            errors={"datasets": ["The holder's own staff need no application."]},
        )


@transaction.atomic
def application_submit(
    *, applicant, datasets: list[Dataset], data: dict[str, Any], now: dt.datetime
) -> AccessApplication:
    """File an application for one holder's conditional datasets. The review deadline is
    ACCESS_REVIEW_WORKING_DAYS working days after submission."""
    if applicant is None or not applicant.is_authenticated:
        raise NotFound("No such dataset.")
    datasets = list({ds.pk: ds for ds in datasets}.values())
    _check_datasets(datasets, applicant)
    errors: dict[str, list[str]] = {}
    fields = {
        "purpose": clean_required(data.get("purpose"), "purpose", 4000, errors),
        "scenario": clean_required(data.get("scenario"), "scenario", 4000, errors),
        "security_measures": clean_required(
            data.get("security_measures"), "security_measures", 4000, errors
        ),
        "applicant_organisation": clean_optional(
            data.get("applicant_organisation"), "applicant_organisation", 200, errors
        ),
        "contact_phone": clean_optional(data.get("contact_phone"), "contact_phone", 40, errors),
    }
    try:
        fields["period_days"] = _int_in(
            data.get("period_days"),
            field="period_days",
            low=1,
            high=settings.ACCESS_MAX_PERIOD_DAYS,
        )
    except ValidationFailed as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationFailed("The application is not complete.", errors=errors)
    pending = AccessApplication.objects.filter(
        applicant=applicant, status=S.SUBMITTED, datasets__in=datasets
    )
    if pending.exists():
        raise Conflict("An application of yours for this dataset is still under review.")
    application = AccessApplication.objects.create(
        number=f"SQ{local_date(now):%Y%m%d}-{uuid.uuid4().hex[:6].upper()}",
        applicant=applicant,
        holder_id=datasets[0].holder_id,
        submitted_at=now,
        review_deadline=deadline_after(now, settings.ACCESS_REVIEW_WORKING_DAYS),
        **fields,
    )
    application.datasets.set(datasets)
    _event(application, action="submit", from_status="", actor=applicant, now=now)
    return application


# --------------------------------------------------------------------------- review


@transaction.atomic
def application_extend(
    *, actor, application: AccessApplication, reason: str, now: dt.datetime
) -> AccessApplication:
    """Extend the review deadline, once, by ACCESS_EXTENSION_WORKING_DAYS working days counted
    from the current deadline. A reason is required and shown to the applicant."""
    app = _lock(application.pk)
    _require_decider(actor, app)
    _check(app, "extend")
    reason = clean_reason(reason)
    before = app.review_deadline
    app.review_deadline = deadline_after(before, settings.ACCESS_EXTENSION_WORKING_DAYS)
    app.extended_at = now
    app.extension_reason = reason
    app.save(update_fields=["review_deadline", "extended_at", "extension_reason"])
    _event(
        app,
        action="extend",
        from_status=app.status,
        actor=actor,
        now=now,
        reason=reason,
        data={"from": before.isoformat(), "to": app.review_deadline.isoformat()},
    )
    return app


def _decide(app: AccessApplication, *, to: str, actor, reason: str, now: dt.datetime) -> None:
    from_status = app.status
    app.status = to
    app.decided_at = now
    app.decided_by = actor
    app.decision_reason = reason
    app.save(update_fields=["status", "decided_at", "decided_by", "decision_reason"])
    _event(app, action=to, from_status=from_status, actor=actor, now=now, reason=reason)


@transaction.atomic
def application_approve(
    *,
    actor,
    application: AccessApplication,
    reason: str,
    now: dt.datetime,
    granted_days: Any = None,
    report_interval_days: Any = None,
) -> Grant:
    """Approve and create the grant: valid from now for `granted_days` (at most what was asked
    for), with a usage report due every `report_interval_days`."""
    app = _lock(application.pk)
    _require_decider(actor, app)
    _check(app, "approve")
    reason = clean_reason(reason)
    days = app.period_days if granted_days in (None, "") else granted_days
    days = _int_in(days, field="granted_days", low=1, high=app.period_days)
    interval = settings.ACCESS_REPORT_INTERVAL_DAYS
    if report_interval_days not in (None, ""):
        interval = _int_in(report_interval_days, field="report_interval_days", low=7, high=365)
    _decide(app, to=S.APPROVED, actor=actor, reason=reason, now=now)
    expires = now + dt.timedelta(days=days)
    grant = Grant.objects.create(
        application=app,
        user_id=app.applicant_id,
        holder_id=app.holder_id,
        starts_at=now,
        expires_at=expires,
        report_interval_days=interval,
        next_report_due=min(now + dt.timedelta(days=interval), expires),
    )
    grant.datasets.set(app.datasets.all())
    return grant


@transaction.atomic
def application_reject(
    *, actor, application: AccessApplication, reason: str, now: dt.datetime
) -> AccessApplication:
    app = _lock(application.pk)
    _require_decider(actor, app)
    _check(app, "reject")
    _decide(app, to=S.REJECTED, actor=actor, reason=clean_reason(reason), now=now)
    return app


@transaction.atomic
def application_withdraw(
    *, actor, application: AccessApplication, now: dt.datetime
) -> AccessApplication:
    app = _lock(application.pk)
    if actor is None or app.applicant_id != actor.pk:
        raise NotFound("No such application.")
    _check(app, "withdraw")
    app.status = S.WITHDRAWN
    app.save(update_fields=["status"])
    _event(app, action="withdraw", from_status=S.SUBMITTED, actor=actor, now=now)
    return app


# --------------------------------------------------------------------------- grants


def _lock_grant(pk: int) -> Grant:
    try:
        return Grant.objects.select_for_update(of=("self",)).get(pk=pk)
    except Grant.DoesNotExist:
        raise NotFound("No such grant.") from None


def grant_state(grant: Grant, now: dt.datetime) -> str:
    """The effective state: an active grant past its expiry is expired already."""
    if grant.status == GrantStatus.ACTIVE and grant.expires_at <= now:
        return GrantStatus.EXPIRED
    return grant.status


@transaction.atomic
def grant_revoke(*, actor, grant: Grant, reason: str, now: dt.datetime) -> Grant:
    locked = _lock_grant(grant.pk)
    if actor is None or locked.holder_id not in scope_of(actor).holder_org_ids:
        raise NotFound("No such grant.")
    state = grant_state(locked, now)
    if state != GrantStatus.ACTIVE:
        raise IllegalTransition(action="revoke", current=state, allowed=[])
    reason = clean_reason(reason)
    locked.status = GrantStatus.REVOKED
    locked.revoked_at = now
    locked.revoked_by = actor
    locked.revoke_reason = reason
    locked.save(update_fields=["status", "revoked_at", "revoked_by", "revoke_reason"])
    app = locked.application
    _event(app, action="revoke", from_status=app.status, actor=actor, now=now, reason=reason)
    return locked


def grants_expire(*, now: dt.datetime) -> int:
    """Mark active grants past their expiry as expired (compare-and-swap per row, so a
    concurrent revocation wins cleanly). Access never waited for this: it checks the time."""
    count = 0
    due = Grant.objects.filter(status=GrantStatus.ACTIVE, expires_at__lte=now)
    for pk in due.values_list("pk", flat=True)[:1000]:
        with transaction.atomic():
            changed = Grant.objects.filter(pk=pk, status=GrantStatus.ACTIVE).update(
                status=GrantStatus.EXPIRED, expired_at=F("expires_at")
            )
            if changed:
                grant = Grant.objects.select_related("application").get(pk=pk)
                app = grant.application
                _event(app, action="expire", from_status=app.status, actor=None, now=now)
                count += 1
    return count


@transaction.atomic
def usage_report_submit(*, actor, grant: Grant, content: str, now: dt.datetime) -> UsageReport:
    """The grantee reports use for the period since the last report (or the grant's start).
    The next report is due one interval after the one just covered (after now if late)."""
    locked = _lock_grant(grant.pk)
    if actor is None or locked.user_id != actor.pk:
        raise NotFound("No such grant.")
    state = grant_state(locked, now)
    if state != GrantStatus.ACTIVE:
        raise IllegalTransition(action="report", current=state, allowed=[])
    errors: dict[str, list[str]] = {}
    text = clean_required(content, "content", 8000, errors)
    if errors:
        raise ValidationFailed("The report is empty.", errors=errors)
    last = locked.reports.order_by("-period_end").first()
    report = UsageReport.objects.create(
        grant=locked,
        period_start=last.period_end if last else locked.starts_at,
        period_end=now,
        content=text,
        due_at=locked.next_report_due,
        submitted_at=now,
        submitted_by=actor,
    )
    step = dt.timedelta(days=locked.report_interval_days)
    following = locked.next_report_due + step
    if following <= now:
        following = now + step
    locked.next_report_due = min(following, locked.expires_at)
    locked.save(update_fields=["next_report_due"])
    return report


def applications_flag_overdue(*, now: dt.datetime) -> int:
    """Flag undecided applications past their deadline (once each, compare-and-swap)."""
    count = 0
    due = AccessApplication.objects.filter(
        status=S.SUBMITTED, review_deadline__lt=now, overdue_flagged_at__isnull=True
    )
    for pk in due.values_list("pk", flat=True)[:1000]:
        with transaction.atomic():
            changed = AccessApplication.objects.filter(
                pk=pk, status=S.SUBMITTED, overdue_flagged_at__isnull=True
            ).update(overdue_flagged_at=now)
            if changed:
                app = AccessApplication.objects.get(pk=pk)
                _event(app, action="flag_overdue", from_status=app.status, actor=None, now=now)
                count += 1
    return count
