"""What travels between nodes: a record's snapshot, the event envelope, and digests.

A snapshot is the whole current state of a record (not a diff), so applying the newest version
is enough to converge and an older one can simply be refused as stale.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.utils.dateparse import parse_date, parse_datetime

from registry.models import METADATA_FIELDS, PlatformLevel, Resource

DATE_FIELDS = {"period_start", "period_end"}


def canonical_json(data) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def sha256_hex(data) -> str:
    return hashlib.sha256(canonical_json(data)).hexdigest()


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def province_of(resource: Resource) -> str:
    """The province a record belongs to: its platform's, or its holder's when filed nationally."""
    platform = resource.platform
    if platform.level == PlatformLevel.PROVINCIAL:
        return platform.region_id
    return resource.holder.region.province_code


def metadata_of(version) -> dict:
    data = {}
    for name in METADATA_FIELDS:
        value = getattr(version, name)
        data[name] = _iso(value) if name in DATE_FIELDS else value
    return data


def metadata_values(data: dict) -> dict:
    """Snapshot metadata back into model values (unknown keys ignored)."""
    values = {name: data.get(name) for name in METADATA_FIELDS if name in data}
    for name in DATE_FIELDS:
        if values.get(name):
            values[name] = parse_date(values[name])
    return values


def snapshot(resource: Resource) -> dict:
    version = resource.current_version
    holder = resource.holder
    return {
        "object_type": resource.object_type,
        "status": resource.status,
        "code": resource.code,
        "registered_at": _iso(resource.registered_at),
        "valid_until": _iso(resource.valid_until),
        "deregistered_at": _iso(resource.deregistered_at),
        "holder": {
            "name": holder.name,
            "credit_code": holder.credit_code,
            "org_type": holder.org_type,
            "region": holder.region_id,
            "is_national_level": holder.is_national_level,
        },
        "version_number": version.number if version else 0,
        "registration_type": version.registration.registration_type if version else "",
        "metadata": metadata_of(version) if version else {},
    }


def parse_moment(value: str | None) -> dt.datetime | None:
    return parse_datetime(value) if value else None


def parse_day(value: str | None) -> dt.date | None:
    return parse_date(value) if value else None


def event_digest(event: dict) -> str:
    """The identity of one event's content, the same whether pushed or pulled."""
    return sha256_hex(event)


def record_digest(*, key: str, version: int, code: str, snap: dict) -> str:
    """What reconciliation compares: identity, version, code and content of a record."""
    content = {k: v for k, v in snap.items() if k != "code"}
    return sha256_hex({"key": key, "version": version, "code": code, "content": content})
