"""Pieces every portal service shares: row locks, the holder-staff check, event rows, text
cleaning and the dataset state table."""

from __future__ import annotations

import datetime as dt
from typing import Any

from portal.models import Dataset, DatasetEvent, DatasetStatus
from registry.errors import IllegalTransition, NotFound
from registry.selectors import scope_of

# What each dataset state allows (for checks and for the pages' buttons).
DATASET_ACTIONS: dict[str, list[str]] = {
    DatasetStatus.PUBLISHED: ["update", "withdraw", "add_file", "upload"],
    DatasetStatus.WITHDRAWN: ["update", "republish", "add_file", "upload"],
}


def lock_dataset(pk: int) -> Dataset:
    """Lock one dataset row (and nothing joined to it) for a write. FOR NO KEY UPDATE: rows
    that merely reference the dataset (usage records, events) can still be inserted."""
    try:
        return (
            Dataset.objects.select_for_update(of=("self",), no_key=True)
            .select_related("holder", "resource")
            .get(pk=pk)
        )
    except Dataset.DoesNotExist:
        raise NotFound("No such dataset.") from None


def require_holder_staff(actor, holder_id: int, *, what: str = "dataset") -> None:
    """Holder staff of the organisation, else NotFound: another organisation's dataset does not
    exist as far as the actor can tell."""
    if actor is None or not actor.is_authenticated:
        raise NotFound(f"No such {what}.")
    if holder_id not in scope_of(actor).holder_org_ids:
        raise NotFound(f"No such {what}.")


def check_action(dataset: Dataset, action: str) -> None:
    allowed = DATASET_ACTIONS[dataset.status]
    if action not in allowed:
        raise IllegalTransition(action=action, current=dataset.status, allowed=allowed)


def record_event(
    dataset: Dataset,
    *,
    action: str,
    actor,
    now: dt.datetime,
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> DatasetEvent:
    return DatasetEvent.objects.create(
        dataset=dataset,
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        reason=reason,
        data=data or {},
        at=now,
    )
