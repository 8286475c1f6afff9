"""Agreements: signing (term ≤ 5 years), transitions, exit steps, department consents.

Transitions lock the agreement `FOR UPDATE`; a licensed query holds it `FOR SHARE`, so a
suspension waits for the calls already running and refuses every later one."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q

from operations.models import (
    AGREEMENT_TRANSITIONS,
    Agreement,
    AgreementEvent,
    AgreementStatus,
    DepartmentConsent,
    Licence,
    LicenceEvent,
    LicenceStatus,
    Party,
    Scheme,
    SchemeStatus,
    add_years,
    term_within_limit,
)
from operations.services.common import local_day, require_agency_staff, text
from registry.errors import Conflict, IllegalTransition, ValidationFailed
from registry.models import OPEN_STATUSES, RecordStatus, Registration, Resource

A = AgreementStatus
ACTIONS = {
    "suspend": A.SUSPENDED,
    "reinstate": A.ACTIVE,
    "terminate": A.TERMINATED,
    "expire": A.EXPIRED,
    "begin_exit": A.EXIT_IN_PROGRESS,
    "close": A.CLOSED,
}
EXIT_STEPS = {
    "data_disposed": "data_disposed_at",
    "products_handed_over": "products_handed_over_at",
    "registrations_cancelled": "registrations_cancelled_at",
}
# What happens to the agreement's live licences when it ends.
_LICENCE_END = {A.TERMINATED: LicenceStatus.REVOKED, A.EXPIRED: LicenceStatus.EXPIRED}


def check_term(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise ValidationFailed(
            "The term ends before it starts.",
            errors={"end_date": ["The end date is before the start date."]},
        )
    if not term_within_limit(start, end):
        raise ValidationFailed(
            "An agreement's term is at most five years.",
            errors={
                "end_date": [
                    f"The term is at most 5 years: end on or before {add_years(start, 5)}."
                ]
            },
        )


@transaction.atomic
def agreement_create(
    *,
    actor,
    scheme: Scheme,
    operator: Party,
    title: str,
    registration_codes: list[str],
    scenario_ids: list[int],
    start_date: dt.date,
    end_date: dt.date,
    signed_on: dt.date,
    security_duties: str,
    charging_terms: str,
    reporting_duties: str,
    exit_plan: str,
    public_summary: str = "",
    now: dt.datetime,
) -> Agreement:
    """Sign an agreement with an operator selected under a published scheme."""
    scheme = Scheme.objects.select_for_update().select_related("agency").get(pk=scheme.pk)
    require_agency_staff(actor, scheme.agency)
    operator = Party.objects.get(pk=operator.pk)
    if scheme.status != SchemeStatus.RESULT_PUBLISHED:
        raise IllegalTransition(action="sign_agreement", current=scheme.status, allowed=[])
    if not scheme.selection.selected.filter(pk=operator.pk).exists():
        raise ValidationFailed(
            "Not a selected operator.",
            errors={"operator": ["The operator was not selected under this scheme."]},
        )
    if not operator.is_verified:
        raise ValidationFailed(
            "Unverified operator.",
            errors={"operator": ["The operator's identity is not verified."]},
        )
    check_term(start_date, end_date)
    in_scope = {s.registration_code: s.resource for s in scheme.scope.select_related("resource")}
    codes = list(dict.fromkeys(str(c).strip().upper() for c in registration_codes or []))
    outside = [c[:40] for c in codes if c not in in_scope]
    if not codes or outside:
        raise ValidationFailed(
            "Resources outside the scheme.",
            errors={
                "registration_codes": [f"Not in the scheme's scope: {', '.join(outside)}."]
                if outside
                else ["At least one resource is required."]
            },
        )
    scenarios = list(scheme.scenarios.filter(pk__in=scenario_ids or []))
    if not scenarios or len(scenarios) != len(set(scenario_ids)):
        raise ValidationFailed(
            "No scenario, no authorisation.",
            errors={"scenarios": ["Choose one or more of the scheme's scenarios."]},
        )
    agreement = Agreement.objects.create(
        number=uuid.uuid4().hex[:20],
        scheme=scheme,
        agency=scheme.agency,
        operator=operator,
        title=text(title, "title", max_length=200),
        start_date=start_date,
        end_date=end_date,
        signed_on=signed_on,
        public_summary=text(public_summary, "public_summary", max_length=2000, required=False),
        security_duties=text(security_duties, "security_duties", max_length=4000),
        charging_terms=text(charging_terms, "charging_terms", max_length=4000),
        reporting_duties=text(reporting_duties, "reporting_duties", max_length=4000),
        exit_plan=text(exit_plan, "exit_plan", max_length=4000),
        status=A.ACTIVE,
        status_changed_at=now,
        created_by=actor,
        created_at=now,
    )
    agreement.number = f"SQYY-{signed_on:%Y}-{agreement.pk:05d}"
    agreement.save(update_fields=["number"])
    agreement.resources.set([in_scope[c] for c in codes])
    agreement.scenarios.set(scenarios)
    AgreementEvent.objects.create(
        agreement=agreement, action="sign", to_status=A.ACTIVE, actor=actor, at=now
    )
    return agreement


def allowed_actions(agreement: Agreement) -> list[str]:
    targets = AGREEMENT_TRANSITIONS[agreement.status]
    return [a for a, t in ACTIONS.items() if t in targets]


@transaction.atomic
def agreement_transition(
    *, actor, agreement: Agreement, action: str, reason: str = "", now: dt.datetime
) -> Agreement:
    """suspend / reinstate / terminate / expire / begin_exit / close."""
    agreement = Agreement.objects.select_for_update().select_related("agency").get(pk=agreement.pk)
    if actor is not None:
        require_agency_staff(actor, agreement.agency)
    target = ACTIONS.get(action)
    if target is None or target not in AGREEMENT_TRANSITIONS[agreement.status]:
        raise IllegalTransition(
            action=str(action)[:30], current=agreement.status, allowed=allowed_actions(agreement)
        )
    if action in ("suspend", "terminate") and not (reason or "").strip():
        raise ValidationFailed(
            "A reason is required.", errors={"reason": ["A reason is required."]}
        )
    if action == "reinstate" and local_day(now) > agreement.end_date:
        raise Conflict("The agreement's term has ended; it can only expire.")
    if action == "close":
        missing = [step for step, f in EXIT_STEPS.items() if getattr(agreement, f) is None]
        if missing:
            raise Conflict(
                f"Exit steps not done: {', '.join(missing)}.", extra={"missing_steps": missing}
            )
    source = agreement.status
    agreement.status, agreement.status_changed_at = target, now
    agreement.save(update_fields=["status", "status_changed_at"])
    AgreementEvent.objects.create(
        agreement=agreement,
        action=action,
        from_status=source,
        to_status=target,
        reason=text(reason, "reason", max_length=1000, required=False),
        actor=actor,
        at=now,
    )
    if target in _LICENCE_END:
        _end_licences(agreement, _LICENCE_END[target], actor, f"agreement {action}", now)
    return agreement


def _end_licences(agreement: Agreement, status: str, actor, reason: str, now: dt.datetime) -> None:
    live = (
        Licence.objects.select_for_update()
        .filter(agreement=agreement, status__in=[LicenceStatus.ACTIVE, LicenceStatus.SUSPENDED])
        .order_by("pk")
    )
    for licence in live:
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


@transaction.atomic
def agreement_record_exit_step(
    *, actor, agreement: Agreement, step: str, note: str = "", now: dt.datetime
) -> Agreement:
    agreement = Agreement.objects.select_for_update().select_related("agency").get(pk=agreement.pk)
    require_agency_staff(actor, agreement.agency)
    if agreement.status != A.EXIT_IN_PROGRESS:
        raise IllegalTransition(
            action="exit_step", current=agreement.status, allowed=allowed_actions(agreement)
        )
    field = EXIT_STEPS.get(step)
    if field is None:
        raise ValidationFailed(
            "Unknown step.", errors={"step": ["Must be one of: " + ", ".join(EXIT_STEPS)]}
        )
    if getattr(agreement, field) is not None:
        raise Conflict("This exit step is already recorded.")
    if step == "registrations_cancelled":
        live = product_records_to_cancel(agreement)
        if live:
            codes = ", ".join(r.code or f"#{r.pk}" for r in live[:20])
            message = (
                f"{len(live)} product registration(s) of this agreement are not deregistered: "
                f"{codes}. Their registrant (the operator) files the deregistrations first."
            )
            raise Conflict(
                message,
                errors={"step": [message]},
                extra={
                    "records": [
                        {
                            "id": r.pk,
                            "code": r.code,
                            "status": r.status,
                            "name": r.current_version.name if r.current_version else "",
                        }
                        for r in live
                    ]
                },
            )
    setattr(agreement, field, now)
    agreement.save(update_fields=[field])
    AgreementEvent.objects.create(
        agreement=agreement,
        action=step,
        reason=text(note, "note", max_length=1000, required=False),
        actor=actor,
        at=now,
    )
    return agreement


def product_records_to_cancel(agreement: Agreement) -> list[Resource]:
    """The registry records of the agreement's products that must be deregistered before
    the exit step `registrations_cancelled` is recorded: coded and not deregistered (active,
    expiring or expired), or still being registered (an open initial filing would code it
    later). A record whose only filings were withdrawn or refused was never coded and counts
    as cancelled."""
    coded = [RecordStatus.ACTIVE, RecordStatus.EXPIRING, RecordStatus.EXPIRED]
    open_filing = Registration.objects.filter(resource=OuterRef("pk"), status__in=OPEN_STATUSES)
    return list(
        Resource.objects.filter(commerce_products__licence__agreement=agreement)
        .filter(Q(status__in=coded) | Q(Exists(open_filing), status=RecordStatus.PENDING))
        .select_related("current_version")
        .distinct()
        .order_by("pk")
    )


def agreements_expire_due(*, now: dt.datetime) -> int:
    """Move agreements whose term has ended to `expired` (and end their licences)."""
    due = Agreement.objects.filter(
        status__in=[A.ACTIVE, A.SUSPENDED], end_date__lt=local_day(now)
    ).order_by("pk")
    count = 0
    for agreement in due:
        try:
            agreement_transition(actor=None, agreement=agreement, action="expire", now=now)
            count += 1
        except IllegalTransition:
            continue  # moved on meanwhile
    return count


def consent_required(agreement: Agreement, resource) -> bool:
    """Data from another department needs that department's consent."""
    return resource.holder_id != agreement.agency.organisation_id


def consent_record(
    *,
    actor,
    agreement: Agreement,
    registration_code: str,
    consented_on: dt.date,
    document_no: str = "",
    note: str = "",
    now: dt.datetime,
) -> DepartmentConsent:
    require_agency_staff(actor, agreement.agency)
    resource = agreement.resources.filter(code=str(registration_code).strip().upper()).first()
    if resource is None:
        raise ValidationFailed(
            "Not in scope.",
            errors={"registration_code": ["The resource is not in the agreement's scope."]},
        )
    try:
        with transaction.atomic():
            return DepartmentConsent.objects.create(
                agreement=agreement,
                department=resource.holder,
                resource=resource,
                consented_on=consented_on,
                document_no=text(document_no, "document_no", max_length=100, required=False),
                note=text(note, "note", max_length=500, required=False),
                recorded_by=actor,
                recorded_at=now,
            )
    except IntegrityError:
        raise Conflict("Consent for this resource is already recorded.") from None
