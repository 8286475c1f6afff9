"""Invoices of finalised statements, credit notes (the only correction of an invoice) and
payments. Each writes its ledger journal in the same transaction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum

from operations.commerce import actors, ledger
from operations.commerce.models import (
    AccountKind,
    CreditNote,
    Invoice,
    Payment,
    Statement,
    StatementStatus,
)
from operations.commerce.services.common import local_date, lock, next_number, record_event
from operations.commerce.services.pricing import _decimal
from registry.errors import Conflict, ValidationFailed

ZERO = Decimal("0.00")


def invoice_outstanding(invoice: Invoice) -> Decimal:
    """What the consumer still owes on an invoice: amount − credit notes − payments."""
    credited = invoice.credit_notes.aggregate(s=Sum("amount"))["s"] or ZERO
    paid = invoice.payments.aggregate(s=Sum("amount"))["s"] or ZERO
    return invoice.amount - credited - paid


@transaction.atomic
def invoice_issue(*, actor, statement: Statement, now: dt.datetime) -> Invoice:
    """The invoice of a finalised statement with a positive total (one per statement)."""
    order = statement.order
    actors.require_operator(actor, order.product.operator_id)
    statement = lock(Statement, statement.pk)
    if statement.status != StatementStatus.FINALISED:
        raise Conflict("Only a finalised statement is invoiced.")
    if statement.total <= 0:
        raise Conflict("Nothing to invoice: the statement's total is zero.")
    if Invoice.objects.filter(statement=statement).exists():
        raise Conflict("This statement is already invoiced.")
    operator, consumer = order.product.operator.organisation, order.consumer.organisation
    invoice = Invoice.objects.create(
        number=next_number("INV", local_date(now).year),
        statement=statement,
        amount=statement.total,
        seller_name=operator.name,
        seller_credit_code=operator.credit_code,
        buyer_name=consumer.name,
        buyer_credit_code=consumer.credit_code,
        issued_by=actor,
        issued_at=now,
    )
    record_event(
        action="invoice_issue",
        obj=invoice,
        actor=actor,
        at=now,
        data={"statement": statement.number, "amount": str(invoice.amount)},
    )
    return invoice


def _receivable(invoice: Invoice):
    order = invoice.statement.order
    return ledger.account_for(
        kind=AccountKind.RECEIVABLE,
        operator_id=order.product.operator_id,
        counterparty_id=order.consumer_id,
    )


def _post_against(invoice, document, *, kind, memo, debit, amount, actor, now, reason=""):
    """The journal crediting the consumer's receivable, and the audit event."""
    ledger.transfer(
        kind=kind,
        memo=memo,
        document=document,
        actor=actor,
        at=now,
        amount=amount,
        debit=debit,
        credit=_receivable(invoice),
    )
    record_event(
        action=f"{kind}_record" if kind == "payment" else f"{kind}_issue",
        obj=document,
        actor=actor,
        at=now,
        reason=reason,
        data={"invoice": invoice.number, "amount": str(amount)},
    )


@transaction.atomic
def credit_note_issue(
    *, actor, invoice: Invoice, amount: Any, reason: str, now: dt.datetime
) -> CreditNote:
    """Correct an invoice by crediting part or all of what is still owed on it: Dr revenue
    adjustment / Cr receivable. The invoice itself never changes."""
    operator_id = invoice.statement.order.product.operator_id
    actors.require_operator(actor, operator_id)
    invoice = lock(Invoice, invoice.pk)
    errors: dict[str, list[str]] = {}
    value = _decimal(amount, "amount", errors, places=2)
    if not (reason or "").strip():
        errors["reason"] = ["A reason is required."]
    if value is not None and value <= 0:
        errors["amount"] = ["Must be more than zero."]
    if value is not None and value > invoice_outstanding(invoice):
        errors["amount"] = [f"At most what is still owed: {invoice_outstanding(invoice)}."]
    if errors:
        raise ValidationFailed("The credit note is not valid.", errors=errors)
    note = CreditNote.objects.create(
        number=next_number("CN", local_date(now).year),
        invoice=invoice,
        amount=value,
        reason=reason.strip(),
        issued_by=actor,
        issued_at=now,
    )
    _post_against(
        invoice,
        note,
        kind="credit_note",
        memo=f"Credit note {note.number} on {invoice.number}",
        debit=ledger.account_for(kind=AccountKind.REVENUE_ADJUSTMENT, operator_id=operator_id),
        amount=value,
        actor=actor,
        now=now,
        reason=note.reason,
    )
    return note


@transaction.atomic
def payment_record(
    *, actor, invoice: Invoice, amount: Any, reference: str, received_on: dt.date, now: dt.datetime
) -> Payment:
    """A payment received against an invoice (at most what is owed): Dr cash / Cr receivable."""
    operator_id = invoice.statement.order.product.operator_id
    actors.require_operator(actor, operator_id)
    invoice = lock(Invoice, invoice.pk)
    errors: dict[str, list[str]] = {}
    value = _decimal(amount, "amount", errors, places=2)
    reference = (reference or "").strip()
    if not reference:
        errors["reference"] = ["This field is required."]
    elif invoice.payments.filter(reference=reference).exists():
        errors["reference"] = ["A payment with this reference is already recorded."]
    if value is not None and value <= 0:
        errors["amount"] = ["Must be more than zero."]
    elif value is not None and value > invoice_outstanding(invoice):
        errors["amount"] = [f"At most what is still owed: {invoice_outstanding(invoice)}."]
    if received_on is None or received_on > local_date(now):
        errors["received_on"] = ["A date not in the future is required."]
    if errors:
        raise ValidationFailed("The payment is not valid.", errors=errors)
    payment = Payment.objects.create(
        invoice=invoice,
        amount=value,
        reference=reference[:100],
        received_on=received_on,
        recorded_by=actor,
        recorded_at=now,
    )
    _post_against(
        invoice,
        payment,
        kind="payment",
        memo=f"Payment {reference[:60]} on {invoice.number}",
        debit=ledger.account_for(kind=AccountKind.CASH, operator_id=operator_id),
        amount=value,
        actor=actor,
        now=now,
    )
    return payment
