"""The double-entry ledger: append-only journals of balanced lines.

Postings made by the billing services:

    statement finalised   Dr receivable (consumer)     Cr revenue
    credit note issued    Dr revenue adjustment        Cr receivable (consumer)
    payment recorded      Dr cash                      Cr receivable (consumer)

`post` refuses an unbalanced journal; a deferred constraint trigger refuses one at commit
whatever wrote it, and other triggers refuse any UPDATE or DELETE of ledger rows.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Model, Sum

from operations.commerce.models import Account, AccountKind, Journal, LedgerLine

ZERO = Decimal("0.00")


class LedgerImbalance(ValueError):
    pass


def account_for(*, kind: str, operator_id: int, counterparty_id: int | None = None) -> Account:
    account, _ = Account.objects.get_or_create(
        kind=kind, operator_id=operator_id, counterparty_id=counterparty_id
    )
    return account


def post(
    *,
    kind: str,
    memo: str,
    document: Model,
    actor,
    at: dt.datetime,
    entries: list[tuple[Account, Decimal, Decimal]],
) -> Journal:
    """One journal of (account, debit, credit) entries; Σ debits must equal Σ credits."""
    debits = sum((d for _, d, _ in entries), ZERO)
    credits = sum((c for _, _, c in entries), ZERO)
    if debits != credits or debits <= 0:
        raise LedgerImbalance(f"Unbalanced journal: debits {debits}, credits {credits}.")
    journal = Journal.objects.create(
        kind=kind,
        memo=memo[:300],
        document_type=document._meta.model_name,
        document_id=document.pk,
        actor=actor,
        at=at,
    )
    LedgerLine.objects.bulk_create(
        LedgerLine(journal=journal, account=account, debit=debit, credit=credit)
        for account, debit, credit in entries
    )
    return journal


def transfer(
    *,
    kind: str,
    memo: str,
    document: Model,
    actor,
    at: dt.datetime,
    debit: Account,
    credit: Account,
    amount: Decimal,
) -> Journal:
    return post(
        kind=kind,
        memo=memo,
        document=document,
        actor=actor,
        at=at,
        entries=[(debit, amount, ZERO), (credit, ZERO, amount)],
    )


def totals(lines=None) -> tuple[Decimal, Decimal]:
    """(Σ debits, Σ credits) of the given lines (default: the whole ledger)."""
    qs = LedgerLine.objects.all() if lines is None else lines
    agg = qs.aggregate(d=Sum("debit"), c=Sum("credit"))
    return agg["d"] or ZERO, agg["c"] or ZERO


def balance(account: Account) -> Decimal:
    """Debit-positive balance of one account."""
    debit, credit = totals(LedgerLine.objects.filter(account=account))
    return debit - credit


def receivable(*, operator_id: int, consumer_id: int) -> Decimal:
    account = Account.objects.filter(
        kind=AccountKind.RECEIVABLE, operator_id=operator_id, counterparty_id=consumer_id
    ).first()
    return balance(account) if account else ZERO
