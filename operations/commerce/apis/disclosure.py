"""Documents (PDF/CSV), the annual disclosure, operating and usage reports, and the
regulator's export."""

from __future__ import annotations

import datetime as dt
import json

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from operations.commerce import actors, documents, selectors
from operations.commerce.apis.common import CommerceInput
from operations.commerce.models import AnnualDisclosure
from operations.commerce.services import disclosure as disclosure_services
from operations.models import Party
from registry.apis.common import problems
from registry.errors import NotFound, ValidationFailed
from registry.selectors import scope_of

TAGS = ["operations-commerce"]
_TYPES = {"pdf": "application/pdf", "csv": "text/csv; charset=utf-8", "json": "application/json"}


def attachment(content: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _fmt(fmt: str, allowed=("pdf", "csv")) -> str:
    if fmt not in allowed:
        raise NotFound("No such document format.")
    return fmt


class StatementDocumentApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, **problems(404)},
        summary="A statement as PDF or CSV",
    )
    def get(self, request, statement_id: int, fmt: str):
        statement = selectors.access_statement(user=request.user, statement_id=statement_id)
        fmt = _fmt(fmt)
        render = documents.statement_pdf if fmt == "pdf" else documents.statement_csv
        return attachment(render(statement), fmt, statement.number)


class InvoiceDocumentApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, **problems(404)},
        summary="An invoice as PDF or CSV",
    )
    def get(self, request, invoice_id: int, fmt: str):
        invoice = selectors.access_invoice(user=request.user, invoice_id=invoice_id)
        fmt = _fmt(fmt)
        render = documents.invoice_pdf if fmt == "pdf" else documents.invoice_csv
        return attachment(render(invoice), fmt, invoice.number)


class DisclosureOut(serializers.ModelSerializer):
    class Meta:
        model = AnnualDisclosure
        fields = [
            "year",
            "status",
            "deadline",
            "content",
            "generated_at",
            "reviewed_at",
            "review_note",
            "published_at",
        ]


class DisclosureListCreateApi(APIView):
    permission_classes = [AllowAny]

    class InputSerializer(CommerceInput):
        class Meta:
            ref_name = "CommerceDisclosureListCreateInput"

        year = serializers.IntegerField(min_value=2000, max_value=2100)

    @extend_schema(
        tags=TAGS,
        responses={200: DisclosureOut(many=True)},
        summary="Disclosures (public: published ones)",
    )
    def get(self, request):
        return Response(DisclosureOut(selectors.disclosures_for(request.user), many=True).data)

    @extend_schema(
        tags=TAGS,
        request=InputSerializer,
        responses={201: DisclosureOut, **problems(400, 404, 409)},
        summary="Generate (or regenerate) a past year's disclosure (agency)",
    )
    def post(self, request):
        if not request.user.is_authenticated:
            raise NotFound("No such object.")
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        disclosure = disclosure_services.disclosure_generate(
            actor=request.user, year=data.validated_data["year"], now=timezone.now()
        )
        return Response(DisclosureOut(disclosure).data, status=status.HTTP_201_CREATED)


def _access_disclosure(user, year: int) -> AnnualDisclosure:
    disclosure = selectors.disclosures_for(user).filter(year=year).first()
    if disclosure is None:
        raise NotFound("No disclosure of that year.")
    return disclosure


class DisclosureDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(tags=TAGS, responses={200: DisclosureOut, **problems(404)})
    def get(self, request, year: int):
        return Response(DisclosureOut(_access_disclosure(request.user, year)).data)


class DisclosureTransitionApi(APIView):
    permission_classes = [IsAuthenticated]
    action = ""

    class InputSerializer(CommerceInput):
        class Meta:
            ref_name = "CommerceDisclosureTransitionInput"

        note = serializers.CharField(max_length=2000, required=False, allow_blank=True)

    @extend_schema(
        tags=TAGS,
        request=InputSerializer,
        responses={200: DisclosureOut, **problems(404, 409)},
        summary="Review (another person) or publish a disclosure",
    )
    def post(self, request, year: int):
        disclosure = _access_disclosure(request.user, year)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        now = timezone.now()
        if self.action == "review":
            disclosure = disclosure_services.disclosure_review(
                actor=request.user,
                disclosure=disclosure,
                note=data.validated_data.get("note", ""),
                now=now,
            )
        else:
            disclosure = disclosure_services.disclosure_publish(
                actor=request.user, disclosure=disclosure, now=now
            )
        return Response(DisclosureOut(disclosure).data)


class DisclosureDocumentApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=TAGS,
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, **problems(404)},
        summary="A disclosure as PDF, CSV or JSON",
    )
    def get(self, request, year: int, fmt: str):
        disclosure = _access_disclosure(request.user, year)
        fmt = _fmt(fmt, ("pdf", "csv", "json"))
        name = f"disclosure-{year}"
        if fmt == "json":
            return attachment(
                json.dumps(disclosure.content, ensure_ascii=False, indent=1).encode(), fmt, name
            )
        render = documents.disclosure_pdf if fmt == "pdf" else documents.disclosure_csv
        return attachment(render(disclosure), fmt, name)


class OperatingReportApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(CommerceInput):
        class Meta:
            ref_name = "CommerceOperatingReportInput"

        operator = serializers.IntegerField()
        year = serializers.IntegerField(min_value=2000, max_value=2100)
        narrative = serializers.CharField(max_length=8000, required=False, allow_blank=True)

    @extend_schema(
        tags=TAGS, responses={200: OpenApiTypes.OBJECT}, summary="Operating reports I may see"
    )
    def get(self, request):
        qs = selectors.operating_reports_for(request.user)
        return Response(
            [
                {
                    "operator": r.operator.organisation.name,
                    "year": r.year,
                    "filed_at": r.filed_at,
                    "narrative": r.narrative,
                    "content": r.content,
                }
                for r in qs
            ]
        )

    @extend_schema(
        tags=TAGS,
        request=InputSerializer,
        responses={201: OpenApiTypes.OBJECT, **problems(400, 404, 409)},
        summary="File an operator's annual operating report (generated from the data)",
    )
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        operator = Party.objects.filter(
            pk=data.validated_data["operator"], pk__in=actors.operator_ids(request.user)
        ).first()
        if operator is None:
            raise NotFound("No such operator.")
        report = disclosure_services.operating_report_file(
            actor=request.user,
            operator=operator,
            year=data.validated_data["year"],
            narrative=data.validated_data.get("narrative", ""),
            now=timezone.now(),
        )
        return Response(
            {"year": report.year, "content": report.content}, status=status.HTTP_201_CREATED
        )


def _period(request) -> tuple[dt.date, dt.date]:
    try:
        start = dt.date.fromisoformat(request.query_params.get("from", ""))
        end = dt.date.fromisoformat(request.query_params.get("to", ""))
    except ValueError:
        raise ValidationFailed(
            "`from` and `to` are dates (YYYY-MM-DD).", errors={"from": ["Required."]}
        ) from None
    if end < start or (end - start).days > 3660:
        raise ValidationFailed(
            "`to` is on or after `from`, within ten years.", errors={"to": ["Out of range."]}
        )
    return start, end


_PERIOD_PARAMS = [
    OpenApiParameter("from", OpenApiTypes.DATE, required=True),
    OpenApiParameter("to", OpenApiTypes.DATE, required=True),
    OpenApiParameter("output", str, enum=["json", "csv"]),
]


class HolderUsageReportApi(APIView):
    """A data holder's report of how its licensed resources were used through products."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        parameters=_PERIOD_PARAMS,
        responses={200: OpenApiTypes.OBJECT, **problems(400, 404)},
    )
    def get(self, request):
        holder_ids = scope_of(request.user).holder_org_ids
        if not holder_ids:
            raise NotFound("No such report.")
        start, end = _period(request)
        rows = disclosure_services.holder_usage_rows(holder_ids, start, end)
        if request.query_params.get("output") == "csv":
            return attachment(documents.holder_usage_csv(rows), "csv", f"usage-{start}-{end}")
        return Response({"from": start, "to": end, "rows": rows})


class RegulatorExportApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        parameters=_PERIOD_PARAMS,
        responses={200: OpenApiTypes.OBJECT, **problems(400, 404)},
        summary="Review and transaction records of a period (platform administrators)",
    )
    def get(self, request):
        actors.require_regulator(request.user)
        start, end = _period(request)
        rows = disclosure_services.regulator_records(start, end)
        name = f"records-{start}-{end}"
        if request.query_params.get("output") == "csv":
            return attachment(documents.records_csv(rows), "csv", name)
        return attachment(
            json.dumps(
                {"from": str(start), "to": str(end), "records": rows}, ensure_ascii=False
            ).encode(),
            "json",
            name,
        )
