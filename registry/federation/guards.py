"""Where a filing belongs. A record kept by another node (a province's record mirrored on the
national node, or one handed over to a province) is changed only there: follow-up filings here
are refused. A provincial node registers its own province's registrants only (属地原则): the
national node would refuse any other record on arrival, so such a filing is refused here,
before anything is written, with where to file instead."""

from __future__ import annotations

from registry.errors import Conflict, ValidationFailed
from registry.federation.conf import node
from registry.federation.models import FederatedRecord
from registry.models import Organisation, PlatformLevel, Region, Resource

OTHER_PROVINCE = "This platform registers the resources of registrants in {here}; {holder} is in {there}: file on that province's platform."
NATIONAL_LEVEL = "{holder} is a national-level registrant: file on the national platform."
PROVINCE_LIVE = "{holder} is in {there}, whose platform is live: file on that province's platform."


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


def ensure_registrant_here(holder: Organisation) -> None:
    """On a provincial node, a new registration's holder must be of the node's province and
    not a national-level registrant; on the national node, a registrant of a province whose
    platform is live files there (the national node takes the provinces without one). Both:
    ValidationFailed on `holder`, nothing written."""
    config = node()
    if config.is_national:
        from registry.services.common import platform_for

        platform = platform_for(holder)
        if platform.level == PlatformLevel.PROVINCIAL:
            raise ValidationFailed(
                "The organisation files on another platform.",
                errors={
                    "holder": [PROVINCE_LIVE.format(holder=holder.name, there=platform.region.name)]
                },
                extra={"platform": platform.code},
            )
        return
    if not config.is_provincial:
        return
    if holder.is_national_level:
        message = NATIONAL_LEVEL.format(holder=holder.name)
    elif holder.region.province_code != config.province:
        names = dict(
            Region.objects.filter(
                code__in=[config.province, holder.region.province_code]
            ).values_list("code", "name")
        )
        message = OTHER_PROVINCE.format(
            here=names.get(config.province, config.province),
            holder=holder.name,
            there=names.get(holder.region.province_code, holder.region.province_code),
        )
    else:
        return
    raise ValidationFailed(
        "The organisation files on another platform.",
        errors={"holder": [message]},
        extra={"province": config.province},
    )
