"""National side: the register of provincial nodes (added and disabled by a national
administrator) and the per-province sync status."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction

from registry.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from registry.federation.keys import load_public
from registry.federation.models import FederationNode, InboundEvent, InboundOutcome
from registry.models import Region, RegionLevel
from registry.selectors import scope_of
from registry.services.common import clean_text


def _require_national_admin(actor) -> None:
    if not scope_of(actor).national_admin:
        raise PermissionDenied("Only a national platform administrator manages nodes.")


@transaction.atomic
def node_register(
    *, actor, code: str, name: str, province: str, base_url: str, public_key: str
) -> FederationNode:
    _require_national_admin(actor)
    code, name, base_url, public_key = (clean_text(v) for v in (code, name, base_url, public_key))
    errors: dict[str, list[str]] = {}
    if not code or len(code) > 40 or not code.replace("-", "").replace("_", "").isalnum():
        errors["code"] = ["1–40 letters, digits, - or _."]
    if code == "national":
        errors["code"] = ["'national' is the national node's own code."]
    if not name or len(name) > 100:
        errors["name"] = ["1–100 characters."]
    region = Region.objects.filter(code=province, level=RegionLevel.PROVINCE).first()
    if region is None:
        errors["province"] = ["Unknown province code."]
    parts = urlsplit(base_url)
    if parts.scheme not in {"http", "https"} or not parts.hostname or len(base_url) > 300:
        errors["base_url"] = ["An http(s) URL is required."]
    elif parts.username or parts.password or parts.query or parts.fragment:
        errors["base_url"] = ["No credentials, query or fragment."]
    try:
        load_public(public_key)
    except ValueError as exc:
        errors["public_key"] = [str(exc)]
    if errors:
        raise ValidationFailed("The node is not valid.", errors=errors)
    try:
        with transaction.atomic():
            return FederationNode.objects.create(
                code=code, name=name, province=region, base_url=base_url, public_key=public_key
            )
    except IntegrityError:
        raise Conflict("A node with this code or for this province exists already.") from None


@transaction.atomic
def node_set_enabled(*, actor, pk: int, enabled: bool) -> FederationNode:
    _require_national_admin(actor)
    fed_node = FederationNode.objects.select_for_update().filter(pk=pk).first()
    if fed_node is None:
        raise NotFound("No such node.")
    fed_node.is_enabled = enabled
    fed_node.save(update_fields=["is_enabled"])
    return fed_node


@dataclass
class NodeStatus:
    node: FederationNode
    lag_seconds: int | None
    lagging: bool
    refused_recently: list[InboundEvent]


def node_statuses(*, now: dt.datetime) -> list[NodeStatus]:
    statuses = []
    for fed_node in FederationNode.objects.select_related("province"):
        lag = (
            int((now - fed_node.last_success_at).total_seconds())
            if fed_node.last_success_at
            else None
        )
        statuses.append(
            NodeStatus(
                node=fed_node,
                lag_seconds=lag,
                lagging=lag is None or lag > settings.FEDERATION_LAG_WARNING_SECONDS,
                refused_recently=list(
                    fed_node.events.exclude(outcome=InboundOutcome.APPLIED).order_by("-sequence")[
                        :5
                    ]
                ),
            )
        )
    return statuses
