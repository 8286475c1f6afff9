"""Public notices across nodes. A provincial node reports each notice when it starts and when
it ends (any transition into or out of 公示, seen as the RegistrationEvent row written in the
transition's transaction); the national node lists the open ones on its notice page, linking
to the node's own notice, where objections are filed."""

from __future__ import annotations

import datetime as dt

from registry.errors import ValidationFailed
from registry.federation.conf import node
from registry.federation.models import FederatedNotice, FederationNode
from registry.federation.payload import parse_moment, province_of
from registry.models import Registration, RegistrationEvent, RegistrationStatus


def on_registration_event(sender, *, instance: RegistrationEvent, created: bool, **kwargs) -> None:
    """post_save of RegistrationEvent (inside the transition's transaction)."""
    if not created or not node().is_provincial:
        return
    into = instance.to_status == RegistrationStatus.IN_NOTICE
    out_of = instance.from_status == RegistrationStatus.IN_NOTICE and not into
    if into or out_of:
        notice_report(registration=instance.registration, version=instance.pk, now=instance.at)


def notice_report(*, registration: Registration, version: int, now: dt.datetime) -> None:
    from registry.federation.outbox import append_event

    reg = Registration.objects.select_related(
        "resource__holder__region", "resource__platform__region"
    ).get(pk=registration.pk)
    append_event(
        resource=reg.resource,
        event="notice",
        version=version,
        now=now,
        body={
            "province": province_of(reg.resource),
            "notice": {
                "registration_id": reg.pk,
                "registration_type": reg.registration_type,
                "registrant_name": reg.resource.holder.name,
                "data_name": reg.name,
                "summary": reg.summary,
                "notice_start": reg.notice_start.isoformat() if reg.notice_start else None,
                "notice_end": reg.notice_end.isoformat() if reg.notice_end else None,
                "is_open": reg.status == RegistrationStatus.IN_NOTICE,
            },
        },
    )


def notice_apply(*, fed_node: FederationNode, event: dict, now: dt.datetime) -> dict:
    """National side: store or update the notice; an older report than the stored one is
    ignored (stale)."""
    notice = event.get("notice")
    version = (
        event.get("record", {}).get("version") if isinstance(event.get("record"), dict) else None
    )
    if not isinstance(notice, dict) or not isinstance(version, int):
        raise ValidationFailed("A notice event needs a notice and a version.")
    reg_id = notice.get("registration_id")
    if not isinstance(reg_id, int) or reg_id < 1:
        raise ValidationFailed("A notice needs its registration id.")
    existing = FederatedNotice.objects.filter(node=fed_node, origin_registration_id=reg_id).first()
    if existing is not None and existing.version >= version:
        return {"status": "stale", "detail": "An older notice report than the stored one."}
    values = {
        "version": version,
        "registration_type": str(notice.get("registration_type", ""))[:16],
        "registrant_name": str(notice.get("registrant_name", ""))[:200],
        "data_name": str(notice.get("data_name", ""))[:200],
        "summary": str(notice.get("summary", ""))[:4000],
        "notice_start": parse_moment(notice.get("notice_start")),
        "notice_end": parse_moment(notice.get("notice_end")),
        "is_open": bool(notice.get("is_open")),
        "synced_at": now,
    }
    FederatedNotice.objects.update_or_create(
        node=fed_node, origin_registration_id=reg_id, defaults=values
    )
    return {"status": "applied"}


def open_notices(*, province: str = ""):
    qs = FederatedNotice.objects.filter(is_open=True, node__is_enabled=True).select_related(
        "node__province"
    )
    if province:
        qs = qs.filter(node__province_id=province)
    return qs.order_by("notice_end", "id")
