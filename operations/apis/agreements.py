from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from operations import selectors, services
from operations.apis.common import TAGS, OperationsApi, Strict, problems
from operations.models import Agreement, Party, PartyKind
from operations.services.agreements import ACTIONS, EXIT_STEPS, allowed_actions
from registry.errors import NotFound


class AgreementOutput(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.organisation.name")
    operator = serializers.CharField(source="operator.organisation.name")
    scheme = serializers.IntegerField(source="scheme_id")
    resources = serializers.SerializerMethodField()
    scenarios = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = Agreement
        fields = [
            "id",
            "number",
            "title",
            "scheme",
            "agency",
            "operator",
            "resources",
            "scenarios",
            "start_date",
            "end_date",
            "signed_on",
            "public_summary",
            "security_duties",
            "charging_terms",
            "reporting_duties",
            "exit_plan",
            "status",
            "status_changed_at",
            "data_disposed_at",
            "products_handed_over_at",
            "registrations_cancelled_at",
            "allowed_actions",
        ]

    def get_resources(self, obj) -> list[str]:
        return [r.code for r in obj.resources.all()]

    def get_scenarios(self, obj) -> list[dict]:
        return [{"id": s.pk, "name": s.name} for s in obj.scenarios.all()]

    def get_allowed_actions(self, obj) -> list[str]:
        return allowed_actions(obj)


class AgreementListApi(OperationsApi):
    class InputSerializer(Strict):
        class Meta:
            ref_name = "OperationsAgreementListInput"

        scheme_id = serializers.IntegerField()
        operator_id = serializers.IntegerField()
        title = serializers.CharField(max_length=200)
        registration_codes = serializers.ListField(
            child=serializers.CharField(max_length=40), min_length=1
        )
        scenario_ids = serializers.ListField(child=serializers.IntegerField(), min_length=1)
        start_date = serializers.DateField()
        end_date = serializers.DateField()
        signed_on = serializers.DateField()
        security_duties = serializers.CharField(max_length=4000)
        charging_terms = serializers.CharField(max_length=4000)
        reporting_duties = serializers.CharField(max_length=4000)
        exit_plan = serializers.CharField(max_length=4000)
        public_summary = serializers.CharField(max_length=2000, required=False, allow_blank=True)

    @extend_schema(
        tags=TAGS,
        operation_id="operations_agreements",
        summary="Agreements I am party to",
        responses={200: AgreementOutput(many=True), **problems(401)},
    )
    def get(self, request):
        agreements = selectors.agreements_for(request.user).prefetch_related(
            "resources", "scenarios"
        )
        return Response(AgreementOutput(agreements, many=True).data)

    @extend_schema(
        tags=TAGS,
        operation_id="operations_agreement_create",
        summary="Sign an agreement with a selected operator",
        request=InputSerializer,
        responses={201: AgreementOutput, **problems(400, 401, 403, 404, 409)},
    )
    def post(self, request):
        data = self.InputSerializer.validated(request.data)
        scheme = selectors.access_agency_scheme(user=request.user, scheme_id=data.pop("scheme_id"))
        operator = Party.objects.filter(pk=data.pop("operator_id"), kind=PartyKind.OPERATOR).first()
        if operator is None:
            raise NotFound("No operator with this id.")
        agreement = services.agreement_create(
            actor=request.user, scheme=scheme, operator=operator, now=timezone.now(), **data
        )
        return Response(AgreementOutput(agreement).data, status=201)


class AgreementDetailApi(OperationsApi):
    @extend_schema(
        tags=TAGS,
        operation_id="operations_agreement",
        summary="One agreement (full terms, for its parties)",
        responses={200: AgreementOutput, **problems(401, 404)},
    )
    def get(self, request, agreement_id: int):
        return Response(
            AgreementOutput(
                selectors.access_agreement(user=request.user, agreement_id=agreement_id)
            ).data
        )


class AgreementTransitionApi(OperationsApi):
    class InputSerializer(Strict):
        class Meta:
            ref_name = "OperationsAgreementTransitionInput"

        action = serializers.ChoiceField(list(ACTIONS))
        reason = serializers.CharField(max_length=1000, required=False, allow_blank=True)

    @extend_schema(
        tags=TAGS,
        operation_id="operations_agreement_transition",
        summary="Suspend, reinstate, terminate, expire, begin exit or close",
        request=InputSerializer,
        responses={200: AgreementOutput, **problems(400, 401, 404, 409)},
    )
    def post(self, request, agreement_id: int):
        agreement = selectors.access_agency_agreement(user=request.user, agreement_id=agreement_id)
        data = self.InputSerializer.validated(request.data)
        agreement = services.agreement_transition(
            actor=request.user, agreement=agreement, now=timezone.now(), **data
        )
        return Response(AgreementOutput(agreement).data)


class AgreementExitStepApi(OperationsApi):
    class InputSerializer(Strict):
        class Meta:
            ref_name = "OperationsAgreementExitStepInput"

        step = serializers.ChoiceField(list(EXIT_STEPS))
        note = serializers.CharField(max_length=1000, required=False, allow_blank=True)

    @extend_schema(
        tags=TAGS,
        operation_id="operations_agreement_exit_step",
        summary="Record an exit step (data disposed, products handed over, registrations cancelled)",
        request=InputSerializer,
        responses={200: AgreementOutput, **problems(400, 401, 404, 409)},
    )
    def post(self, request, agreement_id: int):
        agreement = selectors.access_agency_agreement(user=request.user, agreement_id=agreement_id)
        data = self.InputSerializer.validated(request.data)
        agreement = services.agreement_record_exit_step(
            actor=request.user, agreement=agreement, now=timezone.now(), **data
        )
        return Response(AgreementOutput(agreement).data)


class ConsentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    department = serializers.CharField(source="department.name")
    registration_code = serializers.CharField(source="resource.code")
    consented_on = serializers.DateField()
    document_no = serializers.CharField()


class AgreementConsentApi(OperationsApi):
    class InputSerializer(Strict):
        class Meta:
            ref_name = "OperationsAgreementConsentInput"

        registration_code = serializers.CharField(max_length=40)
        consented_on = serializers.DateField()
        document_no = serializers.CharField(max_length=100, required=False, allow_blank=True)
        note = serializers.CharField(max_length=500, required=False, allow_blank=True)

    @extend_schema(
        tags=TAGS,
        operation_id="operations_agreement_consent",
        summary="Record a department's consent for a resource in scope",
        request=InputSerializer,
        responses={201: ConsentOutput, **problems(400, 401, 404, 409)},
    )
    def post(self, request, agreement_id: int):
        agreement = selectors.access_agency_agreement(user=request.user, agreement_id=agreement_id)
        data = self.InputSerializer.validated(request.data)
        consent = services.consent_record(
            actor=request.user, agreement=agreement, now=timezone.now(), **data
        )
        return Response(ConsentOutput(consent).data, status=201)
