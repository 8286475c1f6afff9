"""The filer's side: create (initial or follow-up), update, submit, withdraw."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from registry.errors import (
    Conflict,
    NotFound,
    ValidationFailed,
)
from registry.federation.guards import ensure_kept_here, ensure_registrant_here
from registry.models import (
    METADATA_FIELDS,
    AgentMandate,
    ObjectType,
    Organisation,
    RecordStatus,
    Registration,
    RegistrationType,
    Resource,
)
from registry.selectors import can_file_for
from registry.services.common import (
    S,
    _check_state,
    _event,
    _lock,
    _move,
    _require_filer,
    clean_text,
    platform_for,
)
from registry.services.validation import (
    _missing_for_submit,
    check_metadata,
)
from registry.workdays import deadline_after, local_date


@transaction.atomic
def registration_create_initial(
    *,
    actor,
    holder: Organisation,
    object_type: str,
    data: dict[str, Any],
    reason: str = "",
    now: dt.datetime,
) -> Registration:
    """A first registration (draft) for a new resource of `holder`."""
    if object_type not in ObjectType.values:
        raise ValidationFailed(
            "Unknown object type.",
            errors={"object_type": [f"Must be one of: {', '.join(ObjectType.values)}."]},
        )
    permit = can_file_for(user=actor, holder=holder, today=local_date(now))
    if not permit:
        raise NotFound("No such organisation.")
    ensure_registrant_here(holder)
    cleaned = check_metadata(data, object_type=object_type)
    resource = Resource.objects.create(
        object_type=object_type, holder=holder, platform=platform_for(holder)
    )
    mandate = permit if isinstance(permit, AgentMandate) else None
    reg = Registration.objects.create(
        resource=resource,
        registration_type=RegistrationType.INITIAL,
        platform=resource.platform,
        applicant=actor,
        agent_organisation=mandate.agent if mandate else None,
        mandate=mandate,
        reason=clean_text(reason),
        **cleaned,
    )
    _event(reg, action="create", from_status="", actor=actor, now=now)
    return reg


@transaction.atomic
def registration_create_followup(
    *,
    actor,
    resource: Resource,
    registration_type: str,
    data: dict[str, Any] | None,
    reason: str,
    now: dt.datetime,
) -> Registration:
    """A change, correction or deregistration of a coded record. The draft starts from the
    current version's metadata, with `data` applied on top (ignored for deregistration)."""
    if registration_type not in (
        RegistrationType.CHANGE,
        RegistrationType.CORRECTION,
        RegistrationType.DEREGISTRATION,
    ):
        raise ValidationFailed(
            "Unknown registration type.",
            errors={"registration_type": ["Must be change, correction or deregistration."]},
        )
    try:
        resource = Resource.objects.select_for_update().get(pk=resource.pk)
    except Resource.DoesNotExist:
        raise NotFound("No such record.") from None
    permit = can_file_for(user=actor, holder=resource.holder, today=local_date(now))
    if not permit:
        raise NotFound("No such record.")
    ensure_kept_here(resource)
    if resource.status not in (RecordStatus.ACTIVE, RecordStatus.EXPIRING, RecordStatus.EXPIRED):
        raise Conflict(
            f"A record in state '{resource.status}' cannot be {registration_type}d.",
            extra={"current_state": resource.status},
        )
    if (
        resource.status == RecordStatus.EXPIRED
        and registration_type != RegistrationType.DEREGISTRATION
    ):
        raise Conflict(
            "An expired record can only be deregistered.", extra={"current_state": resource.status}
        )
    version = resource.current_version
    base = {name: getattr(version, name) for name in METADATA_FIELDS}
    if registration_type != RegistrationType.DEREGISTRATION and data:
        base.update(data)
    cleaned = check_metadata(base, object_type=resource.object_type)
    mandate = permit if isinstance(permit, AgentMandate) else None
    try:
        with transaction.atomic():
            reg = Registration.objects.create(
                resource=resource,
                registration_type=registration_type,
                platform=resource.platform,
                applicant=actor,
                agent_organisation=mandate.agent if mandate else None,
                mandate=mandate,
                reason=clean_text(reason),
                **cleaned,
            )
    except IntegrityError:
        raise Conflict("This record already has an application in progress.") from None
    _event(reg, action="create", from_status="", actor=actor, now=now)
    return reg


@transaction.atomic
def registration_update(
    *,
    actor,
    registration: Registration,
    data: dict[str, Any],
    reason: str | None = None,
    now: dt.datetime,
) -> Registration:
    reg = _lock(registration.pk)
    _require_filer(actor, reg, now=now)
    _check_state(reg, "update")
    if reg.registration_type == RegistrationType.DEREGISTRATION:
        if data:
            raise ValidationFailed(
                "A deregistration carries no metadata changes.",
                errors={k: ["Not editable on a deregistration."] for k in data},
            )
    else:
        merged = {name: getattr(reg, name) for name in METADATA_FIELDS} | data
        cleaned = check_metadata(merged, object_type=reg.resource.object_type)
        for name, value in cleaned.items():
            setattr(reg, name, value)
    if reason is not None:
        reg.reason = clean_text(reason)[:2000]
    reg.save()
    _event(
        reg,
        action="update",
        from_status=reg.status,
        actor=actor,
        now=now,
        data={"fields": sorted(data)},
    )
    return reg


@transaction.atomic
def registration_submit(*, actor, registration: Registration, now: dt.datetime) -> Registration:
    """Draft or supplemented → submitted (the acceptance clock (re)starts); returned →
    under review again."""
    reg = _lock(registration.pk)
    _require_filer(actor, reg, now=now)
    _check_state(reg, "submit")
    missing = _missing_for_submit(reg)
    if missing:
        raise ValidationFailed("The application is incomplete.", errors=missing)
    if reg.status == S.RETURNED:
        return _move(
            reg,
            action="resubmit",
            to=S.UNDER_REVIEW,
            actor=actor,
            now=now,
            fields={
                "review_deadline": deadline_after(now, settings.REGISTRY_REVIEW_WORKING_DAYS),
                "overdue_flagged_at": None,
                "overdue_notified_at": None,
            },
        )
    return _move(
        reg,
        action="submit",
        to=S.SUBMITTED,
        actor=actor,
        now=now,
        fields={
            "submitted_at": now,
            "acceptance_deadline": deadline_after(now, settings.REGISTRY_ACCEPTANCE_WORKING_DAYS),
            "supplement_items": reg.supplement_items,
            "overdue_flagged_at": None,
            "overdue_notified_at": None,
        },
    )


@transaction.atomic
def registration_withdraw(
    *, actor, registration: Registration, reason: str = "", now: dt.datetime
) -> Registration:
    reg = _lock(registration.pk)
    _require_filer(actor, reg, now=now)
    _check_state(reg, "withdraw")
    # An initial application that ends without a code leaves an uncoded resource: kept for
    # the history, never shown on the register (which lists coded records only).
    return _move(
        reg,
        action="withdraw",
        to=S.WITHDRAWN,
        actor=actor,
        now=now,
        reason=clean_text(reason),
        fields={"decided_at": now},
    )
