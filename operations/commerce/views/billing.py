"""Order, statement and invoice pages: accept a quote (the key is shown once), generate and
finalise statements, invoice, record payments, issue credit notes, download PDF/CSV."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.db.models import Sum
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from operations.commerce import actors, documents, forms, selectors
from operations.commerce.apis.disclosure import attachment
from operations.commerce.services import invoices, orders, statements
from operations.commerce.views.common import apply_error, console_page, posted_text
from operations.commerce.views.console import _roles
from registry.errors import DomainError, NotFound


def _month(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(f"{text.strip()}-01")
    except ValueError:
        return None


@console_page
@require_http_methods(["GET", "POST"])
def order_detail(request, order_id: int):
    user = request.user
    order = selectors.access_order(user=user, order_id=order_id)
    is_consumer = order.consumer_id in actors.consumer_ids(user)
    is_operator = order.product.operator_id in actors.operator_ids(user)
    month_form = forms.MonthForm(
        request.POST if request.POST.get("action") == "statement" else None,
        initial={"month": timezone.localdate().strftime("%Y-%m")},
    )
    key = None
    if request.method == "POST":
        action, now = request.POST.get("action"), timezone.now()
        try:
            if action == "accept" and is_consumer:
                order, key = orders.order_accept(actor=user, order=order, now=now)
                messages.success(
                    request, _("订单已生效。请立即保存下方的调用密钥，它只显示这一次。")
                )
            elif action == "rotate" and is_consumer:
                key = orders.credential_rotate(actor=user, order=order, now=now)
                messages.success(request, _("已更换调用密钥。请立即保存，它只显示这一次。"))
            elif action == "close":
                orders.order_close(
                    actor=user, order=order, reason=posted_text(request, "reason"), now=now
                )
                return redirect("commerce:order-detail", order.pk)
            elif action == "statement" and is_operator and month_form.is_valid():
                month = _month(month_form.cleaned_data["month"])
                if month is None:
                    month_form.add_error("month", _("请按 YYYY-MM 填写月份。"))
                else:
                    statement = statements.statement_generate(
                        actor=user, order=order, month=month, now=now
                    )
                    return redirect("commerce:statement-detail", statement.pk)
            elif action not in ("statement",):
                raise NotFound("No such action.")
        except DomainError as exc:
            if isinstance(exc, NotFound):
                raise
            apply_error(request, month_form if action == "statement" else None, exc)
    usage = selectors.usage_for(user, order)
    totals = usage.filter(billable=True).aggregate(
        calls=Sum("calls"), records=Sum("records"), bytes=Sum("bytes")
    )
    return render(
        request,
        "commerce/order_detail.html",
        {
            **_roles(user),
            "order": order,
            "is_consumer": is_consumer,
            "is_operator": is_operator,
            "key": key,
            "month_form": month_form,
            "usage": usage[:20],
            "totals": totals,
            "statements": order.statements.all(),
            "call_url": request.build_absolute_uri(
                f"/api/v1/commerce/products/{order.product_id}/call"
            ),
        },
    )


@console_page
@require_http_methods(["GET", "POST"])
def statement_detail(request, statement_id: int):
    user = request.user
    statement = selectors.access_statement(user=user, statement_id=statement_id)
    is_operator = statement.order.product.operator_id in actors.operator_ids(user)
    if request.method == "POST":
        if not is_operator:
            raise NotFound("No such statement.")
        action, now = request.POST.get("action"), timezone.now()
        try:
            if action == "finalise":
                statements.statement_finalise(actor=user, statement=statement, now=now)
                messages.success(request, _("对账单已确认，此后不再变更。"))
            elif action == "regenerate":
                statements.statement_generate(
                    actor=user, order=statement.order, month=statement.month, now=now
                )
                messages.success(request, _("对账单已重新计算。"))
            elif action == "invoice":
                invoice = invoices.invoice_issue(actor=user, statement=statement, now=now)
                return redirect("commerce:invoice-detail", invoice.pk)
            return redirect("commerce:statement-detail", statement.pk)
        except DomainError as exc:
            apply_error(request, None, exc)
    statement.refresh_from_db()
    return render(
        request,
        "commerce/statement_detail.html",
        {
            **_roles(user),
            "s": statement,
            "lines": statement.lines.all(),
            "is_operator": is_operator,
            "invoice": getattr(statement, "invoice", None)
            if hasattr(statement, "invoice")
            else None,
        },
    )


@console_page
@require_http_methods(["GET", "POST"])
def invoice_detail(request, invoice_id: int):
    user = request.user
    invoice = selectors.access_invoice(user=user, invoice_id=invoice_id)
    is_operator = invoice.statement.order.product.operator_id in actors.operator_ids(user)
    action = request.POST.get("action")
    payment_form = forms.PaymentForm(request.POST if action == "payment" else None)
    credit_form = forms.CreditNoteForm(request.POST if action == "credit" else None)
    if request.method == "POST":
        if not is_operator:
            raise NotFound("No such invoice.")
        form = payment_form if action == "payment" else credit_form
        if form.is_valid():
            try:
                if action == "payment":
                    invoices.payment_record(
                        actor=user, invoice=invoice, now=timezone.now(), **form.cleaned_data
                    )
                else:
                    invoices.credit_note_issue(
                        actor=user, invoice=invoice, now=timezone.now(), **form.cleaned_data
                    )
                messages.success(request, _("已记录。"))
                return redirect("commerce:invoice-detail", invoice.pk)
            except DomainError as exc:
                apply_error(request, form, exc)
    return render(
        request,
        "commerce/invoice_detail.html",
        {
            **_roles(user),
            "inv": invoice,
            "is_operator": is_operator,
            "outstanding": invoices.invoice_outstanding(invoice),
            "payment_form": payment_form,
            "credit_form": credit_form,
        },
    )


@console_page
def statement_document(request, statement_id: int, fmt: str):
    statement = selectors.access_statement(user=request.user, statement_id=statement_id)
    if fmt not in ("pdf", "csv"):
        raise NotFound("No such format.")
    render_ = documents.statement_pdf if fmt == "pdf" else documents.statement_csv
    return attachment(render_(statement), fmt, statement.number)


@console_page
def invoice_document(request, invoice_id: int, fmt: str):
    invoice = selectors.access_invoice(user=request.user, invoice_id=invoice_id)
    if fmt not in ("pdf", "csv"):
        raise NotFound("No such format.")
    render_ = documents.invoice_pdf if fmt == "pdf" else documents.invoice_csv
    return attachment(render_(invoice), fmt, invoice.number)
