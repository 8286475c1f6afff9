"""Consumers (verified identity), orders (quote → accept → credentials), and closing them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from operations.commerce import actors
from operations.commerce.models import (
    FREE_PURPOSES,
    Consumer,
    ConsumerMember,
    ConsumerVerification,
    Order,
    OrderCredential,
    OrderStatus,
    PriceStatus,
    PriorityScenario,
    Product,
    ProductStatus,
    PurposeClass,
)
from operations.commerce.services.common import local_date, lock, next_number, record_event
from operations.models import VerificationMethod, VerificationResult
from portal.developer import keys
from registry.errors import Conflict, IllegalTransition, ValidationFailed
from registry.models import Organisation

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024


@transaction.atomic
def consumer_register(
    *,
    actor,
    organisation: Organisation,
    legal_representative: str,
    authorised_contact: str,
    contact_phone: str,
    now: dt.datetime,
) -> Consumer:
    """Register an organisation as a consumer; the actor becomes its first member."""
    errors: dict[str, list[str]] = {}
    for field, value in (
        ("legal_representative", legal_representative),
        ("authorised_contact", authorised_contact),
        ("contact_phone", contact_phone),
    ):
        if not (value or "").strip():
            errors[field] = ["This field is required."]
    if Consumer.objects.filter(organisation=organisation).exists():
        errors["organisation"] = ["Already registered as a consumer."]
    if errors:
        raise ValidationFailed("The consumer is not valid.", errors=errors)
    consumer = Consumer.objects.create(
        organisation=organisation,
        legal_representative=legal_representative.strip(),
        authorised_contact=authorised_contact.strip(),
        contact_phone=contact_phone.strip(),
        created_at=now,
    )
    ConsumerMember.objects.create(consumer=consumer, user=actor)
    record_event(action="consumer_register", obj=consumer, actor=actor, at=now)
    return consumer


@transaction.atomic
def consumer_verify(
    *, actor, consumer: Consumer, method: str, result: str, note: str = "", now: dt.datetime
) -> ConsumerVerification:
    """A platform administrator's identity check of a consumer (method, result, when, who)."""
    actors.require_regulator(actor)
    errors = {}
    if method not in VerificationMethod.values:
        errors["method"] = [f"Must be one of: {', '.join(VerificationMethod.values)}."]
    if result not in VerificationResult.values:
        errors["result"] = [f"Must be one of: {', '.join(VerificationResult.values)}."]
    if errors:
        raise ValidationFailed("The verification is not valid.", errors=errors)
    consumer = lock(Consumer, consumer.pk)
    check = ConsumerVerification.objects.create(
        consumer=consumer,
        method=method,
        result=result,
        note=(note or "")[:500],
        verified_by=actor,
        verified_at=now,
    )
    verified = now if result == VerificationResult.PASSED else None
    Consumer.objects.filter(pk=consumer.pk).update(identity_verified_at=verified)
    record_event(
        action="consumer_verify",
        obj=consumer,
        actor=actor,
        at=now,
        data={"method": method, "result": result},
    )
    return check


def _check_free(data: dict[str, Any], errors: dict) -> tuple[str, Any]:
    attestation = (data.get("attestation") or "").strip()
    evidence = data.get("evidence")
    if not attestation:
        errors["attestation"] = ["A public governance or welfare order needs an attestation."]
    if not evidence:
        errors["evidence"] = ["Evidence of the public purpose is required."]
    elif getattr(evidence, "size", 0) > MAX_EVIDENCE_BYTES:
        errors["evidence"] = ["At most 20 MB."]
    return attestation, evidence


