"""Turn a demo `Spec` into the metadata dict the registry services validate."""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING, Any

from registry.demo.spec import Spec

if TYPE_CHECKING:
    from registry.demo.flows import Demo

# Plausible volumes by update frequency: (fewest, most) records.
VOLUME = {
    "realtime": (20_000_000, 600_000_000),
    "daily": (1_000_000, 40_000_000),
    "weekly": (50_000, 2_000_000),
    "monthly": (5_000, 800_000),
    "quarterly": (500, 50_000),
    "half_yearly": (500, 20_000),
    "yearly": (300, 60_000),
    "irregular": (1_000, 2_000_000),
}


def _storage(spec: Spec, org, province: str) -> tuple[str, str]:
    if org.is_national_level:
        location = "国家政务云平台"
    elif org.org_type in ("utility", "operator"):
        location = f"{org.name}数据中心"
    else:
        location = f"{province}政务云平台"
    kinds = {item["type"] for item in spec.data_items()}
    if "geometry" in kinds or "SHP" in spec.formats:
        method = "空间数据库"
    elif spec.frequency == "realtime":
        method = "分布式时序数据库"
    elif spec.formats.split() and set(spec.formats.split()) <= {"XLSX", "CSV", "PDF"}:
        method = "文件存储"
    else:
        method = "关系型数据库"
    return location, method


def metadata(demo: Demo, spec: Spec, *, filed_on: dt.date) -> dict[str, Any]:
    # Seeded by the resource's name, so each resource's figures do not depend on load order.
    rng = random.Random(f"meta:{spec.name}")
    org = demo.orgs[spec.holder]
    grade, _, sublevel = spec.grade.partition(":")
    records = spec.records or rng.randint(*VOLUME[spec.frequency])
    location, method = _storage(spec, org, demo.province_names.get(org.region.province_code, ""))
    start = dt.date(rng.randint(2012, min(2021, filed_on.year - 1)), 1, 1)
    return {
        "name": spec.name,
        "summary": spec.summary,
        "industry": spec.industry,
        "domain": spec.domain,
        "data_items": spec.data_items(),
        "coverage_regions": list(spec.coverage) or [org.region_id],
        "period_start": start,
        "period_end": dt.date(filed_on.year - 1, 12, 31) if spec.frequency == "yearly" else None,
        "record_count": records,
        "byte_size": records * rng.randint(120, 900),
        "update_frequency": spec.frequency,
        "formats": spec.formats.split(),
        "storage_location": location,
        "storage_method": method,
        "source_systems": spec.source or f"{org.name}业务系统",
        "security_grade": grade,
        "general_sublevel": int(sublevel) if sublevel else None,
        "open_category": spec.open,
        "contains_personal_info": spec.personal,
        "contains_trade_secret": spec.secret,
        "consent_recorded": bool(spec.consent),
        "consent_note": spec.consent,
        "in_operation_scope": spec.operation,
        "contact_name": org.contact_name,
        "contact_phone": org.contact_phone,
    }
