"""A product call: credential → order → licence-enforced query → one usage row.

The usage row is `portal.UsageRecord` (the open API's rows, unique request id) and its
`OrderUsage` link, written in the same transaction as part 1's quota take and access log
(`operations.licensing.licensed_query`). A refused call (licence suspended, quota
exhausted, bad query) serves nothing and is recorded as not billable; a call is billed at
the product's price version live at the moment of the call.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from operations.commerce.models import (
    OrderCredential,
    OrderStatus,
    OrderUsage,
    PriceStatus,
    Product,
    ProductStatus,
)
from operations.commerce.services.products import compose_query
from operations.licensing import licence_table, licensed_query
from operations.models import AccessChannel
from portal.developer import keys
from portal.developer.access import GENERIC_KEY_MESSAGE, KeyRefused, RequestReplayed
from portal.models import UsageKind, UsageRecord
from registry.errors import Conflict, DomainError, NotFound


class PriceSuspended(Conflict):
    type_slug = "price_suspended"
    title = "The product's price is suspended"


@dataclass
class CallResult:
    body: bytes
    usage: OrderUsage


def authenticate(raw: str | None) -> OrderCredential:
    """The live credential of an active order, or KeyRefused with one message for all."""
    parsed = keys.parse_key((raw or "")[:200])
    prefix, secret = parsed or ("", raw or "")
    credential = (
        OrderCredential.objects.select_related("order__product__licence", "order__consumer")
        .filter(prefix=prefix or "-")
        .first()
    )
    matched = keys.secret_matches(secret, credential.secret_hash if credential else None)
    if not (parsed and matched and credential.revoked_at is None):
        raise KeyRefused(GENERIC_KEY_MESSAGE)
    if credential.order.status != OrderStatus.ACTIVE:
        raise KeyRefused(GENERIC_KEY_MESSAGE)
    return credential


def _payload(product: Product, result) -> dict[str, Any]:
    if result.verified is not None:
        return {"product": product.pk, "match": result.verified}
    return {
        "product": product.pk,
        "fields": result.fields,
        "records": result.records,
        "suppressed_groups": result.suppressed_groups,
    }


def _record(credential, product, dataset, request_id, status, body, rows, price, now):
    usage = UsageRecord.objects.create(
        request_id=request_id,
        kind=UsageKind.API_CALL,
        dataset=dataset,
        user=credential.created_by,
        status=status,
        bytes=len(body),
        rows=rows,
        at=now,
    )
    return OrderUsage.objects.create(
        usage=usage,
        order=credential.order,
        price_version=price,
        calls=1,
        records=rows or 0,
        bytes=len(body),
        billable=status < 400,
        at=now,
    )


def product_call(
    *,
    credential: OrderCredential,
    product_id: int,
    values: dict[str, Any],
    request_id: uuid.UUID | None = None,
    now: dt.datetime | None = None,
) -> CallResult:
    """Serve one call of the credential's product, metered on its order."""
    now = now or timezone.now()
    order = credential.order
    product = order.product
    if product.pk != product_id:
        raise NotFound("No such product for this credential.")
    if product.status != ProductStatus.LISTED:
        raise Conflict("The product is not listed; nothing is served or billed.")
    price = None
    if not order.is_free:
        price = product.prices.filter(status=PriceStatus.LIVE).first()
        if price is None:
            raise PriceSuspended(
                "The product's price is suspended: a ceiling was lowered below it. Calls "
                "resume when the operator publishes a price within the ceiling."
            )
    request_id = request_id or uuid.uuid4()
    dataset = licence_table(product.licence).distribution.dataset
    params = compose_query(product, values)
    failure: DomainError | None = None
    with transaction.atomic():
        try:
            result = licensed_query(
                licence=product.licence,
                user=credential.created_by,
                params=params,
                channel=AccessChannel.PRODUCT,
                request_id=str(request_id),
                now=now,
            )
        except DomainError as exc:  # part 1 logged the refusal: keep it, bill nothing
            failure = exc
            body = json.dumps({"detail": exc.detail}).encode()
            usage = _safe_record(
                credential, product, dataset, uuid.uuid4(), exc.status, body, 0, price, now
            )
        else:
            body = json.dumps(_payload(product, result), ensure_ascii=False, default=str).encode()
            rows = 0 if result.verified is not None else len(result.records)
            usage = _safe_record(
                credential, product, dataset, request_id, 200, body, rows, price, now
            )
    if failure is not None:
        raise failure
    return CallResult(body=body, usage=usage)


def _safe_record(credential, product, dataset, request_id, status, body, rows, price, now):
    try:
        with transaction.atomic():
            return _record(credential, product, dataset, request_id, status, body, rows, price, now)
    except IntegrityError:
        if UsageRecord.objects.filter(request_id=request_id).exists():
            raise RequestReplayed(
                f"The request id {request_id} was already used; a call is counted once.",
                extra={"request_id": str(request_id)},
            ) from None
        raise
