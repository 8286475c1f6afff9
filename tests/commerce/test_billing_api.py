"""Billing through the API: idempotent POSTs (replay, different body 422, in flight 409),
immutability of finalised statements and invoices on every path, credit notes, documents,
and the ledger balancing after every operation."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.contrib.admin.sites import site
from django.db import IntegrityError, InternalError, connection, transaction
from django.test import Client
from rest_framework.test import APIClient

from operations.commerce import ledger
from operations.commerce.models import (
    CreditNote,
    Invoice,
    Journal,
    LedgerLine,
    Statement,
    StatementStatus,
)
from operations.commerce.services import statements
from registry.errors import IllegalTransition
from tests.conftest import at

API = "/api/v1/commerce/"
JUNE = dt.date(2026, 6, 1)


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def billed(market):
    """An industry order with 12 calls in June 2026, its statement finalised."""
    product = market.listed_product()
    order, _ = market.order(product)
    for day in range(1, 13):
        market.usage(order, at(2026, 6, day))
    statement = statements.statement_generate(
        actor=market.operator_user, order=order, month=JUNE, now=at(2026, 7, 1)
    )
    statement = statements.statement_finalise(
        actor=market.operator_user, statement=statement, now=at(2026, 7, 1)
    )
    return market, order, statement


def balanced() -> bool:
    debit, credit = ledger.totals()
    return debit == credit


def test_replaying_a_billing_post_returns_the_first_result_and_does_nothing_again(billed):
    market, order, statement = billed
    client = client_for(market.operator_user)
    first = client.post(f"{API}statements/{statement.pk}/invoice", HTTP_IDEMPOTENCY_KEY="inv-1")
    again = client.post(f"{API}statements/{statement.pk}/invoice", HTTP_IDEMPOTENCY_KEY="inv-1")

    assert first.status_code == 201 and again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert Invoice.objects.count() == 1
    without_key = client.post(f"{API}statements/{statement.pk}/invoice")
    assert without_key.status_code == 409  # a second invoice is refused on its merits


def test_the_same_key_with_a_different_body_is_422(billed):
    market, order, statement = billed
    client = client_for(market.operator_user)
    invoice = client.post(f"{API}statements/{statement.pk}/invoice").json()
    url = f"{API}invoices/{invoice['id']}/payments"
    ok = client.post(
        url,
        {"amount": "1.00", "reference": "B-1", "received_on": "2026-07-01"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="pay-1",
    )
    other = client.post(
        url,
        {"amount": "2.00", "reference": "B-1", "received_on": "2026-07-01"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="pay-1",
    )

    assert ok.status_code == 201
    assert other.status_code == 422
    assert other.json()["type"].endswith("idempotency_key_reused")
    assert Invoice.objects.get().payments.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_posts_with_one_key_run_once_and_the_other_gets_409(world, monkeypatch):
    from tests.commerce.conftest import Market

    market = Market(world)
    product = market.listed_product()
    order, _ = market.order(product)
    market.usage(order, at(2026, 6, 3), calls=4)
    statement = statements.statement_generate(
        actor=market.operator_user, order=order, month=JUNE, now=at(2026, 7, 1)
    )
    statements.statement_finalise(
        actor=market.operator_user, statement=statement, now=at(2026, 7, 1)
    )

    from operations.commerce.services import invoices

    entered, release = threading.Event(), threading.Event()
    real_issue = invoices.invoice_issue

    def slow_issue(**kw):
        entered.set()
        release.wait(10)
        return real_issue(**kw)

    monkeypatch.setattr("operations.commerce.apis.billing.invoices.invoice_issue", slow_issue)
    url = f"{API}statements/{statement.pk}/invoice"
    results = {}

    def first():
        try:
            results["first"] = (
                client_for(market.operator_user).post(url, HTTP_IDEMPOTENCY_KEY="k-c").status_code
            )
        finally:
            connection.close()

    thread = threading.Thread(target=first)
    thread.start()
    assert entered.wait(10)
    second = client_for(market.operator_user).post(url, HTTP_IDEMPOTENCY_KEY="k-c")
    release.set()
    thread.join(10)

    assert second.status_code == 409
    assert second.json()["type"].endswith("idempotency_in_progress")
    assert results["first"] == 201
    assert Invoice.objects.count() == 1
    replay = client_for(market.operator_user).post(url, HTTP_IDEMPOTENCY_KEY="k-c")
    assert replay.status_code == 201 and replay["Idempotent-Replayed"] == "true"


def test_a_finalised_statement_never_changes_through_the_service(billed):
    market, order, statement = billed
    with pytest.raises(IllegalTransition):
        statements.statement_generate(
            actor=market.operator_user, order=order, month=JUNE, now=at(2026, 7, 2)
        )
    with pytest.raises(IllegalTransition):
        statements.statement_finalise(
            actor=market.operator_user, statement=statement, now=at(2026, 7, 2)
        )
    statement.total = Decimal("0.01")
    with pytest.raises(ValueError):
        statement.save()
    with pytest.raises(ValueError):
        statement.delete()


def test_a_finalised_statement_and_its_lines_never_change_in_the_database(billed):
    market, order, statement = billed
    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        Statement.objects.filter(pk=statement.pk).update(total=Decimal("1.00"))
    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        statement.lines.update(amount=Decimal("0.01"))
    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        statement.lines.all().delete()
    statement.refresh_from_db()
    assert statement.total == Decimal("2.40")


def test_a_finalised_statement_never_changes_through_the_api(billed):
    market, order, statement = billed
    client = client_for(market.operator_user)
    url = f"{API}statements/{statement.pk}/"
    for method in ("put", "patch", "delete"):
        assert getattr(client, method)(url, {"total": "0.00"}, format="json").status_code == 405
    regenerate = client.post(
        f"{API}orders/{order.pk}/statements", {"month": "2026-06"}, format="json"
    )
    assert regenerate.status_code == 409
    assert regenerate.json()["current_state"] == StatementStatus.FINALISED
    assert client.post(f"{API}statements/{statement.pk}/finalise").status_code == 409


def test_statements_and_invoices_are_read_only_in_the_admin(billed, admin_user):
    market, order, statement = billed
    invoice = (
        client_for(market.operator_user).post(f"{API}statements/{statement.pk}/invoice").json()
    )
    client = Client()
    client.force_login(admin_user)
    for model, pk in ((Statement, statement.pk), (Invoice, invoice["id"])):
        admin = site._registry[model]
        assert not admin.has_change_permission(None) and not admin.has_delete_permission(None)
        url = f"/admin/commerce/{model._meta.model_name}/{pk}/change/"
        assert client.get(url).status_code == 200  # the view page, without a save button
        assert client.post(url, {"total": "0.00", "amount": "0.00"}).status_code == 403
        assert (
            client.post(
                f"/admin/commerce/{model._meta.model_name}/{pk}/delete/", {"post": "yes"}
            ).status_code
            == 403
        )
    statement.refresh_from_db()
    assert statement.total == Decimal("2.40") and Invoice.objects.get().amount == Decimal("2.40")


def test_an_invoice_is_corrected_only_by_an_audited_credit_note(billed):
    market, order, statement = billed
    client = client_for(market.operator_user)
    invoice = client.post(f"{API}statements/{statement.pk}/invoice").json()
    too_much = client.post(
        f"{API}invoices/{invoice['id']}/credit-notes",
        {"amount": "2.41", "reason": "多计"},
        format="json",
    )
    note = client.post(
        f"{API}invoices/{invoice['id']}/credit-notes",
        {"amount": "0.40", "reason": "两次调用超时"},
        format="json",
    )

    assert too_much.status_code == 400 and "amount" in too_much.json()["errors"]
    assert note.status_code == 201
    detail = client.get(f"{API}invoices/{invoice['id']}/").json()
    assert detail["amount"] == "2.40" and detail["outstanding"] == "2.00"
    assert CreditNote.objects.get().reason == "两次调用超时"
    from operations.commerce.models import CommerceEvent

    event = CommerceEvent.objects.get(action="credit_note_issue")
    assert event.actor == market.operator_user and event.reason == "两次调用超时"
    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        Invoice.objects.filter(pk=invoice["id"]).update(amount=Decimal("1.00"))
    assert balanced()


def test_the_ledger_balances_after_every_operation_and_refuses_an_unbalanced_journal(billed):
    market, order, statement = billed
    assert balanced()
    client = client_for(market.operator_user)
    invoice = client.post(f"{API}statements/{statement.pk}/invoice").json()
    steps = [
        (
            f"{API}invoices/{invoice['id']}/payments",
            {"amount": "1.00", "reference": "A", "received_on": "2026-07-01"},
        ),
        (f"{API}invoices/{invoice['id']}/credit-notes", {"amount": "0.40", "reason": "折让"}),
        (
            f"{API}invoices/{invoice['id']}/payments",
            {"amount": "1.00", "reference": "B", "received_on": "2026-07-01"},
        ),
    ]
    for url, body in steps:
        assert client.post(url, body, format="json").status_code == 201
        assert balanced()
    assert ledger.receivable(
        operator_id=market.operator.pk, consumer_id=market.industry.pk
    ) == Decimal("0.00")
    journal = Journal.objects.first()
    account = LedgerLine.objects.first().account
    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        LedgerLine.objects.create(journal=journal, account=account, debit=Decimal("1.00"))
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        LedgerLine.objects.filter(pk=LedgerLine.objects.first().pk).update(debit=Decimal("9.99"))
    assert balanced()


def test_statements_and_invoices_download_as_pdf_and_csv(billed):
    market, order, statement = billed
    client = client_for(market.industry_user)
    pdf = client.get(f"{API}statements/{statement.pk}/document.pdf")
    csv = client.get(f"{API}statements/{statement.pk}/document.csv")
    assert (
        pdf.status_code == 200
        and pdf.content.startswith(b"%PDF")
        and b"STSong-Light" in pdf.content
    )
    assert "attachment" in pdf["Content-Disposition"]
    text = csv.content.decode("utf-8-sig")
    assert statement.number in text and "2.40" in text and "调用次数" in text
    invoice = (
        client_for(market.operator_user).post(f"{API}statements/{statement.pk}/invoice").json()
    )
    assert client.get(f"{API}invoices/{invoice['id']}/document.pdf").content.startswith(b"%PDF")
    assert invoice["number"] in client.get(
        f"{API}invoices/{invoice['id']}/document.csv"
    ).content.decode("utf-8-sig")
    assert client.get(f"{API}invoices/{invoice['id']}/document.exe").status_code == 404
