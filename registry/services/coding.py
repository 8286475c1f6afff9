"""Completion: the code is issued (赋码) or the change applied to the record."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.db import transaction
from django.db.models import Value

from registry import signals
from registry.codes import get_code_rule
from registry.errors import Conflict
from registry.models import (
    METADATA_FIELDS,
    ObjectionStatus,
    RecordStatus,
    Registration,
    RegistrationType,
    Resource,
    ResourceVersion,
)
from registry.search import document_tokens
from registry.services.common import (
    S,
    _check_state,
    _lock,
    _move,
    _require_reviewer,
)
from registry.workdays import local_date


@transaction.atomic
def registration_complete(
    *, registration: Registration, now: dt.datetime, actor=None
) -> Registration:
    """The notice ended with no objection pending: issue the code (initial) or apply the
    change/correction/deregistration to the record."""
    reg = _lock(registration.pk)
    if actor is not None:
        _require_reviewer(actor, reg)
    _check_state(reg, "complete")
    if reg.notice_end is not None and now <= reg.notice_end:
        raise Conflict(
            "The public notice has not ended yet.",
            extra={"current_state": reg.status, "notice_end": reg.notice_end.isoformat()},
        )
    if reg.objections.filter(status=ObjectionStatus.PENDING).exists():
        raise Conflict(
            "An objection is still pending a decision.", extra={"current_state": reg.status}
        )
    return _complete_locked(reg, actor=actor, now=now)


def _complete_locked(reg: Registration, *, actor, now: dt.datetime) -> Registration:
    resource = (
        Resource.objects.select_for_update()
        .select_related("platform__region")
        .get(pk=reg.resource_id)
    )
    updates = ["status", "current_version", "updated_at"]
    if reg.registration_type == RegistrationType.DEREGISTRATION:
        resource.status = RecordStatus.DEREGISTERED
        resource.deregistered_at = now
        updates.append("deregistered_at")
        event = "deregistered"
    else:
        number = (
            resource.versions.order_by("-number").values_list("number", flat=True).first() or 0
        ) + 1
        version = ResourceVersion.objects.create(
            resource=resource,
            number=number,
            registration=reg,
            **{name: getattr(reg, name) for name in METADATA_FIELDS},
        )
        resource.current_version = version
        if reg.registration_type == RegistrationType.INITIAL:
            resource.code = get_code_rule()(resource, now)
            resource.registered_at = now
            updates += ["code", "registered_at"]
        if reg.registration_type in (RegistrationType.INITIAL, RegistrationType.CHANGE):
            resource.valid_until = _valid_until(now)
            updates.append("valid_until")
        resource.status = RecordStatus.ACTIVE
        event = {"initial": "coded", "change": "changed", "correction": "corrected"}[
            reg.registration_type
        ]
    resource.save(update_fields=updates)
    _refresh_search(resource)
    _move(
        reg,
        action="complete",
        to=S.APPROVED,
        actor=actor,
        now=now,
        data={"code": resource.code},
        fields={"decided_at": now},
    )
    signals.record_changed.send(
        sender=Resource, resource=resource, event=event, registration=reg, now=now
    )
    return reg


def _valid_until(now: dt.datetime) -> dt.date:
    start = local_date(now)
    years = settings.REGISTRY_VALIDITY_YEARS
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February
        return start.replace(year=start.year + years, day=28)


def _refresh_search(resource: Resource) -> None:
    version = resource.current_version
    if version is None:
        return
    tokens = document_tokens(
        version.name,
        version.summary,
        resource.holder.name,
        version.domain,
        " ".join(item["name"] for item in version.data_items),
        resource.code or "",
    )
    Resource.objects.filter(pk=resource.pk).update(
        search_vector=SearchVector(Value(tokens), config="simple")
    )
