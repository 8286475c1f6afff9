"""Materialise a record snapshot received from another node into this node's registry tables
(Organisation, Resource, an approved Registration per version, ResourceVersion), so the
register, search and detail pages show it like a local record.

Called inside the caller's transaction; raises ValidationFailed on a snapshot that cannot be
applied (the caller refuses the event and keeps nothing of it).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from registry.errors import ValidationFailed
from registry.federation.models import FederatedRecord
from registry.federation.payload import metadata_values, parse_day, parse_moment
from registry.models import (
    METADATA_FIELDS,
    ObjectType,
    Organisation,
    OrganisationType,
    Platform,
    PlatformLevel,
    RecordStatus,
    Region,
    Registration,
    RegistrationEvent,
    RegistrationStatus,
    RegistrationType,
    Resource,
    ResourceVersion,
)
from registry.validators import credit_code_problem, normalise_credit_code

SYSTEM_USERNAME = "federation"


def system_user():
    """The account federation writes are attributed to (never able to log in)."""
    user, created = get_user_model().objects.get_or_create(
        username=SYSTEM_USERNAME, defaults={"is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _check(snap: dict) -> None:
    problems: dict[str, list[str]] = {}
    if snap.get("object_type") not in ObjectType.values:
        problems["object_type"] = ["Unknown object type."]
    if snap.get("status") not in RecordStatus.values or snap.get("status") == RecordStatus.PENDING:
        problems["status"] = ["Not a status of a coded record."]
    if snap.get("registration_type") not in RegistrationType.values:
        problems["registration_type"] = ["Unknown registration type."]
    metadata = snap.get("metadata")
    if not isinstance(metadata, dict) or set(metadata) - set(METADATA_FIELDS):
        problems["metadata"] = ["Metadata must be an object of known fields."]
    if not isinstance(snap.get("version_number"), int) or snap["version_number"] < 1:
        problems["version_number"] = ["A positive integer is required."]
    holder = snap.get("holder") if isinstance(snap.get("holder"), dict) else {}
    if credit_code_problem(normalise_credit_code(str(holder.get("credit_code", "")))):
        problems["holder.credit_code"] = ["Invalid unified social credit code."]
    if holder.get("org_type") not in OrganisationType.values:
        problems["holder.org_type"] = ["Unknown organisation type."]
    if not Region.objects.filter(code=str(holder.get("region", ""))).exists():
        problems["holder.region"] = ["Unknown region code."]
    if problems:
        raise ValidationFailed("The record snapshot is not valid.", errors=problems)


def _holder(data: dict) -> Organisation:
    code = normalise_credit_code(data["credit_code"])
    org, _ = Organisation.objects.update_or_create(
        credit_code=code,
        defaults={
            "name": str(data.get("name", ""))[:200] or code,
            "org_type": data["org_type"],
            "region_id": data["region"],
            "is_national_level": bool(data.get("is_national_level")),
        },
    )
    return org


def platform_of_province(province: str) -> Platform:
    platform = Platform.objects.filter(region_id=province, level=PlatformLevel.PROVINCIAL).first()
    if platform is None:
        raise ValidationFailed("Unknown province.", errors={"province": ["No such platform."]})
    return platform


def materialise(
    *,
    snap: dict,
    origin_node: str,
    origin_id: int,
    steward_node: str,
    version: int,
    platform: Platform,
    now: dt.datetime,
    code: str | None = None,
) -> FederatedRecord:
    """Create or update the local copy of a record from its snapshot. `code` is the code to
    give a new copy (the caller decides: confirmed, assigned or handed over)."""
    _check(snap)
    try:
        with transaction.atomic():
            return _materialise(
                snap=snap,
                origin_node=origin_node,
                origin_id=origin_id,
                steward_node=steward_node,
                version=version,
                platform=platform,
                now=now,
                code=code,
            )
    except IntegrityError as exc:
        raise ValidationFailed(f"The record could not be stored: {exc}") from None


def _materialise(*, snap, origin_node, origin_id, steward_node, version, platform, now, code):
    holder = _holder(snap["holder"])
    record = (
        FederatedRecord.objects.select_for_update()
        .select_related("resource")
        .filter(origin_node=origin_node, origin_id=origin_id)
        .first()
    )
    if record is None:
        resource = Resource.objects.create(
            object_type=snap["object_type"],
            holder=holder,
            platform=platform,
            code=code,
            origin_node=origin_node,
        )
        record = FederatedRecord.objects.create(
            resource=resource,
            origin_node=origin_node,
            origin_id=origin_id,
            steward_node=steward_node,
        )
    resource = Resource.objects.select_for_update().get(pk=record.resource_id)
    resource.holder = holder
    resource.platform = platform
    resource.status = snap["status"]
    resource.registered_at = parse_moment(snap.get("registered_at"))
    resource.valid_until = parse_day(snap.get("valid_until"))
    resource.deregistered_at = parse_moment(snap.get("deregistered_at"))
    if snap["version_number"] > (
        resource.current_version.number if resource.current_version else 0
    ):
        resource.current_version = _new_version(resource, snap, platform=platform, now=now)
    resource.save()
    from registry.services.coding import _refresh_search

    _refresh_search(resource)
    record.resource = resource
    record.version = version
    record.steward_node = steward_node
    record.synced_at = now
    record.save(update_fields=["version", "steward_node", "synced_at"])
    return record


def _new_version(resource: Resource, snap: dict, *, platform: Platform, now) -> ResourceVersion:
    values = metadata_values(snap["metadata"])
    registration = Registration.objects.create(
        resource=resource,
        registration_type=snap["registration_type"],
        status=RegistrationStatus.APPROVED,
        platform=platform,
        applicant=system_user(),
        decided_at=now,
        **values,
    )
    RegistrationEvent.objects.create(
        registration=registration,
        action="federation_apply",
        from_status="",
        to_status=RegistrationStatus.APPROVED,
        actor=None,
        data={"origin_node": resource.origin_node, "version_number": snap["version_number"]},
        at=now,
    )
    return ResourceVersion.objects.create(
        resource=resource, number=snap["version_number"], registration=registration, **values
    )
