"""Shared plumbing of the standards endpoints: absolute URLs, URL names owned by other areas,
timestamps."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, get_script_prefix, reverse


def base_url(request: HttpRequest) -> str:
    """Scheme and host every URI is built on: `PORTAL_BASE_URL` when set (stable identifiers
    behind any proxy), else the request's own."""
    configured = getattr(settings, "PORTAL_BASE_URL", "")
    if configured:
        return configured.rstrip("/")
    return request.build_absolute_uri("/").rstrip("/")


def absolute(request: HttpRequest, path: str) -> str:
    return base_url(request) + path


def path_for(name: str, fallback: str, *args: Any) -> str:
    """The path of a URL name, or the documented path when the name is not routed (yet)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return get_script_prefix() + fallback.lstrip("/")


def dataset_path(slug: str) -> str:
    return path_for("dataset-detail", f"/datasets/{slug}/", slug)


def catalogue_path() -> str:
    return path_for("dataset-list", "/datasets/")


def home_path() -> str:
    return path_for("home", "/")


def organisation_path(pk: int) -> str:
    return path_for("organisation-detail", f"/organisations/{pk}/", pk)


def licence_path(code: str) -> str:
    return path_for("licence-detail", f"/licences/{code}/", code)


def latest_file_path(slug: str, distribution_id: int) -> str:
    return path_for(
        "distribution-latest",
        f"/datasets/{slug}/files/{distribution_id}/latest",
        slug,
        distribution_id,
    )


def utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC)


def bounded_int(
    raw: Any, name: str, *, default: int, low: int, high: int, errors: dict[str, list[str]]
) -> int:
    """An integer parameter within [low, high]; a problem is recorded in `errors`."""
    if raw is None or raw == "":
        return default
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        errors[name] = ["Must be a whole number."]
        return default
    try:
        number = int(str(raw).strip())
    except ValueError:
        errors[name] = ["Must be a whole number."]
        return default
    if not low <= number <= high:
        errors[name] = [f"Must be between {low} and {high}."]
        return default
    return number
