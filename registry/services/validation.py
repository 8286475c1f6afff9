"""Metadata validation (DOMAIN.md §2 rules) and the completeness check before submit."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from registry.errors import ValidationFailed
from registry.models import (
    METADATA_FIELDS,
    AttachmentKind,
    Industry,
    ObjectType,
    OpenCategory,
    Region,
    Registration,
    RegistrationType,
    SecurityGrade,
    UpdateFrequency,
)
from registry.services.common import clean_text

DATA_ITEM_TYPES = [
    "string",
    "text",
    "integer",
    "decimal",
    "boolean",
    "date",
    "datetime",
    "code",
    "geometry",
    "binary",
]
FORMATS = [
    "CSV",
    "XLSX",
    "XLS",
    "JSON",
    "XML",
    "GeoJSON",
    "SHP",
    "PDF",
    "DOCX",
    "TXT",
    "ZIP",
    "RDF",
    "API",
    "DATABASE",
    "OTHER",
]
MAX_DATA_ITEMS = 1000
PHONE_RE = re.compile(r"^\+?[0-9][0-9\- ]{5,24}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Fields whose values are codes or machine identifiers: full-width input (common with Chinese
# input methods) is folded to half-width. Free text keeps its full-width punctuation.
CODE_LIKE_FIELDS = {"contact_phone", "contact_email"}


def clean_code(value: Any) -> str:
    """Like clean_text, plus NFKC folding (full-width ＣＳＶ, ４４０１００ → CSV, 440100)."""
    return unicodedata.normalize("NFKC", clean_text(value)).strip()


def _text(data: dict[str, Any], name: str, err) -> str:
    value = data.get(name)
    if value is not None and not isinstance(value, str):
        err(name, "Must be a string.")
        return ""
    return clean_code(value) if name in CODE_LIKE_FIELDS else clean_text(value)


REQUIRED_TEXT = (("name", 200), ("summary", 4000), ("contact_name", 100), ("contact_phone", 40))
OPTIONAL_TEXT = (
    ("domain", 100),
    ("storage_location", 200),
    ("storage_method", 100),
    ("source_systems", 300),
    ("consent_note", 500),
    ("contact_email", 254),
)
CHOICES = (
    ("industry", Industry),
    ("update_frequency", UpdateFrequency),
    ("security_grade", SecurityGrade),
    ("open_category", OpenCategory),
)
FLAGS = (
    "contains_personal_info",
    "contains_trade_secret",
    "consent_recorded",
    "in_operation_scope",
)
BIGINT_MAX = 9_223_372_036_854_775_807


def check_metadata(data: dict[str, Any], *, object_type: str) -> dict[str, Any]:
    """Validate and normalise metadata. Returns the cleaned dict or raises ValidationFailed
    listing every problem at once (一次性告知)."""
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = {}

    def err(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    for name in sorted(set(data) - set(METADATA_FIELDS)):
        err(name, "Unknown field.")
    _check_texts(data, out, err)
    for name, choices in CHOICES:
        value = clean_code(data.get(name))
        if value not in choices.values:
            err(name, f"Must be one of: {', '.join(choices.values)}.")
        out[name] = value
    for name in FLAGS:
        value = data.get(name, False)
        if not isinstance(value, bool):
            err(name, "Must be true or false.")
            value = False
        out[name] = value
    out["general_sublevel"] = _check_sublevel(data.get("general_sublevel"), out, err)
    for name in ("record_count", "byte_size"):
        out[name] = _check_count(name, data.get(name), err)
    _check_period(data, out, err)
    out["data_items"] = _check_data_items(data.get("data_items", []), err)
    out["formats"] = _check_list_of(data.get("formats", []), "formats", FORMATS, err)
    out["coverage_regions"] = _check_regions(data.get("coverage_regions", []), err)
    _check_rules(out, object_type, err)
    if errors:
        raise ValidationFailed("The registration data is not valid.", errors=errors)
    return out


def _check_texts(data: dict[str, Any], out: dict[str, Any], err) -> None:
    required = {name for name, _ in REQUIRED_TEXT}
    for name, limit in REQUIRED_TEXT + OPTIONAL_TEXT:
        value = _text(data, name, err)
        if name in required and not value:
            err(name, "This field is required.")
        elif len(value) > limit:
            err(name, f"At most {limit} characters.")
        out[name] = value
    if out["contact_phone"] and not PHONE_RE.match(out["contact_phone"]):
        err("contact_phone", "Not a valid phone number.")
    if out["contact_email"] and not EMAIL_RE.match(out["contact_email"]):
        err("contact_email", "Not a valid e-mail address.")


def _check_sublevel(sub: Any, out: dict[str, Any], err) -> int | None:
    """GB/T 43697 allows sub-levels 1-4 inside general data only."""
    if sub in (None, ""):
        return None
    if isinstance(sub, bool) or not isinstance(sub, int) or not 1 <= sub <= 4:
        err("general_sublevel", "Must be an integer from 1 to 4.")
    elif out.get("security_grade") != SecurityGrade.GENERAL:
        err("general_sublevel", "Only general data carries a sub-level.")
    else:
        return sub
    return None


def _check_count(name: str, value: Any, err) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        err(name, "Must be a non-negative integer.")
    elif value > BIGINT_MAX:
        err(name, "Too large.")
    else:
        return value
    return None


def _check_period(data: dict[str, Any], out: dict[str, Any], err) -> None:
    for name in ("period_start", "period_end"):
        value = data.get(name)
        out[name] = None
        if value in (None, ""):
            continue
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            out[name] = value
            continue
        try:
            out[name] = dt.date.fromisoformat(str(value))
        except ValueError:
            err(name, "Must be a date (YYYY-MM-DD).")
    start, end = out["period_start"], out["period_end"]
    if start and end and start > end:
        err("period_end", "The end of the period is before its start.")


def _check_rules(out: dict[str, Any], object_type: str, err) -> None:
    grade, category = out.get("security_grade"), out.get("open_category")
    if (
        grade in (SecurityGrade.CORE, SecurityGrade.IMPORTANT)
        and category == OpenCategory.UNCONDITIONAL
    ):
        err("open_category", "Core and important data can never be opened unconditionally.")
    if category == OpenCategory.NOT_OPEN and out.get("in_operation_scope"):
        err("in_operation_scope", "Data that is not open cannot be authorised for operation.")
    if object_type == ObjectType.OPEN_DATA_RESOURCE and category == OpenCategory.NOT_OPEN:
        err("open_category", "An open data resource must be unconditional or conditional.")
    sensitive = out.get("contains_personal_info") or out.get("contains_trade_secret")
    if sensitive and category in (OpenCategory.UNCONDITIONAL, OpenCategory.CONDITIONAL):
        if not out.get("consent_recorded"):
            err(
                "consent_recorded",
                "Personal information or trade secrets need recorded consent before opening.",
            )
        if not out.get("consent_note"):
            err("consent_note", "Describe the consent obtained (who, when, scope).")


def _check_data_items(items: Any, err) -> list[dict[str, str]]:
    if not isinstance(items, list):
        err("data_items", "Must be a list of {name, type, description}.")
        return []
    if len(items) > MAX_DATA_ITEMS:
        err("data_items", f"At most {MAX_DATA_ITEMS} data items.")
        return []
    cleaned, seen = [], set()
    for i, item in enumerate(items):
        key = f"data_items[{i}]"
        if not isinstance(item, dict):
            err(key, "Must be an object with name, type and description.")
            continue
        extra = set(item) - {"name", "type", "description"}
        if extra:
            err(key, f"Unknown keys: {', '.join(sorted(extra))}.")
        name = clean_text(item.get("name"))
        kind = clean_code(item.get("type")).lower()
        desc = clean_text(item.get("description"))
        if not name:
            err(f"{key}.name", "This field is required.")
        elif len(name) > 100:
            err(f"{key}.name", "At most 100 characters.")
        elif clean_code(name).casefold() in seen:
            err(f"{key}.name", f"Duplicate data item name '{name}'.")
        seen.add(clean_code(name).casefold())
        if kind not in DATA_ITEM_TYPES:
            err(f"{key}.type", f"Must be one of: {', '.join(DATA_ITEM_TYPES)}.")
        if len(desc) > 500:
            err(f"{key}.description", "At most 500 characters.")
        cleaned.append({"name": name, "type": kind, "description": desc})
    return cleaned


def _check_list_of(values: Any, field: str, allowed: list[str], err) -> list[str]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        err(field, "Must be a list of strings.")
        return []
    cleaned = []
    for value in values:
        norm = clean_code(value)
        match = next((a for a in allowed if a.lower() == norm.lower()), None)
        if match is None:
            err(field, f"Unknown value '{norm[:40]}'. Allowed: {', '.join(allowed)}.")
        elif match not in cleaned:
            cleaned.append(match)
    return cleaned


def _check_regions(values: Any, err) -> list[str]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        err("coverage_regions", "Must be a list of region codes.")
        return []
    codes = [clean_code(v) for v in values]
    if len(codes) > 500:
        err("coverage_regions", "At most 500 regions.")
        return []
    known = set(Region.objects.filter(code__in=codes).values_list("code", flat=True))
    unknown = [c for c in codes if c not in known]
    if unknown:
        err("coverage_regions", f"Unknown region codes: {', '.join(unknown[:10])}.")
    return list(dict.fromkeys(codes))


def _missing_for_submit(reg: Registration) -> dict[str, list[str]]:
    """Everything still missing before an application can be submitted."""
    missing: dict[str, list[str]] = {}
    kinds = set(reg.attachments.values_list("kind", flat=True))
    if reg.registration_type != RegistrationType.DEREGISTRATION:
        if not reg.data_items:
            missing["data_items"] = ["At least one data item is required."]
        if not reg.coverage_regions:
            missing["coverage_regions"] = ["At least one coverage region is required."]
        if not reg.formats:
            missing["formats"] = ["At least one format is required."]
        if (
            reg.registration_type == RegistrationType.INITIAL
            and AttachmentKind.DESCRIPTION not in kinds
        ):
            missing["attachments"] = ["The description document (说明文档) is required."]
        sensitive = reg.contains_personal_info or reg.contains_trade_secret
        if (
            sensitive
            and reg.open_category != OpenCategory.NOT_OPEN
            and AttachmentKind.CONSENT not in kinds
        ):
            missing.setdefault("attachments", []).append("Evidence of consent is required.")
    elif not reg.reason:
        missing["reason"] = ["A deregistration must state its reason."]
    if AttachmentKind.COMMITMENT not in kinds:
        missing.setdefault("attachments", []).append(
            "The signed commitment letter (登记承诺书) is required."
        )
    if reg.agent_organisation_id and AttachmentKind.MANDATE not in kinds:
        missing.setdefault("attachments", []).append("The agent mandate (委托授权书) is required.")
    return missing
