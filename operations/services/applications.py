"""Access applications: the operator applies within an agreement; every holder of a requested
resource reviews, then the agency; the agency's approval issues one licence per resource."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import transaction

from operations.licensing.access import resource_table
from operations.models import (
    AccessApplication,
    Agreement,
    AgreementStatus,
    ApplicationItem,
    ApplicationReview,
    ApplicationStatus,
    DepartmentConsent,
    Licence,
    LicenceMode,
    LicenceStatus,
    Party,
    PurposeClass,
    ReviewDecision,
)
from operations.services.agreements import consent_required
from operations.services.common import local_day, require_agency_staff, require_member, text
from portal.datastore.query import QueryProblem, _FilterBuilder, columns_of
from registry.errors import (
    Conflict,
    IllegalTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from registry.selectors import scope_of

S = ApplicationStatus
MAX_ITEMS = 20
DEFAULT_K = 10


def _item_errors(index: int, message: str) -> ValidationFailed:
    return ValidationFailed(message, errors={f"items[{index}]": [message]})


def _clean_item(agreement: Agreement, index: int, item: Any) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise _item_errors(index, "Each item is an object.")
    code = str(item.get("registration_code", "")).strip().upper()
    resource = agreement.resources.filter(code=code).first()
    if resource is None:
        raise _item_errors(index, f"{code[:40]!r} is not in the agreement's scope.")
    mode = item.get("mode")
    if mode not in LicenceMode.values:
        raise _item_errors(index, "mode must be one of: " + ", ".join(LicenceMode.values))
    try:
        table = resource_table(resource.pk)
    except NotFound:
        raise _item_errors(index, f"{code} has no queryable table yet.") from None
    fields = columns_of(table)
    columns = item.get("columns")
    if not isinstance(columns, list) or not columns or any(c not in fields for c in columns):
        raise _item_errors(
            index, "columns must list one or more of the resource's fields: " + ", ".join(fields)
        )
    predicate = item.get("row_predicate") or None
    if predicate is not None:
        try:
            _FilterBuilder(fields).node(predicate)
        except QueryProblem as exc:
            raise _item_errors(index, f"row_predicate: {exc.detail}") from None
    k = item.get("min_group_size", DEFAULT_K)
    if isinstance(k, bool) or not isinstance(k, int) or not 2 <= k <= 10_000:
        raise _item_errors(index, "min_group_size is a whole number from 2 to 10000.")
    return {
        "resource": resource,
        "mode": mode,
        "columns": list(dict.fromkeys(columns)),
        "row_predicate": predicate,
        "min_group_size": k,
    }


@transaction.atomic
def application_submit(
    *,
    actor,
    operator: Party,
    agreement: Agreement,
    scenario_id: int,
    purpose_class: str,
    purpose: str,
    security_measures: str,
    items: list[dict[str, Any]],
    now: dt.datetime,
) -> AccessApplication:
    require_member(actor, operator)
    if agreement.operator_id != operator.pk:
        raise NotFound("No agreement with this id.")
    if agreement.status != AgreementStatus.ACTIVE:
        raise IllegalTransition(action="apply", current=agreement.status, allowed=[])
    scenario = agreement.scenarios.filter(pk=scenario_id).first()
    if scenario is None:
        raise ValidationFailed(
            "Unknown scenario.", errors={"scenario": ["Choose one of the agreement's scenarios."]}
        )
    if purpose_class not in PurposeClass.values:
        raise ValidationFailed(
            "Unknown purpose class.",
            errors={"purpose_class": ["Must be one of: " + ", ".join(PurposeClass.values)]},
        )
    if not isinstance(items, list) or not items or len(items) > MAX_ITEMS:
        raise ValidationFailed("Items.", errors={"items": [f"Ask for 1 to {MAX_ITEMS} resources."]})
    cleaned = [_clean_item(agreement, i, item) for i, item in enumerate(items)]
    if len({c["resource"].pk for c in cleaned}) != len(cleaned):
        raise ValidationFailed("Duplicate resource.", errors={"items": ["Each resource once."]})
    application = AccessApplication.objects.create(
        number=uuid.uuid4().hex[:20],
        operator=operator,
        agreement=agreement,
        scenario=scenario,
        purpose_class=purpose_class,
        purpose=text(purpose, "purpose", max_length=2000),
        security_measures=text(security_measures, "security_measures", max_length=4000),
        submitted_by=actor,
        submitted_at=now,
    )
    application.number = f"SQSQ-{local_day(now):%Y}-{application.pk:06d}"
    application.save(update_fields=["number"])
    ApplicationItem.objects.bulk_create(
        ApplicationItem(application=application, **c) for c in cleaned
    )
    return application


def _locked(application: AccessApplication) -> AccessApplication:
    return (
        AccessApplication.objects.select_for_update()
        .select_related("agreement__agency", "operator")
        .get(pk=application.pk)
    )


def pending_holder_orgs(application: AccessApplication) -> set[int]:
    holders = set(application.items.values_list("resource__holder_id", flat=True))
    done = set(
        application.reviews.filter(as_agency=False).values_list("reviewer_org_id", flat=True)
    )
    return holders - done


@transaction.atomic
def application_holder_review(
    *, actor, application: AccessApplication, decision: str, comment: str = "", now: dt.datetime
) -> AccessApplication:
    """One decision per holder organisation of the requested resources."""
    application = _locked(application)
    if application.status != S.HOLDER_REVIEW:
        raise IllegalTransition(
            action="holder_review", current=application.status, allowed=_allowed(application)
        )
    pending = pending_holder_orgs(application) & scope_of(actor).holder_org_ids
    if not pending:
        raise PermissionDenied("Nothing of yours is waiting for review in this application.")
    if application.operator.members.filter(user=actor).exists():
        raise PermissionDenied("Reviewers never decide on their own filings.")
    _check_decision(decision, comment)
    for org_id in sorted(pending):
        ApplicationReview.objects.create(
            application=application,
            reviewer_org_id=org_id,
            decision=decision,
            comment=text(comment, "comment", max_length=1000, required=False),
            decided_by=actor,
            decided_at=now,
        )
    if decision == ReviewDecision.REJECTED:
        _decide(application, S.REJECTED, now)
    elif not pending_holder_orgs(application):
        application.status = S.AGENCY_REVIEW
        application.save(update_fields=["status"])
    return application


@transaction.atomic
def application_agency_review(
    *,
    actor,
    application: AccessApplication,
    decision: str,
    comment: str = "",
    valid_until: dt.date | None = None,
    daily_quota: int | None = None,
    total_quota: int | None = None,
    narrowing: dict[int, dict[str, Any]] | None = None,
    now: dt.datetime,
) -> list[Licence]:
    """Approve (issuing the licences) or reject. The agency may narrow an item's columns or
    raise its k (`narrowing`: item id → {columns, min_group_size}); never widen them."""
    application = _locked(application)
    agreement = (
        Agreement.objects.select_for_update()
        .select_related("agency")
        .get(pk=application.agreement_id)
    )
    require_agency_staff(actor, agreement.agency)
    if application.status != S.AGENCY_REVIEW:
        raise IllegalTransition(
            action="agency_review", current=application.status, allowed=_allowed(application)
        )
    _check_decision(decision, comment)
    ApplicationReview.objects.create(
        application=application,
        reviewer_org=agreement.agency.organisation,
        as_agency=True,
        decision=decision,
        comment=text(comment, "comment", max_length=1000, required=False),
        decided_by=actor,
        decided_at=now,
    )
    if decision == ReviewDecision.REJECTED:
        _decide(application, S.REJECTED, now)
        return []
    if agreement.status != AgreementStatus.ACTIVE:
        raise Conflict(f"The agreement is {agreement.status}; no licence can be issued.")
    until = _validity(agreement, valid_until, now)
    quotas = _quotas(daily_quota, total_quota)
    licences = [
        _issue(
            application,
            agreement,
            item,
            (narrowing or {}).get(item.pk, {}),
            until,
            quotas,
            actor,
            now,
        )
        for item in application.items.select_related("resource").order_by("pk")
    ]
    _decide(application, S.APPROVED, now)
    return licences


def _check_decision(decision: str, comment: str) -> None:
    if decision not in ReviewDecision.values:
        raise ValidationFailed(
            "Unknown decision.", errors={"decision": ["Must be approved or rejected."]}
        )
    if decision == ReviewDecision.REJECTED and not (comment or "").strip():
        raise ValidationFailed(
            "A reason is required.", errors={"comment": ["A reason is required."]}
        )


def _validity(agreement: Agreement, valid_until: dt.date | None, now: dt.datetime) -> dt.date:
    until = valid_until or agreement.end_date
    if until > agreement.end_date or until < local_day(now):
        raise ValidationFailed(
            "Validity.",
            errors={"valid_until": [f"From today to the agreement's end ({agreement.end_date})."]},
        )
    return until


def _quotas(daily: int | None, total: int | None) -> tuple[int | None, int | None]:
    for name, value in (("daily_quota", daily), ("total_quota", total)):
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 10_000_000
        ):
            raise ValidationFailed(
                "Quota.", errors={name: ["A whole number from 1 to 10000000, or empty."]}
            )
    return daily, total


def _issue(
    application, agreement, item: ApplicationItem, narrow: dict[str, Any], until, quotas, actor, now
) -> Licence:
    if (
        consent_required(agreement, item.resource)
        and not DepartmentConsent.objects.filter(
            agreement=agreement, resource=item.resource
        ).exists()
    ):
        raise Conflict(
            f"The consent of {item.resource.holder.name} for {item.resource.code} is not recorded.",
            extra={"registration_code": item.resource.code},
        )
    columns = narrow.get("columns", item.columns)
    k = narrow.get("min_group_size", item.min_group_size)
    if not isinstance(columns, list) or not columns or not set(columns) <= set(item.columns):
        raise ValidationFailed(
            "Columns.", errors={"columns": ["Narrow the requested columns; never widen them."]}
        )
    if isinstance(k, bool) or not isinstance(k, int) or k < item.min_group_size:
        raise ValidationFailed("k.", errors={"min_group_size": ["Raise k; never lower it."]})
    licence = Licence.objects.create(
        number=uuid.uuid4().hex[:20],
        application=application,
        agreement=agreement,
        operator=application.operator,
        resource=item.resource,
        scenario=application.scenario,
        purpose_class=application.purpose_class,
        mode=item.mode,
        allowed_columns=columns,
        row_predicate=item.row_predicate,
        min_group_size=k,
        daily_quota=quotas[0],
        total_quota=quotas[1],
        valid_from=local_day(now),
        valid_until=until,
        status=LicenceStatus.ACTIVE,
        status_changed_at=now,
        granted_by=actor,
        granted_at=now,
    )
    licence.number = f"SQXK-{local_day(now):%Y}-{licence.pk:06d}"
    licence.save(update_fields=["number"])
    return licence


def _decide(application: AccessApplication, status: str, now: dt.datetime) -> None:
    application.status, application.decided_at = status, now
    application.save(update_fields=["status", "decided_at"])


@transaction.atomic
def application_withdraw(
    *, actor, application: AccessApplication, now: dt.datetime
) -> AccessApplication:
    application = _locked(application)
    require_member(actor, application.operator)
    if application.status not in (S.HOLDER_REVIEW, S.AGENCY_REVIEW):
        raise IllegalTransition(
            action="withdraw", current=application.status, allowed=_allowed(application)
        )
    _decide(application, S.WITHDRAWN, now)
    return application


def _allowed(application: AccessApplication) -> list[str]:
    return {
        S.HOLDER_REVIEW: ["holder_review", "withdraw"],
        S.AGENCY_REVIEW: ["agency_review", "withdraw"],
    }.get(application.status, [])
