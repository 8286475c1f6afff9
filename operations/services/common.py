"""Helpers shared by the operations services: membership checks, state guards, numbering."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from operations.models import Party, PartyKind
from registry.errors import IllegalTransition, PermissionDenied, ValidationFailed
from registry.selectors import scope_of

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local_day(now: dt.datetime) -> dt.date:
    return now.astimezone(SHANGHAI).date()


def require_member(actor, party: Party) -> None:
    if not party.members.filter(user=actor).exists():
        raise PermissionDenied("You do not act for this organisation.")


def is_platform_admin(actor) -> bool:
    return bool(getattr(actor, "is_authenticated", False) and scope_of(actor).admin_platform_ids)


def require_agency_staff(actor, agency: Party) -> None:
    if agency.kind != PartyKind.AGENCY:
        raise ValidationFailed("Not an implementing agency.")
    require_member(actor, agency)


def require_state(obj, *, action: str, allowed_from: tuple[str, ...], allowed: list[str]) -> None:
    if obj.status not in allowed_from:
        raise IllegalTransition(action=action, current=obj.status, allowed=allowed)


def text(value: str | None, name: str, *, max_length: int, required: bool = True) -> str:
    cleaned = (value or "").strip()
    if required and not cleaned:
        raise ValidationFailed(f"'{name}' is required.", errors={name: ["This field is required."]})
    if len(cleaned) > max_length:
        raise ValidationFailed(
            f"'{name}' is too long.", errors={name: [f"At most {max_length} characters."]}
        )
    return cleaned
