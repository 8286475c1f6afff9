"""Statements, invoices, credit notes, payments, the double-entry ledger and the
idempotency records of billing POSTs. Money is Decimal CNY; every amount here is in fen
precision (two places), each statement line rounded once."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from operations.commerce.models.catalogue import MONEY, PriceVersion, PricingPeriod
from operations.commerce.models.common import AppendOnly
from operations.commerce.models.orders import Order


class StatementStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    FINALISED = "finalised", _("已确认")


class Statement(models.Model):
    """One order's usage and charges of one calendar month (Asia/Shanghai). A draft is
    recomputed on demand; a finalised statement never changes (save guard and a trigger)."""

    number = models.CharField(max_length=30, unique=True)
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="statements")
    month = models.DateField(help_text="The first day of the month billed.")
    status = models.CharField(
        max_length=10, choices=StatementStatus.choices, default=StatementStatus.DRAFT
    )
    total = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3, default="CNY")
    pricing_period = models.ForeignKey(
        PricingPeriod, null=True, blank=True, on_delete=models.PROTECT, related_name="statements"
    )
    generated_at = models.DateTimeField()
    finalised_at = models.DateTimeField(null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-month", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["order", "month"], name="commerce_statement_month"),
            models.CheckConstraint(condition=Q(total__gte=0), name="commerce_statement_total"),
        ]

    def __str__(self) -> str:
        return self.number

    def save(self, *args, **kwargs):
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == StatementStatus.FINALISED:
                raise ValueError("A finalised statement never changes")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.status == StatementStatus.FINALISED:
            raise ValueError("A finalised statement never changes")
        return super().delete(*args, **kwargs)


class StatementLine(models.Model):
    """One line: a quantity of one unit in one tier (or the period fee) at one unit price,
    less a discount, rounded once to the fen."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField()
    description = models.CharField(max_length=300)
    unit = models.CharField(max_length=16)
    price_version = models.ForeignKey(
        PriceVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.DecimalField(max_digits=30, decimal_places=9)
    unit_price = models.DecimalField(max_digits=16, decimal_places=6)
    discount_percent = models.DecimalField(max_digits=5, decimal_places=2, default=0)
    amount = models.DecimalField(**MONEY)

    class Meta:
        ordering = ["statement_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["statement", "position"], name="commerce_line_pos"),
            models.CheckConstraint(
                condition=Q(amount__gte=0, quantity__gte=0, unit_price__gte=0),
                name="commerce_line_non_negative",
            ),
        ]


class Invoice(AppendOnly):
    """The invoice of a finalised statement with a positive total; never changes."""

    number = models.CharField(max_length=30, unique=True)
    statement = models.OneToOneField(Statement, on_delete=models.PROTECT, related_name="invoice")
    amount = models.DecimalField(**MONEY)
    seller_name = models.CharField(max_length=200)
    seller_credit_code = models.CharField(max_length=18)
    buyer_name = models.CharField(max_length=200)
    buyer_credit_code = models.CharField(max_length=18)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField()

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="commerce_invoice_positive")
        ]

    def __str__(self) -> str:
        return self.number


class CreditNote(AppendOnly):
    """A correction of a finalised invoice: reduces what the consumer owes."""

    number = models.CharField(max_length=30, unique=True)
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="credit_notes")
    amount = models.DecimalField(**MONEY)
    reason = models.TextField(max_length=2000)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField()

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="commerce_credit_positive")
        ]


class Payment(AppendOnly):
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(**MONEY)
    reference = models.CharField(_("付款流水号"), max_length=100)
    received_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="commerce_payment_positive"),
            models.UniqueConstraint(fields=["invoice", "reference"], name="commerce_payment_ref"),
        ]


class AccountKind(models.TextChoices):
    RECEIVABLE = "receivable", _("应收账款")
    REVENUE = "revenue", _("运营服务费收入")
    REVENUE_ADJUSTMENT = "revenue_adjustment", _("收入冲减")
    CASH = "cash", _("银行存款")


class Account(models.Model):
    """A ledger account of an operator; receivables are kept per consumer."""

    kind = models.CharField(max_length=20, choices=AccountKind.choices)
    operator = models.ForeignKey("operations.Party", on_delete=models.PROTECT, related_name="+")
    counterparty = models.ForeignKey(
        "commerce.Consumer", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "operator", "counterparty"],
                name="commerce_account_unique",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.operator_id}:{self.counterparty_id or '-'}"


class Journal(AppendOnly):
    """One balanced posting (Σ debits = Σ credits, checked by a deferred trigger at commit)."""

    kind = models.CharField(max_length=20)
    memo = models.CharField(max_length=300)
    document_type = models.CharField(max_length=20)
    document_id = models.BigIntegerField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]


class LedgerLine(AppendOnly):
    journal = models.ForeignKey(Journal, on_delete=models.PROTECT, related_name="lines")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="lines")
    debit = models.DecimalField(**MONEY, default=0)
    credit = models.DecimalField(**MONEY, default=0)

    class Meta:
        ordering = ["journal_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(debit__gt=0, credit=0) | Q(debit=0, credit__gt=0)),
                name="commerce_ledger_one_side",
            )
        ]


class IdempotencyState(models.TextChoices):
    IN_PROGRESS = "in_progress", _("处理中")
    COMPLETED = "completed", _("已完成")


class IdempotencyRecord(models.Model):
    """The first result of a billing POST under an `Idempotency-Key`, per user."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    scope = models.CharField(max_length=300, help_text="Method and path of the first request.")
    request_hash = models.CharField(max_length=64)
    state = models.CharField(max_length=12, choices=IdempotencyState.choices)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField()
    # When the running request claimed the key (a stale claim is taken over by a retry; the
    # response is stored only by the request that still holds its claim).
    claimed_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="commerce_idempotency_unique")
        ]
        indexes = [models.Index(fields=["created_at"], name="commerce_idempotency_created")]
