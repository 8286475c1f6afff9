"""A record kept by another node (a province's record mirrored on the national node, or one
handed over to a province) is changed only there: follow-up filings here are refused."""

from __future__ import annotations

from registry.errors import Conflict
from registry.federation.conf import node
from registry.federation.models import FederatedRecord
from registry.models import Resource


def kept_elsewhere(resource: Resource) -> str:
    """The code of the node that keeps the record, when it is not this one ("" otherwise)."""
    config = node()
    if not config.is_federated:
        return ""
    steward = (
        FederatedRecord.objects.filter(resource_id=resource.pk)
        .values_list("steward_node", flat=True)
        .first()
    )
    return steward if steward and steward != config.node_code else ""


def ensure_kept_here(resource: Resource) -> None:
    steward = kept_elsewhere(resource)
    if steward:
        raise Conflict(
            f"This record is kept by node {steward}: file changes on that node's platform.",
            extra={"current_state": resource.status, "steward_node": steward},
        )
