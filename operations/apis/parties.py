from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from operations import selectors, services
from operations.apis.common import TAGS, OperationsApi, Strict, problems
from operations.models import IdentityVerification, Party, VerificationMethod, VerificationResult
from registry.errors import NotFound


class PartyOutput(serializers.ModelSerializer):
    name = serializers.CharField(source="organisation.name")
    credit_code = serializers.CharField(source="organisation.credit_code")

    class Meta:
        model = Party
        fields = [
            "id",
            "name",
            "credit_code",
            "kind",
            "legal_representative",
            "authorised_contact",
            "identity_verified_at",
        ]


class VerificationOutput(serializers.ModelSerializer):
    verified_by = serializers.CharField(source="verified_by.username")

    class Meta:
        model = IdentityVerification
        fields = ["id", "method", "result", "note", "verified_at", "verified_by"]


class MyPartiesApi(OperationsApi):
    @extend_schema(
        tags=TAGS,
        operation_id="operations_my_parties",
        summary="The agencies and operators I act for",
        responses={200: PartyOutput(many=True), **problems(401)},
    )
    def get(self, request):
        return Response(PartyOutput(selectors.parties_of(request.user), many=True).data)


class PartyVerificationApi(OperationsApi):
    class InputSerializer(Strict):
        class Meta:
            ref_name = "OperationsPartyVerificationInput"

        method = serializers.ChoiceField(VerificationMethod.choices)
        result = serializers.ChoiceField(VerificationResult.choices)
        note = serializers.CharField(max_length=500, required=False, allow_blank=True)

    @extend_schema(
        tags=TAGS,
        operation_id="operations_party_verify",
        summary="Record an identity verification (agency staff for operators; platform administrators)",
        request=InputSerializer,
        responses={201: VerificationOutput, **problems(400, 401, 403, 404)},
    )
    def post(self, request, party_id: int):
        party = Party.objects.filter(pk=party_id).first()
        if party is None:
            raise NotFound("No party with this id.")
        data = self.InputSerializer.validated(request.data)
        record = services.party_verify(actor=request.user, party=party, now=timezone.now(), **data)
        return Response(VerificationOutput(record).data, status=201)
