"""Authorisation schemes: create with a scope of registered resources, approve, publish the
operator selection. Scope refusals name each refused code and why."""

from __future__ import annotations

import datetime as dt
import unicodedata

from django.db import transaction

from operations.models import (
    AuthorisationMode,
    OperatorSelection,
    Party,
    PartyKind,
    Scenario,
    Scheme,
    SchemeApproval,
    SchemeResource,
    SchemeStatus,
    SelectionProcedure,
)
from operations.services.common import require_agency_staff, require_state, text
from registry.errors import ValidationFailed
from registry.models import ObjectType, OpenCategory, RecordStatus, Resource

MAX_SCOPE = 200
MAX_SCENARIOS = 50
_REGISTERED = (RecordStatus.ACTIVE, RecordStatus.EXPIRING)


def normalise_code(code: str) -> str:
    return unicodedata.normalize("NFKC", str(code)).strip().upper()


def resolve_scope(codes: list[str]) -> list[Resource]:
    """The registered resources of these codes, or a ValidationFailed naming every code that
    is unknown, not (or no longer) registered, a product, or not open for operation."""
    if not isinstance(codes, list) or not codes:
        raise ValidationFailed(
            "A scheme's scope lists at least one registration code.",
            errors={"registration_codes": ["At least one registration code is required."]},
        )
    if len(codes) > MAX_SCOPE:
        raise ValidationFailed(
            "Too many codes.", errors={"registration_codes": [f"At most {MAX_SCOPE} codes."]}
        )
    wanted = list(dict.fromkeys(normalise_code(c) for c in codes if isinstance(c, str)))
    found = {
        r.code: r
        for r in Resource.objects.filter(code__in=wanted).select_related("current_version")
    }
    problems = []
    for code in wanted:
        resource = found.get(code)
        if resource is None or resource.status not in _REGISTERED:
            problems.append(f"{code[:40]}: not a registered resource.")
        elif resource.object_type == ObjectType.DATA_PRODUCT:
            problems.append(f"{code}: a data product, not a data resource.")
        elif resource.current_version.open_category == OpenCategory.NOT_OPEN:
            problems.append(f"{code}: data that is not open cannot be authorised for operation.")
    if problems or len(wanted) != len(codes):
        raise ValidationFailed(
            "Some registration codes cannot be in scope.",
            errors={"registration_codes": problems or ["Each code must be text and unique."]},
        )
    return [found[c] for c in wanted]


def _modes(modes, domains, scenarios) -> list[str]:
    if (
        not isinstance(modes, list)
        or not modes
        or any(m not in AuthorisationMode.values for m in modes)
    ):
        raise ValidationFailed(
            "Unknown mode.",
            errors={"modes": ["Choose one or more of: whole, domain, scenario."]},
        )
    if AuthorisationMode.DOMAIN in modes and not domains:
        raise ValidationFailed(
            "Name the domains.", errors={"domains": ["Authorisation by domain names its domains."]}
        )
    if not scenarios:
        raise ValidationFailed(
            "No scenario, no authorisation.",
            errors={"scenarios": ["At least one application scenario is required."]},
        )
    return list(dict.fromkeys(modes))


@transaction.atomic
def scheme_create(
    *,
    actor,
    agency: Party,
    title: str,
    modes: list[str],
    registration_codes: list[str],
    scenarios: list[str],
    domains: list[str] | None = None,
    description: str = "",
    now: dt.datetime,
) -> Scheme:
    require_agency_staff(actor, agency)
    domains = [text(d, "domains", max_length=100) for d in (domains or [])][:20]
    names = list(dict.fromkeys(text(s, "scenarios", max_length=200) for s in (scenarios or [])))
    if len(names) > MAX_SCENARIOS:
        raise ValidationFailed(
            "Too many scenarios.", errors={"scenarios": [f"At most {MAX_SCENARIOS}."]}
        )
    modes = _modes(modes, domains, names)
    resources = resolve_scope(registration_codes)
    scheme = Scheme.objects.create(
        agency=agency,
        title=text(title, "title", max_length=200),
        modes=modes,
        domains=domains,
        description=text(description, "description", max_length=4000, required=False),
        created_by=actor,
        created_at=now,
    )
    SchemeResource.objects.bulk_create(
        SchemeResource(scheme=scheme, resource=r, registration_code=r.code) for r in resources
    )
    Scenario.objects.bulk_create(Scenario(scheme=scheme, name=n) for n in names)
    return scheme


