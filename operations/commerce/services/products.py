"""Products over an operator's licence: create, attach the registry record, list, suspend,
withdraw. A product is listed only when its registry record (type "product") is active, it
carries a data-source statement, its operator's identity is verified, its licence is active
and a live price is published under the ceilings."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import transaction

from operations.commerce import actors
from operations.commerce.models import PriceStatus, Product, ProductKind, ProductStatus
from operations.commerce.services.common import lock, record_event
from operations.licensing import licence_table, restriction_for
from operations.models import Licence, LicenceMode, LicenceStatus
from portal.datastore.query import QueryProblem, parse
from registry.errors import Conflict, IllegalTransition, ValidationFailed
from registry.models import ObjectType, RecordStatus, Resource

# Which licence modes each kind of product can be built on ("raw data stays in").
KIND_MODES = {
    ProductKind.API: {LicenceMode.IN_DOMAIN_ROWS, LicenceMode.AGGREGATES_ONLY},
    ProductKind.STATISTICS: {LicenceMode.AGGREGATES_ONLY},
    ProductKind.VERIFICATION: {LicenceMode.VERIFICATION_ONLY},
    ProductKind.DATASET: {LicenceMode.AGGREGATES_ONLY},
}
QUERY_KEYS = frozenset({"fields", "filters", "sort", "limit", "group_by", "aggregates", "q"})
OPS = frozenset({"eq", "ne", "lt", "lte", "gt", "gte", "in", "contains", "startswith"})
_PARAM_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}\Z")


def _text(value: Any, field: str, errors: dict, limit: int) -> str:
    text = (value or "").strip() if isinstance(value, str) else ""
    if not text:
        errors[field] = ["This field is required."]
    elif len(text) > limit:
        errors[field] = [f"At most {limit} characters."]
    return text


def _check_parameters(raw: Any, errors: dict) -> list[dict[str, Any]]:
    if raw in (None, ""):
        return []
    if not isinstance(raw, list) or len(raw) > 10:
        errors["parameters"] = ["A list of at most 10 parameters."]
        return []
    out, seen = [], set()
    for item in raw:
        if not isinstance(item, dict):
            errors["parameters"] = ["Each parameter is {name, field, op, required}."]
            return []
        name, field, op = item.get("name"), item.get("field"), item.get("op", "eq")
        if not isinstance(name, str) or not _PARAM_NAME.match(name) or name in seen:
            errors["parameters"] = [f"Invalid or repeated parameter name {str(name)[:40]!r}."]
            return []
        if op not in OPS or not isinstance(field, str):
            errors["parameters"] = [f"Parameter {name}: op must be one of {sorted(OPS)}."]
            return []
        seen.add(name)
        out.append(
            {
                "name": name,
                "field": field,
                "op": op,
                "required": item.get("required", True) is not False,
            }
        )
    return out


def compose_query(product: Product, values: dict[str, Any]) -> dict[str, Any]:
    """The saved query with the caller's parameter values ANDed in as filters."""
    names = {p["name"] for p in product.parameters}
    unknown = sorted(set(values) - names)
    if unknown:
        raise ValidationFailed(
            "Unknown parameters.", errors={"parameters": [f"Unknown: {', '.join(unknown)}."]}
        )
    params = dict(product.query)
    conditions = []
    for p in product.parameters:
        value = values.get(p["name"])
        if value in (None, ""):
            if p["required"]:
                raise ValidationFailed(
                    "A required parameter is missing.", errors={p["name"]: ["Required."]}
                )
            continue
        conditions.append({"field": p["field"], "op": p["op"], "value": value})
    if conditions:
        params["filters"] = _merge_filters(params.get("filters"), conditions)
    return params


def _merge_filters(base: Any, conditions: list[dict[str, Any]]) -> Any:
    """AND the conditions into the saved filters. Equality conditions on a plain
    `{"field": value}` document stay in that flat form (the only form a verification-only
    licence accepts); anything else becomes `{"and": [...]}`."""
    flat = base is None or (isinstance(base, dict) and not ({"and", "or", "field"} & set(base)))
    if flat and all(c["op"] == "eq" for c in conditions):
        merged = dict(base or {})
        for c in conditions:
            if c["field"] in merged and merged[c["field"]] != c["value"]:
                return {"and": [base, *conditions]}
            merged[c["field"]] = c["value"]
        return merged
    return {"and": ([base] if base else []) + conditions}


def _check_query(licence: Licence, query: Any, parameters: list, errors: dict) -> dict:
    if not isinstance(query, dict) or set(query) - QUERY_KEYS:
        errors["query"] = [f"An object with keys among {sorted(QUERY_KEYS)}."]
        return {}
    probe = {p["name"]: "0" for p in parameters}
    product = Product(query=query, parameters=parameters)
    try:
        table = licence_table(licence)
        parse(table, compose_query(product, probe), restriction=restriction_for(licence))
    except QueryProblem as exc:
        errors["query"] = [exc.detail]
    except ValidationFailed as exc:
        errors["query"] = [exc.detail]
    except Exception as exc:
        errors["query"] = [str(getattr(exc, "detail", exc))]
    return query