@transaction.atomic
def order_create(
    *, actor, consumer: Consumer, product: Product, data: dict[str, Any], now: dt.datetime
) -> Order:
    """Order and quote: free for public governance / welfare (attestation and evidence kept),
    otherwise at the product's live price and the declared priority scenario's discount.
    Both parties' identities must be verified (Data Security Law art. 33)."""
    actors.require_consumer(actor, consumer.pk)
    product = lock(Product, product.pk)
    if product.status != ProductStatus.LISTED:
        raise Conflict("The product is not listed.")
    errors: dict[str, list[str]] = {}
    purpose = data.get("purpose_class")
    if purpose not in PurposeClass.values:
        errors["purpose_class"] = [f"Must be one of: {', '.join(PurposeClass.values)}."]
    scenario_text = (data.get("scenario") or "").strip()
    if not scenario_text or len(scenario_text) > 300:
        errors["scenario"] = ["Describe the scenario (at most 300 characters)."]
    if not consumer.is_verified:
        errors["consumer"] = ["The consumer's identity is not verified yet."]
    if not product.operator.is_verified:
        errors["product"] = ["The operator's identity is not verified."]
    free = purpose in FREE_PURPOSES
    attestation, evidence, scenario, price = "", None, None, None
    if free:
        attestation, evidence = _check_free(data, errors)
    else:
        price = product.prices.filter(status=PriceStatus.LIVE).first()
        if price is None:
            errors["product"] = ["The product has no live price (suspended under a new ceiling)."]
        if data.get("priority_scenario"):
            scenario = PriorityScenario.objects.filter(
                pk=data["priority_scenario"], operator=product.operator, is_active=True
            ).first()
            if scenario is None:
                errors["priority_scenario"] = ["Not a priority scenario of this operator."]
    if errors:
        raise ValidationFailed("The order is not valid.", errors=errors)
    order = Order(
        number=next_number("ORD", local_date(now).year),
        product=product,
        consumer=consumer,
        purpose_class=purpose,
        scenario=scenario_text,
        attestation=attestation,
        priority_scenario=scenario,
        discount_percent=scenario.discount_percent if scenario else 0,
        is_free=free,
        price_version=price,
        created_by=actor,
        quoted_at=now,
    )
    if evidence:
        order.evidence.save(f"evidence-{order.number}.bin", evidence, save=False)
    order.save()
    record_event(
        action="order_quote",
        obj=order,
        actor=actor,
        at=now,
        data={
            "purpose_class": purpose,
            "free": free,
            "price_version": price.number if price else None,
            "discount_percent": str(order.discount_percent),
        },
    )
    return order


def _issue_credential(order: Order, actor, now: dt.datetime) -> str:
    prefix, secret = keys.new_prefix(), keys.new_secret()
    OrderCredential.objects.create(
        order=order,
        prefix=prefix,
        secret_hash=keys.hash_secret(secret),
        created_by=actor,
        created_at=now,
    )
    return keys.format_key(prefix, secret)


@transaction.atomic
def order_accept(*, actor, order: Order, now: dt.datetime) -> tuple[Order, str]:
    """The consumer accepts the quote: the order becomes active and a credential scoped to
    the product is issued. Returns the plaintext key (shown once, never stored)."""
    actors.require_consumer(actor, order.consumer_id)
    order = lock(Order, order.pk)
    if order.status != OrderStatus.QUOTED:
        raise IllegalTransition(action="accept", current=order.status, allowed=[])
    if not order.is_free and (
        order.price_version is None or order.price_version.status != PriceStatus.LIVE
    ):
        raise Conflict("The quoted price is no longer live; order again for a new quote.")
    Order.objects.filter(pk=order.pk).update(
        status=OrderStatus.ACTIVE, accepted_at=now, accepted_by=actor
    )
    order.refresh_from_db()
    key = _issue_credential(order, actor, now)
    record_event(action="order_accept", obj=order, actor=actor, at=now)
    return order, key


@transaction.atomic
def credential_rotate(*, actor, order: Order, now: dt.datetime) -> str:
    """Revoke the order's live credentials and issue a new one."""
    actors.require_consumer(actor, order.consumer_id)
    order = lock(Order, order.pk)
    if order.status != OrderStatus.ACTIVE:
        raise IllegalTransition(action="rotate", current=order.status, allowed=[])
    order.credentials.filter(revoked_at__isnull=True).update(revoked_at=now)
    key = _issue_credential(order, actor, now)
    record_event(action="credential_rotate", obj=order, actor=actor, at=now)
    return key


@transaction.atomic
def order_close(*, actor, order: Order, reason: str, now: dt.datetime) -> Order:
    """Either party ends an order: credentials revoked, nothing served or billed after."""
    if order.consumer_id not in actors.consumer_ids(actor):
        actors.require_operator(actor, order.product.operator_id)
    order = lock(Order, order.pk)
    if order.status not in (OrderStatus.QUOTED, OrderStatus.ACTIVE, OrderStatus.SUSPENDED):
        raise IllegalTransition(action="close", current=order.status, allowed=[])
    if not (reason or "").strip():
        raise ValidationFailed(
            "A reason is required.", errors={"reason": ["A reason is required."]}
        )
    status = OrderStatus.CANCELLED if order.status == OrderStatus.QUOTED else OrderStatus.CLOSED
    Order.objects.filter(pk=order.pk).update(status=status, closed_at=now)
    order.credentials.filter(revoked_at__isnull=True).update(revoked_at=now)
    order.refresh_from_db()
    record_event(action="order_close", obj=order, actor=actor, at=now, reason=reason.strip())
    return order
