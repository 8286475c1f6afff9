"""Public: authorisation results and agreements in force, without confidential terms."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from operations import selectors
from operations.apis.common import TAGS


class PublicSchemeOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    agency = serializers.CharField(source="agency.organisation.name")
    modes = serializers.ListField(child=serializers.CharField())
    domains = serializers.JSONField()
    scope = serializers.SerializerMethodField()
    scenarios = serializers.SerializerMethodField()
    procedure = serializers.CharField(source="selection.procedure")
    decided_on = serializers.DateField(source="selection.decided_on")
    result_summary = serializers.CharField(source="selection.result_summary")
    selected = serializers.SerializerMethodField()
    published_at = serializers.DateTimeField()

    def get_scope(self, obj) -> list[str]:
        return [s.registration_code for s in obj.scope.all()]

    def get_scenarios(self, obj) -> list[str]:
        return [s.name for s in obj.scenarios.all()]

    def get_selected(self, obj) -> list[dict]:
        return [
            {"name": p.organisation.name, "credit_code": p.organisation.credit_code}
            for p in obj.selection.selected.all()
        ]


class PublicAgreementOutput(serializers.Serializer):
    """Only public fields: never charging terms, security duties, reporting duties or the exit plan."""

    number = serializers.CharField()
    title = serializers.CharField()
    agency = serializers.CharField(source="agency.organisation.name")
    operator = serializers.CharField(source="operator.organisation.name")
    operator_credit_code = serializers.CharField(source="operator.organisation.credit_code")
    resources = serializers.SerializerMethodField()
    scenarios = serializers.SerializerMethodField()
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    status = serializers.CharField()
    public_summary = serializers.CharField()

    def get_resources(self, obj) -> list[str]:
        return [r.code for r in obj.resources.all()]

    def get_scenarios(self, obj) -> list[str]:
        return [s.name for s in obj.scenarios.all()]


class PublicAuthorisationsApi(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        tags=TAGS,
        operation_id="operations_public_authorisations",
        summary="Published authorisation results",
        responses={200: PublicSchemeOutput(many=True)},
    )
    def get(self, request):
        schemes = selectors.published_schemes().prefetch_related(
            "scope", "scenarios", "selection__selected__organisation"
        )
        return Response(PublicSchemeOutput(schemes, many=True).data)


class PublicAgreementsApi(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        tags=TAGS,
        operation_id="operations_public_agreements",
        summary="Agreements in force (public terms only)",
        responses={200: PublicAgreementOutput(many=True)},
    )
    def get(self, request):
        agreements = selectors.agreements_in_force().prefetch_related("resources", "scenarios")
        return Response(PublicAgreementOutput(agreements, many=True).data)