@transaction.atomic
def product_create(*, actor, licence: Licence, data: dict[str, Any], now: dt.datetime) -> Product:
    """A draft product of the licence's operator (only its staff)."""
    actors.require_operator(actor, licence.operator_id)
    errors: dict[str, list[str]] = {}
    kind = data.get("kind")
    if kind not in ProductKind.values:
        errors["kind"] = [f"Must be one of: {', '.join(ProductKind.values)}."]
    elif licence.mode not in KIND_MODES[kind]:
        errors["kind"] = [f"A {kind} product cannot be built on a {licence.mode} licence."]
    if licence.status != LicenceStatus.ACTIVE:
        errors["licence"] = ["The licence is not active."]
    name = _text(data.get("name"), "name", errors, 200)
    summary = _text(data.get("summary"), "summary", errors, 4000)
    statement = _text(data.get("data_source_statement"), "data_source_statement", errors, 4000)
    parameters = _check_parameters(data.get("parameters"), errors)
    query = _check_query(licence, data.get("query") or {}, parameters, errors)
    if errors:
        raise ValidationFailed("The product is not valid.", errors=errors)
    product = Product.objects.create(
        operator_id=licence.operator_id,
        licence=licence,
        kind=kind,
        name=name,
        summary=summary,
        data_source_statement=statement,
        query=query,
        parameters=parameters,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    record_event(
        action="product_create",
        obj=product,
        actor=actor,
        at=now,
        data={"licence": licence.number, "kind": kind},
    )
    return product


@transaction.atomic
def product_attach_record(
    *, actor, product: Product, record: Resource, now: dt.datetime
) -> Product:
    """Link the product to its registry record: type "product", held by the operator."""
    actors.require_operator(actor, product.operator_id)
    product = lock(Product, product.pk)
    problems = []
    if record.object_type != ObjectType.DATA_PRODUCT:
        problems.append("The record is not a data product or service (type 2).")
    if record.holder_id != product.operator.organisation_id:
        problems.append("The record is not held by the product's operator.")
    if Product.objects.filter(registry_record=record).exclude(pk=product.pk).exists():
        problems.append("The record belongs to another product.")
    if problems:
        raise ValidationFailed("The record cannot be attached.", errors={"record": problems})
    Product.objects.filter(pk=product.pk).update(registry_record=record, updated_at=now)
    product.refresh_from_db()
    record_event(
        action="product_attach_record",
        obj=product,
        actor=actor,
        at=now,
        data={"record": record.pk, "code": record.code},
    )
    return product


def listing_problems(product: Product) -> list[str]:
    """What keeps a product off the price list (empty: it may be listed)."""
    problems = []
    record = product.registry_record
    if record is None or record.status not in (RecordStatus.ACTIVE, RecordStatus.EXPIRING):
        problems.append("The product has no active registry record of type 'product'.")
    if not product.data_source_statement.strip():
        problems.append("The data-source statement is missing.")
    if not product.operator.is_verified:
        problems.append("The operator's identity is not verified.")
    if product.licence.status != LicenceStatus.ACTIVE:
        problems.append("The licence is not active.")
    if not product.prices.filter(status=PriceStatus.LIVE).exists():
        problems.append("No live price is published under the ceilings.")
    return problems


@transaction.atomic
def product_list(*, actor, product: Product, now: dt.datetime) -> Product:
    actors.require_operator(actor, product.operator_id)
    product = lock(Product, product.pk)
    if product.status not in (ProductStatus.DRAFT, ProductStatus.SUSPENDED):
        raise IllegalTransition(action="list", current=product.status, allowed=[])
    problems = listing_problems(product)
    if problems:
        raise Conflict("The product cannot be listed yet.", extra={"problems": problems})
    Product.objects.filter(pk=product.pk).update(
        status=ProductStatus.LISTED, listed_at=product.listed_at or now, updated_at=now
    )
    product.refresh_from_db()
    record_event(action="product_list", obj=product, actor=actor, at=now)
    return product


@transaction.atomic
def product_set_status(
    *, actor, product: Product, status: str, reason: str, now: dt.datetime
) -> Product:
    """Suspend (listed → suspended) or withdraw (listed/suspended → withdrawn) a product."""
    actors.require_operator(actor, product.operator_id)
    product = lock(Product, product.pk)
    allowed = {
        ProductStatus.SUSPENDED: {ProductStatus.LISTED},
        ProductStatus.WITHDRAWN: {
            ProductStatus.LISTED,
            ProductStatus.SUSPENDED,
            ProductStatus.DRAFT,
        },
    }
    if status not in allowed or product.status not in allowed[status]:
        raise IllegalTransition(action=status, current=product.status, allowed=[])
    if not (reason or "").strip():
        raise ValidationFailed(
            "A reason is required.", errors={"reason": ["A reason is required."]}
        )
    Product.objects.filter(pk=product.pk).update(status=status, updated_at=now)
    product.refresh_from_db()
    record_event(
        action=f"product_{status}", obj=product, actor=actor, at=now, reason=reason.strip()
    )
    return product