def _locked(scheme: Scheme) -> Scheme:
    return Scheme.objects.select_for_update().select_related("agency").get(pk=scheme.pk)


@transaction.atomic
def scheme_approve(
    *,
    actor,
    scheme: Scheme,
    approver: str,
    document_no: str,
    approved_on: dt.date,
    now: dt.datetime,
) -> Scheme:
    scheme = _locked(scheme)
    require_agency_staff(actor, scheme.agency)
    require_state(
        scheme, action="approve", allowed_from=(SchemeStatus.DRAFT,), allowed=_allowed(scheme)
    )
    SchemeApproval.objects.create(
        scheme=scheme,
        approver=text(approver, "approver", max_length=200),
        document_no=text(document_no, "document_no", max_length=100),
        approved_on=approved_on,
        recorded_by=actor,
        recorded_at=now,
    )
    scheme.status, scheme.approved_at = SchemeStatus.APPROVED, now
    scheme.save(update_fields=["status", "approved_at"])
    return scheme


@transaction.atomic
def scheme_publish_selection(
    *,
    actor,
    scheme: Scheme,
    procedure: str,
    decided_on: dt.date,
    result_summary: str,
    operator_ids: list[int],
    now: dt.datetime,
) -> OperatorSelection:
    """Record the selection's outcome and publish it; only verified operators are selected."""
    scheme = _locked(scheme)
    require_agency_staff(actor, scheme.agency)
    require_state(
        scheme,
        action="publish_selection",
        allowed_from=(SchemeStatus.APPROVED,),
        allowed=_allowed(scheme),
    )
    if procedure not in SelectionProcedure.values:
        raise ValidationFailed(
            "Unknown procedure.",
            errors={"procedure": ["Must be one of: " + ", ".join(SelectionProcedure.values)]},
        )
    operators = list(Party.objects.filter(pk__in=operator_ids or [], kind=PartyKind.OPERATOR))
    if not operators or len(operators) != len(set(operator_ids)):
        raise ValidationFailed(
            "Unknown operator.", errors={"operators": ["Select one or more registered operators."]}
        )
    unverified = [o.organisation.name for o in operators if not o.is_verified]
    if unverified:
        raise ValidationFailed(
            "Operators must have a verified identity.",
            errors={"operators": [f"Identity not verified: {', '.join(unverified)}."]},
        )
    selection = OperatorSelection.objects.create(
        scheme=scheme,
        procedure=procedure,
        decided_on=decided_on,
        result_summary=text(result_summary, "result_summary", max_length=4000),
        recorded_by=actor,
        published_at=now,
    )
    selection.selected.set(operators)
    scheme.status, scheme.published_at = SchemeStatus.RESULT_PUBLISHED, now
    scheme.save(update_fields=["status", "published_at"])
    return selection


@transaction.atomic
def scheme_withdraw(*, actor, scheme: Scheme, now: dt.datetime) -> Scheme:
    scheme = _locked(scheme)
    require_agency_staff(actor, scheme.agency)
    require_state(
        scheme,
        action="withdraw",
        allowed_from=(SchemeStatus.DRAFT, SchemeStatus.APPROVED),
        allowed=_allowed(scheme),
    )
    scheme.status = SchemeStatus.WITHDRAWN
    scheme.save(update_fields=["status"])
    return scheme


def _allowed(scheme: Scheme) -> list[str]:
    return {
        SchemeStatus.DRAFT: ["approve", "withdraw"],
        SchemeStatus.APPROVED: ["publish_selection", "withdraw"],
    }.get(scheme.status, [])
