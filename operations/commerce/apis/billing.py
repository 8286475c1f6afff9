"""Statements, invoices, credit notes, payments, pricing periods. Every POST here honours
`Idempotency-Key` (operations.commerce.idempotency)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from operations.commerce import selectors
from operations.commerce.apis.common import (
    CommerceInput,
    CreditNoteOut,
    InvoiceOut,
    PaymentOut,
    PeriodOut,
    StatementOut,
)
from operations.commerce.idempotency import idempotent
from operations.commerce.services import invoices, pricing, statements
from operations.models import Party, PartyKind
from registry.api_common import StandardPagination
from registry.apis.common import problems
from registry.errors import NotFound

TAGS = ["operations-commerce"]
IDEMPOTENCY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="Replay returns the first result; a different request with the same key is "
    "422; while the first is running, 409.",
)
BILLING_PROBLEMS = problems(400, 404, 409)


@extend_schema_field({"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$", "example": "2026-06"})
class MonthField(serializers.Field):
    """A calendar month as `YYYY-MM` (or any date in it)."""

    def to_representation(self, value):
        return value.strftime("%Y-%m")

    def to_internal_value(self, data):
        text = str(data).strip()[:10]
        try:
            return dt.date.fromisoformat(f"{text}-01" if len(text) == 7 else text).replace(day=1)
        except ValueError:
            raise serializers.ValidationError("A month as YYYY-MM.") from None


class StatementGenerateApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(CommerceInput):
        class Meta:
            ref_name = "CommerceStatementGenerateInput"

        month = MonthField()

    @extend_schema(
        tags=TAGS,
        parameters=[IDEMPOTENCY],
        request=InputSerializer,
        responses={201: StatementOut, **BILLING_PROBLEMS},
        summary="Generate (or recompute) the draft statement of a month",
    )
    def post(self, request, order_id: int):
        def run():
            order = selectors.access_order(user=request.user, order_id=order_id)
            data = self.InputSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            statement = statements.statement_generate(
                actor=request.user,
                order=order,
                month=data.validated_data["month"],
                now=timezone.now(),
            )
            return Response(StatementOut(statement).data, status=status.HTTP_201_CREATED)

        return idempotent(request, run)


class StatementListApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=TAGS, responses={200: StatementOut(many=True)})
    def get(self, request):
        qs = selectors.statements_for(request.user).prefetch_related("lines")
        paginator = StandardPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(StatementOut(page, many=True).data)


class StatementDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=TAGS, responses={200: StatementOut, **problems(404)})
    def get(self, request, statement_id: int):
        return Response(
            StatementOut(
                selectors.access_statement(user=request.user, statement_id=statement_id)
            ).data
        )


class StatementFinaliseApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        parameters=[IDEMPOTENCY],
        request=None,
        responses={200: StatementOut, **BILLING_PROBLEMS},
        summary="Finalise a statement after its month (never changes afterwards)",
    )
    def post(self, request, statement_id: int):
        def run():
            statement = selectors.access_statement(user=request.user, statement_id=statement_id)
            statement = statements.statement_finalise(
                actor=request.user, statement=statement, now=timezone.now()
            )
            return Response(StatementOut(statement).data)

        return idempotent(request, run)


class InvoiceIssueApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        parameters=[IDEMPOTENCY],
        request=None,
        responses={201: InvoiceOut, **BILLING_PROBLEMS},
        summary="Invoice a finalised statement",
    )
    def post(self, request, statement_id: int):
        def run():
            statement = selectors.access_statement(user=request.user, statement_id=statement_id)
            invoice = invoices.invoice_issue(
                actor=request.user, statement=statement, now=timezone.now()
            )
            return Response(InvoiceOut(invoice).data, status=status.HTTP_201_CREATED)

        return idempotent(request, run)


class InvoiceListApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=TAGS, responses={200: InvoiceOut(many=True)})
    def get(self, request):
        paginator = StandardPagination()
        page = paginator.paginate_queryset(selectors.invoices_for(request.user), request, view=self)
        return paginator.get_paginated_response(InvoiceOut(page, many=True).data)


class InvoiceDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=TAGS, responses={200: InvoiceOut, **problems(404)})
    def get(self, request, invoice_id: int):
        return Response(
            InvoiceOut(selectors.access_invoice(user=request.user, invoice_id=invoice_id)).data
        )


class CreditNoteCreateApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(CommerceInput):
        class Meta:
            ref_name = "CommerceCreditNoteCreateInput"

        amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
        reason = serializers.CharField(max_length=2000)

    @extend_schema(
        tags=TAGS,
        parameters=[IDEMPOTENCY],
        request=InputSerializer,
        responses={201: CreditNoteOut, **BILLING_PROBLEMS},
        summary="Correct an invoice with a credit note (audited)",
    )
    def post(self, request, invoice_id: int):
        def run():
            invoice = selectors.access_invoice(user=request.user, invoice_id=invoice_id)
            data = self.InputSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            note = invoices.credit_note_issue(
                actor=request.user, invoice=invoice, now=timezone.now(), **data.validated_data
            )
            return Response(CreditNoteOut(note).data, status=status.HTTP_201_CREATED)

        return idempotent(request, run)


class PaymentCreateApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(CommerceInput):
        class Meta:
            ref_name = "CommercePaymentCreateInput"

        amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
        reference = serializers.CharField(max_length=100)
        received_on = serializers.DateField()

    @extend_schema(
        tags=TAGS,
        parameters=[IDEMPOTENCY],
        request=InputSerializer,
        responses={201: PaymentOut, **BILLING_PROBLEMS},
        summary="Record a payment",
    )
    def post(self, request, invoice_id: int):
        def run():
            invoice = selectors.access_invoice(user=request.user, invoice_id=invoice_id)
            data = self.InputSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            payment = invoices.payment_record(
                actor=request.user, invoice=invoice, now=timezone.now(), **data.validated_data
            )
            return Response(PaymentOut(payment).data, status=status.HTTP_201_CREATED)

        return idempotent(request, run)


class PeriodListCreateApi(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    class InputSerializer(CommerceInput):
        class Meta:
            ref_name = "CommercePeriodListCreateInput"

        operator = serializers.IntegerField()
        start = serializers.DateField()
        end = serializers.DateField()
        operating_cost = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
        permitted_profit = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
        taxes = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
        approval_reference = serializers.CharField(max_length=200)
        approval_document = serializers.FileField()

    @extend_schema(
        tags=TAGS, responses={200: PeriodOut(many=True)}, summary="Pricing periods I may see"
    )
    def get(self, request):
        return Response(PeriodOut(selectors.periods_for(request.user), many=True).data)

    @extend_schema(
        tags=TAGS,
        parameters=[IDEMPOTENCY],
        request=InputSerializer,
        responses={201: PeriodOut, **BILLING_PROBLEMS},
        summary="Record an approved maximum permitted revenue (agency)",
    )
    def post(self, request):
        def run():
            data = self.InputSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            values = dict(data.validated_data)
            operator = Party.objects.filter(
                pk=values.pop("operator"), kind=PartyKind.OPERATOR
            ).first()
            if operator is None:
                raise NotFound("No such operator.")
            period = pricing.period_approve(
                actor=request.user, operator=operator, now=timezone.now(), **values
            )
            return Response(PeriodOut(period).data, status=status.HTTP_201_CREATED)

        return idempotent(request, run)


class PeriodCloseApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        parameters=[IDEMPOTENCY],
        request=None,
        responses={200: PeriodOut, **BILLING_PROBLEMS},
        summary="Close a period: actual revenue, over-recovery carried to the next",
    )
    def post(self, request, period_id: int):
        def run():
            period = selectors.access_period(user=request.user, period_id=period_id)
            period = pricing.period_close(actor=request.user, period=period, now=timezone.now())
            return Response(PeriodOut(period).data)

        return idempotent(request, run)
