"""The money path end to end through the services: an industry order is called, billed,
finalised, invoiced and paid; the ledger balances after every step."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from operations.commerce import ledger
from operations.commerce.models import LedgerLine, StatementStatus
from operations.commerce.services import invoices, statements
from tests.commerce.conftest import money
from tests.conftest import at

JUNE = dt.date(2026, 6, 1)
AFTER_JUNE = at(2026, 7, 2)


def assert_balanced():
    debit, credit = ledger.totals()
    assert debit == credit


def test_an_industry_call_is_served_metered_and_billed_at_the_live_price(market):
    product = market.listed_product()
    order, key = market.order(product)

    result = market.call(key, product, now=at(2026, 6, 10))
    result2 = market.call(key, product, now=at(2026, 6, 11))

    assert b"records" in result.body
    assert result.usage.order == order and result2.usage.billable
    statement = statements.statement_generate(
        actor=market.operator_user, order=order, month=JUNE, now=AFTER_JUNE
    )
    assert statement.total == money("0.40")
    assert [line.quantity for line in statement.lines.all()] == [Decimal(2)]


def test_finalise_invoice_and_payment_post_balanced_journals(market):
    product = market.listed_product()
    order, _ = market.order(product)
    for day in range(1, 8):
        market.usage(order, at(2026, 6, day), calls=3)
    statement = statements.statement_generate(
        actor=market.operator_user, order=order, month=JUNE, now=AFTER_JUNE
    )
    statement = statements.statement_finalise(
        actor=market.operator_user, statement=statement, now=AFTER_JUNE
    )
    assert_balanced()
    invoice = invoices.invoice_issue(
        actor=market.operator_user, statement=statement, now=AFTER_JUNE
    )
    invoices.credit_note_issue(
        actor=market.operator_user,
        invoice=invoice,
        amount="1.00",
        reason="计量误差",
        now=AFTER_JUNE,
    )
    assert_balanced()
    invoices.payment_record(
        actor=market.operator_user,
        invoice=invoice,
        amount="3.20",
        reference="BANK-1",
        received_on=dt.date(2026, 7, 2),
        now=AFTER_JUNE,
    )
    assert_balanced()

    assert statement.status == StatementStatus.FINALISED
    assert statement.total == money("4.20")
    assert invoices.invoice_outstanding(invoice) == money("0.00")
    assert ledger.receivable(operator_id=market.operator.pk, consumer_id=market.industry.pk) == 0
    assert LedgerLine.objects.count() == 6


def test_a_welfare_order_of_the_same_product_pays_nothing(market):
    product = market.listed_product()
    order, key = market.order(
        product, consumer=market.welfare, user=market.welfare_user, purpose="public_welfare"
    )
    market.call(key, product, now=at(2026, 6, 10))

    statement = statements.statement_generate(
        actor=market.operator_user, order=order, month=JUNE, now=AFTER_JUNE
    )
    statement = statements.statement_finalise(
        actor=market.operator_user, statement=statement, now=AFTER_JUNE
    )

    assert statement.total == 0
    assert {line.amount for line in statement.lines.all()} == {Decimal("0.00")}
    assert statement.lines.first().quantity == 1
    assert order.attestation and order.evidence
    with pytest.raises(Exception, match="Nothing to invoice"):
        invoices.invoice_issue(actor=market.operator_user, statement=statement, now=AFTER_JUNE)
    assert LedgerLine.objects.count() == 0
