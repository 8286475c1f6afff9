"""Cleaning of user-written text for the portal's channels: the registry's cleaning (NFC, no
NUL, trimmed) with required/optional length checks that collect field errors."""

from __future__ import annotations

from typing import Any

from registry.services.common import clean_reason, clean_text

__all__ = ["clean_optional", "clean_reason", "clean_required", "clean_text"]


def clean_required(value: Any, field: str, limit: int, errors: dict[str, list[str]]) -> str:
    """Cleaned text of 1 to `limit` characters; a missing or blank value or an overlong one
    adds a field error (and returns what it has)."""
    text = clean_text(value)
    if not text:
        errors[field] = ["This field is required."]
    elif len(text) > limit:
        errors[field] = [f"At most {limit} characters."]
    return text


def clean_optional(value: Any, field: str, limit: int, errors: dict[str, list[str]]) -> str:
    text = clean_text(value)
    if len(text) > limit:
        errors[field] = [f"At most {limit} characters."]
    return text
