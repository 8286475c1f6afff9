"""CKAN 2.10 dictionaries (package, resource, organization, group, licence) for published
datasets, so CKAN clients and harvesters read this portal as they read a CKAN site.

Identifiers: a package's `id` is the dataset's id and its `name` the slug; a resource's `id` is
the distribution's id; an organization's `id` is the organisation's id and its `name` the
unified social credit code in lower case (CKAN names are lower-case); a group is a theme, named
by its code. Timestamps are UTC without an offset, as CKAN writes them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest

from portal.models import Dataset, Distribution, Licence, Theme
from portal.standards.common import (
    base_url,
    dataset_path,
    latest_file_path,
    licence_path,
    organisation_path,
    utc,
)
from portal.standards.queries import coverage_codes, files_of
from registry.models import OpenCategory, Organisation


def ckan_time(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    return utc(moment).replace(tzinfo=None).isoformat(timespec="microseconds")


def organization_name(organisation: Organisation) -> str:
    return organisation.credit_code.lower()


def organization_dict(
    organisation: Organisation, request: HttpRequest, *, package_count: int | None = None
) -> dict[str, Any]:
    out = {
        "id": str(organisation.pk),
        "name": organization_name(organisation),
        "title": organisation.name,
        "display_name": organisation.name,
        "description": "",
        "image_url": "",
        "image_display_url": "",
        "created": ckan_time(organisation.created_at),
        "is_organization": True,
        "approval_status": "approved",
        "state": "active",
        "type": "organization",
        "url": base_url(request) + organisation_path(organisation.pk),
        "extras": [
            {"key": "credit_code", "value": organisation.credit_code},
            {"key": "region", "value": organisation.region_id},
        ],
    }
    if package_count is not None:
        out["package_count"] = package_count
    return out


def group_dict(theme: Theme) -> dict[str, Any]:
    return {
        "id": theme.code,
        "name": theme.code,
        "title": theme.name,
        "display_name": theme.name,
        "description": theme.name_en,
        "image_display_url": "",
        "type": "group",
        "is_organization": False,
        "state": "active",
    }


def licence_url(licence: Licence, request: HttpRequest) -> str:
    return licence.url or base_url(request) + licence_path(licence.code)


def licence_dict(licence: Licence, request: HttpRequest) -> dict[str, Any]:
    return {
        "id": licence.code,
        "title": licence.name,
        "url": licence_url(licence, request),
        "od_conformance": "approved" if licence.is_open else "not reviewed",
        "osd_conformance": "not reviewed",
        "status": "active",
        "is_okd_compliant": licence.is_open,
        "is_generic": False,
    }


def resource_dict(
    dataset: Dataset, distribution: Distribution, position: int, request: HttpRequest
) -> dict[str, Any]:
    version = distribution.current_version
    base = base_url(request)
    # Conditional files need an approved application: point at the page, not at a 403.
    if dataset.open_category == OpenCategory.UNCONDITIONAL:
        url = base + latest_file_path(dataset.slug, distribution.pk)
    else:
        url = base + dataset_path(dataset.slug)
    return {
        "id": str(distribution.pk),
        "package_id": str(dataset.pk),
        "name": distribution.title,
        "description": distribution.description,
        "format": (version.format or distribution.format).upper(),
        "mimetype": version.media_type or None,
        "mimetype_inner": None,
        "size": version.size,
        "url": url,
        "url_type": None,
        "hash": version.sha256,
        "created": ckan_time(distribution.created_at),
        "last_modified": ckan_time(version.uploaded_at),
        "metadata_modified": ckan_time(distribution.updated_at),
        "position": position,
        "resource_type": None,
        "state": "active",
        "cache_url": None,
        "cache_last_updated": None,
    }


def _extras(dataset: Dataset) -> list[dict[str, str]]:
    version = dataset.resource.current_version
    pairs = {
        "registration_code": dataset.resource.code or "",
        "open_category": dataset.open_category,
        "update_frequency": dataset.update_frequency,
        "industry": dataset.industry,
        "region": dataset.region_id,
        "province": dataset.province_code,
        "coverage_regions": ",".join(coverage_codes(dataset)),
        "contact_phone": dataset.contact_phone,
        "data_updated_at": ckan_time(dataset.data_updated_at) or "",
        "update_due_at": ckan_time(dataset.update_due_at) or "",
    }
    if version is not None:
        pairs["temporal_start"] = version.period_start.isoformat() if version.period_start else ""
        pairs["temporal_end"] = version.period_end.isoformat() if version.period_end else ""
    return [{"key": k, "value": v} for k, v in sorted(pairs.items()) if v]


def package_dict(dataset: Dataset, request: HttpRequest) -> dict[str, Any]:
    """A dataset as CKAN's `package_show` returns it (from `queries.datasets_described`)."""
    files = files_of(dataset)
    licence = dataset.licence
    tags = [
        {"name": t, "display_name": t, "state": "active", "vocabulary_id": None}
        for t in dataset.tags
    ]
    return {
        "id": str(dataset.pk),
        "name": dataset.slug,
        "title": dataset.title,
        "notes": dataset.description,
        "url": base_url(request) + dataset_path(dataset.slug),
        "version": None,
        "author": dataset.holder.name,
        "author_email": None,
        "maintainer": dataset.contact_name,
        "maintainer_email": dataset.contact_email or None,
        "license_id": licence.code,
        "license_title": licence.name,
        "license_url": licence_url(licence, request),
        "isopen": licence.is_open and dataset.open_category == OpenCategory.UNCONDITIONAL,
        "metadata_created": ckan_time(dataset.published_at),
        "metadata_modified": ckan_time(dataset.metadata_updated_at),
        "owner_org": str(dataset.holder_id),
        "organization": organization_dict(dataset.holder, request),
        "private": False,
        "state": "active",
        "type": "dataset",
        "tags": tags,
        "num_tags": len(tags),
        "groups": [group_dict(dataset.theme)] if dataset.theme is not None else [],
        "resources": [resource_dict(dataset, f, i, request) for i, f in enumerate(files)],
        "num_resources": len(files),
        "extras": _extras(dataset),
        "relationships_as_object": [],
        "relationships_as_subject": [],
    }
