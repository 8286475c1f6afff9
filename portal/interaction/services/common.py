"""Pieces the interaction services share: who may answer an item, event rows, locks."""

from __future__ import annotations

import datetime as dt

from django.db.models import Model

from portal.interaction.models import InteractionEvent
from portal.oversight import admin_province_codes
from registry.errors import NotFound
from registry.models import NATIONAL_REGION_CODE, Organisation
from registry.selectors import scope_of


def may_answer(actor, holder: Organisation | None) -> bool:
    """The holder's staff, or a platform administrator overseeing the holder. Items addressed
    to no holder are the national administrators'."""
    if actor is None or not actor.is_authenticated:
        return False
    if holder is not None and holder.pk in scope_of(actor).holder_org_ids:
        return True
    provinces = admin_province_codes(actor)
    if provinces is None:
        return True
    if holder is None or not provinces:
        return False
    if holder.is_national_level:
        return NATIONAL_REGION_CODE in provinces
    return holder.region.province_code in provinces


def require_answerer(actor, holder: Organisation | None, *, what: str) -> None:
    if not may_answer(actor, holder):
        raise NotFound(f"No such {what}.")


def may_moderate_dataset(actor, dataset) -> bool:
    """Platform administrators overseeing the dataset's holder moderate its comments."""
    if actor is None or not actor.is_authenticated:
        return False
    provinces = admin_province_codes(actor)
    if provinces is None:
        return True
    return bool(provinces) and dataset.province_code in provinces


def lock(model: type[Model], pk: int, *, what: str):
    try:
        return model.objects.select_for_update(of=("self",)).get(pk=pk)
    except model.DoesNotExist:
        raise NotFound(f"No such {what}.") from None


def event(subject: str, obj, *, action: str, actor, now: dt.datetime, reason: str = ""):
    return InteractionEvent.objects.create(
        subject=subject,
        subject_id=obj.pk,
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        reason=reason,
        at=now,
    )


def require_login(actor) -> None:
    if actor is None or not actor.is_authenticated:
        raise NotFound("Log in first.")
