"""A licence's entitlements as the portal's `Restriction`, and the query shape we log."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from operations.models import Licence, LicenceMode
from portal.datastore.restriction import AGGREGATES, ROWS, VERIFY, Restriction

RESTRICTION_MODES = {
    LicenceMode.IN_DOMAIN_ROWS: ROWS,
    LicenceMode.AGGREGATES_ONLY: AGGREGATES,
    LicenceMode.VERIFICATION_ONLY: VERIFY,
}


def restriction_for(licence: Licence) -> Restriction:
    return Restriction(
        columns=tuple(licence.allowed_columns),
        predicate=licence.row_predicate or None,
        mode=RESTRICTION_MODES[licence.mode],
        min_group_size=licence.min_group_size if licence.mode == LicenceMode.AGGREGATES_ONLY else 1,
    )


def query_shape(params: Mapping[str, Any]) -> dict[str, Any]:
    """What was asked, without the values (filter values may be personal data)."""
    shape: dict[str, Any] = {}
    for name in ("fields", "group_by", "sort"):
        value = params.get(name)
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        if isinstance(value, list):
            shape[name] = [str(v)[:64] for v in value[:20]]
    aggregates = params.get("aggregates")
    if isinstance(aggregates, str) and not aggregates.startswith("["):
        shape["aggregates"] = [a.strip()[:64] for a in aggregates.split(",")][:20]
    elif aggregates:
        shape["aggregates"] = _aggregate_shape(aggregates)
    conditions: list[str] = []
    _conditions(_loads(params.get("filters")), conditions)
    if conditions:
        shape["conditions"] = conditions[:50]
    for name in ("limit", "offset", "format"):
        if params.get(name) not in (None, ""):
            shape[name] = str(params[name])[:20]
    if params.get("q"):
        shape["q"] = True
    return shape


def _loads(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return None
    return value


def _aggregate_shape(value: Any) -> list[str]:
    value = _loads(value)
    if not isinstance(value, list):
        return []
    return [
        f"{item.get('func')}:{item.get('field', '*')}"[:64]
        for item in value[:20]
        if isinstance(item, dict)
    ]


def _conditions(node: Any, out: list[str], depth: int = 0) -> None:
    if depth > 6 or not isinstance(node, dict):
        return
    if set(node) in ({"and"}, {"or"}) and isinstance(next(iter(node.values())), list):
        for child in next(iter(node.values())):
            _conditions(child, out, depth + 1)
        return
    if "field" in node and "op" in node:
        out.append(f"{str(node['field'])[:64]} {str(node['op'])[:12]}")
        return
    for name, value in node.items():
        out.append(f"{str(name)[:64]} {'in' if isinstance(value, list) else 'eq'}")
