from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from operations import selectors, services
from operations.apis.common import TAGS, OperationsApi, Strict, acting_party, problems
from operations.models import AuthorisationMode, PartyKind, Scheme, SelectionProcedure


class SchemeOutput(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.organisation.name")
    scope = serializers.SerializerMethodField()
    scenarios = serializers.SerializerMethodField()
    selection = serializers.SerializerMethodField()

    class Meta:
        model = Scheme
        fields = [
            "id",
            "title",
            "agency",
            "modes",
            "domains",
            "description",
            "status",
            "scope",
            "scenarios",
            "selection",
            "created_at",
            "approved_at",
            "published_at",
        ]

    def get_scope(self, obj) -> list[str]:
        return [s.registration_code for s in obj.scope.all()]

    def get_scenarios(self, obj) -> list[dict]:
        return [{"id": s.pk, "name": s.name} for s in obj.scenarios.all()]

    def get_selection(self, obj) -> dict | None:
        selection = getattr(obj, "selection", None)
        if selection is None:
            return None
        return {
            "procedure": selection.procedure,
            "decided_on": selection.decided_on,
            "result_summary": selection.result_summary,
            "selected": [
                {"id": p.pk, "name": p.organisation.name} for p in selection.selected.all()
            ],
        }


class SchemeListApi(OperationsApi):
    class InputSerializer(Strict):
        class Meta:
            ref_name = "OperationsSchemeListInput"

        agency_id = serializers.IntegerField(required=False)
        title = serializers.CharField(max_length=200)
        modes = serializers.ListField(
            child=serializers.ChoiceField(AuthorisationMode.choices), min_length=1
        )
        domains = serializers.ListField(child=serializers.CharField(max_length=100), required=False)
        description = serializers.CharField(max_length=4000, required=False, allow_blank=True)
        registration_codes = serializers.ListField(
            child=serializers.CharField(max_length=40), min_length=1
        )
        scenarios = serializers.ListField(child=serializers.CharField(max_length=200), min_length=1)

    @extend_schema(
        tags=TAGS,
        operation_id="operations_schemes",
        summary="Schemes I may see",
        responses={200: SchemeOutput(many=True), **problems(401)},
    )
    def get(self, request):
        schemes = selectors.schemes_for(request.user).prefetch_related("scope", "scenarios")
        return Response(SchemeOutput(schemes, many=True).data)

    @extend_schema(
        tags=TAGS,
        operation_id="operations_scheme_create",
        summary="Draft a scheme (agency staff)",
        request=InputSerializer,
        responses={201: SchemeOutput, **problems(400, 401, 403, 404)},
    )
    def post(self, request):
        data = self.InputSerializer.validated(request.data)
        agency = acting_party(request.user, PartyKind.AGENCY, data.pop("agency_id", None))
        scheme = services.scheme_create(
            actor=request.user, agency=agency, now=timezone.now(), **data
        )
        return Response(SchemeOutput(scheme).data, status=201)


class SchemeDetailApi(OperationsApi):
    @extend_schema(
        tags=TAGS,
        operation_id="operations_scheme",
        summary="One scheme",
        responses={200: SchemeOutput, **problems(401, 404)},
    )
    def get(self, request, scheme_id: int):
        return Response(
            SchemeOutput(selectors.access_scheme(user=request.user, scheme_id=scheme_id)).data
        )


class SchemeApproveApi(OperationsApi):
    class InputSerializer(Strict):
        class Meta:
            ref_name = "OperationsSchemeApproveInput"

        approver = serializers.CharField(max_length=200)
        document_no = serializers.CharField(max_length=100)
        approved_on = serializers.DateField()

    @extend_schema(
        tags=TAGS,
        operation_id="operations_scheme_approve",
        summary="Record the scheme's approval",
        request=InputSerializer,
        responses={200: SchemeOutput, **problems(400, 401, 404, 409)},
    )
    def post(self, request, scheme_id: int):
        scheme = selectors.access_agency_scheme(user=request.user, scheme_id=scheme_id)
        data = self.InputSerializer.validated(request.data)
        scheme = services.scheme_approve(
            actor=request.user, scheme=scheme, now=timezone.now(), **data
        )
        return Response(SchemeOutput(scheme).data)


class SchemeSelectionApi(OperationsApi):
    class InputSerializer(Strict):
        class Meta:
            ref_name = "OperationsSchemeSelectionInput"

        procedure = serializers.ChoiceField(SelectionProcedure.choices)
        decided_on = serializers.DateField()
        result_summary = serializers.CharField(max_length=4000)
        operator_ids = serializers.ListField(child=serializers.IntegerField(), min_length=1)

    @extend_schema(
        tags=TAGS,
        operation_id="operations_scheme_selection",
        summary="Publish the operator selection",
        request=InputSerializer,
        responses={200: SchemeOutput, **problems(400, 401, 404, 409)},
    )
    def post(self, request, scheme_id: int):
        scheme = selectors.access_agency_scheme(user=request.user, scheme_id=scheme_id)
        data = self.InputSerializer.validated(request.data)
        services.scheme_publish_selection(
            actor=request.user, scheme=scheme, now=timezone.now(), **data
        )
        return Response(SchemeOutput(Scheme.objects.get(pk=scheme.pk)).data)


class SchemeWithdrawApi(OperationsApi):
    @extend_schema(
        tags=TAGS,
        operation_id="operations_scheme_withdraw",
        summary="Withdraw a draft or approved scheme",
        request=None,
        responses={200: SchemeOutput, **problems(401, 403, 404, 409)},
    )
    def post(self, request, scheme_id: int):
        scheme = selectors.access_agency_scheme(user=request.user, scheme_id=scheme_id)
        scheme = services.scheme_withdraw(actor=request.user, scheme=scheme, now=timezone.now())
        return Response(SchemeOutput(scheme).data)
