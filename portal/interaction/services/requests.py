"""Data requests (数据需求): ask, support, and the holder's or platform's public answer.

States: open → accepted (the holder will provide it) → published (a dataset answers it);
open or accepted → declined (a reason is required). Every answer is a public reply; the first
one is measured against the working-day reply deadline."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from portal.interaction.models import DataRequest, RequestStatus, RequestSupport
from portal.interaction.services.common import event, lock, require_answerer, require_login
from portal.models import Dataset, DatasetStatus
from portal.text import clean_required
from registry.errors import Conflict, IllegalTransition, ValidationFailed
from registry.models import Organisation
from registry.workdays import deadline_after

R = RequestStatus
REQUEST_ACTIONS: dict[str, list[str]] = {
    R.OPEN: ["accept", "publish", "decline"],
    R.ACCEPTED: ["publish", "decline"],
    R.PUBLISHED: [],
    R.DECLINED: [],
}
_TARGET = {"accept": R.ACCEPTED, "publish": R.PUBLISHED, "decline": R.DECLINED}


@transaction.atomic
def request_create(
    *, actor, data: dict[str, Any], holder: Organisation | None, now: dt.datetime
) -> DataRequest:
    require_login(actor)
    errors: dict[str, list[str]] = {}
    title = clean_required(data.get("title"), "title", 200, errors)
    description = clean_required(data.get("description"), "description", 4000, errors)
    if errors:
        raise ValidationFailed("The request is not complete.", errors=errors)
    req = DataRequest.objects.create(
        requester=actor,
        holder=holder,
        title=title,
        description=description,
        created_at=now,
        updated_at=now,
        reply_deadline=deadline_after(now, settings.INTERACTION_REQUEST_WORKING_DAYS),
    )
    event("request", req, action="create", actor=actor, now=now)
    return req


@transaction.atomic
def request_support(*, actor, request: DataRequest, now: dt.datetime) -> DataRequest:
    """Support someone else's request, once. Supporting twice, or one's own, is a 409."""
    require_login(actor)
    req = lock(DataRequest, request.pk, what="request")
    if req.requester_id == actor.pk:
        raise Conflict("You cannot support your own request.")
    try:
        with transaction.atomic():
            RequestSupport.objects.create(request=req, user=actor, created_at=now)
    except IntegrityError:
        raise Conflict("You already support this request.") from None
    DataRequest.objects.filter(pk=req.pk).update(support_count=F("support_count") + 1)
    req.refresh_from_db(fields=["support_count"])
    return req


@transaction.atomic
def request_answer(
    *,
    actor,
    request: DataRequest,
    action: str,
    reply: str,
    now: dt.datetime,
    dataset: Dataset | None = None,
) -> DataRequest:
    """Accept, publish (naming the published dataset that answers it) or decline, with a
    public reply (for a decline: the reason)."""
    req = lock(DataRequest, request.pk, what="request")
    require_answerer(actor, req.holder, what="request")
    allowed = REQUEST_ACTIONS[req.status]
    if action not in allowed:
        raise IllegalTransition(action=action, current=req.status, allowed=allowed)
    errors: dict[str, list[str]] = {}
    text = clean_required(reply, "reply", 4000, errors)
    if action == "publish" and (dataset is None or dataset.status != DatasetStatus.PUBLISHED):
        errors["dataset"] = ["Name the published dataset that answers the request."]
    if errors:
        raise ValidationFailed("The answer is not complete.", errors=errors)
    req.status = _TARGET[action]
    req.reply = text
    req.updated_at = now
    fields = ["status", "reply", "updated_at"]
    if req.replied_at is None:
        req.replied_at, req.replied_by = now, actor
        fields += ["replied_at", "replied_by"]
    if dataset is not None and action == "publish":
        req.dataset = dataset
        fields.append("dataset")
    req.save(update_fields=fields)
    event("request", req, action=action, actor=actor, now=now, reason=text)
    return req
