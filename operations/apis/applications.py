from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from operations import selectors, services
from operations.apis.common import TAGS, OperationsApi, Strict, problems
from operations.models import AccessApplication, LicenceMode, PurposeClass, ReviewDecision


class ItemOutput(serializers.Serializer):
    id = serializers.IntegerField()
    registration_code = serializers.CharField(source="resource.code")
    mode = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    row_predicate = serializers.JSONField()
    min_group_size = serializers.IntegerField()


class ApplicationOutput(serializers.ModelSerializer):
    operator = serializers.CharField(source="operator.organisation.name")
    agreement = serializers.CharField(source="agreement.number")
    scenario = serializers.CharField(source="scenario.name")
    items = ItemOutput(many=True)
    licences = serializers.SerializerMethodField()

    class Meta:
        model = AccessApplication
        fields = [
            "id",
            "number",
            "operator",
            "agreement",
            "scenario",
            "purpose_class",
            "purpose",
            "security_measures",
            "status",
            "items",
            "licences",
            "submitted_at",
            "decided_at",
        ]

    def get_licences(self, obj) -> list[int]:
        return [lic.pk for lic in obj.licences.all()]


class ItemInput(serializers.Serializer):
    registration_code = serializers.CharField(max_length=40)
    mode = serializers.ChoiceField(LicenceMode.choices)
    columns = serializers.ListField(
        child=serializers.CharField(max_length=63), min_length=1, max_length=200
    )
    row_predicate = serializers.JSONField(required=False, allow_null=True)
    min_group_size = serializers.IntegerField(required=False, min_value=2, max_value=10_000)


class ApplicationListApi(OperationsApi):
    class InputSerializer(Strict):
        class Meta:
            ref_name = "OperationsApplicationListInput"

        agreement_id = serializers.IntegerField()
        scenario_id = serializers.IntegerField()
        purpose_class = serializers.ChoiceField(PurposeClass.choices)
        purpose = serializers.CharField(max_length=2000)
        security_measures = serializers.CharField(max_length=4000)
        items = ItemInput(many=True)

    @extend_schema(
        tags=TAGS,
        operation_id="operations_applications",
        summary="Access applications I filed or review",
        responses={200: ApplicationOutput(many=True), **problems(401)},
    )
    def get(self, request):
        applications = selectors.applications_for(request.user).prefetch_related(
            "items__resource", "licences"
        )
        return Response(ApplicationOutput(applications, many=True).data)

    @extend_schema(
        tags=TAGS,
        operation_id="operations_application_submit",
        summary="Apply for licensed access within an agreement (operator staff)",
        request=InputSerializer,
        responses={201: ApplicationOutput, **problems(400, 401, 403, 404, 409)},
    )
    def post(self, request):
        data = self.InputSerializer.validated(request.data)
        agreement = selectors.access_agreement(
            user=request.user, agreement_id=data.pop("agreement_id")
        )
        items = [dict(item) for item in data.pop("items")]
        application = services.application_submit(
            actor=request.user,
            operator=agreement.operator,
            agreement=agreement,
            items=items,
            now=timezone.now(),
            **data,
        )
        return Response(ApplicationOutput(application).data, status=201)


class ApplicationDetailApi(OperationsApi):
    @extend_schema(
        tags=TAGS,
        operation_id="operations_application",
        summary="One application",
        responses={200: ApplicationOutput, **problems(401, 404)},
    )
    def get(self, request, application_id: int):
        return Response(
            ApplicationOutput(
                selectors.access_application(user=request.user, application_id=application_id)
            ).data
        )


class ReviewInput(Strict):
    decision = serializers.ChoiceField(ReviewDecision.choices)
    comment = serializers.CharField(max_length=1000, required=False, allow_blank=True)


class HolderReviewApi(OperationsApi):
    @extend_schema(
        tags=TAGS,
        operation_id="operations_application_holder_review",
        summary="The data holder's decision",
        request=ReviewInput,
        responses={200: ApplicationOutput, **problems(400, 401, 403, 404, 409)},
    )
    def post(self, request, application_id: int):
        application = selectors.access_application(user=request.user, application_id=application_id)
        data = ReviewInput.validated(request.data)
        application = services.application_holder_review(
            actor=request.user, application=application, now=timezone.now(), **data
        )
        return Response(ApplicationOutput(application).data)


class NarrowInput(serializers.Serializer):
    item_id = serializers.IntegerField()
    columns = serializers.ListField(
        child=serializers.CharField(max_length=63), required=False, min_length=1
    )
    min_group_size = serializers.IntegerField(required=False, min_value=2)


class AgencyReviewApi(OperationsApi):
    class InputSerializer(ReviewInput):
        class Meta:
            ref_name = "OperationsAgencyReviewInput"

        valid_until = serializers.DateField(required=False)
        daily_quota = serializers.IntegerField(required=False, min_value=1, max_value=10_000_000)
        total_quota = serializers.IntegerField(required=False, min_value=1, max_value=10_000_000)
        narrowing = NarrowInput(many=True, required=False)

    @extend_schema(
        tags=TAGS,
        operation_id="operations_application_agency_review",
        summary="The agency's decision; approval issues the licences",
        request=InputSerializer,
        responses={200: ApplicationOutput, **problems(400, 401, 403, 404, 409)},
    )
    def post(self, request, application_id: int):
        application = selectors.access_application(user=request.user, application_id=application_id)
        data = self.InputSerializer.validated(request.data)
        narrowing = {n.pop("item_id"): dict(n) for n in data.pop("narrowing", [])}
        services.application_agency_review(
            actor=request.user,
            application=application,
            narrowing=narrowing,
            now=timezone.now(),
            **data,
        )
        return Response(ApplicationOutput(AccessApplication.objects.get(pk=application.pk)).data)


class WithdrawApi(OperationsApi):
    @extend_schema(
        tags=TAGS,
        operation_id="operations_application_withdraw",
        summary="Withdraw an application under review",
        request=None,
        responses={200: ApplicationOutput, **problems(401, 403, 404, 409)},
    )
    def post(self, request, application_id: int):
        application = selectors.access_application(user=request.user, application_id=application_id)
        application = services.application_withdraw(
            actor=request.user, application=application, now=timezone.now()
        )
        return Response(ApplicationOutput(application).data)
