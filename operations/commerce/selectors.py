"""Reads of the paid channel, already scoped to what the user may see; anything else is
NotFound (404).

- operator staff: their operator's products, orders of those products, their usage,
  statements, invoices, pricing periods and ledger;
- consumer staff: listed products, their organisation's orders and everything billed on them;
- agency staff: products under licences their agency granted (to set ceilings), pricing
  periods and annual operating reports of operators they authorised;
- a platform administrator (regulator): everything, read-only;
- anyone: listed products with ceilings and prices (the public price list), published
  disclosures.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from operations.commerce import actors
from operations.commerce.models import (
    AnnualDisclosure,
    Consumer,
    DisclosureStatus,
    Invoice,
    OperatingReport,
    Order,
    OrderUsage,
    PricingPeriod,
    Product,
    ProductStatus,
    Statement,
)
from registry.errors import NotFound


def _get(queryset: QuerySet, pk, what: str):
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise NotFound(f"No {what} with this id.")
    return obj


def products_listed() -> QuerySet[Product]:
    return Product.objects.filter(status=ProductStatus.LISTED).select_related(
        "operator__organisation", "registry_record", "licence"
    )


def products_for(user) -> QuerySet[Product]:
    base = Product.objects.select_related("operator__organisation", "registry_record", "licence")
    if actors.is_regulator(user):
        return base
    scope = Q(status=ProductStatus.LISTED) | Q(operator_id__in=actors.operator_ids(user))
    scope |= Q(licence__agreement__agency_id__in=actors.agency_ids(user))
    return base.filter(scope)


def access_product(*, user, product_id: int) -> Product:
    return _get(products_for(user), product_id, "product")


def access_own_product(*, user, product_id: int) -> Product:
    """A product of one of the user's operators (for writes by operator staff)."""
    return _get(
        products_for(user).filter(operator_id__in=actors.operator_ids(user)), product_id, "product"
    )


def access_agency_product(*, user, product_id: int) -> Product:
    return _get(
        products_for(user).filter(licence__agreement__agency_id__in=actors.agency_ids(user)),
        product_id,
        "product",
    )


def orders_for(user) -> QuerySet[Order]:
    base = Order.objects.select_related(
        "product__operator__organisation", "consumer__organisation", "price_version"
    )
    if actors.is_regulator(user):
        return base
    return base.filter(
        Q(consumer_id__in=actors.consumer_ids(user))
        | Q(product__operator_id__in=actors.operator_ids(user))
    )


def access_order(*, user, order_id: int) -> Order:
    return _get(orders_for(user), order_id, "order")


def usage_for(user, order: Order) -> QuerySet[OrderUsage]:
    access_order(user=user, order_id=order.pk)
    return OrderUsage.objects.filter(order=order).select_related("usage", "price_version")


def statements_for(user) -> QuerySet[Statement]:
    return Statement.objects.filter(order__in=orders_for(user)).select_related(
        "order__product__operator__organisation", "order__consumer__organisation"
    )


def access_statement(*, user, statement_id: int) -> Statement:
    return _get(statements_for(user), statement_id, "statement")


def invoices_for(user) -> QuerySet[Invoice]:
    return Invoice.objects.filter(statement__in=statements_for(user)).select_related(
        "statement__order__product__operator", "statement__order__consumer"
    )


def access_invoice(*, user, invoice_id: int) -> Invoice:
    return _get(invoices_for(user), invoice_id, "invoice")


def _of_operators_in_view(user, base: QuerySet) -> QuerySet:
    """Rows of `base` (with an `operator`) for the operator's own staff and for the agencies
    that authorised the operator; every row for a regulator."""
    base = base.select_related("operator__organisation")
    if actors.is_regulator(user):
        return base
    return base.filter(
        Q(operator_id__in=actors.operator_ids(user))
        | Q(operator__agreements__agency_id__in=actors.agency_ids(user))
    ).distinct()


def periods_for(user) -> QuerySet[PricingPeriod]:
    return _of_operators_in_view(user, PricingPeriod.objects.all())


def operating_reports_for(user) -> QuerySet[OperatingReport]:
    """Annual operating reports: an operator's own, those of operators an agency authorised
    (the agreement's reporting duty is owed to it), every one for a regulator."""
    return _of_operators_in_view(user, OperatingReport.objects.all())


def access_period(*, user, period_id: int) -> PricingPeriod:
    return _get(periods_for(user), period_id, "pricing period")


def consumers_of(user) -> QuerySet[Consumer]:
    return Consumer.objects.filter(pk__in=actors.consumer_ids(user)).select_related("organisation")


def disclosures_public() -> QuerySet[AnnualDisclosure]:
    return AnnualDisclosure.objects.filter(status=DisclosureStatus.PUBLISHED)


def disclosures_for(user) -> QuerySet[AnnualDisclosure]:
    if actors.is_agency(user) or actors.is_regulator(user):
        return AnnualDisclosure.objects.all()
    return disclosures_public()
