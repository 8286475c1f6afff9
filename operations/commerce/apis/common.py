"""Serializers shared by the commerce API modules."""

from __future__ import annotations

from rest_framework import serializers

from operations.commerce.models import (
    Ceiling,
    CreditNote,
    Invoice,
    Order,
    Payment,
    PriceVersion,
    PricingPeriod,
    Product,
    Statement,
    StatementLine,
)
from registry.apis.common import READ_ONLY_NAMES, StrictInputSerializer

COMMERCE_READ_ONLY = READ_ONLY_NAMES | frozenset(
    {
        "status",
        "operator",
        "consumer",
        "total",
        "amount_due",
        "number",
        "is_free",
        "price_version",
        "discount_percent",
        "is_trial",
        "finalised_at",
        "listed_at",
        "registry_record",
        "accepted_at",
        "carried_deduction",
        "actual_revenue",
        "over_recovery",
        "first_billed_at",
        "created_by",
        "lines",
    }
)


class CommerceInput(StrictInputSerializer):
    read_only_names = COMMERCE_READ_ONLY


class CeilingOut(serializers.ModelSerializer):
    authority = serializers.CharField(source="authority.organisation.name")

    class Meta:
        model = Ceiling
        fields = [
            "id",
            "unit",
            "amount",
            "authority",
            "basis",
            "document_reference",
            "effective_from",
        ]


class PriceOut(serializers.ModelSerializer):
    class Meta:
        model = PriceVersion
        fields = [
            "id",
            "number",
            "unit",
            "shape",
            "unit_price",
            "tiers",
            "period_fee",
            "included_quantity",
            "is_trial",
            "status",
            "status_reason",
            "published_at",
            "first_billed_at",
        ]


class ProductOut(serializers.ModelSerializer):
    operator = serializers.CharField(source="operator.organisation.name")
    licence = serializers.CharField(source="licence.number")
    registry_code = serializers.CharField(
        source="registry_record.code", allow_null=True, default=None
    )

    class Meta:
        model = Product
        fields = [
            "id",
            "kind",
            "name",
            "summary",
            "data_source_statement",
            "operator",
            "licence",
            "registry_code",
            "status",
            "query",
            "parameters",
            "listed_at",
        ]


class ProductDetailOut(ProductOut):
    ceilings = serializers.SerializerMethodField()
    live_price = serializers.SerializerMethodField()

    class Meta(ProductOut.Meta):
        fields = [*ProductOut.Meta.fields, "ceilings", "live_price"]

    def get_ceilings(self, product) -> list[dict]:
        from django.utils import timezone

        from operations.commerce.services.pricing import ceiling_in_force

        now = timezone.now()
        units = product.ceilings.values_list("unit", flat=True).distinct()
        found = [ceiling_in_force(product.pk, unit, now) for unit in sorted(set(units))]
        return CeilingOut([c for c in found if c], many=True).data

    def get_live_price(self, product) -> dict | None:
        price = product.prices.filter(status="live").first()
        return PriceOut(price).data if price else None


class OrderOut(serializers.ModelSerializer):
    product = serializers.IntegerField(source="product_id")
    product_name = serializers.CharField(source="product.name")
    consumer = serializers.CharField(source="consumer.organisation.name")
    price_version = serializers.IntegerField(
        source="price_version.number", allow_null=True, default=None
    )
    priority_scenario = serializers.CharField(
        source="priority_scenario.name", allow_null=True, default=None
    )

    class Meta:
        model = Order
        fields = [
            "id",
            "number",
            "product",
            "product_name",
            "consumer",
            "purpose_class",
            "scenario",
            "is_free",
            "price_version",
            "priority_scenario",
            "discount_percent",
            "status",
            "quoted_at",
            "accepted_at",
            "closed_at",
        ]


class LineOut(serializers.ModelSerializer):
    class Meta:
        model = StatementLine
        fields = [
            "position",
            "description",
            "unit",
            "quantity",
            "unit_price",
            "discount_percent",
            "amount",
        ]


class StatementOut(serializers.ModelSerializer):
    order = serializers.CharField(source="order.number")
    lines = LineOut(many=True, read_only=True)
    invoice = serializers.CharField(source="invoice.number", allow_null=True, default=None)

    class Meta:
        model = Statement
        fields = [
            "id",
            "number",
            "order",
            "month",
            "status",
            "currency",
            "total",
            "lines",
            "generated_at",
            "finalised_at",
            "invoice",
        ]


class CreditNoteOut(serializers.ModelSerializer):
    class Meta:
        model = CreditNote
        fields = ["id", "number", "amount", "reason", "issued_at"]


class PaymentOut(serializers.ModelSerializer):
    class Meta:
        model = Payment
        fields = ["id", "amount", "reference", "received_on", "recorded_at"]


class InvoiceOut(serializers.ModelSerializer):
    statement = serializers.CharField(source="statement.number")
    credit_notes = CreditNoteOut(many=True, read_only=True)
    payments = PaymentOut(many=True, read_only=True)
    outstanding = serializers.SerializerMethodField()

    class Meta:
        model = Invoice
        fields = [
            "id",
            "number",
            "statement",
            "amount",
            "seller_name",
            "seller_credit_code",
            "buyer_name",
            "buyer_credit_code",
            "issued_at",
            "credit_notes",
            "payments",
            "outstanding",
        ]

    def get_outstanding(self, invoice) -> str:
        from operations.commerce.services.invoices import invoice_outstanding

        return str(invoice_outstanding(invoice))


class PeriodOut(serializers.ModelSerializer):
    operator = serializers.CharField(source="operator.organisation.name")
    maximum_permitted_revenue = serializers.DecimalField(max_digits=14, decimal_places=2)
    cost_based_maximum = serializers.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        model = PricingPeriod
        fields = [
            "id",
            "operator",
            "start",
            "end",
            "operating_cost",
            "permitted_profit",
            "taxes",
            "cost_based_maximum",
            "carried_deduction",
            "maximum_permitted_revenue",
            "is_trial",
            "approval_reference",
            "status",
            "actual_revenue",
            "over_recovery",
            "approved_at",
            "closed_at",
        ]
